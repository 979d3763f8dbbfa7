/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The resource-table virtio transport: builds a struct virtio_device from a
 * vdev entry of a resource table, for either role, and implements its
 * virtio_dispatch (status byte, dfeatures/gfeatures, config space after the
 * vring array, notifications by vring notify id). The entry is validated
 * once at creation; every later access goes through the entry's
 * metal_io_region with offsets inside the validated length.
 */
#include <stddef.h>
#include <amplink/libc.h>
#include <metal/atomic.h>
#include <metal/errno.h>
#include <metal/log.h>
#include <metal/sleep.h>
#include <metal/utilities.h>
#include <openamp/remoteproc_virtio.h>
#if !AMPLINK_CFG_STATIC_ALLOC
#include <metal/alloc.h>
#endif

#define RPVDEV_OFF(member) offsetof(struct fw_rsc_vdev, member)
#define RPVDEV_CFG_OFF(nvr)                                                                        \
	(sizeof(struct fw_rsc_vdev) + (unsigned long)(nvr) * sizeof(struct fw_rsc_vdev_vring))
#define RPVDEV_MAX_VRINGS AMPLINK_CFG_MAX_VQS

/* The transport object of @vdev. */
static struct remoteproc_virtio *rpvdev_of(struct virtio_device *vdev)
{
	return metal_container_of(vdev, struct remoteproc_virtio, vdev);
}

/* Offset in vdev_rsc_io of the entry's field at @member_off. */
static unsigned long rpvdev_field(struct remoteproc_virtio *rpvdev, unsigned long member_off)
{
	return rpvdev->rsc_offset + member_off;
}

static uint32_t rpvdev_read32(struct remoteproc_virtio *rpvdev, unsigned long member_off)
{
	unsigned long off = rpvdev_field(rpvdev, member_off);

	RSC_TABLE_INVALIDATE(metal_io_virt(rpvdev->vdev_rsc_io, off), 4);
	return metal_io_read32(rpvdev->vdev_rsc_io, off);
}

static void rpvdev_write32(struct remoteproc_virtio *rpvdev, unsigned long member_off, uint32_t v)
{
	unsigned long off = rpvdev_field(rpvdev, member_off);

	metal_io_write32(rpvdev->vdev_rsc_io, off, v);
	RSC_TABLE_FLUSH(metal_io_virt(rpvdev->vdev_rsc_io, off), 4);
}

static uint8_t rproc_virtio_get_status(struct virtio_device *vdev)
{
	struct remoteproc_virtio *rpvdev = rpvdev_of(vdev);
	unsigned long off = rpvdev_field(rpvdev, RPVDEV_OFF(status));

	RSC_TABLE_INVALIDATE(metal_io_virt(rpvdev->vdev_rsc_io, off), 1);
	return metal_io_read8(rpvdev->vdev_rsc_io, off);
}

/* The driver writes the status; the device may only raise NEEDS_RESET. */
static void rproc_virtio_set_status(struct virtio_device *vdev, uint8_t status)
{
	struct remoteproc_virtio *rpvdev = rpvdev_of(vdev);
	unsigned long off = rpvdev_field(rpvdev, RPVDEV_OFF(status));

	if (VIRTIO_ROLE_IS_DEVICE(vdev))
		status =
			rproc_virtio_get_status(vdev) | (status & VIRTIO_CONFIG_STATUS_NEEDS_RESET);
	metal_io_write8(rpvdev->vdev_rsc_io, off, status);
	RSC_TABLE_FLUSH(metal_io_virt(rpvdev->vdev_rsc_io, off), 1);
}

/* Driver: what the device offers. Device: what the driver accepted. */
static uint32_t rproc_virtio_get_features(struct virtio_device *vdev)
{
	struct remoteproc_virtio *rpvdev = rpvdev_of(vdev);

	if (VIRTIO_ROLE_IS_DRIVER(vdev))
		return rpvdev_read32(rpvdev, RPVDEV_OFF(dfeatures));
	return rpvdev_read32(rpvdev, RPVDEV_OFF(gfeatures));
}

/* Driver: write the accepted set. Device: write the offered set. */
static void rproc_virtio_set_features(struct virtio_device *vdev, uint32_t features)
{
	struct remoteproc_virtio *rpvdev = rpvdev_of(vdev);

	if (VIRTIO_ROLE_IS_DRIVER(vdev))
		rpvdev_write32(rpvdev, RPVDEV_OFF(gfeatures), features);
	else
		rpvdev_write32(rpvdev, RPVDEV_OFF(dfeatures), features);
}

static uint32_t rproc_virtio_negotiate_features(struct virtio_device *vdev, uint32_t features)
{
	struct remoteproc_virtio *rpvdev = rpvdev_of(vdev);
	uint32_t dfeatures = rpvdev_read32(rpvdev, RPVDEV_OFF(dfeatures));
	uint32_t final;

	if (VIRTIO_ROLE_IS_DRIVER(vdev)) {
		final = dfeatures & features;
		rpvdev_write32(rpvdev, RPVDEV_OFF(gfeatures), final);
	} else {
		final = rpvdev_read32(rpvdev, RPVDEV_OFF(gfeatures)) & dfeatures & features;
	}
	return final;
}

/* Offset of config byte @offset, or METAL_BAD_OFFSET when [offset, +len) is outside. */
static unsigned long rproc_virtio_config_off(struct remoteproc_virtio *rpvdev, uint32_t offset,
					     int length)
{
	if (length < 0 || offset > rpvdev->config_len ||
	    (uint32_t)length > rpvdev->config_len - offset) {
		metal_log(METAL_LOG_ERROR, "rproc_virtio: config access %lu+%d beyond %lu bytes\n",
			  (unsigned long)offset, length, (unsigned long)rpvdev->config_len);
		return METAL_BAD_OFFSET;
	}
	return rpvdev_field(rpvdev, RPVDEV_CFG_OFF(rpvdev->vdev.vrings_num)) + offset;
}

static void rproc_virtio_read_config(struct virtio_device *vdev, uint32_t offset, void *dst,
				     int length)
{
	struct remoteproc_virtio *rpvdev = rpvdev_of(vdev);
	unsigned long off = rproc_virtio_config_off(rpvdev, offset, length);

	if (off == METAL_BAD_OFFSET)
		return;
	RSC_TABLE_INVALIDATE(metal_io_virt(rpvdev->vdev_rsc_io, off), length);
	metal_io_block_read(rpvdev->vdev_rsc_io, off, dst, length);
}

static void rproc_virtio_write_config(struct virtio_device *vdev, uint32_t offset, void *src,
				      int length)
{
	struct remoteproc_virtio *rpvdev = rpvdev_of(vdev);
	unsigned long off = rproc_virtio_config_off(rpvdev, offset, length);

	if (off == METAL_BAD_OFFSET)
		return;
	metal_io_block_write(rpvdev->vdev_rsc_io, off, src, length);
	RSC_TABLE_FLUSH(metal_io_virt(rpvdev->vdev_rsc_io, off), length);
}

/* Driver: status back to 0. Both roles: queues start over. */
static void rproc_virtio_reset_device(struct virtio_device *vdev)
{
	unsigned int i;

	if (VIRTIO_ROLE_IS_DRIVER(vdev))
		rproc_virtio_set_status(vdev, VIRTIO_CONFIG_STATUS_RESET);
	for (i = 0; i < vdev->vrings_num; i++) {
		struct virtqueue *vq = vdev->vrings_info[i].vq;

		if (vq && vq->vq_ops)
			amplink_virtqueue_reset(vq);
	}
}

static void rproc_virtio_notify(struct virtqueue *vq)
{
	struct virtio_device *vdev = vq->vq_dev;
	struct remoteproc_virtio *rpvdev;

	if (!vdev || vq->vq_queue_index >= vdev->vrings_num)
		return;
	rpvdev = rpvdev_of(vdev);
	if (rpvdev->notify)
		rpvdev->notify(rpvdev->priv, vdev->vrings_info[vq->vq_queue_index].notifyid);
}

static const struct virtio_dispatch rproc_virtio_dispatch = {
	.get_status = rproc_virtio_get_status,
	.set_status = rproc_virtio_set_status,
	.get_features = rproc_virtio_get_features,
	.set_features = rproc_virtio_set_features,
	.negotiate_features = rproc_virtio_negotiate_features,
	.read_config = rproc_virtio_read_config,
	.write_config = rproc_virtio_write_config,
	.reset_device = rproc_virtio_reset_device,
	.notify = rproc_virtio_notify,
};

/* ---- allocation ---------------------------------------------------------- */

/* A transport object with room for the vring array. */
struct rproc_virtio_slot {
	struct remoteproc_virtio rpvdev;
	struct virtio_vring_info vrings[RPVDEV_MAX_VRINGS];
};

#if AMPLINK_CFG_STATIC_ALLOC
static struct rproc_virtio_slot rproc_virtio_pool[AMPLINK_CFG_MAX_VDEVS];
static atomic_int rproc_virtio_pool_used[AMPLINK_CFG_MAX_VDEVS];
#endif

static struct rproc_virtio_slot *rproc_virtio_slot_get(void)
{
	struct rproc_virtio_slot *slot = NULL;
#if AMPLINK_CFG_STATIC_ALLOC
	int i;

	for (i = 0; i < AMPLINK_CFG_MAX_VDEVS && !slot; i++) {
		int expected = 0;

		if (atomic_compare_exchange_strong(&rproc_virtio_pool_used[i], &expected, 1))
			slot = &rproc_virtio_pool[i];
	}
#else
	slot = metal_allocate_memory(sizeof(*slot));
#endif
	if (slot)
		memset(slot, 0, sizeof(*slot));
	return slot;
}

static void rproc_virtio_slot_put(struct rproc_virtio_slot *slot)
{
#if AMPLINK_CFG_STATIC_ALLOC
	atomic_store(&rproc_virtio_pool_used[slot - rproc_virtio_pool], 0);
#else
	metal_free_memory(slot);
#endif
}

/* ---- creation ------------------------------------------------------------ */

static bool rproc_virtio_pow2(uint32_t v)
{
	return v != 0 && (v & (v - 1)) == 0;
}

/*
 * Validate the fixed part of the entry at @off of @io: type, vring count,
 * and that the fixed part, the vrings and the config space fit the region.
 * Returns the vring count, or 0 (logged).
 */
static unsigned int rproc_virtio_check_entry(struct metal_io_region *io, unsigned long off,
					     uint32_t *config_len)
{
	size_t room = metal_io_region_size(io) - off;
	unsigned int nvr;

	if (room < sizeof(struct fw_rsc_vdev) ||
	    metal_io_read32(io, off + RPVDEV_OFF(type)) != RSC_VDEV) {
		metal_log(METAL_LOG_ERROR, "rproc_virtio: not a vdev entry or truncated\n");
		return 0;
	}
	nvr = metal_io_read8(io, off + RPVDEV_OFF(num_of_vrings));
	*config_len = metal_io_read32(io, off + RPVDEV_OFF(config_len));
	if (nvr == 0 || nvr > RPVDEV_MAX_VRINGS || RPVDEV_CFG_OFF(nvr) > room ||
	    *config_len > room - RPVDEV_CFG_OFF(nvr)) {
		metal_log(METAL_LOG_ERROR,
			  "rproc_virtio: vdev entry with %u vrings, %lu config "
			  "bytes does not fit\n",
			  nvr, (unsigned long)*config_len);
		return 0;
	}
	return nvr;
}

/*
 * Read each vring of the entry once, validate that snapshot (size a power of
 * two up to 32768, alignment a power of two) and allocate its virtqueue.
 * Returns 0, -EINVAL (logged) or -ENOMEM.
 */
static int rproc_virtio_alloc_vqs(struct remoteproc_virtio *rpvdev, unsigned int nvr)
{
	struct metal_io_region *io = rpvdev->vdev_rsc_io;
	unsigned int i;

	for (i = 0; i < nvr; i++) {
		unsigned long vr = rpvdev->rsc_offset + RPVDEV_CFG_OFF(i);
		struct virtio_vring_info *vri = &rpvdev->vdev.vrings_info[i];
		uint32_t num = metal_io_read32(io, vr + offsetof(struct fw_rsc_vdev_vring, num));
		uint32_t align =
			metal_io_read32(io, vr + offsetof(struct fw_rsc_vdev_vring, align));

		if (!rproc_virtio_pow2(num) || num > VQ_RING_DESC_CHAIN_END ||
		    !rproc_virtio_pow2(align)) {
			metal_log(METAL_LOG_ERROR,
				  "rproc_virtio: vring %u: bad num %lu / align %lu\n", i,
				  (unsigned long)num, (unsigned long)align);
			return -EINVAL;
		}
		vri->notifyid =
			metal_io_read32(io, vr + offsetof(struct fw_rsc_vdev_vring, notifyid));
		vri->info.num_descs = (uint16_t)num;
		vri->info.align = align;
		vri->vq = virtqueue_allocate(num);
		if (!vri->vq)
			return -ENOMEM;
	}
	return 0;
}

struct virtio_device *rproc_virtio_create_vdev(unsigned int role, unsigned int notifyid, void *rsc,
					       struct metal_io_region *rsc_io, void *priv,
					       rpvdev_notify_func notify,
					       virtio_dev_reset_cb rst_cb)
{
	struct rproc_virtio_slot *slot;
	struct remoteproc_virtio *rpvdev;
	unsigned long off;
	uint32_t config_len = 0;
	unsigned int nvr;

	if (!rsc || !rsc_io || (role != VIRTIO_DEV_DRIVER && role != VIRTIO_DEV_DEVICE))
		return NULL;
	off = metal_io_virt_to_offset(rsc_io, rsc);
	if (off == METAL_BAD_OFFSET)
		return NULL;
	RSC_TABLE_INVALIDATE(rsc, metal_io_region_size(rsc_io) - off);
	nvr = rproc_virtio_check_entry(rsc_io, off, &config_len);
	if (nvr == 0)
		return NULL;
	slot = rproc_virtio_slot_get();
	if (!slot)
		return NULL;
	rpvdev = &slot->rpvdev;
	rpvdev->priv = priv;
	rpvdev->notify = notify;
	rpvdev->vdev_rsc = rsc;
	rpvdev->vdev_rsc_io = rsc_io;
	rpvdev->rsc_offset = off;
	rpvdev->config_len = config_len;
	metal_list_init(&rpvdev->node);
	rpvdev->vdev.role = role;
	rpvdev->vdev.notifyid = notifyid;
	rpvdev->vdev.id.device = metal_io_read32(rsc_io, off + RPVDEV_OFF(id));
	rpvdev->vdev.reset_cb = rst_cb;
	rpvdev->vdev.func = &rproc_virtio_dispatch;
	rpvdev->vdev.vrings_info = slot->vrings;
	rpvdev->vdev.vrings_num = nvr;
	if (rproc_virtio_alloc_vqs(rpvdev, nvr) != 0) {
		rproc_virtio_remove_vdev(&rpvdev->vdev);
		return NULL;
	}
	return &rpvdev->vdev;
}

void rproc_virtio_remove_vdev(struct virtio_device *vdev)
{
	struct remoteproc_virtio *rpvdev;
	unsigned int i;

	if (!vdev)
		return;
	rpvdev = rpvdev_of(vdev);
	for (i = 0; i < vdev->vrings_num; i++)
		virtqueue_free(vdev->vrings_info[i].vq);
	rproc_virtio_slot_put(metal_container_of(rpvdev, struct rproc_virtio_slot, rpvdev));
}

int rproc_virtio_init_vring(struct virtio_device *vdev, unsigned int index, unsigned int notifyid,
			    void *va, struct metal_io_region *io, unsigned int num_descs,
			    unsigned int align)
{
	struct virtio_vring_info *vri;

	if (!vdev || index >= vdev->vrings_num || !va)
		return -EINVAL;
	vri = &vdev->vrings_info[index];
	if (!vri->vq || !rproc_virtio_pow2(num_descs) || num_descs > vri->vq->vq_alloc_num ||
	    !rproc_virtio_pow2(align))
		return -EINVAL;
	vri->notifyid = notifyid;
	vri->io = io;
	vri->info.vaddr = va;
	vri->info.num_descs = (uint16_t)num_descs;
	vri->info.align = align;
	return 0;
}

int rproc_virtio_notified(struct virtio_device *vdev, uint32_t notifyid)
{
	bool found = false;
	unsigned int i;

	if (!vdev)
		return -EINVAL;
	if (notifyid == vdev->notifyid && notifyid != RSC_NOTIFY_ID_ANY)
		return 0;
	for (i = 0; i < vdev->vrings_num; i++) {
		struct virtio_vring_info *vri = &vdev->vrings_info[i];

		if (notifyid != RSC_NOTIFY_ID_ANY && notifyid != vri->notifyid)
			continue;
		found = true;
		virtqueue_notification(vri->vq);
	}
	return found ? 0 : -EINVAL;
}

int amplink_rproc_virtio_wait_remote_ready(struct virtio_device *vdev, unsigned long timeout_us)
{
	const unsigned int step_us = 100;
	unsigned long waited = 0;

	if (!vdev)
		return -EINVAL;
	if (VIRTIO_ROLE_IS_DRIVER(vdev))
		return 0;
	for (;;) {
		if (rproc_virtio_get_status(vdev) & VIRTIO_CONFIG_STATUS_DRIVER_OK)
			return 0;
		if (waited >= timeout_us)
			return -ETIMEDOUT;
		metal_sleep_usec(step_us);
		waited += step_us;
	}
}

void rproc_virtio_wait_remote_ready(struct virtio_device *vdev)
{
	while (amplink_rproc_virtio_wait_remote_ready(vdev, 1000000UL) == -ETIMEDOUT)
		;
}
