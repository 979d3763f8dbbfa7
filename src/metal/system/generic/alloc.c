/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bare-metal port of memory allocation. With AMPLINK_CFG_STATIC_ALLOC (the
 * bare-metal default) nothing is allocated and malloc is never referenced;
 * otherwise the C library's malloc/free are used.
 */
#include <stddef.h>
#include <amplink/config.h>
#include <metal/alloc.h>

#if !AMPLINK_CFG_STATIC_ALLOC
void *malloc(size_t size);
void free(void *ptr);
#endif

void *metal_allocate_memory(unsigned int size)
{
#if AMPLINK_CFG_STATIC_ALLOC
	(void)size;
	return NULL;
#else
	return malloc(size);
#endif
}

void metal_free_memory(void *ptr)
{
#if AMPLINK_CFG_STATIC_ALLOC
	(void)ptr;
#else
	free(ptr);
#endif
}
