/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-mmio transport, driver side: probing the register window, device
 * status, the 64-bit feature handshake, generation-consistent configuration
 * space access and the interrupt handler. Queue placement and notification
 * live in virtio_mmio_queue.c. Every register access goes through the
 * metal_io_region given at init; every value read from the device is checked
 * before use.
 */
#include <amplink/config.h>

#if AMPLINK_CFG_ROLE_DRIVER

#include <amplink/libc.h>
#include <metal/errno.h>
#include <metal/irq.h>
#include <metal/log.h>
#include <metal/utilities.h>
#include <openamp/virtio.h>
#include <openamp/virtio_mmio.h>
#include <openamp/virtqueue.h>

#include "virtio/virtio_mmio_internal.h"

struct amplink_virtio_mmio *virtio_mmio_from_vdev(struct virtio_device *vdev)
{
	return metal_container_of(vdev, struct amplink_virtio_mmio, vdev);
}

uint32_t virtio_mmio_read(struct amplink_virtio_mmio *mdev, unsigned long reg)
{
	return metal_io_read32(mdev->regs, reg);
}

void virtio_mmio_write(struct amplink_virtio_mmio *mdev, unsigned long reg, uint32_t value)
{
	metal_io_write32(mdev->regs, reg, value);
}

static uint8_t virtio_mmio_get_status(struct virtio_device *vdev)
{
	return (uint8_t)virtio_mmio_read(virtio_mmio_from_vdev(vdev), VIRTIO_MMIO_STATUS);
}

static void virtio_mmio_set_status(struct virtio_device *vdev, uint8_t status)
{
	virtio_mmio_write(virtio_mmio_from_vdev(vdev), VIRTIO_MMIO_STATUS, status);
}

/* Writes 0 to Status and waits (bounded) until the device reads back 0. */
static int virtio_mmio_do_reset(struct amplink_virtio_mmio *mdev)
{
	unsigned int i;

	virtio_mmio_write(mdev, VIRTIO_MMIO_STATUS, 0);
	for (i = 0; i < AMPLINK_CFG_MMIO_RETRIES; i++) {
		if (virtio_mmio_read(mdev, VIRTIO_MMIO_STATUS) == 0) {
			mdev->broken = false;
			return 0;
		}
	}
	metal_err("virtio-mmio: device did not complete reset\n");
	mdev->broken = true;
	return -EIO;
}

static void virtio_mmio_reset_device(struct virtio_device *vdev)
{
	(void)virtio_mmio_do_reset(virtio_mmio_from_vdev(vdev));
}

static uint64_t virtio_mmio_read_device_features(struct amplink_virtio_mmio *mdev)
{
	uint64_t lo, hi;

	virtio_mmio_write(mdev, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	lo = virtio_mmio_read(mdev, VIRTIO_MMIO_DEVICE_FEATURES);
	virtio_mmio_write(mdev, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	hi = virtio_mmio_read(mdev, VIRTIO_MMIO_DEVICE_FEATURES);
	return lo | (hi << 32);
}

static void virtio_mmio_write_driver_features(struct amplink_virtio_mmio *mdev, uint64_t features)
{
	virtio_mmio_write(mdev, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	virtio_mmio_write(mdev, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)features);
	virtio_mmio_write(mdev, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	virtio_mmio_write(mdev, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(features >> 32));
}

int amplink_virtio_mmio_negotiate(struct amplink_virtio_mmio *mdev, uint64_t wanted,
				  uint64_t *final)
{
	const uint64_t v1 = (uint64_t)1 << VIRTIO_F_VERSION_1;
	uint32_t status = VIRTIO_CONFIG_STATUS_ACK | VIRTIO_CONFIG_STATUS_DRIVER;
	uint64_t accepted;
	int ret;

	if (!mdev || !mdev->regs)
		return -EINVAL;
	ret = virtio_mmio_do_reset(mdev);
	if (ret)
		return ret;
	virtio_mmio_write(mdev, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_STATUS_ACK);
	virtio_mmio_write(mdev, VIRTIO_MMIO_STATUS, status);
	mdev->device_features = virtio_mmio_read_device_features(mdev);
	if (!(mdev->device_features & v1)) {
		metal_err("virtio-mmio: device does not offer VIRTIO_F_VERSION_1\n");
		ret = -ENOTSUP;
		goto fail;
	}
	accepted = (wanted | v1) & mdev->device_features;
	virtio_mmio_write_driver_features(mdev, accepted);
	status |= VIRTIO_CONFIG_FEATURES_OK;
	virtio_mmio_write(mdev, VIRTIO_MMIO_STATUS, status);
	if (!(virtio_mmio_read(mdev, VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_FEATURES_OK)) {
		metal_err("virtio-mmio: device refused features 0x%llx\n",
			  (unsigned long long)accepted);
		ret = -EIO;
		goto fail;
	}
	mdev->vdev.features = accepted;
	mdev->negotiated_features = accepted;
	if (final)
		*final = accepted;
	return 0;
fail:
	virtio_mmio_write(mdev, VIRTIO_MMIO_STATUS, status | VIRTIO_CONFIG_STATUS_FAILED);
	mdev->vdev.features = 0;
	mdev->negotiated_features = 0;
	return ret;
}

/* The 32-bit dispatch view: device-offered low word. */
static uint32_t virtio_mmio_get_features(struct virtio_device *vdev)
{
	struct amplink_virtio_mmio *mdev = virtio_mmio_from_vdev(vdev);

	return (uint32_t)virtio_mmio_read_device_features(mdev);
}

static uint32_t virtio_mmio_negotiate_features(struct virtio_device *vdev, uint32_t features)
{
	struct amplink_virtio_mmio *mdev = virtio_mmio_from_vdev(vdev);
	uint64_t want = features | (mdev->transport_features & ~(uint64_t)UINT32_MAX);
	uint64_t final = 0;

	if (amplink_virtio_mmio_negotiate(mdev, want, &final))
		return 0;
	return (uint32_t) final;
}

static void virtio_mmio_set_features(struct virtio_device *vdev, uint32_t features)
{
	(void)virtio_mmio_negotiate_features(vdev, features);
}

/* True when [offset, offset + len) of the config space fits the window. */
static bool virtio_mmio_config_fits(struct amplink_virtio_mmio *mdev, uint32_t offset, int len)
{
	size_t size = metal_io_region_size(mdev->regs);

	if (len < 0 || size < VIRTIO_MMIO_CONFIG)
		return false;
	size -= VIRTIO_MMIO_CONFIG;
	return offset <= size && (size_t)len <= size - offset;
}

/* One pass over the config bytes, widest naturally aligned accesses. */
static void virtio_mmio_config_copy_in(struct amplink_virtio_mmio *mdev, uint32_t offset,
				       uint8_t *dst, int len)
{
	unsigned long reg = VIRTIO_MMIO_CONFIG + offset;
	uint32_t v;
	int step, i;

	while (len > 0) {
		if (!(reg & 3) && len >= 4) {
			v = metal_io_read32(mdev->regs, reg);
			step = 4;
		} else if (!(reg & 1) && len >= 2) {
			v = metal_io_read16(mdev->regs, reg);
			step = 2;
		} else {
			v = metal_io_read8(mdev->regs, reg);
			step = 1;
		}
		for (i = 0; i < step; i++)
			dst[i] = (uint8_t)(v >> (8 * i));
		dst += step;
		reg += (unsigned long)step;
		len -= step;
	}
}

int amplink_virtio_mmio_read_config(struct amplink_virtio_mmio *mdev, uint32_t offset, void *dst,
				    int len)
{
	uint32_t before, after;
	unsigned int i;

	if (!mdev || !dst || len < 0)
		return -EINVAL;
	if (!virtio_mmio_config_fits(mdev, offset, len))
		return -ERANGE;
	for (i = 0; i < AMPLINK_CFG_MMIO_RETRIES; i++) {
		before = virtio_mmio_read(mdev, VIRTIO_MMIO_CONFIG_GENERATION);
		virtio_mmio_config_copy_in(mdev, offset, dst, len);
		after = virtio_mmio_read(mdev, VIRTIO_MMIO_CONFIG_GENERATION);
		if (before == after)
			return 0;
	}
	metal_err("virtio-mmio: config generation never settled\n");
	return -EAGAIN;
}

int amplink_virtio_mmio_write_config(struct amplink_virtio_mmio *mdev, uint32_t offset,
				     const void *src, int len)
{
	const uint8_t *p = src;
	unsigned long reg;
	uint32_t v;
	int step, i;

	if (!mdev || !src || len < 0)
		return -EINVAL;
	if (!virtio_mmio_config_fits(mdev, offset, len))
		return -ERANGE;
	reg = VIRTIO_MMIO_CONFIG + offset;
	while (len > 0) {
		step = (!(reg & 3) && len >= 4) ? 4 : (!(reg & 1) && len >= 2) ? 2 : 1;
		for (v = 0, i = step - 1; i >= 0; i--)
			v = (v << 8) | p[i];
		if (step == 4)
			metal_io_write32(mdev->regs, reg, v);
		else if (step == 2)
			metal_io_write16(mdev->regs, reg, (uint16_t)v);
		else
			metal_io_write8(mdev->regs, reg, (uint8_t)v);
		p += step;
		reg += (unsigned long)step;
		len -= step;
	}
	return 0;
}

static void virtio_mmio_read_config_op(struct virtio_device *vdev, uint32_t offset, void *dst,
				       int length)
{
	if (amplink_virtio_mmio_read_config(virtio_mmio_from_vdev(vdev), offset, dst, length) &&
	    dst && length > 0)
		memset(dst, 0, (size_t)length);
}

static void virtio_mmio_write_config_op(struct virtio_device *vdev, uint32_t offset, void *src,
					int length)
{
	(void)amplink_virtio_mmio_write_config(virtio_mmio_from_vdev(vdev), offset, src, length);
}

uint32_t amplink_virtio_mmio_interrupt(struct amplink_virtio_mmio *mdev)
{
	uint32_t status;
	unsigned int i;

	if (!mdev || !mdev->regs)
		return 0;
	status = virtio_mmio_read(mdev, VIRTIO_MMIO_INTERRUPT_STATUS);
	if (!status)
		return 0;
	virtio_mmio_write(mdev, VIRTIO_MMIO_INTERRUPT_ACK, status);
	if (status & VIRTIO_MMIO_INT_VRING) {
		for (i = 0; i < mdev->vdev.vrings_num; i++) {
			if (mdev->vrings[i].vq)
				virtqueue_notification(mdev->vrings[i].vq);
		}
	}
	if ((status & VIRTIO_MMIO_INT_CONFIG) && mdev->config_cb)
		mdev->config_cb(mdev);
	return status;
}

int amplink_virtio_mmio_irq_handler(int irq, void *arg)
{
	(void)irq;
	return amplink_virtio_mmio_interrupt(arg) ? METAL_IRQ_HANDLED : METAL_IRQ_NOT_HANDLED;
}

static const struct virtio_dispatch virtio_mmio_dispatch = {
	.create_virtqueues = virtio_mmio_create_virtqueues,
	.delete_virtqueues = virtio_mmio_delete_virtqueues,
	.get_status = virtio_mmio_get_status,
	.set_status = virtio_mmio_set_status,
	.get_features = virtio_mmio_get_features,
	.set_features = virtio_mmio_set_features,
	.negotiate_features = virtio_mmio_negotiate_features,
	.read_config = virtio_mmio_read_config_op,
	.write_config = virtio_mmio_write_config_op,
	.reset_device = virtio_mmio_reset_device,
	.notify = virtio_mmio_notify,
};

/* Checks the identification registers; logs and returns an error if bad. */
static int virtio_mmio_probe(struct amplink_virtio_mmio *mdev)
{
	uint32_t magic = virtio_mmio_read(mdev, VIRTIO_MMIO_MAGIC_VALUE);
	uint32_t version = virtio_mmio_read(mdev, VIRTIO_MMIO_VERSION);
	uint32_t devid = virtio_mmio_read(mdev, VIRTIO_MMIO_DEVICE_ID);

	if (magic != VIRTIO_MMIO_MAGIC) {
		metal_err("virtio-mmio: bad magic 0x%08lx\n", (unsigned long)magic);
		return -ENODEV;
	}
	if (version != VIRTIO_MMIO_VERSION_MODERN) {
		metal_err("virtio-mmio: unsupported version %lu\n", (unsigned long)version);
		return -ENOTSUP;
	}
	if (devid == 0) {
		metal_err("virtio-mmio: no device behind the window (device id 0)\n");
		return -ENODEV;
	}
	mdev->vdev.id.device = devid;
	mdev->vendor_id = virtio_mmio_read(mdev, VIRTIO_MMIO_VENDOR_ID);
	mdev->vdev.id.vendor = mdev->vendor_id;
	mdev->vdev.id.version = version;
	return 0;
}

int amplink_virtio_mmio_init(struct amplink_virtio_mmio *mdev, struct metal_io_region *regs,
			     struct metal_io_region *shm_io)
{
	int ret;

	if (!mdev || !regs || !shm_io || metal_io_region_size(regs) < VIRTIO_MMIO_CONFIG)
		return -EINVAL;
	memset(mdev, 0, sizeof(*mdev));
	mdev->regs = regs;
	mdev->shm_io = shm_io;
	mdev->transport_features = (uint64_t)1 << VIRTIO_F_VERSION_1;
	ret = virtio_mmio_probe(mdev);
	if (ret)
		return ret;
	mdev->vdev.role = VIRTIO_DEV_DRIVER;
	mdev->vdev.func = &virtio_mmio_dispatch;
	mdev->vdev.vrings_info = mdev->vrings;
	mdev->vdev.vrings_num = 0;
	return virtio_mmio_do_reset(mdev);
}

#endif /* AMPLINK_CFG_ROLE_DRIVER */
