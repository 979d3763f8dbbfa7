/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The resource-table parser: validation of a whole ".resource_table" (header,
 * offsets, every entry's full length and fields) before anything is written,
 * then one handler per entry type (carveout, devmem, trace, vdev, vendor)
 * that maps memory and fills in what the host allocates.
 */
#ifndef OPENAMP_RSC_TABLE_PARSER_H
#define OPENAMP_RSC_TABLE_PARSER_H

#include <stddef.h>
#include <metal/io.h>
#include <openamp/remoteproc.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Most vrings one vdev entry may declare. */
#define AMPLINK_RSC_MAX_VRINGS 16

/* Largest vring (descriptors) an entry may ask for. */
#define AMPLINK_RSC_MAX_VRING_NUM 32768

/* A handler for one entry; @rsc points at the entry's type word. */
typedef int (*rsc_handler)(struct remoteproc *rproc, void *rsc);

/**
 * handle_rsc_table - validate a resource table, then handle every entry
 * @rproc: the remote processor (its ops map memory, handle vendor entries)
 * @rsc_table: the table (writable: host-allocated addresses and notify ids
 *             are written into it)
 * @len: the table's size in bytes
 * @io: the region that holds the table (may be NULL)
 *
 * Nothing is mapped or written unless the whole table is valid. Caller holds
 * whatever serializes lifecycle calls on @rproc (remoteproc_load does).
 * Returns 0 or a negative error: -RPROC_ERR_RSC_TAB_TRUNC, _VER, _RSVD,
 * _VDEV_NRINGS, _NS, -AMPLINK_RPROC_ERR_RSC_* or a handler's error.
 */
int handle_rsc_table(struct remoteproc *rproc, struct resource_table *rsc_table, size_t len,
		     struct metal_io_region *io);

/**
 * amplink_rsc_table_check - validate a resource table without changing anything
 * @rsc_table: the table; @len: its size in bytes
 *
 * Pure function, any context. Logs one line naming the bad entry and why.
 * Returns 0 or the negative error handle_rsc_table would return.
 */
int amplink_rsc_table_check(const void *rsc_table, size_t len);

/**
 * amplink_rsc_find - offset of the @index-th entry of type @rsc_type
 * @rsc_table: a table validated with amplink_rsc_table_check; @len: its size
 *
 * Returns the entry's offset from the table start, or 0 when there is none.
 */
size_t amplink_rsc_find(const void *rsc_table, size_t len, unsigned int rsc_type,
			unsigned int index);

/**
 * find_rsc - offset of the @index-th entry of type @rsc_type
 * @rsc_table: a table ALREADY VALIDATED (by handle_rsc_table): the function
 *             has no length to check the offsets against
 *
 * Returns the entry's offset from the table start, or 0 when there is none.
 */
size_t find_rsc(void *rsc_table, unsigned int rsc_type, unsigned int index);

/*
 * Per-type handlers, called by handle_rsc_table on a validated entry.
 * Each returns 0 or a negative error.
 * handle_carve_out_rsc / handle_devmem_rsc: map the range through
 *   remoteproc_mmap, writing back an allocated pa/da given as ANY.
 * handle_trace_rsc: map the trace buffer (a buffer that cannot be mapped
 *   is only warned about: tracing is diagnostic).
 * handle_vdev_rsc: reserve (or allocate, for RSC_NOTIFY_ID_ANY) the notify
 *   ids of the device and of its vrings.
 * handle_vendor_rsc: pass the entry to ops->handle_rsc (skipped when absent).
 */
int handle_carve_out_rsc(struct remoteproc *rproc, void *rsc);
int handle_devmem_rsc(struct remoteproc *rproc, void *rsc);
int handle_trace_rsc(struct remoteproc *rproc, void *rsc);
int handle_vdev_rsc(struct remoteproc *rproc, void *rsc);
int handle_vendor_rsc(struct remoteproc *rproc, void *rsc);

#ifdef __cplusplus
}
#endif

#endif /* OPENAMP_RSC_TABLE_PARSER_H */
