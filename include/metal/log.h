/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Logging: a run-time level and handler (metal_set_log_level/handler) plus a
 * compile-time ceiling AMPLINK_CFG_LOG_LEVEL: metal_log calls above it are
 * compiled to nothing but argument evaluation, and -1 removes every logging
 * call (no format strings in the image). metal_err/warn/info/dbg are the
 * short forms.
 */
#ifndef METAL_LOG_H
#define METAL_LOG_H

#include <amplink/config.h>
#include <metal/compiler.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Log levels, most severe first (syslog's numbering). */
enum metal_log_level {
	METAL_LOG_EMERGENCY,
	METAL_LOG_ALERT,
	METAL_LOG_CRITICAL,
	METAL_LOG_ERROR,
	METAL_LOG_WARNING,
	METAL_LOG_NOTICE,
	METAL_LOG_INFO,
	METAL_LOG_DEBUG,
};

/* A log sink: printf-style format and arguments. */
typedef void (*metal_log_handler)(enum metal_log_level level, const char *format, ...);

/* metal_set_log_handler - install handler (NULL silences logging). Any context. */
void metal_set_log_handler(metal_log_handler handler);
/* metal_get_log_handler - Returns the current handler (may be NULL). */
metal_log_handler metal_get_log_handler(void);
/* metal_set_log_level - drop messages less severe than level from now on. */
void metal_set_log_level(enum metal_log_level level);
/* metal_get_log_level - Returns the current run-time level. */
enum metal_log_level metal_get_log_level(void);

/*
 * metal_default_log_handler - the port's sink: stderr with a level prefix on
 * Linux; on bare metal the message is formatted into a small buffer and given
 * to the weak hook amplink_log_write(), which does nothing unless the board
 * supplies it.
 */
void metal_default_log_handler(enum metal_log_level level, const char *format, ...)
	metal_printf_like(2, 3);

/*
 * amplink_log_emit - pass a message to the handler when level is within the
 * run-time level. Any context the handler tolerates; no locking.
 */
void amplink_log_emit(enum metal_log_level level, const char *format, ...) metal_printf_like(2, 3);

/* Swallows a compiled-out message but still "uses" its arguments. */
static inline metal_printf_like(2, 3) void amplink_log_discard(int level, const char *format, ...)
{
	(void)level;
	(void)format;
}

#define metal_fmt(fmt) fmt

#if AMPLINK_CFG_LOG_LEVEL < 0
#define metal_log(level, ...) amplink_log_discard((int)(level), __VA_ARGS__)
#else
#define metal_log(level, ...)                                                                      \
	(((int)(level) <= AMPLINK_CFG_LOG_LEVEL) ? amplink_log_emit((level), __VA_ARGS__)          \
						 : amplink_log_discard((int)(level), __VA_ARGS__))
#endif

#if AMPLINK_CFG_LOG_LEVEL >= 3
#define metal_err(...) metal_log(METAL_LOG_ERROR, __VA_ARGS__)
#else
#define metal_err(...) amplink_log_discard(METAL_LOG_ERROR, __VA_ARGS__)
#endif
#if AMPLINK_CFG_LOG_LEVEL >= 4
#define metal_warn(...) metal_log(METAL_LOG_WARNING, __VA_ARGS__)
#else
#define metal_warn(...) amplink_log_discard(METAL_LOG_WARNING, __VA_ARGS__)
#endif
#if AMPLINK_CFG_LOG_LEVEL >= 6
#define metal_info(...) metal_log(METAL_LOG_INFO, __VA_ARGS__)
#else
#define metal_info(...) amplink_log_discard(METAL_LOG_INFO, __VA_ARGS__)
#endif
#if AMPLINK_CFG_LOG_LEVEL >= 7
#define metal_dbg(...) metal_log(METAL_LOG_DEBUG, __VA_ARGS__)
#else
#define metal_dbg(...) amplink_log_discard(METAL_LOG_DEBUG, __VA_ARGS__)
#endif

#ifdef __cplusplus
}
#endif

#endif /* METAL_LOG_H */
