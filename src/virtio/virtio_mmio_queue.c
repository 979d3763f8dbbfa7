/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-mmio transport, driver side: placing ring memory for each queue,
 * creating the virtqueues and handing their three areas (descriptors, driver
 * area, device area) to the device through QueueSel, QueueNum, QueueDesc,
 * QueueDriver, QueueDevice and QueueReady, deleting them, and the notify
 * (QueueNotify) hook. Works for the split format and, when
 * VIRTIO_F_RING_PACKED was negotiated, the packed format.
 */
#include <amplink/config.h>

#if AMPLINK_CFG_ROLE_DRIVER

#include <amplink/libc.h>
#include <metal/errno.h>
#include <metal/log.h>
#include <metal/utilities.h>
#include <openamp/virtio.h>
#include <openamp/virtio_mmio.h>
#include <openamp/virtio_ring.h>
#include <openamp/virtqueue.h>

#include "virtio/virtio_mmio_internal.h"

/* Bytes of one packed descriptor and of one event suppression structure. */
#define VIRTIO_MMIO_PACKED_DESC_SIZE  16u
#define VIRTIO_MMIO_PACKED_EVENT_SIZE 4u

/* Device-visible addresses of a queue's three areas. */
struct virtio_mmio_areas {
	metal_phys_addr_t desc;
	metal_phys_addr_t driver;
	metal_phys_addr_t device;
};

static bool virtio_mmio_is_pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

static bool virtio_mmio_packed(struct amplink_virtio_mmio *mdev)
{
	return (mdev->vdev.features >> VIRTIO_F_RING_PACKED) & 1u;
}

/* Bytes of ring memory a queue of @num descriptors needs in this format. */
static size_t virtio_mmio_ring_bytes(struct amplink_virtio_mmio *mdev, unsigned int num,
				     unsigned int align)
{
	if (virtio_mmio_packed(mdev))
		return (size_t)num * VIRTIO_MMIO_PACKED_DESC_SIZE +
		       2 * VIRTIO_MMIO_PACKED_EVENT_SIZE;
	return (size_t)vring_size(num, align);
}

/* Offset of @va in shm_io when [va, va + len) lies inside it, else BAD. */
static unsigned long virtio_mmio_shm_offset(struct amplink_virtio_mmio *mdev, void *va, size_t len)
{
	unsigned long off = metal_io_virt_to_offset(mdev->shm_io, va);
	size_t size = metal_io_region_size(mdev->shm_io);

	if (off == METAL_BAD_OFFSET || off > size || len > size - off)
		return METAL_BAD_OFFSET;
	return off;
}

/* Computes the three areas' device addresses; -EINVAL if one is unknown. */
static int virtio_mmio_areas_of(struct amplink_virtio_mmio *mdev, struct vring_alloc_info *info,
				struct virtio_mmio_areas *areas)
{
	unsigned long base = metal_io_virt_to_offset(mdev->shm_io, info->vaddr);
	unsigned long num = info->num_descs;
	unsigned long drv, dev;

	if (virtio_mmio_packed(mdev)) {
		drv = base + num * VIRTIO_MMIO_PACKED_DESC_SIZE;
		dev = drv + VIRTIO_MMIO_PACKED_EVENT_SIZE;
	} else {
		drv = base + num * 16u;
		dev = metal_align_up(drv + 2u * (3u + num), (unsigned long)info->align);
	}
	areas->desc = metal_io_phys(mdev->shm_io, base);
	areas->driver = metal_io_phys(mdev->shm_io, drv);
	areas->device = metal_io_phys(mdev->shm_io, dev);
	if (areas->desc == METAL_BAD_PHYS || areas->driver == METAL_BAD_PHYS ||
	    areas->device == METAL_BAD_PHYS) {
		metal_err("virtio-mmio: ring memory has no physical address\n");
		return -EINVAL;
	}
	return 0;
}

static void virtio_mmio_write64(struct amplink_virtio_mmio *mdev, unsigned long lo_reg,
				uint64_t value)
{
	virtio_mmio_write(mdev, lo_reg, (uint32_t)value);
	virtio_mmio_write(mdev, lo_reg + 4, (uint32_t)(value >> 32));
}

int amplink_virtio_mmio_set_vring(struct amplink_virtio_mmio *mdev, unsigned int index, void *va,
				  unsigned int num, unsigned int align)
{
	struct virtio_vring_info *info;
	uint32_t max;

	if (!mdev || !va || index >= AMPLINK_CFG_MMIO_MAX_VQS || !virtio_mmio_is_pow2(num) ||
	    num > 32768u || !virtio_mmio_is_pow2(align))
		return -EINVAL;
	virtio_mmio_write(mdev, VIRTIO_MMIO_QUEUE_SEL, index);
	if (virtio_mmio_read(mdev, VIRTIO_MMIO_QUEUE_READY)) {
		metal_err("virtio-mmio: queue %u already live\n", index);
		return -EBUSY;
	}
	max = virtio_mmio_read(mdev, VIRTIO_MMIO_QUEUE_NUM_MAX);
	if (!virtio_mmio_is_pow2(max)) {
		metal_err("virtio-mmio: queue %u: bad QueueNumMax %lu\n", index,
			  (unsigned long)max);
		return -ENODEV;
	}
	if (num > max) {
		metal_err("virtio-mmio: queue %u: %u descriptors > QueueNumMax %lu\n", index, num,
			  (unsigned long)max);
		return -EINVAL;
	}
	info = &mdev->vrings[index];
	info->io = mdev->shm_io;
	info->notifyid = index;
	info->info.vaddr = va;
	info->info.num_descs = (uint16_t)num;
	info->info.align = align;
	mdev->queue_num_max[index] = max;
	if (mdev->vdev.vrings_num <= index)
		mdev->vdev.vrings_num = index + 1;
	return 0;
}

/* Tells the device where queue @index lives and sets QueueReady. */
static int virtio_mmio_activate(struct amplink_virtio_mmio *mdev, unsigned int index)
{
	struct virtio_vring_info *info = &mdev->vrings[index];
	struct virtio_mmio_areas areas;
	int ret;

	ret = virtio_mmio_areas_of(mdev, &info->info, &areas);
	if (ret)
		return ret;
	virtio_mmio_write(mdev, VIRTIO_MMIO_QUEUE_SEL, index);
	virtio_mmio_write(mdev, VIRTIO_MMIO_QUEUE_NUM, info->info.num_descs);
	virtio_mmio_write64(mdev, VIRTIO_MMIO_QUEUE_DESC_LOW, areas.desc);
	virtio_mmio_write64(mdev, VIRTIO_MMIO_QUEUE_AVAIL_LOW, areas.driver);
	virtio_mmio_write64(mdev, VIRTIO_MMIO_QUEUE_USED_LOW, areas.device);
	virtio_mmio_write(mdev, VIRTIO_MMIO_QUEUE_READY, 1);
	return 0;
}

/* Creates the virtqueue of slot @i over zeroed ring memory. */
static int virtio_mmio_create_one(struct amplink_virtio_mmio *mdev, unsigned int i,
				  const char *name, vq_callback cb, void *arg)
{
	struct virtio_vring_info *info = &mdev->vrings[i];
	size_t bytes;
	unsigned long off;
	struct virtqueue *vq;
	int ret;

	if (!info->info.vaddr) {
		metal_err("virtio-mmio: queue %u has no ring memory\n", i);
		return -EINVAL;
	}
	bytes = virtio_mmio_ring_bytes(mdev, info->info.num_descs, info->info.align);
	off = virtio_mmio_shm_offset(mdev, info->info.vaddr, bytes);
	if (off == METAL_BAD_OFFSET) {
		metal_err("virtio-mmio: queue %u ring outside shared memory\n", i);
		return -EINVAL;
	}
	vq = virtqueue_allocate(info->info.num_descs);
	if (!vq)
		return -ENOMEM;
	metal_io_block_set(mdev->shm_io, off, 0, (int)bytes);
	ret = virtqueue_create(&mdev->vdev, (unsigned short)i, name, &info->info, cb,
			       virtio_mmio_notify, vq);
	if (ret) {
		virtqueue_free(vq);
		return ret;
	}
	vq->priv = arg;
	virtqueue_set_shmem_io(vq, mdev->shm_io);
	info->vq = vq;
	ret = virtio_mmio_activate(mdev, i);
	if (ret) {
		info->vq = NULL;
		virtqueue_free(vq);
	}
	return ret;
}

int virtio_mmio_create_virtqueues(struct virtio_device *vdev, unsigned int flags, unsigned int nvqs,
				  const char *names[], vq_callback callbacks[],
				  void *callback_args[])
{
	struct amplink_virtio_mmio *mdev = virtio_mmio_from_vdev(vdev);
	unsigned int i;
	int ret = 0;

	(void)flags;
	if (nvqs > vdev->vrings_num || nvqs > AMPLINK_CFG_MMIO_MAX_VQS)
		return -EINVAL;
	if (mdev->broken)
		return -EIO;
	/*
	 * virtio_set_features()/virtio_negotiate_features() store only the
	 * 32-bit word they were given: put back what the device accepted
	 * (VERSION_1, RING_PACKED) so the ring format matches the device's.
	 */
	vdev->features = mdev->negotiated_features;
	for (i = 0; i < nvqs && !ret; i++)
		ret = virtio_mmio_create_one(mdev, i, names ? names[i] : NULL,
					     callbacks ? callbacks[i] : NULL,
					     callback_args ? callback_args[i] : NULL);
	if (ret)
		virtio_mmio_delete_virtqueues(vdev);
	return ret;
}

void virtio_mmio_delete_virtqueues(struct virtio_device *vdev)
{
	struct amplink_virtio_mmio *mdev = virtio_mmio_from_vdev(vdev);
	unsigned int i;

	for (i = 0; i < vdev->vrings_num && i < AMPLINK_CFG_MMIO_MAX_VQS; i++) {
		if (!mdev->vrings[i].vq)
			continue;
		virtio_mmio_write(mdev, VIRTIO_MMIO_QUEUE_SEL, i);
		virtio_mmio_write(mdev, VIRTIO_MMIO_QUEUE_READY, 0);
		virtqueue_free(mdev->vrings[i].vq);
		mdev->vrings[i].vq = NULL;
	}
}

void virtio_mmio_notify(struct virtqueue *vq)
{
	struct amplink_virtio_mmio *mdev;

	if (!vq || !vq->vq_dev)
		return;
	mdev = virtio_mmio_from_vdev(vq->vq_dev);
	virtio_mmio_write(mdev, VIRTIO_MMIO_QUEUE_NOTIFY, vq->vq_queue_index);
}

#endif /* AMPLINK_CFG_ROLE_DRIVER */
