/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bare-metal port: metal_mutex_t is an atomic word (0 free, 1 held); a
 * waiter spins with metal_cpu_yield.
 */
#ifndef METAL_SYSTEM_GENERIC_MUTEX_H
#define METAL_SYSTEM_GENERIC_MUTEX_H

#include <metal/atomic.h>

typedef struct {
	atomic_int v;
} metal_mutex_t;

/* Static initializer of an unlocked mutex. */
#define METAL_MUTEX_INIT(m)                                                                        \
	{                                                                                          \
		0                                                                                  \
	}
#define METAL_MUTEX_DEFINE(m) metal_mutex_t m = METAL_MUTEX_INIT(m)

#endif /* METAL_SYSTEM_GENERIC_MUTEX_H */
