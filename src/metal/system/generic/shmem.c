/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bare-metal port of shared memory: only regions the board registered with
 * metal_shmem_register_generic exist, so an unknown name is not found.
 */
#include <metal/errno.h>
#include "metal/port.h"

int amplink_shmem_sys_open(const char *name, size_t size, struct metal_io_region **io)
{
	(void)name;
	(void)size;
	(void)io;
	return -ENOENT;
}
