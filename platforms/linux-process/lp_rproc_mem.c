/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Memory of a Linux-process remote: the shared window (a memfd mapped at
 * device address AMPLINK_LPR_WINDOW_DA, identity pa == da) that holds the
 * table copy, the trace buffer and the carveouts; the host-side staging
 * buffers of the ELF segments; and the remoteproc mmap op that hands out
 * both.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <metal/log.h>

#include "lp_rproc_private.h"

/*
 * lpr_window_open() - create and map the window and make it known to the
 * remoteproc as memory "window". Returns 0 or a negative errno.
 */
int lpr_window_open(struct amplink_lpr *r)
{
	void *p;

	r->win_fd = memfd_create(r->name, MFD_CLOEXEC);
	if (r->win_fd < 0)
		return -errno;
	if (ftruncate(r->win_fd, AMPLINK_LPR_WINDOW_SIZE) < 0) {
		int err = -errno;

		close(r->win_fd);
		r->win_fd = -1;
		return err;
	}
	p = mmap(NULL, AMPLINK_LPR_WINDOW_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, r->win_fd, 0);
	if (p == MAP_FAILED) {
		int err = -errno;

		close(r->win_fd);
		r->win_fd = -1;
		return err;
	}
	r->win = p;
	r->win_phys = AMPLINK_LPR_WINDOW_DA;
	metal_io_init(&r->win_io, r->win, &r->win_phys, AMPLINK_LPR_WINDOW_SIZE, (unsigned int)-1,
		      0, NULL);
	remoteproc_init_mem(&r->win_mem, "window", AMPLINK_LPR_WINDOW_DA, AMPLINK_LPR_WINDOW_DA,
			    AMPLINK_LPR_WINDOW_SIZE, &r->win_io);
	remoteproc_add_mem(&r->rproc, &r->win_mem);
	r->any_next = AMPLINK_LPR_ANY_DA - AMPLINK_LPR_WINDOW_DA;
	return 0;
}

/* lpr_window_close() - unmap and close the window (the mem stays listed). */
void lpr_window_close(struct amplink_lpr *r)
{
	if (r->win)
		munmap(r->win, AMPLINK_LPR_WINDOW_SIZE);
	if (r->win_fd >= 0)
		close(r->win_fd);
	r->win = NULL;
	r->win_fd = -1;
}

/*
 * lpr_window_reset() - zero the window (drop its pages) and restart the
 * ADDR_ANY allocator; called at configuration, before each load.
 */
void lpr_window_reset(struct amplink_lpr *r)
{
	if (r->win_fd >= 0 &&
	    (ftruncate(r->win_fd, 0) < 0 || ftruncate(r->win_fd, AMPLINK_LPR_WINDOW_SIZE) < 0))
		metal_warn("lpr: %s: window reset failed", r->name);
	r->any_next = AMPLINK_LPR_ANY_DA - AMPLINK_LPR_WINDOW_DA;
}

/* lpr_segs_free() - forget and free every staged segment. */
void lpr_segs_free(struct amplink_lpr *r)
{
	unsigned int i;

	for (i = 0; i < r->nsegs; i++) {
		metal_list_del(&r->segs[i].mem.node);
		free(r->segs[i].buf);
		r->segs[i].buf = NULL;
	}
	r->nsegs = 0;
	r->seg_total = 0;
}

/* A block of the ADDR_ANY half of the window, page aligned. */
static void *lpr_alloc_any(struct amplink_lpr *r, metal_phys_addr_t *pa, metal_phys_addr_t *da,
			   size_t size, struct metal_io_region **io)
{
	size_t off = (r->any_next + 4095U) & ~(size_t)4095U;

	if (size == 0 || size > AMPLINK_LPR_WINDOW_SIZE || off > AMPLINK_LPR_WINDOW_SIZE - size) {
		metal_err("lpr: %s: no room for 0x%zx bytes in the window", r->name, size);
		return NULL;
	}
	r->any_next = off + size;
	*pa = *da = AMPLINK_LPR_WINDOW_DA + off;
	if (io)
		*io = &r->win_io;
	return r->win + off;
}

/* 1 when [a, a + size) meets the window. */
static int lpr_meets_window(metal_phys_addr_t a, size_t size)
{
	metal_phys_addr_t end = AMPLINK_LPR_WINDOW_DA + (metal_phys_addr_t)AMPLINK_LPR_WINDOW_SIZE;

	return a < end && a + size > AMPLINK_LPR_WINDOW_DA;
}

/* A staging buffer for a segment at device address @a. */
static void *lpr_alloc_seg(struct amplink_lpr *r, metal_phys_addr_t a, size_t size,
			   struct metal_io_region **io)
{
	struct lpr_seg *s;

	if (size == 0 || a + size < a || lpr_meets_window(a, size) || r->nsegs >= LPR_MAX_SEGS ||
	    size > LPR_SEG_TOTAL_MAX - r->seg_total) {
		metal_err("lpr: %s: segment da 0x%lx size 0x%zx cannot be placed", r->name,
			  (unsigned long)a, size);
		return NULL;
	}
	s = &r->segs[r->nsegs];
	s->buf = calloc(1, size);
	if (!s->buf)
		return NULL;
	s->size = size;
	s->phys = a;
	metal_io_init(&s->io, s->buf, &s->phys, size, (unsigned int)-1, 0, NULL);
	remoteproc_init_mem(&s->mem, "segment", a, a, size, &s->io);
	remoteproc_add_mem(&r->rproc, &s->mem);
	r->nsegs++;
	r->seg_total += size;
	if (io)
		*io = &s->io;
	return s->buf;
}

/*
 * lpr_mmap() - the remoteproc mmap op (called under the rproc lock for
 * addresses no known memory holds): ADDR_ANY gets window space, any other
 * address outside the window a staging buffer. Returns the va or NULL.
 */
void *lpr_mmap(struct remoteproc *rproc, metal_phys_addr_t *pa, metal_phys_addr_t *da, size_t size,
	       unsigned int attribute, struct metal_io_region **io)
{
	struct amplink_lpr *r = rproc->priv;
	metal_phys_addr_t a;
	void *va;

	(void)attribute;
	if (*pa == METAL_BAD_PHYS && *da == METAL_BAD_PHYS)
		return lpr_alloc_any(r, pa, da, size, io);
	a = *da != METAL_BAD_PHYS ? *da : *pa;
	va = lpr_alloc_seg(r, a, size, io);
	if (va)
		*pa = *da = a;
	return va;
}

/*
 * lpr_publish_table() - copy the parsed table into the window and fill the
 * header the remote reads. Returns 0 or -E2BIG.
 */
int lpr_publish_table(struct amplink_lpr *r)
{
	struct lpr_win_hdr hdr = {
		.magic = LPR_WIN_MAGIC,
		.version = 1,
		.size = AMPLINK_LPR_WINDOW_SIZE,
		.da = AMPLINK_LPR_WINDOW_DA,
		.rsc_off = LPR_TABLE_OFF,
	};

	if (!r->rproc.rsc_table || r->rproc.rsc_len > AMPLINK_LPR_TABLE_MAX)
		return -E2BIG;
	hdr.rsc_len = (uint32_t)r->rproc.rsc_len;
	memcpy(r->win + LPR_TABLE_OFF, r->rproc.rsc_table, r->rproc.rsc_len);
	memcpy(r->win, &hdr, sizeof(hdr));
	return 0;
}
