/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bare-metal port of metal conditions: a signal bumps a sequence number; a
 * waiter sleeps in amplink_wait_for_event with interrupts masked until the
 * number changes, so a signal from an interrupt handler (the usual case in a
 * single-threaded firmware) is never lost between the check and the sleep.
 * Timed waits spin on metal_get_timestamp instead, since nothing promises an
 * interrupt will end a sleep before the deadline.
 */
#include <metal/condition.h>
#include <metal/cpu.h>
#include <metal/errno.h>
#include <metal/irq.h>
#include <metal/time.h>

void metal_condition_init(struct metal_condition *cv)
{
	atomic_init(&cv->seq, 0);
}

int metal_condition_wait(struct metal_condition *cv, metal_mutex_t *m)
{
	unsigned int seq = atomic_load(&cv->seq);
	unsigned int flags;

	metal_mutex_release(m);
	for (;;) {
		int signalled;

		flags = metal_irq_save_disable();
		signalled = atomic_load(&cv->seq) != seq;
		if (!signalled)
			amplink_wait_for_event();
		metal_irq_restore_enable(flags);
		if (signalled)
			break;
	}
	metal_mutex_acquire(m);
	return 0;
}

int amplink_condition_timedwait(struct metal_condition *cv, metal_mutex_t *m,
				unsigned int timeout_us)
{
	unsigned int seq = atomic_load(&cv->seq);
	unsigned long long start = metal_get_timestamp();
	unsigned long long limit = (unsigned long long)timeout_us * 1000ULL;
	int ret = 0;

	metal_mutex_release(m);
	while (atomic_load(&cv->seq) == seq) {
		if (metal_get_timestamp() - start >= limit) {
			ret = -ETIMEDOUT;
			break;
		}
		metal_cpu_yield();
	}
	metal_mutex_acquire(m);
	return ret;
}

int metal_condition_signal(struct metal_condition *cv)
{
	atomic_fetch_add(&cv->seq, 1U);
	return 0;
}

int metal_condition_broadcast(struct metal_condition *cv)
{
	atomic_fetch_add(&cv->seq, 1U);
	return 0;
}
