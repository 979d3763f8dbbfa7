/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Tests of the device registry: bus register/find/unregister, generic device
 * registration and open/close, io regions by index, and DMA map/unmap.
 */
#include <stdint.h>
#include <metal/device.h>
#include <metal/errno.h>
#include <metal/sys.h>
#include "check.h"

static uint8_t regs[64];
static metal_phys_addr_t regs_phys = 0x40000000UL;

static void test_generic_device(void)
{
	static struct metal_device dev = {.name = "uart0", .num_regions = 1};
	static struct metal_device dup = {.name = "uart0"};
	static struct metal_device many = {.name = "many",
					   .num_regions = METAL_MAX_DEVICE_REGIONS + 1};
	struct metal_device *opened = NULL;
	struct metal_bus *bus = NULL;
	struct metal_io_region *io;

	REQUIRE(metal_init(NULL) == 0);
	CHECK_EQ_INT(metal_bus_find("generic", &bus), 0);
	CHECK(bus == &metal_generic_bus);
	metal_io_init(&dev.regions[0], regs, &regs_phys, sizeof(regs), (unsigned int)-1, 0, NULL);
	CHECK_EQ_INT(metal_register_generic_device(&dev), 0);
	CHECK_EQ_INT(metal_register_generic_device(&dup), -EEXIST);
	CHECK_EQ_INT(metal_register_generic_device(&many), -EINVAL);
	CHECK_EQ_INT(metal_register_generic_device(NULL), -EINVAL);
	CHECK_EQ_INT(metal_device_open("generic", "uart0", &opened), 0);
	CHECK(opened == &dev);
	CHECK(opened->bus == &metal_generic_bus);
	io = metal_device_io_region(opened, 0);
	REQUIRE(io != NULL);
	CHECK_EQ_INT(metal_io_phys(io, 4), 0x40000004UL);
	CHECK(metal_device_io_region(opened, 1) == NULL);
	CHECK(metal_device_io_region(NULL, 0) == NULL);
	CHECK_EQ_INT(metal_device_open("generic", "nope", &opened), -ENOENT);
	CHECK_EQ_INT(metal_device_open("nobus", "uart0", &opened), -ENOENT);
	CHECK_EQ_INT(metal_device_open(NULL, "uart0", &opened), -EINVAL);
	metal_device_close(&dev);
	metal_finish();
	/* After the last finish the generic bus is gone. */
	CHECK_EQ_INT(metal_bus_find("generic", &bus), -ENOENT);
}

static int closes;
static int opens;

static void my_bus_close(struct metal_bus *bus)
{
	(void)bus;
	closes++;
}

static int my_dev_open(struct metal_bus *bus, const char *dev_name, struct metal_device **device)
{
	static struct metal_device d = {.name = "d0"};

	(void)dev_name;
	opens++;
	d.bus = bus;
	*device = &d;
	return 0;
}

static void my_dev_close(struct metal_bus *bus, struct metal_device *device)
{
	(void)bus;
	(void)device;
	closes += 10;
}

static void test_custom_bus(void)
{
	static struct metal_bus bus = {
		.name = "mybus",
		.ops = {.bus_close = my_bus_close,
			.dev_open = my_dev_open,
			.dev_close = my_dev_close},
	};
	static struct metal_bus bus2 = {.name = "mybus"};
	static struct metal_bus noopen = {.name = "noopen"};
	struct metal_device *d = NULL;
	struct metal_bus *found = NULL;

	CHECK_EQ_INT(metal_bus_register(&bus), 0);
	CHECK_EQ_INT(metal_bus_register(&bus2), -EEXIST);
	CHECK_EQ_INT(metal_bus_register(NULL), -EINVAL);
	CHECK_EQ_INT(metal_bus_register(&noopen), 0);
	CHECK_EQ_INT(metal_bus_find("mybus", &found), 0);
	CHECK(found == &bus);
	CHECK_EQ_INT(metal_device_open("mybus", "d0", &d), 0);
	CHECK_EQ_INT(opens, 1);
	CHECK_EQ_INT(metal_device_open("noopen", "d0", &d), -ENODEV);
	metal_device_close(d);
	CHECK_EQ_INT(closes, 10);
	CHECK_EQ_INT(metal_bus_unregister(&bus), 0);
	CHECK_EQ_INT(closes, 11);
	CHECK_EQ_INT(metal_bus_unregister(&bus), -EINVAL);
	CHECK_EQ_INT(metal_bus_unregister(&noopen), 0);
	CHECK_EQ_INT(metal_bus_find("mybus", &found), -ENOENT);
}

static void test_dma(void)
{
	struct metal_sg in[2] = {{regs, NULL, 16}, {regs + 16, NULL, 8}};
	struct metal_sg out[2];

	CHECK_EQ_INT(
		metal_generic_dev_dma_map(&metal_generic_bus, NULL, METAL_DMA_DEV_R, in, 2, out),
		2);
	CHECK(out[1].virt == regs + 16 && out[1].len == 8);
	CHECK_EQ_INT(
		metal_generic_dev_dma_map(&metal_generic_bus, NULL, METAL_DMA_DEV_W, in, -1, out),
		-EINVAL);
	CHECK_EQ_INT(
		metal_generic_dev_dma_map(&metal_generic_bus, NULL, METAL_DMA_DEV_W, NULL, 1, out),
		-EINVAL);
	metal_generic_dev_dma_unmap(&metal_generic_bus, NULL, METAL_DMA_DEV_W, out, 2);
}

int main(void)
{
	RUN(test_generic_device);
	RUN(test_custom_bus);
	RUN(test_dma);
	return check_summary();
}
