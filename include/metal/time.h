/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Timestamps. The unit is nanoseconds on every port: Linux reads
 * CLOCK_MONOTONIC; the bare-metal default (weak) is a software clock that
 * advances 1000 ns per call, so timeouts still expire on a board without a
 * timer; a board overrides metal_get_timestamp with its own clock in ns.
 */
#ifndef METAL_TIME_H
#define METAL_TIME_H

#ifdef __cplusplus
extern "C" {
#endif

/* metal_get_timestamp - Returns a monotonic time in nanoseconds. Any context. */
unsigned long long metal_get_timestamp(void);

#ifdef __cplusplus
}
#endif

#endif /* METAL_TIME_H */
