/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a port supplies to the lean objects in the link probes
 * (lean_nolink.c): the log sink and the sleep. Never run.
 */
#include <metal/log.h>
#include <metal/sleep.h>

void amplink_log_emit(enum metal_log_level level, const char *format, ...)
{
	(void)level;
	(void)format;
}

int metal_sleep_usec(unsigned int usec)
{
	(void)usec;
	return 0;
}
