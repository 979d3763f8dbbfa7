/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The log sink of a runtime image: every line goes to the board console and into
 * the trace buffer the resource table announces, a ring kept NUL-terminated
 * after the newest line so the host reads it as one string (when it wraps, the
 * oldest text is overwritten from the start).
 */
#include "board.h"
#include "remote.h"

static uint32_t trace_pos;

static void trace_putc(char c)
{
	if (trace_pos >= REMOTE_TRACE_SIZE - 1u)
		trace_pos = 0;
	remote_trace_buf[trace_pos++] = c;
}

void amplink_log_write(const char *line)
{
	const char *s;

	board_console_write(line);
	board_console_write("\n");
	for (s = line; *s; s++)
		trace_putc(*s);
	trace_putc('\n');
	remote_trace_buf[trace_pos] = '\0';
}
