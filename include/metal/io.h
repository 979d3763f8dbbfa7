/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * I/O regions: a window of memory (shared memory, device registers) seen at a
 * virtual address, with the physical address of each page and optional
 * access operations. Every access goes through an offset that is checked
 * against the region's size, so an address read from shared memory cannot
 * reach outside the window. Address conversions and the scalar read/write
 * helpers are inline; the block operations live in src/metal/io.c.
 */
#ifndef METAL_IO_H
#define METAL_IO_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <metal/atomic.h>
#include <metal/sys.h>

#ifdef __cplusplus
extern "C" {
#endif

#if !defined(__cplusplus) && (ATOMIC_LLONG_LOCK_FREE != 2)
/* 64-bit accesses are not atomic here: they use a plain access and fences. */
#define NO_ATOMIC_64_SUPPORT 1
#endif

struct metal_io_region;

/* Optional access operations of a region; any NULL member means "plain memory". */
struct metal_io_ops {
	uint64_t (*read)(struct metal_io_region *io, unsigned long offset, memory_order order,
			 int width);
	void (*write)(struct metal_io_region *io, unsigned long offset, uint64_t value,
		      memory_order order, int width);
	int (*block_read)(struct metal_io_region *io, unsigned long offset, void *restrict dst,
			  memory_order order, int len);
	int (*block_write)(struct metal_io_region *io, unsigned long offset,
			   const void *restrict src, memory_order order, int len);
	void (*block_set)(struct metal_io_region *io, unsigned long offset, unsigned char value,
			  memory_order order, int len);
	void (*close)(struct metal_io_region *io);
	metal_phys_addr_t (*offset_to_phys)(struct metal_io_region *io, unsigned long offset);
	unsigned long (*phys_to_offset)(struct metal_io_region *io, metal_phys_addr_t phys);
};

/* A memory window: see metal_io_init. */
struct metal_io_region {
	void *virt;			  /* base virtual address */
	const metal_phys_addr_t *physmap; /* physical address of each page, or NULL */
	size_t size;			  /* bytes */
	unsigned long page_shift;	  /* log2 of the page size */
	metal_phys_addr_t page_mask;	  /* page size - 1 */
	unsigned int mem_flags;		  /* port-specific memory attributes */
	struct metal_io_ops ops;	  /* copied from metal_io_init's ops, or zeros */
};

/*
 * metal_io_init - describe a region of size bytes at virt. physmap lists the
 * physical address of each page of 1 << page_shift bytes; a page_shift of at
 * least the bit width of unsigned long (e.g. -1) makes the whole region one
 * page at physmap[0]; physmap NULL means physical addresses are unknown.
 * ops NULL means plain memory access; otherwise *ops is copied. Does not
 * allocate; any context.
 */
void metal_io_init(struct metal_io_region *io, void *virt, const metal_phys_addr_t *physmap,
		   size_t size, unsigned int page_shift, unsigned int mem_flags,
		   const struct metal_io_ops *ops);

/* metal_io_finish - release the region: calls ops.close when set. */
void metal_io_finish(struct metal_io_region *io);

/* metal_io_region_size - Returns the region's size in bytes. */
static inline size_t metal_io_region_size(struct metal_io_region *io)
{
	return io->size;
}

/*
 * metal_io_virt - Returns the virtual address of offset, or NULL when offset
 * is outside the region (or the region has no virtual mapping).
 */
static inline void *metal_io_virt(struct metal_io_region *io, unsigned long offset)
{
	if (io->virt == METAL_BAD_VA || io->virt == NULL || offset >= io->size)
		return NULL;
	return (void *)((char *)io->virt + offset);
}

/*
 * metal_io_virt_to_offset - Returns the offset of virt inside the region, or
 * METAL_BAD_OFFSET when virt is outside it.
 */
static inline unsigned long metal_io_virt_to_offset(struct metal_io_region *io, void *virt)
{
	uintptr_t base = (uintptr_t)io->virt;
	uintptr_t addr = (uintptr_t)virt;

	if (io->virt == NULL || io->virt == METAL_BAD_VA || addr < base || addr - base >= io->size)
		return METAL_BAD_OFFSET;
	return (unsigned long)(addr - base);
}

/*
 * metal_io_phys - Returns the physical address of offset (through
 * ops.offset_to_phys when set), or METAL_BAD_PHYS when offset is outside the
 * region or physical addresses are unknown.
 */
static inline metal_phys_addr_t metal_io_phys(struct metal_io_region *io, unsigned long offset)
{
	unsigned long page;

	if (io->ops.offset_to_phys)
		return io->ops.offset_to_phys(io, offset);
	if (io->physmap == NULL || offset >= io->size)
		return METAL_BAD_PHYS;
	page = io->page_shift >= sizeof(unsigned long) * CHAR_BIT ? 0UL : offset >> io->page_shift;
	return io->physmap[page] + (offset & io->page_mask);
}

/*
 * metal_io_phys_to_offset - Returns the offset of phys inside the region
 * (through ops.phys_to_offset when set), or METAL_BAD_OFFSET when phys does
 * not fall in it. Scans the page map: O(pages).
 */
static inline unsigned long metal_io_phys_to_offset(struct metal_io_region *io,
						    metal_phys_addr_t phys)
{
	unsigned long offset;
	unsigned long pages;
	unsigned long i;

	if (io->ops.phys_to_offset)
		return io->ops.phys_to_offset(io, phys);
	if (io->physmap == NULL || io->size == 0)
		return METAL_BAD_OFFSET;
	if (io->page_shift >= sizeof(unsigned long) * CHAR_BIT) {
		if (phys < io->physmap[0] || phys - io->physmap[0] >= io->size)
			return METAL_BAD_OFFSET;
		return (unsigned long)(phys - io->physmap[0]);
	}
	pages = (unsigned long)((io->size - 1) >> io->page_shift) + 1UL;
	for (i = 0; i < pages; i++) {
		if ((phys & ~io->page_mask) != io->physmap[i])
			continue;
		offset = (i << io->page_shift) + (unsigned long)(phys & io->page_mask);
		if (offset < io->size)
			return offset;
	}
	return METAL_BAD_OFFSET;
}

/*
 * metal_io_phys_to_virt - Returns the virtual address of phys, or NULL when
 * phys is outside the region.
 */
static inline void *metal_io_phys_to_virt(struct metal_io_region *io, metal_phys_addr_t phys)
{
	return metal_io_virt(io, metal_io_phys_to_offset(io, phys));
}

/*
 * metal_io_virt_to_phys - Returns the physical address of virt, or
 * METAL_BAD_PHYS when virt is outside the region.
 */
static inline metal_phys_addr_t metal_io_virt_to_phys(struct metal_io_region *io, void *virt)
{
	unsigned long offset = metal_io_virt_to_offset(io, virt);

	if (offset == METAL_BAD_OFFSET)
		return METAL_BAD_PHYS;
	return metal_io_phys(io, offset);
}

/* Plain 64-bit load/store with fences for targets without 64-bit atomics. */
static inline uint64_t amplink_io_load64(void *ptr, memory_order order)
{
#if defined(NO_ATOMIC_64_SUPPORT)
	uint64_t v = *(volatile uint64_t *)ptr;

	if (order != memory_order_relaxed)
		atomic_thread_fence(memory_order_seq_cst);
	return v;
#else
	return atomic_load_explicit((_Atomic uint64_t *)ptr, order);
#endif
}

static inline void amplink_io_store64(void *ptr, uint64_t value, memory_order order)
{
#if defined(NO_ATOMIC_64_SUPPORT)
	if (order != memory_order_relaxed)
		atomic_thread_fence(memory_order_seq_cst);
	*(volatile uint64_t *)ptr = value;
	if (order == memory_order_seq_cst)
		atomic_thread_fence(memory_order_seq_cst);
#else
	atomic_store_explicit((_Atomic uint64_t *)ptr, value, order);
#endif
}

/*
 * metal_io_read - read width bytes (1, 2, 4 or 8) at offset with the given
 * memory order (ops.read when set). Returns the value, or 0 when offset (plus
 * width) is outside the region or width is unsupported.
 */
static inline uint64_t metal_io_read(struct metal_io_region *io, unsigned long offset,
				     memory_order order, int width)
{
	void *ptr = metal_io_virt(io, offset);

	if (io->ops.read)
		return io->ops.read(io, offset, order, width);
	if (ptr == NULL || width <= 0 || (size_t)width > io->size - offset)
		return 0;
	switch (width) {
	case 1:
		return atomic_load_explicit((_Atomic uint8_t *)ptr, order);
	case 2:
		return atomic_load_explicit((_Atomic uint16_t *)ptr, order);
	case 4:
		return atomic_load_explicit((_Atomic uint32_t *)ptr, order);
	case 8:
		return amplink_io_load64(ptr, order);
	default:
		return 0;
	}
}

/*
 * metal_io_write - write the low width bytes (1, 2, 4 or 8) of value at
 * offset with the given memory order (ops.write when set). Out-of-range
 * writes and unsupported widths are dropped.
 */
static inline void metal_io_write(struct metal_io_region *io, unsigned long offset, uint64_t value,
				  memory_order order, int width)
{
	void *ptr = metal_io_virt(io, offset);

	if (io->ops.write) {
		io->ops.write(io, offset, value, order, width);
		return;
	}
	if (ptr == NULL || width <= 0 || (size_t)width > io->size - offset)
		return;
	switch (width) {
	case 1:
		atomic_store_explicit((_Atomic uint8_t *)ptr, (uint8_t)value, order);
		break;
	case 2:
		atomic_store_explicit((_Atomic uint16_t *)ptr, (uint16_t)value, order);
		break;
	case 4:
		atomic_store_explicit((_Atomic uint32_t *)ptr, (uint32_t)value, order);
		break;
	case 8:
		amplink_io_store64(ptr, value, order);
		break;
	default:
		break;
	}
}

#define metal_io_read8_explicit(_io, _ofs, _order)                                                 \
	((uint8_t)metal_io_read((_io), (_ofs), (_order), 1))
#define metal_io_read8(_io, _ofs) metal_io_read8_explicit((_io), (_ofs), memory_order_seq_cst)
#define metal_io_write8_explicit(_io, _ofs, _val, _order)                                          \
	metal_io_write((_io), (_ofs), (_val), (_order), 1)
#define metal_io_write8(_io, _ofs, _val)                                                           \
	metal_io_write8_explicit((_io), (_ofs), (_val), memory_order_seq_cst)

#define metal_io_read16_explicit(_io, _ofs, _order)                                                \
	((uint16_t)metal_io_read((_io), (_ofs), (_order), 2))
#define metal_io_read16(_io, _ofs) metal_io_read16_explicit((_io), (_ofs), memory_order_seq_cst)
#define metal_io_write16_explicit(_io, _ofs, _val, _order)                                         \
	metal_io_write((_io), (_ofs), (_val), (_order), 2)
#define metal_io_write16(_io, _ofs, _val)                                                          \
	metal_io_write16_explicit((_io), (_ofs), (_val), memory_order_seq_cst)

#define metal_io_read32_explicit(_io, _ofs, _order)                                                \
	((uint32_t)metal_io_read((_io), (_ofs), (_order), 4))
#define metal_io_read32(_io, _ofs) metal_io_read32_explicit((_io), (_ofs), memory_order_seq_cst)
#define metal_io_write32_explicit(_io, _ofs, _val, _order)                                         \
	metal_io_write((_io), (_ofs), (_val), (_order), 4)
#define metal_io_write32(_io, _ofs, _val)                                                          \
	metal_io_write32_explicit((_io), (_ofs), (_val), memory_order_seq_cst)

#define metal_io_read64_explicit(_io, _ofs, _order)                                                \
	((uint64_t)metal_io_read((_io), (_ofs), (_order), 8))
#define metal_io_read64(_io, _ofs) metal_io_read64_explicit((_io), (_ofs), memory_order_seq_cst)
#define metal_io_write64_explicit(_io, _ofs, _val, _order)                                         \
	metal_io_write((_io), (_ofs), (_val), (_order), 8)
#define metal_io_write64(_io, _ofs, _val)                                                          \
	metal_io_write64_explicit((_io), (_ofs), (_val), memory_order_seq_cst)

/*
 * metal_io_block_read - copy up to len bytes from offset into dst (ops
 * block_read when set). A length past the end is cut at the end. Returns the
 * bytes copied, -ERANGE when offset is outside the region, -EINVAL for a
 * negative len or NULL dst.
 */
int metal_io_block_read(struct metal_io_region *io, unsigned long offset, void *restrict dst,
			int len);

/* metal_io_block_write - as metal_io_block_read, copying src into the region. */
int metal_io_block_write(struct metal_io_region *io, unsigned long offset, const void *restrict src,
			 int len);

/* metal_io_block_set - as metal_io_block_read, filling with value. */
int metal_io_block_set(struct metal_io_region *io, unsigned long offset, unsigned char value,
		       int len);

#ifdef __cplusplus
}
#endif

#endif /* METAL_IO_H */
