/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Condition variables used with a metal_mutex_t. Waiters must re-check their
 * predicate: spurious wake-ups are allowed. On bare metal a waiter sleeps
 * through the port's wait hook (WFI by default) and a signal may come from an
 * interrupt handler.
 */
#ifndef METAL_CONDITION_H
#define METAL_CONDITION_H

#include <metal/mutex.h>

#if defined(AMPLINK_SYSTEM_LINUX)
#include <metal/system/linux/condition.h>
#else
#include <metal/system/generic/condition.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* metal_condition_init - make cv a condition with no waiter. */
void metal_condition_init(struct metal_condition *cv);

/*
 * metal_condition_wait - release m (held by the caller), wait for a signal,
 * re-acquire m. Thread context. Returns 0 or a negative errno.
 */
int metal_condition_wait(struct metal_condition *cv, metal_mutex_t *m);

/* metal_condition_signal - wake at least one waiter. Returns 0 or -errno. */
int metal_condition_signal(struct metal_condition *cv);

/* metal_condition_broadcast - wake every waiter. Returns 0 or -errno. */
int metal_condition_broadcast(struct metal_condition *cv);

/*
 * amplink_condition_timedwait - as metal_condition_wait, giving up after
 * timeout_us microseconds. Returns 0 when signalled (spurious wake-ups
 * allowed), -ETIMEDOUT when the time ran out, or a negative errno.
 */
int amplink_condition_timedwait(struct metal_condition *cv, metal_mutex_t *m,
				unsigned int timeout_us);

#ifdef __cplusplus
}
#endif

#endif /* METAL_CONDITION_H */
