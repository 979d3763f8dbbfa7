/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * metal_init / metal_finish: the reference-counted start-up of the metal
 * layer and the one instance of the state every port shares.
 */
#include <metal/device.h>
#include <metal/errno.h>
#include <metal/sys.h>

struct metal_common_state amplink_metal_common = {
	.log_level = METAL_LOG_INFO,
	.log_handler = AMPLINK_DEFAULT_LOG_HANDLER,
	.bus_list = METAL_INIT_LIST(amplink_metal_common.bus_list),
	.generic_shmem_list = METAL_INIT_LIST(amplink_metal_common.generic_shmem_list),
	.generic_device_list = METAL_INIT_LIST(amplink_metal_common.generic_device_list),
	.ref_count = 0,
};

int metal_init(const struct metal_init_params *params)
{
	static const struct metal_init_params defaults = METAL_INIT_DEFAULTS;
	int ret;

	if (amplink_metal_common.ref_count++ > 0)
		return 0;
	if (params == NULL)
		params = &defaults;
	amplink_metal_common.log_handler = params->log_handler;
	amplink_metal_common.log_level = params->log_level;
	/* The generic bus needs no registration: metal_bus_find knows it. */
	ret = metal_sys_init(params);
	if (ret < 0)
		amplink_metal_common.ref_count--;
	return ret < 0 ? ret : 0;
}

void metal_finish(void)
{
	if (amplink_metal_common.ref_count <= 0)
		return;
	if (--amplink_metal_common.ref_count > 0)
		return;
	metal_sys_finish();
}
