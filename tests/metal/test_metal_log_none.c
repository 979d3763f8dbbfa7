/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Part of test_metal_log: logging calls compiled with AMPLINK_CFG_LOG_LEVEL
 * -1, which must emit nothing (and reference no logging function) while
 * still evaluating the arguments.
 */
#include <amplink/config.h>
#undef AMPLINK_CFG_LOG_LEVEL
#define AMPLINK_CFG_LOG_LEVEL -1
#include <metal/log.h>

void log_off_none(int *evaluated);

void log_off_none(int *evaluated)
{
	metal_log(METAL_LOG_EMERGENCY, "gone %d\n", (*evaluated)++);
	metal_err("gone\n");
	metal_warn("gone\n");
	metal_info("gone\n");
	metal_dbg("gone\n");
}
