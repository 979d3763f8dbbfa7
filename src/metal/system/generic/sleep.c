/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bare-metal port of metal_sleep_usec: a busy wait on metal_get_timestamp
 * (weak: a board may sleep on a timer instead).
 */
#include <metal/compiler.h>
#include <metal/cpu.h>
#include <metal/sleep.h>
#include <metal/time.h>

metal_weak int metal_sleep_usec(unsigned int usec)
{
	unsigned long long start = metal_get_timestamp();
	unsigned long long limit = (unsigned long long)usec * 1000ULL;

	while (metal_get_timestamp() - start < limit)
		metal_cpu_yield();
	return 0;
}
