/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sleeping for a number of microseconds (nanosleep on Linux; a busy wait on
 * metal_get_timestamp on bare metal, weak so a board can use a timer).
 */
#ifndef METAL_SLEEP_H
#define METAL_SLEEP_H

#ifdef __cplusplus
extern "C" {
#endif

/*
 * metal_sleep_usec - sleep at least usec microseconds. Thread context.
 * Returns 0 or a negative errno.
 */
int metal_sleep_usec(unsigned int usec);

#ifdef __cplusplus
}
#endif

#endif /* METAL_SLEEP_H */
