/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bare-metal port start-up and shut-down: nothing to set up (tables are
 * static, the board has configured clocks and interrupts).
 */
#include <metal/sys.h>

int metal_sys_init(const struct metal_init_params *params)
{
	(void)params;
	return 0;
}

void metal_sys_finish(void)
{
}
