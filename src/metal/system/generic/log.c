/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bare-metal port of logging: the default handler formats the message with
 * amplink_log_vformat and passes one line to amplink_log_write, a weak sink
 * that does nothing unless the board supplies it (a UART, semihosting, a
 * trace buffer).
 */
#include <stdarg.h>
#include <metal/compiler.h>
#include <metal/log.h>
#include "metal/port.h"

/*
 * amplink_log_write - the board's log sink: write one NUL-terminated line.
 * Called from whatever context logged. The default drops it.
 */
void amplink_log_write(const char *line);

metal_weak void amplink_log_write(const char *line)
{
	(void)line;
}

static const char amplink_log_level_char[] = "EACEWNID";

void metal_default_log_handler(enum metal_log_level level, const char *format, ...)
{
	char buf[AMPLINK_LOG_LINE_MAX];
	va_list ap;

	buf[0] = (unsigned int)level < sizeof(amplink_log_level_char) - 1
			 ? amplink_log_level_char[level]
			 : '?';
	buf[1] = ' ';
	va_start(ap, format);
	amplink_log_vformat(buf + 2, sizeof(buf) - 2, format, ap);
	va_end(ap);
	amplink_log_write(buf);
}
