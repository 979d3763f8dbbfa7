/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Data-cache maintenance for memory shared with another core or a device:
 * flush (write back) before the peer reads, invalidate before we read what
 * the peer wrote. No-ops on Linux (coherent); weak hooks on bare metal that
 * do nothing unless the board supplies them.
 */
#ifndef METAL_CACHE_H
#define METAL_CACHE_H

#ifdef __cplusplus
extern "C" {
#endif

/* metal_cache_flush - write back len bytes at addr (NULL addr: everything). */
void metal_cache_flush(void *addr, unsigned int len);

/* metal_cache_invalidate - drop cached copies of len bytes at addr. */
void metal_cache_invalidate(void *addr, unsigned int len);

#ifdef __cplusplus
}
#endif

#endif /* METAL_CACHE_H */
