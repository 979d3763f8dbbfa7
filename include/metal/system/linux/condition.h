/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Linux port: struct metal_condition is a pthread condition variable on
 * CLOCK_MONOTONIC.
 */
#ifndef METAL_SYSTEM_LINUX_CONDITION_H
#define METAL_SYSTEM_LINUX_CONDITION_H

#include <pthread.h>

struct metal_condition {
	pthread_cond_t cond;
};

#endif /* METAL_SYSTEM_LINUX_CONDITION_H */
