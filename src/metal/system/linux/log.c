/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Linux port of logging: the default handler writes one line to stderr with
 * a level prefix; formatting uses vsnprintf.
 */
#include <stdarg.h>
#include <stdio.h>
#include <metal/log.h>
#include "metal/port.h"

static const char *const metal_log_prefix[] = {
	"emergency", "alert", "critical", "error", "warning", "notice", "info", "debug",
};

void metal_default_log_handler(enum metal_log_level level, const char *format, ...)
{
	char buf[512];
	const char *prefix = "log";
	va_list ap;
	int n;

	if ((unsigned int)level < sizeof(metal_log_prefix) / sizeof(metal_log_prefix[0]))
		prefix = metal_log_prefix[level];
	va_start(ap, format);
	n = vsnprintf(buf, sizeof(buf), format, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = (int)sizeof(buf) - 1;
	/* Messages usually end with a newline; add one when they do not. */
	fprintf(stderr, "metal: %s: %s%s", prefix, buf, n > 0 && buf[n - 1] == '\n' ? "" : "\n");
}

int amplink_log_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
	int n = vsnprintf(buf, size, fmt, ap);

	if (n < 0) {
		if (size > 0)
			buf[0] = '\0';
		return 0;
	}
	if (size == 0)
		return 0;
	return (size_t)n >= size ? (int)size - 1 : n;
}
