/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Virtio devices of a remote processor, built from the vdev entries of its
 * resource table: remoteproc_create_virtio places every vring (the host
 * allocates the ones the firmware left at FW_RSC_U32_ADDR_ANY through the
 * mmap op and writes their addresses back into the table),
 * remoteproc_remove_virtio, and remoteproc_get_notification which routes a
 * kick to the vrings it names.
 */
#include <openamp/remoteproc.h>

#include <amplink/remoteproc.h>
#include <metal/log.h>
#include <metal/utilities.h>
#include <openamp/remoteproc_virtio.h>
#include <openamp/rsc_table_parser.h>
#include <openamp/virtio_ring.h>

static int rproc_vdev_kick(void *priv, uint32_t id)
{
	struct remoteproc *rproc = priv;

	if (!rproc->ops->notify)
		return -RPROC_ENODEV;
	return rproc->ops->notify(rproc, id);
}

static int rproc_vring_geometry_ok(uint32_t num, uint32_t align)
{
	return num && !(num & (num - 1)) && num <= AMPLINK_RSC_MAX_VRING_NUM && align &&
	       !(align & (align - 1)) && align <= 0x10000;
}

/* Host side: memory for a vring the firmware did not place. */
static void *rproc_vring_alloc(struct remoteproc *rproc, struct fw_rsc_vdev_vring *vr, size_t size,
			       struct metal_io_region **io)
{
	metal_phys_addr_t pa = METAL_BAD_PHYS, da = METAL_BAD_PHYS;
	void *va = remoteproc_mmap(rproc, &pa, &da, size, 0, io);

	if (!va || !*io || da == METAL_BAD_PHYS || (uint64_t)da + size > 0x100000000ULL) {
		metal_err("remoteproc: no memory for a vring of %zu bytes", size);
		return NULL;
	}
	metal_io_block_set(*io, metal_io_virt_to_offset(*io, va), 0, (int)size);
	vr->da = (uint32_t)da;
	return va;
}

static int rproc_vring_place(struct remoteproc *rproc, struct virtio_device *vdev,
			     struct fw_rsc_vdev *rsc, unsigned int i, unsigned int role)
{
	struct fw_rsc_vdev_vring *vr = &rsc->vring[i];
	struct metal_io_region *io = NULL;
	metal_phys_addr_t pa = METAL_BAD_PHYS, da = vr->da;
	size_t size;
	void *va;

	/* the table may have changed since it was validated: check again */
	if (!rproc_vring_geometry_ok(vr->num, vr->align)) {
		metal_err("remoteproc: vring %u num %u align %u invalid", i, (unsigned)vr->num,
			  (unsigned)vr->align);
		return -AMPLINK_RPROC_ERR_RSC_VRING;
	}
	size = (size_t)vring_size(vr->num, vr->align);
	if (vr->da == FW_RSC_U32_ADDR_ANY) {
		if (role != VIRTIO_DEV_DRIVER) {
			metal_err("remoteproc: vring %u has no address and the host placed none",
				  i);
			return -RPROC_EINVAL;
		}
		va = rproc_vring_alloc(rproc, vr, size, &io);
	} else {
		va = remoteproc_mmap(rproc, &pa, &da, size, 0, &io);
		if (!va)
			metal_err("remoteproc: vring %u at da 0x%x outside target memory", i,
				  (unsigned)vr->da);
	}
	if (!va)
		return -RPROC_ENOMEM;
	RSC_TABLE_FLUSH(vr, sizeof(*vr));
	return rproc_virtio_init_vring(vdev, i, vr->notifyid, va, io, vr->num, vr->align);
}

struct virtio_device *remoteproc_create_virtio(struct remoteproc *rproc, int vdev_id,
					       unsigned int role,
					       void (*rst_cb)(struct virtio_device *vdev))
{
	struct remoteproc_virtio *rpvdev;
	struct virtio_device *vdev;
	struct fw_rsc_vdev *rsc;
	size_t off;
	unsigned int i;

	if (!rproc || vdev_id < 0)
		return NULL;
	metal_mutex_acquire(&rproc->lock);
	off = rproc->rsc_table ? amplink_rsc_find(rproc->rsc_table, rproc->rsc_len, RSC_VDEV,
						  (unsigned int)vdev_id)
			       : 0;
	if (!off || !rproc->rsc_io) {
		metal_mutex_release(&rproc->lock);
		metal_err("remoteproc: no vdev %d in the resource table", vdev_id);
		return NULL;
	}
	rsc = (struct fw_rsc_vdev *)((unsigned char *)rproc->rsc_table + off);
	vdev = rproc_virtio_create_vdev(role, rsc->notifyid, rsc, rproc->rsc_io, rproc,
					rproc_vdev_kick, rst_cb);
	for (i = 0; vdev && i < vdev->vrings_num; i++) {
		if (rproc_vring_place(rproc, vdev, rsc, i, role)) {
			rproc_virtio_remove_vdev(vdev);
			vdev = NULL;
		}
	}
	if (vdev) {
		rpvdev = metal_container_of(vdev, struct remoteproc_virtio, vdev);
		metal_list_add_tail(&rproc->vdevs, &rpvdev->node);
	}
	metal_mutex_release(&rproc->lock);
	return vdev;
}

void remoteproc_remove_virtio(struct remoteproc *rproc, struct virtio_device *vdev)
{
	struct remoteproc_virtio *rpvdev;

	if (!rproc || !vdev)
		return;
	rpvdev = metal_container_of(vdev, struct remoteproc_virtio, vdev);
	metal_mutex_acquire(&rproc->lock);
	metal_list_del(&rpvdev->node);
	rproc_virtio_remove_vdev(vdev);
	metal_mutex_release(&rproc->lock);
}

int remoteproc_get_notification(struct remoteproc *rproc, uint32_t notifyid)
{
	struct remoteproc_virtio *rpvdev;
	struct metal_list *node;
	int ret = -RPROC_EINVAL;

	if (!rproc)
		return -RPROC_EINVAL;
	metal_list_for_each(&rproc->vdevs, node)
	{
		rpvdev = metal_container_of(node, struct remoteproc_virtio, node);
		if (rproc_virtio_notified(&rpvdev->vdev, notifyid) == 0)
			ret = 0;
	}
	return ret;
}
