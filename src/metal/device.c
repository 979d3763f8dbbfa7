/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The device registry: buses by name, devices opened through their bus, and
 * the "generic" bus that serves statically registered devices. Registry
 * changes are not locked: do them at start-up, from one thread.
 */
#include <amplink/libc.h>
#include <metal/cache.h>
#include <metal/device.h>
#include <metal/errno.h>
#include <metal/log.h>
#include <metal/utilities.h>

/* Longest bus/device name compared. */
#define METAL_DEVICE_NAME_MAX 64

static int metal_device_name_eq(const char *a, const char *b)
{
	return strncmp(a, b, METAL_DEVICE_NAME_MAX) == 0;
}

int metal_bus_register(struct metal_bus *bus)
{
	struct metal_bus *found;

	if (bus == NULL || bus->name == NULL)
		return -EINVAL;
	if (metal_bus_find(bus->name, &found) == 0)
		return -EEXIST;
	metal_list_init(&bus->devices);
	metal_list_add_tail(&amplink_metal_common.bus_list, &bus->node);
	metal_dbg("metal: bus %s registered\n", bus->name);
	return 0;
}

int metal_bus_unregister(struct metal_bus *bus)
{
	if (bus == NULL || !metal_list_find_node(&amplink_metal_common.bus_list, &bus->node))
		return -EINVAL;
	metal_list_del(&bus->node);
	if (bus->ops.bus_close)
		bus->ops.bus_close(bus);
	return 0;
}

int metal_bus_find(const char *name, struct metal_bus **bus)
{
	struct metal_list *node;

	if (name == NULL)
		return -EINVAL;
	metal_list_for_each(&amplink_metal_common.bus_list, node)
	{
		struct metal_bus *b = metal_container_of(node, struct metal_bus, node);

		if (metal_device_name_eq(b->name, name)) {
			if (bus)
				*bus = b;
			return 0;
		}
	}
	/*
	 * The generic bus exists while the metal layer is initialised without
	 * being on the list, so that metal_init does not link the device model.
	 */
	if (amplink_metal_common.ref_count > 0 &&
	    metal_device_name_eq(metal_generic_bus.name, name)) {
		if (bus)
			*bus = &metal_generic_bus;
		return 0;
	}
	return -ENOENT;
}

int metal_device_open(const char *bus_name, const char *dev_name, struct metal_device **device)
{
	struct metal_bus *bus;
	int ret;

	if (bus_name == NULL || dev_name == NULL || device == NULL)
		return -EINVAL;
	ret = metal_bus_find(bus_name, &bus);
	if (ret < 0)
		return ret;
	if (bus->ops.dev_open == NULL)
		return -ENODEV;
	return bus->ops.dev_open(bus, dev_name, device);
}

void metal_device_close(struct metal_device *device)
{
	if (device && device->bus && device->bus->ops.dev_close)
		device->bus->ops.dev_close(device->bus, device);
}

struct metal_io_region *metal_device_io_region(struct metal_device *device, unsigned int index)
{
	if (device == NULL || index >= device->num_regions || index >= METAL_MAX_DEVICE_REGIONS)
		return NULL;
	return &device->regions[index];
}

int metal_register_generic_device(struct metal_device *device)
{
	struct metal_list *node;

	if (device == NULL || device->name == NULL ||
	    device->num_regions > METAL_MAX_DEVICE_REGIONS)
		return -EINVAL;
	metal_list_for_each(&amplink_metal_common.generic_device_list, node)
	{
		struct metal_device *d = metal_container_of(node, struct metal_device, node);

		if (d == device || metal_device_name_eq(d->name, device->name))
			return -EEXIST;
	}
	device->bus = &metal_generic_bus;
	metal_list_add_tail(&amplink_metal_common.generic_device_list, &device->node);
	return 0;
}

int metal_generic_dev_open(struct metal_bus *bus, const char *dev_name,
			   struct metal_device **device)
{
	struct metal_list *node;

	metal_unused(bus);
	metal_list_for_each(&amplink_metal_common.generic_device_list, node)
	{
		struct metal_device *d = metal_container_of(node, struct metal_device, node);

		if (metal_device_name_eq(d->name, dev_name)) {
			*device = d;
			return metal_generic_dev_sys_open(d);
		}
	}
	return -ENOENT;
}

/* Cache maintenance for one DMA direction over one scatter-gather list. */
static void metal_generic_dma_sync(uint32_t dir, struct metal_sg *sg, int nents, int mapping)
{
	int i;

	for (i = 0; i < nents; i++) {
		if (sg[i].len <= 0)
			continue;
		if (mapping && (dir & METAL_DMA_DEV_R))
			metal_cache_flush(sg[i].virt, (unsigned int)sg[i].len);
		else
			metal_cache_invalidate(sg[i].virt, (unsigned int)sg[i].len);
	}
}

int metal_generic_dev_dma_map(struct metal_bus *bus, struct metal_device *device, uint32_t dir,
			      struct metal_sg *sg_in, int nents_in, struct metal_sg *sg_out)
{
	int i;

	metal_unused(bus);
	metal_unused(device);
	if (nents_in < 0 || (nents_in > 0 && (sg_in == NULL || sg_out == NULL)))
		return -EINVAL;
	for (i = 0; i < nents_in; i++) {
		if (sg_out != sg_in)
			sg_out[i] = sg_in[i];
	}
	metal_generic_dma_sync(dir, sg_out, nents_in, 1);
	return nents_in;
}

void metal_generic_dev_dma_unmap(struct metal_bus *bus, struct metal_device *device, uint32_t dir,
				 struct metal_sg *sg, int nents)
{
	metal_unused(bus);
	metal_unused(device);
	if (sg == NULL || nents <= 0)
		return;
	metal_generic_dma_sync(dir, sg, nents, 0);
}

struct metal_bus metal_generic_bus = {
	.name = "generic",
	.devices = METAL_INIT_LIST(metal_generic_bus.devices),
	.ops =
		{
			.bus_close = NULL,
			.dev_open = metal_generic_dev_open,
			.dev_close = NULL,
			.dev_irq_ack = NULL,
			.dev_dma_map = metal_generic_dev_dma_map,
			.dev_dma_unmap = metal_generic_dev_dma_unmap,
		},
};
