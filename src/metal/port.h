/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The hooks every port (src/metal/system/<os>/) supplies to the
 * OS-independent part of the metal layer, besides the public metal_sys_*,
 * mutex, condition, irq, sleep, time, alloc and cache functions. Private to
 * src/metal.
 */
#ifndef AMPLINK_METAL_PORT_H
#define AMPLINK_METAL_PORT_H

#include <stdarg.h>
#include <stddef.h>
#include <metal/io.h>

/* Longest log line the emit path formats (bytes, including the NUL). */
#ifndef AMPLINK_LOG_LINE_MAX
#define AMPLINK_LOG_LINE_MAX 128
#endif

/*
 * amplink_log_vformat - format fmt/ap into buf (at most size bytes, always
 * NUL-terminated when size > 0; longer output is cut). Any context. Returns
 * the length written, without the NUL.
 */
int amplink_log_vformat(char *buf, size_t size, const char *fmt, va_list ap);

/*
 * amplink_shmem_sys_open - open shared memory that no registered region
 * provides (Linux: a POSIX shm object). Returns 0 and *io, or a negative
 * errno (-ENOENT on ports without such memory).
 */
int amplink_shmem_sys_open(const char *name, size_t size, struct metal_io_region **io);

#endif /* AMPLINK_METAL_PORT_H */
