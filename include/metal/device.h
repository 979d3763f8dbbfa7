/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Devices and buses: a minimal registry. A bus has a name and operations to
 * open/close devices; the "generic" bus (registered by metal_init) serves
 * devices described statically with metal_register_generic_device.
 */
#ifndef METAL_DEVICE_H
#define METAL_DEVICE_H

#include <stdint.h>
#include <metal/io.h>
#include <metal/list.h>
#include <metal/sys.h>

#ifdef __cplusplus
extern "C" {
#endif

#define METAL_MAX_DEVICE_REGIONS 32

/* DMA directions for the dma_map/unmap operations. */
#define METAL_DMA_DEV_R	 1 /* device reads memory */
#define METAL_DMA_DEV_W	 2 /* device writes memory */
#define METAL_DMA_DEV_WR 3

struct metal_bus;
struct metal_device;

/* One scatter-gather entry. */
struct metal_sg {
	void *virt;
	struct metal_io_region *io;
	int len;
};

/* Operations of a bus; any may be NULL. */
struct metal_bus_ops {
	void (*bus_close)(struct metal_bus *bus);
	int (*dev_open)(struct metal_bus *bus, const char *dev_name, struct metal_device **device);
	void (*dev_close)(struct metal_bus *bus, struct metal_device *device);
	void (*dev_irq_ack)(struct metal_bus *bus, struct metal_device *device, int irq);
	int (*dev_dma_map)(struct metal_bus *bus, struct metal_device *device, uint32_t dir,
			   struct metal_sg *sg_in, int nents_in, struct metal_sg *sg_out);
	void (*dev_dma_unmap)(struct metal_bus *bus, struct metal_device *device, uint32_t dir,
			      struct metal_sg *sg, int nents);
};

struct metal_bus {
	const char *name;
	struct metal_bus_ops ops;
	struct metal_list devices;
	struct metal_list node;
};

struct metal_device {
	const char *name;
	struct metal_bus *bus;
	unsigned int num_regions;
	struct metal_io_region regions[METAL_MAX_DEVICE_REGIONS];
	struct metal_list node;
	int irq_num;
	void *irq_info;
};

/*
 * metal_bus_register - add bus to the registry. Not thread-safe against other
 * registry changes. Returns 0, -EINVAL (NULL bus or name), -EEXIST (name
 * taken).
 */
int metal_bus_register(struct metal_bus *bus);

/*
 * metal_bus_unregister - remove bus and call its bus_close. Returns 0 or
 * -EINVAL (not registered).
 */
int metal_bus_unregister(struct metal_bus *bus);

/* metal_bus_find - look a bus up by name. Returns 0 and *bus, or -ENOENT. */
int metal_bus_find(const char *name, struct metal_bus **bus);

/*
 * metal_register_generic_device - make device openable on the "generic" bus.
 * Returns 0, -EINVAL (NULL device/name, too many regions), -EEXIST.
 */
int metal_register_generic_device(struct metal_device *device);

/*
 * metal_device_open - open dev_name on bus bus_name. Returns 0 and *device,
 * -ENOENT (no such bus or device), -ENODEV (bus cannot open devices), or the
 * bus's error.
 */
int metal_device_open(const char *bus_name, const char *dev_name, struct metal_device **device);

/* metal_device_close - close device through its bus. */
void metal_device_close(struct metal_device *device);

/*
 * metal_device_io_region - Returns region index of device, or NULL when index
 * is not below device->num_regions.
 */
struct metal_io_region *metal_device_io_region(struct metal_device *device, unsigned int index);

/* Generic bus operations (the port supplies metal_generic_dev_sys_open). */
int metal_generic_dev_open(struct metal_bus *bus, const char *dev_name,
			   struct metal_device **device);
int metal_generic_dev_dma_map(struct metal_bus *bus, struct metal_device *device, uint32_t dir,
			      struct metal_sg *sg_in, int nents_in, struct metal_sg *sg_out);
void metal_generic_dev_dma_unmap(struct metal_bus *bus, struct metal_device *device, uint32_t dir,
				 struct metal_sg *sg, int nents);
/* metal_generic_dev_sys_open - port hook when a generic device is opened. Returns 0 or -errno. */
int metal_generic_dev_sys_open(struct metal_device *dev);

/* The generic bus ("generic"): metal_bus_find finds it while metal is initialised. */
extern struct metal_bus metal_generic_bus;

#ifdef __cplusplus
}
#endif

#endif /* METAL_DEVICE_H */
