/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bare-metal port of timestamps, in nanoseconds. The default (weak) is a
 * software clock that advances 1000 ns on every call: it keeps timeouts and
 * sleeps finite on a board without a timer, but it is not real time. A board
 * with a timer defines metal_get_timestamp returning nanoseconds.
 */
#include <metal/compiler.h>
#include <metal/time.h>

metal_weak unsigned long long metal_get_timestamp(void)
{
	/* Not atomic (64-bit atomics need a library on 32-bit cores): a lost
	 * increment between an interrupt and thread context only slows it. */
	static volatile unsigned long long amplink_soft_clock;

	amplink_soft_clock = amplink_soft_clock + 1000ULL;
	return amplink_soft_clock;
}
