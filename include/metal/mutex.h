/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sleeping locks for thread context: metal_mutex_t and its operations. The
 * type comes from the port (pthread on Linux, an atomic word on bare metal).
 * Not recursive. Never take one in interrupt context.
 */
#ifndef METAL_MUTEX_H
#define METAL_MUTEX_H

#include <amplink/config.h>

#if defined(AMPLINK_SYSTEM_LINUX)
#include <metal/system/linux/mutex.h>
#else
#include <metal/system/generic/mutex.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* metal_mutex_init - make mutex an unlocked mutex. */
void metal_mutex_init(metal_mutex_t *mutex);
/* metal_mutex_deinit - release what init took; mutex must be unlocked. */
void metal_mutex_deinit(metal_mutex_t *mutex);
/* metal_mutex_acquire - lock, waiting as long as needed. Thread context. */
void metal_mutex_acquire(metal_mutex_t *mutex);
/* metal_mutex_release - unlock a mutex the caller holds. */
void metal_mutex_release(metal_mutex_t *mutex);
/* metal_mutex_try_acquire - lock if free. Returns 1 when locked, 0 if busy. */
int metal_mutex_try_acquire(metal_mutex_t *mutex);
/* metal_mutex_is_acquired - Returns non-zero when someone holds mutex. */
int metal_mutex_is_acquired(metal_mutex_t *mutex);

#ifdef __cplusplus
}
#endif

#endif /* METAL_MUTEX_H */
