/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The guest's memory as the frontend describes it in SET_MEM_TABLE: checks of
 * the table (one region, sizes, overflow, the file really holds the range),
 * the mapping of the region's descriptor at its offset, the metal I/O region
 * that translates guest physical addresses (those in descriptors) to ours,
 * and the translation of frontend user addresses (those of the rings).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <metal/log.h>

#include "vu_private.h"

void vu_mem_unmap(struct amplink_vhost_user *vu)
{
	unsigned int i;

	if (vu->map)
		munmap(vu->map, vu->map_len);
	vu->map = NULL;
	vu->map_len = 0;
	vu->mem = NULL;
	vu->mem_size = 0;
	memset(&vu->io, 0, sizeof(vu->io));
	for (i = 0; i < VU_NUM_VRINGS; i++) {
		vu->vring[i].ring = NULL; /* it pointed into the old mapping */
		vu->vring[i].enabled = false;
	}
}

/* Whether @r describes a range we can map from @fd. Returns 0 or -EINVAL. */
static int vu_mem_check_region(const struct vu_region *r, int fd)
{
	struct stat st;

	if (r->size == 0 || r->size > (uint64_t)SIZE_MAX / 2 ||
	    r->guest_addr > UINT64_MAX - r->size || r->user_addr > UINT64_MAX - r->size ||
	    r->mmap_offset > (uint64_t)INT64_MAX - r->size ||
	    r->guest_addr > (uint64_t)(metal_phys_addr_t)-1 - r->size)
		return -EINVAL;
	if (fstat(fd, &st))
		return -EINVAL;
	/* Touching a page beyond the end of a file would raise SIGBUS. */
	if (S_ISREG(st.st_mode) && r->mmap_offset + r->size > (uint64_t)st.st_size)
		return -EINVAL;
	return 0;
}

/* Map @r from @fd into @vu. Returns 0 or a negative errno. */
static int vu_mem_map(struct amplink_vhost_user *vu, const struct vu_region *r, int fd)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t base = r->mmap_offset & ~(page - 1);
	size_t delta = (size_t)(r->mmap_offset - base);
	void *p;

	p = mmap(NULL, (size_t)r->size + delta, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 (off_t)base);
	if (p == MAP_FAILED)
		return -errno;
	vu->map = p;
	vu->map_len = (size_t)r->size + delta;
	vu->mem = (uint8_t *)p + delta;
	vu->mem_size = r->size;
	vu->guest_addr = r->guest_addr;
	vu->user_addr = r->user_addr;
	vu->physmap[0] = (metal_phys_addr_t)r->guest_addr;
	metal_io_init(&vu->io, vu->mem, vu->physmap, (size_t)r->size, (unsigned int)-1, 0, NULL);
	return 0;
}

int vu_mem_set_table(struct amplink_vhost_user *vu, struct vu_msg *msg)
{
	struct vu_region r;
	uint32_t num;
	int ret;

	if (msg->hdr.size < 8 + sizeof(r)) {
		metal_log(METAL_LOG_ERROR, "vhost-user: memory table of %u bytes\n",
			  (unsigned int)msg->hdr.size);
		return -EINVAL;
	}
	memcpy(&num, msg->body.bytes, sizeof(num));
	if (num != 1 || msg->nfds != 1 || msg->hdr.size < 8 + num * sizeof(r)) {
		metal_log(METAL_LOG_ERROR,
			  "vhost-user: memory table with %u regions and %u fds (need 1 and 1)\n",
			  (unsigned int)num, msg->nfds);
		return -EINVAL;
	}
	if (vu->running) {
		metal_log(METAL_LOG_ERROR, "vhost-user: memory table changed while rings run\n");
		return -EBUSY;
	}
	memcpy(&r, msg->body.bytes + 8, sizeof(r));
	ret = vu_mem_check_region(&r, msg->fds[0]);
	if (ret) {
		metal_log(METAL_LOG_ERROR,
			  "vhost-user: bad memory region (gpa 0x%llx size 0x%llx offset 0x%llx)\n",
			  (unsigned long long)r.guest_addr, (unsigned long long)r.size,
			  (unsigned long long)r.mmap_offset);
		return ret;
	}
	vu_mem_unmap(vu);
	ret = vu_mem_map(vu, &r, msg->fds[0]);
	if (ret)
		metal_log(METAL_LOG_ERROR, "vhost-user: cannot map guest memory: %s\n",
			  strerror(-ret));
	return ret;
}

void *vu_mem_user_to_virt(struct amplink_vhost_user *vu, uint64_t uaddr, uint64_t len)
{
	uint64_t off;

	if (!vu->mem || uaddr < vu->user_addr)
		return NULL;
	off = uaddr - vu->user_addr;
	if (off > vu->mem_size || len > vu->mem_size - off)
		return NULL;
	return (uint8_t *)vu->mem + off;
}
