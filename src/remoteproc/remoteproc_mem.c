/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The memories of a remote processor: descriptors (device address, physical
 * address, size, io region), lookups by name, physical, device or virtual
 * address, remoteproc_mmap (known memories first, then the platform's mmap
 * op) and the notify-id allocator.
 *
 * These calls take no lock: the memory list changes only in lifecycle calls
 * (config, load, shutdown) and in the platform's mmap op they invoke, which
 * the caller serializes; the remoteproc lock is held around all of them.
 */
#include <openamp/remoteproc.h>

#include <amplink/libc.h>
#include <metal/utilities.h>

void remoteproc_init_mem(struct remoteproc_mem *mem, const char *name, metal_phys_addr_t pa,
			 metal_phys_addr_t da, size_t size, struct metal_io_region *io)
{
	size_t n = 0;

	if (!mem)
		return;
	memset(mem->name, 0, sizeof(mem->name));
	if (name) {
		n = strnlen(name, sizeof(mem->name) - 1);
		memcpy(mem->name, name, n);
	}
	mem->pa = pa;
	mem->da = da;
	mem->size = size;
	mem->io = io;
	metal_list_init(&mem->node);
}

void remoteproc_add_mem(struct remoteproc *rproc, struct remoteproc_mem *mem)
{
	if (!rproc || !mem)
		return;
	metal_list_add_tail(&rproc->mems, &mem->node);
}

/* 1 when [addr, addr + size) lies in [base, base + span) (size 0 = one byte). */
static int rproc_mem_holds(metal_phys_addr_t base, size_t span, metal_phys_addr_t addr, size_t size)
{
	if (base == METAL_BAD_PHYS || addr == METAL_BAD_PHYS || addr < base)
		return 0;
	if (size == 0)
		size = 1;
	return size <= span && addr - base <= span - size;
}

static struct remoteproc_mem *rproc_mem_find(struct remoteproc *rproc, metal_phys_addr_t pa,
					     metal_phys_addr_t da, size_t size)
{
	struct remoteproc_mem *mem;
	struct metal_list *node;

	metal_list_for_each(&rproc->mems, node)
	{
		mem = metal_container_of(node, struct remoteproc_mem, node);
		if (da != METAL_BAD_PHYS) {
			if (rproc_mem_holds(mem->da, mem->size, da, size))
				return mem;
		} else if (rproc_mem_holds(mem->pa, mem->size, pa, size)) {
			return mem;
		}
	}
	return NULL;
}

struct metal_io_region *remoteproc_get_io_with_name(struct remoteproc *rproc, const char *name)
{
	struct remoteproc_mem *mem;
	struct metal_list *node;

	if (!rproc || !name)
		return NULL;
	metal_list_for_each(&rproc->mems, node)
	{
		mem = metal_container_of(node, struct remoteproc_mem, node);
		if (strncmp(mem->name, name, sizeof(mem->name)) == 0)
			return mem->io;
	}
	return NULL;
}

struct metal_io_region *remoteproc_get_io_with_pa(struct remoteproc *rproc, metal_phys_addr_t pa)
{
	struct remoteproc_mem *mem;

	if (!rproc)
		return NULL;
	mem = rproc_mem_find(rproc, pa, METAL_BAD_PHYS, 1);
	return mem ? mem->io : NULL;
}

struct metal_io_region *remoteproc_get_io_with_da(struct remoteproc *rproc, metal_phys_addr_t da,
						  unsigned long *offset)
{
	struct remoteproc_mem *mem;
	unsigned long off;

	if (!rproc)
		return NULL;
	mem = rproc_mem_find(rproc, METAL_BAD_PHYS, da, 1);
	if (!mem || !mem->io)
		return NULL;
	off = mem->pa == METAL_BAD_PHYS
		      ? da - mem->da
		      : metal_io_phys_to_offset(mem->io, mem->pa + (da - mem->da));
	if (off == METAL_BAD_OFFSET)
		return NULL;
	if (offset)
		*offset = off;
	return mem->io;
}

struct metal_io_region *remoteproc_get_io_with_va(struct remoteproc *rproc, void *va)
{
	struct remoteproc_mem *mem;
	struct metal_list *node;

	if (!rproc || !va)
		return NULL;
	metal_list_for_each(&rproc->mems, node)
	{
		mem = metal_container_of(node, struct remoteproc_mem, node);
		if (mem->io && metal_io_virt_to_offset(mem->io, va) != METAL_BAD_OFFSET)
			return mem->io;
	}
	return NULL;
}

/*
 * Virtual address of [@pos, @pos + size) of @mem (@pos: offset in the memory),
 * or NULL when it is not all in the memory's io region.
 */
static void *rproc_mem_va(const struct remoteproc_mem *mem, size_t pos, size_t size)
{
	struct metal_io_region *io = mem->io;
	unsigned long off;

	if (!io)
		return NULL;
	off = mem->pa == METAL_BAD_PHYS ? pos : metal_io_phys_to_offset(io, mem->pa + pos);
	if (off == METAL_BAD_OFFSET || off > metal_io_region_size(io) ||
	    size > metal_io_region_size(io) - off)
		return NULL;
	return metal_io_virt(io, off);
}

void *remoteproc_mmap(struct remoteproc *rproc, metal_phys_addr_t *pa, metal_phys_addr_t *da,
		      size_t size, unsigned int attribute, struct metal_io_region **io)
{
	metal_phys_addr_t lpa = pa ? *pa : METAL_BAD_PHYS;
	metal_phys_addr_t lda = da ? *da : METAL_BAD_PHYS;
	struct metal_io_region *lio = NULL;
	struct remoteproc_mem *mem;
	void *va = NULL;
	size_t pos;

	if (!rproc)
		return NULL;
	if (lpa != METAL_BAD_PHYS || lda != METAL_BAD_PHYS) {
		mem = rproc_mem_find(rproc, lpa, lda, size);
		if (mem) {
			pos = lda != METAL_BAD_PHYS ? lda - mem->da : lpa - mem->pa;
			lpa = mem->pa == METAL_BAD_PHYS ? METAL_BAD_PHYS : mem->pa + pos;
			lda = mem->da == METAL_BAD_PHYS ? METAL_BAD_PHYS : mem->da + pos;
			lio = mem->io;
			va = rproc_mem_va(mem, pos, size);
		}
	}
	if (!va && rproc->ops && rproc->ops->mmap)
		va = rproc->ops->mmap(rproc, &lpa, &lda, size, attribute, &lio);
	if (!va)
		return NULL;
	if (pa)
		*pa = lpa;
	if (da)
		*da = lda;
	if (io)
		*io = lio;
	return va;
}

unsigned int remoteproc_allocate_id(struct remoteproc *rproc, unsigned int start, unsigned int end)
{
	unsigned int bits = (unsigned int)(sizeof(rproc->bitmap) * 8);
	unsigned int id;

	if (!rproc)
		return RSC_NOTIFY_ID_ANY;
	if (end == RSC_NOTIFY_ID_ANY || end > bits)
		end = bits;
	if (start >= end)
		return RSC_NOTIFY_ID_ANY;
	id = metal_bitmap_next_clear_bit(&rproc->bitmap, start, end);
	if (id >= end)
		return RSC_NOTIFY_ID_ANY;
	metal_bitmap_set_bit(&rproc->bitmap, (int)id);
	return id;
}
