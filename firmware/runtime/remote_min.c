/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The minimal runtime (min-echo, lean profile builds): remote_start of
 * remote.h (the loop is remote_loop.c) without what a minimal remote does not
 * need. No metal_init (the bare-metal port needs none), no start-up log lines,
 * and the host-placed vrings taken at their device address (this board maps
 * shared RAM 1:1) and checked by the transport (rproc_virtio_init_vring)
 * against the region and the table, plus "above this image" here.
 */
#include <metal/io.h>
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
 * Vring @i where the host placed it: above this image (code, data, stack end
 * at __stack_top); rproc_virtio_init_vring checks the rest (geometry against
 * the table, the whole ring inside shared RAM). Returns 0 or -1.
 */
static int remote_min_vring(unsigned int i)
{
	const struct fw_rsc_vdev_vring *vr = &resource_table.vring[i];
	uintptr_t da = vr->da;

	if (da < (uintptr_t)&__stack_top)
		return -1;
	return rproc_virtio_init_vring(remote_vdev, i, vr->notifyid, (void *)da, &shm_io, vr->num,
				       vr->align);
}

struct rpmsg_device *remote_start(const char *image_name)
{
	(void)image_name;
	shm_phys = board_shm_base();
	metal_io_init(&shm_io, (void *)board_shm_base(), &shm_phys, board_shm_size(), -1, 0, NULL);
	remote_mailbox_ready();
	remote_vdev = rproc_virtio_create_vdev(VIRTIO_DEV_DEVICE, REMOTE_VDEV_NOTIFY,
					       &resource_table.vdev, &shm_io, NULL,
					       board_notify_host, NULL);
	if (!remote_vdev)
		return NULL;
	rproc_virtio_wait_remote_ready(remote_vdev);
	if (remote_min_vring(0) || remote_min_vring(1) ||
	    rpmsg_init_vdev(&rvdev, remote_vdev, NULL, &shm_io, NULL))
		return NULL;
	return rpmsg_virtio_get_rpmsg_device(&rvdev);
}
