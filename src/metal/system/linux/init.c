/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Linux port start-up and shut-down. Needs no privileges, devices or fixed
 * paths: everything else (the irq event loop, shared memory) is set up on
 * first use.
 */
#include <metal/sys.h>
#include "metal/system/linux/irq_internal.h"

int metal_sys_init(const struct metal_init_params *params)
{
	(void)params;
	return 0;
}

void metal_sys_finish(void)
{
	amplink_irq_sys_finish();
}
