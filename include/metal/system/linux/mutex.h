/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Linux port: metal_mutex_t is a pthread mutex, so metal conditions
 * (pthread condition variables) can wait on it.
 */
#ifndef METAL_SYSTEM_LINUX_MUTEX_H
#define METAL_SYSTEM_LINUX_MUTEX_H

#include <pthread.h>

typedef struct {
	pthread_mutex_t m;
} metal_mutex_t;

/* Static initializer of an unlocked mutex. */
#define METAL_MUTEX_INIT(m)                                                                        \
	{                                                                                          \
		PTHREAD_MUTEX_INITIALIZER                                                          \
	}
#define METAL_MUTEX_DEFINE(m) metal_mutex_t m = METAL_MUTEX_INIT(m)

#endif /* METAL_SYSTEM_LINUX_MUTEX_H */
