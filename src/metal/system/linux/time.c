/* SPDX-License-Identifier: BSD-3-Clause */
/* Linux port of timestamps: CLOCK_MONOTONIC in nanoseconds. */
#define _GNU_SOURCE
#include <time.h>
#include <metal/time.h>

unsigned long long metal_get_timestamp(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}
