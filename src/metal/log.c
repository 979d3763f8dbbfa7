/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Run-time log settings (handler and level) and the emit path that the
 * metal_log macros call.
 */
#include <stdarg.h>
#include <metal/log.h>
#include <metal/sys.h>
#include "metal/port.h"

void metal_set_log_handler(metal_log_handler handler)
{
	amplink_metal_common.log_handler = handler;
}

metal_log_handler metal_get_log_handler(void)
{
	return amplink_metal_common.log_handler;
}

void metal_set_log_level(enum metal_log_level level)
{
	amplink_metal_common.log_level = level;
}

enum metal_log_level metal_get_log_level(void)
{
	return amplink_metal_common.log_level;
}

/*
 * A handler takes "..." (the libmetal signature) and a va_list cannot be
 * passed on as "...", so the message is formatted here and handed over as
 * ("%s", text).
 */
void amplink_log_emit(enum metal_log_level level, const char *format, ...)
{
	metal_log_handler handler = amplink_metal_common.log_handler;
	char buf[AMPLINK_LOG_LINE_MAX];
	va_list ap;

	if (handler == NULL || level > amplink_metal_common.log_level)
		return;
	va_start(ap, format);
	amplink_log_vformat(buf, sizeof(buf), format, ap);
	va_end(ap);
	handler(level, "%s", buf);
}
