/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * metal_assert(cond): checks a programming invariant (never peer input). A
 * failure logs the condition and location and stops: abort() on Linux, a weak
 * hook on bare metal. With NDEBUG the condition is not evaluated.
 */
#ifndef METAL_ASSERT_H
#define METAL_ASSERT_H

#ifdef __cplusplus
extern "C" {
#endif

/*
 * amplink_assert_failed - report a failed metal_assert and stop. Does not
 * return on Linux (abort); the bare-metal default spins forever (weak: a
 * board may reset instead).
 */
void amplink_assert_failed(const char *cond, const char *file, int line);

#if defined(NDEBUG)
#define metal_assert(cond) ((void)sizeof(cond))
#else
#define metal_assert(cond) ((cond) ? (void)0 : amplink_assert_failed(#cond, __FILE__, __LINE__))
#endif

#ifdef __cplusplus
}
#endif

#endif /* METAL_ASSERT_H */
