/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Memory allocation: malloc/free on Linux. On bare metal with
 * AMPLINK_CFG_STATIC_ALLOC (the default) allocation always fails and no
 * malloc is referenced; without it, malloc/free of the C library are used.
 */
#ifndef METAL_ALLOC_H
#define METAL_ALLOC_H

#ifdef __cplusplus
extern "C" {
#endif

/*
 * metal_allocate_memory - allocate size bytes. Thread context. Returns the
 * memory or NULL (always NULL in a static-allocation build).
 */
void *metal_allocate_memory(unsigned int size);

/* metal_free_memory - free what metal_allocate_memory returned (NULL is ok). */
void metal_free_memory(void *ptr);

#ifdef __cplusplus
}
#endif

#endif /* METAL_ALLOC_H */
