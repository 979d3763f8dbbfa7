/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Part of test_metal_log: the same calls compiled with a lower
 * AMPLINK_CFG_LOG_LEVEL. The ceiling is redefined before <metal/log.h> is
 * seen.
 */
#include <amplink/config.h>
#undef AMPLINK_CFG_LOG_LEVEL
#define AMPLINK_CFG_LOG_LEVEL 3
#include <metal/log.h>

void log_off_err_only(void);

/* Only the error gets through: the others are compiled out. */
void log_off_err_only(void)
{
	metal_err("kept\n");
	metal_warn("gone\n");
	metal_info("gone\n");
	metal_dbg("gone\n");
	metal_log(METAL_LOG_NOTICE, "gone\n");
}
