/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bare-metal port hook for generic devices: regions are physical memory the
 * board described, so opening needs nothing more.
 */
#include <metal/device.h>

int metal_generic_dev_sys_open(struct metal_device *dev)
{
	(void)dev;
	return 0;
}
