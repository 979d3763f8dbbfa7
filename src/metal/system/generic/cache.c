/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bare-metal port of cache maintenance: weak no-ops (right for cores without
 * a data cache, e.g. Cortex-M4). A board with a data cache defines both.
 */
#include <metal/cache.h>
#include <metal/compiler.h>

metal_weak void metal_cache_flush(void *addr, unsigned int len)
{
	(void)addr;
	(void)len;
}

metal_weak void metal_cache_invalidate(void *addr, unsigned int len)
{
	(void)addr;
	(void)len;
}
