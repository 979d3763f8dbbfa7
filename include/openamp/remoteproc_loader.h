/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The remoteproc image-loader interface: how remoteproc_load reads a firmware
 * image (struct image_store_ops, supplied by the application) and how it
 * drives a format-specific loader (struct loader_ops, e.g. elf_ops), plus the
 * RPROC_LOADER_* load-state values both sides exchange.
 */
#ifndef OPENAMP_REMOTEPROC_LOADER_H
#define OPENAMP_REMOTEPROC_LOADER_H

#include <stddef.h>
#include <metal/io.h>
#include <metal/sys.h>
#include <openamp/remoteproc.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Loader state: the upper bits are common, the low 16 bits loader-private. */
#define RPROC_LOADER_MASK	    0x00FF0000L
#define RPROC_LOADER_PRIVATE_MASK   0x0000FFFFL
#define RPROC_LOADER_RESERVED_MASK  0x0F000000L
#define RPROC_LOADER_NOT_READY	    0x0L
#define RPROC_LOADER_READY_TO_LOAD  0x10000L
#define RPROC_LOADER_POST_DATA_LOAD 0x20000L
#define RPROC_LOADER_LOAD_COMPLETE  0x40000L

/* Address value meaning "no target address: hand the bytes back to me". */
#define RPROC_LOAD_ANYADDR ((metal_phys_addr_t)-1)

/* image_store_ops.features bit: the store can read at any offset. */
#define SUPPORT_SEEK 1UL

/*
 * Access to a firmware image, supplied by the application.
 * open:  opens @path, points *img_data at the first bytes; returns the
 *        image length or a negative error.
 * load:  pa == METAL_BAD_PHYS: points *data at @size bytes from @offset;
 *        otherwise copies them into @io at physical address @pa. Returns
 *        the number of bytes handled or a negative error.
 * close: releases the store.
 */
struct image_store_ops {
	int (*open)(void *store, const char *path, const void **img_data);
	void (*close)(void *store);
	int (*load)(void *store, size_t offset, size_t size, const void **data,
		    metal_phys_addr_t pa, struct metal_io_region *io, char is_blocking);
	unsigned int features;
};

/* A firmware-format loader (elf_ops is the one amplink provides). */
struct loader_ops {
	int (*load_header)(const void *img_data, size_t offset, size_t len, void **img_info,
			   int last_state, size_t *noffset, size_t *nlen);
	int (*load_data)(struct remoteproc *rproc, const void *img_data, size_t offset, size_t len,
			 void **img_info, int last_load_state, metal_phys_addr_t *da,
			 size_t *noffset, size_t *nlen, unsigned char *padding, size_t *nmemsize);
	int (*locate_rsc_table)(void *img_info, metal_phys_addr_t *da, size_t *offset,
				size_t *size);
	void (*release)(void *img_info);
	metal_phys_addr_t (*get_entry)(void *img_info);
	int (*get_load_state)(void *img_info);
};

#ifdef __cplusplus
}
#endif

#endif /* OPENAMP_REMOTEPROC_LOADER_H */
