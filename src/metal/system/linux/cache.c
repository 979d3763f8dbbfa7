/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Linux port of cache maintenance: user-space memory shared between
 * processes is coherent, so both operations do nothing.
 */
#include <metal/cache.h>

void metal_cache_flush(void *addr, unsigned int len)
{
	(void)addr;
	(void)len;
}

void metal_cache_invalidate(void *addr, unsigned int len)
{
	(void)addr;
	(void)len;
}
