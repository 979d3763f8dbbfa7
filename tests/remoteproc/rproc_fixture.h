/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test fixture for the remoteproc core: a fake platform (remoteproc_ops that
 * count their calls and can be told to fail), a target RAM whose device
 * addresses differ from its physical ones, a pool the mmap op allocates from
 * (carveouts and vrings at "any" address), an in-memory image store, and a
 * log handler that counts error lines.
 */
#ifndef AMPLINK_TESTS_RPROC_FIXTURE_H
#define AMPLINK_TESTS_RPROC_FIXTURE_H

#include <stddef.h>
#include <stdint.h>
#include <metal/io.h>
#include <openamp/remoteproc.h>
#include <openamp/remoteproc_loader.h>

#define FX_RAM_DA    0x00100000UL /* the remote sees its RAM here */
#define FX_RAM_PA    0x20000000UL /* the host's physical address of it */
#define FX_RAM_SIZE  0x10000
#define FX_POOL_PA   0x30000000UL /* allocations of the mmap op (da == pa) */
#define FX_POOL_SIZE 0x10000
#define FX_FILL	     0xA5

struct fx_platform {
	unsigned char ram[FX_RAM_SIZE];
	metal_phys_addr_t ram_pa;
	struct metal_io_region ram_io;
	struct remoteproc_mem ram_mem;
	unsigned char pool[FX_POOL_SIZE];
	metal_phys_addr_t pool_pa;
	struct metal_io_region pool_io;
	size_t pool_used;
	struct remoteproc_mem pool_mems[8];
	int npool;
	/* call counters */
	int n_init, n_remove, n_config, n_start, n_stop, n_shutdown, n_mmap, n_notify;
	int n_handle_rsc;
	uint32_t last_notify, last_rsc_type;
	size_t last_rsc_len;
	/* failure injection: the op returns this when non-zero */
	int fail_config, fail_start, fail_stop, fail_handle_rsc;
	struct remoteproc rproc;
};

struct fx_store {
	const unsigned char *img;
	size_t len;
	int n_open, n_close, n_seg_writes;
	size_t max_chunk; /* non-zero: no load returns more bytes than this */
	char path[64];
};

extern const struct remoteproc_ops fx_ops;
extern const struct image_store_ops fx_store_ops;
extern int fx_log_errors;

/* fx_metal_init - metal_init with the counting log handler. */
void fx_metal_init(void);

/* fx_setup - reset @fx, fill RAM with FX_FILL, remoteproc_init. Returns &fx->rproc or NULL. */
struct remoteproc *fx_setup(struct fx_platform *fx);

/* fx_ram_untouched - 1 when every RAM byte still holds FX_FILL. */
int fx_ram_untouched(const struct fx_platform *fx);

/* fx_ram - host pointer to device address @da in the RAM. */
unsigned char *fx_ram(struct fx_platform *fx, unsigned long da);

/* fx_store_init - an image store over @len bytes at @img. */
void fx_store_init(struct fx_store *st, const void *img, size_t len);

#endif
