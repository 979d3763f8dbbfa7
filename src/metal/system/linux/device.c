/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Linux port hook for generic devices: their regions are already described
 * by the registrant (plain memory), so opening needs nothing more.
 */
#include <metal/device.h>

int metal_generic_dev_sys_open(struct metal_device *dev)
{
	(void)dev;
	return 0;
}
