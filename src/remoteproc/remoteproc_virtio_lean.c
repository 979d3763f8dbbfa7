/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Lean profile (AMPLINK_CFG_LEAN_DEVICE): the resource-table virtio transport
 * for one device in the device role, without a dispatch table. The vdev entry
 * is validated once (inside its region, type, at most two vrings whose sizes
 * are powers of two, config space inside the region); the status and feature
 * accessors of the virtio API read and write the entry directly; each vring
 * the host placed gets one of two static virtqueues. One instance: creating
 * the device again (after a reset by the host) starts it afresh.
 */
#include <stddef.h>
#include <metal/errno.h>
#include <metal/sleep.h>
#include <metal/utilities.h>
#include <openamp/remoteproc_virtio.h>

#include "virtio/vring_split_lean.h"

/* Vrings one lean device holds (rpmsg needs two). */
#define RPROC_LEAN_VRINGS 2
/* DRIVER_OK poll interval during start-up, in microseconds. */
#define RPROC_LEAN_READY_POLL_US 100u
/* Largest vring a 16-bit free-running index can address. */
#define RPROC_LEAN_MAX_NUM 32768u

static struct remoteproc_virtio rproc_lean_dev;
static struct virtio_vring_info rproc_lean_vrings[RPROC_LEAN_VRINGS];
static struct virtqueue rproc_lean_vqs[RPROC_LEAN_VRINGS];

static struct remoteproc_virtio *rproc_lean_of(struct virtio_device *vdev)
{
	return metal_container_of(vdev, struct remoteproc_virtio, vdev);
}

static volatile struct fw_rsc_vdev *rproc_lean_rsc(struct virtio_device *vdev)
{
	return rproc_lean_of(vdev)->vdev_rsc;
}

/*
 * The entry's 32-bit fields are read as words (its start is 4-byte aligned,
 * checked at creation): packed-struct accesses would be byte loads on cores
 * without unaligned access. Index of @field, and of @field of vring @i.
 */
#define RSC_W(field) (offsetof(struct fw_rsc_vdev, field) / 4)
#define RSC_VR_W(i, field)                                                                         \
	((offsetof(struct fw_rsc_vdev, vring) + (i) * sizeof(struct fw_rsc_vdev_vring) +           \
	  offsetof(struct fw_rsc_vdev_vring, field)) /                                             \
	 4)

static const volatile uint32_t *rproc_lean_words(const void *rsc)
{
	return rsc;
}

static bool rproc_lean_pow2(uint32_t n, uint32_t max)
{
	return n != 0 && n <= max && (n & (n - 1)) == 0;
}

int virtio_get_status(struct virtio_device *vdev, uint8_t *status)
{
	if (!vdev || !status)
		return -EINVAL;
	RSC_TABLE_INVALIDATE(&rproc_lean_rsc(vdev)->status, 1);
	*status = rproc_lean_rsc(vdev)->status;
	return 0;
}

int virtio_set_status(struct virtio_device *vdev, uint8_t status)
{
	if (!vdev)
		return -EINVAL;
	rproc_lean_rsc(vdev)->status = status;
	RSC_TABLE_FLUSH(&rproc_lean_rsc(vdev)->status, 1);
	return 0;
}

int virtio_get_features(struct virtio_device *vdev, uint32_t *features)
{
	if (!vdev || !features)
		return -EINVAL;
	RSC_TABLE_INVALIDATE(&rproc_lean_rsc(vdev)->gfeatures, 4);
	*features = rproc_lean_words(rproc_lean_of(vdev)->vdev_rsc)[RSC_W(gfeatures)];
	return 0;
}

/* The queue's notify op: kick the host with the vring's notify id. */
static void rproc_lean_notify(struct virtqueue *vq)
{
	struct remoteproc_virtio *rpvdev = rproc_lean_of(vq->vq_dev);

	rpvdev->notify(rpvdev->priv, rproc_lean_vrings[vq->vq_queue_index].notifyid);
}

/*
 * Checks the entry at @rsc with @left bytes to the region's end: alignment,
 * type, vring count and sizes, config space. The vring sizes, read once, go
 * to @num (the host may change the table afterwards). Returns the vring
 * count, or 0.
 */
static unsigned int rproc_lean_check(const void *rsc, size_t left, uint32_t *num)
{
	const volatile uint32_t *w = rproc_lean_words(rsc);
	unsigned int n, i;
	size_t fixed;

	if (((uintptr_t)rsc & 3) != 0 || left < sizeof(struct fw_rsc_vdev) ||
	    w[RSC_W(type)] != RSC_VDEV)
		return 0;
	n = ((const volatile uint8_t *)rsc)[offsetof(struct fw_rsc_vdev, num_of_vrings)];
	fixed = sizeof(struct fw_rsc_vdev) + n * sizeof(struct fw_rsc_vdev_vring);
	if (n == 0 || n > RPROC_LEAN_VRINGS || fixed > left || w[RSC_W(config_len)] > left - fixed)
		return 0;
	for (i = 0; i < n; i++) {
		num[i] = w[RSC_VR_W(i, num)];
		if (!rproc_lean_pow2(num[i], RPROC_LEAN_MAX_NUM))
			return 0;
	}
	return n;
}

struct virtio_device *rproc_virtio_create_vdev(unsigned int role, unsigned int notifyid, void *rsc,
					       struct metal_io_region *rsc_io, void *priv,
					       rpvdev_notify_func notify,
					       virtio_dev_reset_cb rst_cb)
{
	struct remoteproc_virtio *rpvdev = &rproc_lean_dev;
	const volatile uint32_t *w = rproc_lean_words(rsc);
	uint32_t num[RPROC_LEAN_VRINGS];
	unsigned long off;
	unsigned int n, i;

	if (role != VIRTIO_DEV_DEVICE || !rsc_io || !notify)
		return NULL;
	off = metal_io_virt_to_offset(rsc_io, rsc);
	RSC_TABLE_INVALIDATE(rsc, sizeof(struct fw_rsc_vdev));
	n = off == METAL_BAD_OFFSET ? 0 : rproc_lean_check(rsc, rsc_io->size - off, num);
	if (!n) {
		metal_err("rproc virtio: bad vdev entry\n");
		return NULL;
	}
	rpvdev->priv = priv;
	rpvdev->vdev_rsc = rsc;
	rpvdev->vdev_rsc_io = rsc_io;
	rpvdev->notify = notify;
	rpvdev->vdev.notifyid = notifyid;
	rpvdev->vdev.id.device = w[RSC_W(id)];
	rpvdev->vdev.role = VIRTIO_DEV_DEVICE;
	rpvdev->vdev.reset_cb = rst_cb;
	rpvdev->vdev.vrings_num = n;
	rpvdev->vdev.vrings_info = rproc_lean_vrings;
	for (i = 0; i < n; i++) {
		struct virtio_vring_info *vi = &rproc_lean_vrings[i];
		struct virtqueue *vq = &rproc_lean_vqs[i];

		vq->vq_dev = &rpvdev->vdev;
		vq->vq_queue_index = (uint16_t)i;
		vq->notify = rproc_lean_notify;
		vq->vq_ring.avail = NULL; /* not placed yet */
		vi->vq = vq;
		vi->notifyid = w[RSC_VR_W(i, notifyid)];
		vi->info.num_descs = (uint16_t)num[i];
	}
	return &rpvdev->vdev;
}

int rproc_virtio_init_vring(struct virtio_device *vdev, unsigned int index, unsigned int notifyid,
			    void *va, struct metal_io_region *io, unsigned int num_descs,
			    unsigned int align)
{
	struct virtio_vring_info *vi;
	unsigned long off;

	if (!vdev || index >= vdev->vrings_num || !io || ((uintptr_t)va & 15) != 0)
		return -EINVAL;
	vi = &vdev->vrings_info[index];
	if (!rproc_lean_pow2(num_descs, vi->info.num_descs) || !rproc_lean_pow2(align, 1u << 16))
		return -EINVAL;
	off = metal_io_virt_to_offset(io, va);
	if (off == METAL_BAD_OFFSET ||
	    (size_t)vring_size(num_descs, align) > metal_io_region_size(io) - off)
		return -EINVAL;
	vi->notifyid = notifyid;
	vi->io = io;
	vi->info.vaddr = va;
	vi->info.align = align;
	vi->info.num_descs = (uint16_t)num_descs;
	vring_lean_attach(vi->vq, va, num_descs, align);
	return 0;
}

int rproc_virtio_notified(struct virtio_device *vdev, uint32_t notifyid)
{
	unsigned int i;
	int found = 0;

	if (!vdev)
		return -EINVAL;
	for (i = 0; i < vdev->vrings_num; i++) {
		struct virtqueue *vq = vdev->vrings_info[i].vq;

		if (notifyid != RSC_NOTIFY_ID_ANY && notifyid != vdev->vrings_info[i].notifyid)
			continue;
		found = 1;
		if (vq->callback && vq->vq_ring.avail)
			vq->callback(vq);
	}
	return found || notifyid == vdev->notifyid ? 0 : -EINVAL;
}

int virtio_lean_wait_ready(struct virtio_device *vdev)
{
	uint8_t status = 0;

	for (;;) {
		if (virtio_get_status(vdev, &status))
			return -EINVAL;
		if (status & VIRTIO_CONFIG_STATUS_FAILED)
			return -ENODEV;
		if (status & VIRTIO_CONFIG_STATUS_DRIVER_OK)
			return 0;
		metal_sleep_usec(RPROC_LEAN_READY_POLL_US);
	}
}

void rproc_virtio_wait_remote_ready(struct virtio_device *vdev)
{
	(void)virtio_lean_wait_ready(vdev);
}
