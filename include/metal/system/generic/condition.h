/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bare-metal port: struct metal_condition is a sequence number that every
 * signal increments; a waiter sleeps until it changes.
 */
#ifndef METAL_SYSTEM_GENERIC_CONDITION_H
#define METAL_SYSTEM_GENERIC_CONDITION_H

#include <metal/atomic.h>

struct metal_condition {
	atomic_uint seq;
};

#define METAL_CONDITION_INIT                                                                       \
	{                                                                                          \
		0                                                                                  \
	}

/*
 * amplink_wait_for_event - the port's wait hook: called by a waiting
 * metal_condition_wait with interrupts disabled (metal_irq_save_disable),
 * after it saw no signal; returns when an interrupt may have signalled. The
 * default (weak) is WFI, which wakes on a pending interrupt even while
 * interrupts are masked, so a signal from a handler is never missed. A
 * multi-core board overrides it (e.g. WFE, with SEV in its signalling path).
 */
void amplink_wait_for_event(void);

#endif /* METAL_SYSTEM_GENERIC_CONDITION_H */
