/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Spinlocks on an atomic_flag: short critical sections between threads or
 * cores. Combine with metal_irq_save_disable when an interrupt handler also
 * takes the lock.
 */
#ifndef METAL_SPINLOCK_H
#define METAL_SPINLOCK_H

#include <metal/atomic.h>
#include <metal/cpu.h>

#ifdef __cplusplus
extern "C" {
#endif

struct metal_spinlock {
	atomic_flag v;
};

#define METAL_SPINLOCK_INIT                                                                        \
	{                                                                                          \
		ATOMIC_FLAG_INIT                                                                   \
	}

/* metal_spinlock_init - make slock an unlocked spinlock. */
static inline void metal_spinlock_init(struct metal_spinlock *slock)
{
	atomic_flag_clear(&slock->v);
}

/* metal_spinlock_acquire - take slock, spinning until free. Any context. */
static inline void metal_spinlock_acquire(struct metal_spinlock *slock)
{
	while (atomic_flag_test_and_set_explicit(&slock->v, memory_order_acquire))
		metal_cpu_yield();
}

/* metal_spinlock_release - release slock, which the caller holds. */
static inline void metal_spinlock_release(struct metal_spinlock *slock)
{
	atomic_flag_clear_explicit(&slock->v, memory_order_release);
}

#ifdef __cplusplus
}
#endif

#endif /* METAL_SPINLOCK_H */
