/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private state of the Linux-process remoteproc backend: the remote object
 * (struct remoteproc, shared window, staged segments, link, child), the
 * window header both sides read, the trace ring layout, and the functions
 * the backend's files share.
 */
#ifndef LP_RPROC_PRIVATE_H
#define LP_RPROC_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include <amplink/linux_rproc.h>
#include <metal/io.h>

#define LPR_MAX_SEGS	  16
#define LPR_NAME_MAX	  64
#define LPR_PATH_MAX	  4096
#define LPR_TABLE_OFF	  0x100U
#define LPR_WIN_MAGIC	  0x50524c41U /* "ALRP" */
#define LPR_TRACE_MAGIC	  0x43525441U /* "ATRC" */
#define LPR_SEG_TOTAL_MAX (256U << 20)

/* Start of the window: where the remote finds its table copy. */
struct lpr_win_hdr {
	uint32_t magic;
	uint32_t version;
	uint32_t size;	  /* window bytes */
	uint32_t da;	  /* device address of byte 0 */
	uint32_t rsc_off; /* table copy offset in the window */
	uint32_t rsc_len; /* its length */
};

/* Start of a trace buffer; the text ring follows. */
struct lpr_trace_hdr {
	uint32_t magic;
	uint32_t head; /* bytes ever written (wraps at 2^32) */
};

/* One staged ELF segment (host memory, not shared). */
struct lpr_seg {
	struct remoteproc_mem mem;
	struct metal_io_region io;
	metal_phys_addr_t phys;
	void *buf;
	size_t size;
};

/* The image store: the whole file read into memory at open. */
struct lpr_store {
	unsigned char *data;
	size_t len;
	struct amplink_lpr *owner;
};

struct amplink_lpr {
	struct remoteproc rproc;
	struct amplink_lpr_config cfg;
	char name[LPR_NAME_MAX];
	char fw[LPR_PATH_MAX];
	/* shared window */
	int win_fd;
	unsigned char *win;
	metal_phys_addr_t win_phys;
	struct metal_io_region win_io;
	struct remoteproc_mem win_mem;
	size_t any_next; /* next free offset for ADDR_ANY requests */
	/* staged segments */
	struct lpr_seg segs[LPR_MAX_SEGS];
	unsigned int nsegs;
	size_t seg_total;
	struct lpr_store store;
	/* link and process */
	struct amplink_lp *lp;
	pid_t pid;
	bool attached;
	bool stopping;
	unsigned int restarts;
	unsigned int vring_num;
	struct amplink_lpr_exit exit;
};

extern const struct remoteproc_ops lpr_ops;
extern const struct image_store_ops lpr_store_ops;

/* lp_rproc_mem.c */
int lpr_window_open(struct amplink_lpr *r);
void lpr_window_close(struct amplink_lpr *r);
void lpr_window_reset(struct amplink_lpr *r);
void lpr_segs_free(struct amplink_lpr *r);
void *lpr_mmap(struct remoteproc *rproc, metal_phys_addr_t *pa, metal_phys_addr_t *da, size_t size,
	       unsigned int attribute, struct metal_io_region **io);
int lpr_publish_table(struct amplink_lpr *r);

/* lp_rproc_trace.c */
int lpr_find_trace(const void *table, size_t len, uint32_t *da, uint32_t *tlen);
int lpr_find_rpmsg_vdev(const void *table, size_t len, unsigned int *vring_num);
long lpr_trace_copy(const void *ring, size_t ring_len, char *buf, size_t len);
void lpr_trace_append(void *ring, size_t ring_len, const char *s, size_t n);
const void *lpr_window_table(const unsigned char *win, size_t size, size_t *len);
int lpr_window_trace(unsigned char *win, size_t size, void **ring, size_t *len);

/* lp_rproc_proc.c */
int lpr_link_create(struct amplink_lpr *r, uint32_t vring_num);
int lpr_proc_start(struct amplink_lpr *r);
int lpr_proc_stop(struct amplink_lpr *r);
void lpr_link_down(struct amplink_lpr *r);
void lpr_note_exit(struct amplink_lpr *r, int status);

#endif /* LP_RPROC_PRIVATE_H */
