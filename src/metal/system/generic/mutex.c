/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bare-metal port of metal_mutex_t: an atomic word taken with an exchange;
 * a waiter spins with metal_cpu_yield (there is no scheduler to sleep in).
 */
#include <metal/atomic.h>
#include <metal/cpu.h>
#include <metal/mutex.h>

void metal_mutex_init(metal_mutex_t *mutex)
{
	atomic_init(&mutex->v, 0);
}

void metal_mutex_deinit(metal_mutex_t *mutex)
{
	(void)mutex;
}

int metal_mutex_try_acquire(metal_mutex_t *mutex)
{
	return atomic_exchange_explicit(&mutex->v, 1, memory_order_acquire) == 0;
}

void metal_mutex_acquire(metal_mutex_t *mutex)
{
	while (!metal_mutex_try_acquire(mutex)) {
		while (atomic_load_explicit(&mutex->v, memory_order_relaxed) != 0)
			metal_cpu_yield();
	}
}

void metal_mutex_release(metal_mutex_t *mutex)
{
	atomic_store_explicit(&mutex->v, 0, memory_order_release);
}

int metal_mutex_is_acquired(metal_mutex_t *mutex)
{
	return atomic_load_explicit(&mutex->v, memory_order_relaxed) != 0;
}
