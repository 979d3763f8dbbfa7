/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bring-up of a runtime image: the rpmsg vdev of the resource table in the
 * device role over the whole shared RAM and the vrings the host placed (their
 * addresses checked through the io region). The main loop is remote_loop.c.
 */
#include <metal/io.h>
#include <metal/log.h>
#include <metal/sys.h>
#include <openamp/remoteproc_virtio.h>
#include <openamp/rpmsg_virtio.h>
#include <openamp/virtio_ring.h>

#include "board.h"
#include "remote.h"

static struct metal_io_region shm_io;
static metal_phys_addr_t shm_phys;
static struct rpmsg_virtio_device rvdev;

extern uint32_t __stack_top; /* end of the image's RAM window (link script) */

/*
 * The host placed @vr: accept it only with the geometry we declared, wholly
 * inside shared RAM and above our own image (code, data, stack end at
 * __stack_top). Returns its address, or NULL.
 */
static void *remote_vring_va(const struct fw_rsc_vdev_vring *vr)
{
	uintptr_t lo = (uintptr_t)&__stack_top;
	uintptr_t end = board_shm_base() + board_shm_size();
	uintptr_t size = vring_size(REMOTE_VRING_NUM, REMOTE_VRING_ALIGN);

	if (vr->num != REMOTE_VRING_NUM || vr->align != REMOTE_VRING_ALIGN || vr->da < lo ||
	    vr->da >= end || end - vr->da < size)
		return NULL;
	return metal_io_phys_to_virt(&shm_io, vr->da);
}

static struct virtio_device *remote_vdev_start(void)
{
	struct virtio_device *vdev;
	unsigned int i;

	vdev = rproc_virtio_create_vdev(VIRTIO_DEV_DEVICE, REMOTE_VDEV_NOTIFY, &resource_table.vdev,
					&shm_io, NULL, board_notify_host, NULL);
	if (!vdev)
		return NULL;
	rproc_virtio_wait_remote_ready(vdev);
	for (i = 0; i < 2; i++) {
		struct fw_rsc_vdev_vring *vr = &resource_table.vring[i];
		void *va = remote_vring_va(vr);

		if (!va || rproc_virtio_init_vring(vdev, i, vr->notifyid, va, &shm_io, vr->num,
						   vr->align) != 0) {
			metal_err("remote: vring %u at 0x%x unusable", i, (unsigned)vr->da);
			return NULL;
		}
	}
	return vdev;
}

struct rpmsg_device *remote_start(const char *image_name)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;

	metal_init(&params);
	shm_phys = board_shm_base();
	metal_io_init(&shm_io, (void *)board_shm_base(), &shm_phys, board_shm_size(), -1, 0, NULL);
	metal_info("amplink %s: up, waiting for the host", image_name);
	remote_mailbox_ready();
	remote_vdev = remote_vdev_start();
	if (!remote_vdev || rpmsg_init_vdev(&rvdev, remote_vdev, NULL, &shm_io, NULL) != 0) {
		metal_err("amplink %s: rpmsg device failed", image_name);
		return NULL;
	}
	metal_info("amplink %s: host ready", image_name);
	return rpmsg_virtio_get_rpmsg_device(&rvdev);
}
