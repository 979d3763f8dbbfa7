/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Named shared-memory regions: the registry of statically described regions
 * and metal_shmem_open, which falls back to the port's own shared memory.
 */
#include <amplink/libc.h>
#include <metal/errno.h>
#include <metal/shmem.h>
#include <metal/sys.h>
#include <metal/utilities.h>
#include "metal/port.h"

/* Longest shared-memory name compared (registered names are trusted). */
#define METAL_SHMEM_NAME_MAX 256

static struct metal_generic_shmem *metal_shmem_find(const char *name)
{
	struct metal_list *node;

	metal_list_for_each(&amplink_metal_common.generic_shmem_list, node)
	{
		struct metal_generic_shmem *shmem =
			metal_container_of(node, struct metal_generic_shmem, node);

		if (strncmp(shmem->name, name, METAL_SHMEM_NAME_MAX) == 0)
			return shmem;
	}
	return NULL;
}

int metal_shmem_register_generic(struct metal_generic_shmem *shmem)
{
	if (shmem == NULL || shmem->name == NULL)
		return -EINVAL;
	if (metal_shmem_find(shmem->name))
		return -EEXIST;
	metal_list_add_tail(&amplink_metal_common.generic_shmem_list, &shmem->node);
	return 0;
}

int metal_shmem_open_generic(const char *name, size_t size, struct metal_io_region **result)
{
	struct metal_generic_shmem *shmem;

	if (name == NULL || result == NULL)
		return -EINVAL;
	shmem = metal_shmem_find(name);
	if (shmem == NULL)
		return -ENOENT;
	if (metal_io_region_size(&shmem->io) < size)
		return -ENOMEM;
	*result = &shmem->io;
	return 0;
}

int metal_shmem_open(const char *name, size_t size, struct metal_io_region **io)
{
	int ret = metal_shmem_open_generic(name, size, io);

	if (ret != -ENOENT)
		return ret;
	return amplink_shmem_sys_open(name, size, io);
}
