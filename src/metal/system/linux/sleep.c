/* SPDX-License-Identifier: BSD-3-Clause */
/* Linux port of metal_sleep_usec: nanosleep, resumed after signals. */
#define _GNU_SOURCE
#include <errno.h>
#include <time.h>
#include <metal/sleep.h>

int metal_sleep_usec(unsigned int usec)
{
	struct timespec req = {
		.tv_sec = (time_t)(usec / 1000000U),
		.tv_nsec = (long)(usec % 1000000U) * 1000L,
	};
	struct timespec rem;

	while (nanosleep(&req, &rem) != 0) {
		if (errno != EINTR)
			return -errno;
		req = rem;
	}
	return 0;
}
