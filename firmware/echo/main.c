/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The minimal amplink remote: a Linux-compatible RPMsg echo in the device role.
 * It declares one rpmsg vdev in its resource table, waits for the host to set
 * DRIVER_OK, announces the "rpmsg-raw" service through the name service and echoes
 * every message back to its sender. Static allocation, no heap, no libc beyond
 * what the bare-metal port provides. This image is also the footprint benchmark.
 */
#include <metal/io.h>
#include <metal/sys.h>
#include <openamp/remoteproc.h>
#include <openamp/remoteproc_virtio.h>
#include <openamp/rpmsg.h>
#include <openamp/rpmsg_virtio.h>

#include "board.h"

#define VRING_NUM   16
#define VRING_ALIGN 16
#define VDEV_NOTIFY 2

/* The contract with the host: one rpmsg vdev, two vrings the host places. */
struct echo_rsc_table {
	struct resource_table hdr;
	uint32_t offset[1];
	struct fw_rsc_vdev vdev;
	struct fw_rsc_vdev_vring vring[2];
} __attribute__((packed));

__attribute__((section(".resource_table"), used)) struct echo_rsc_table resource_table = {
	.hdr = {.ver = 1, .num = 1},
	.offset = {offsetof(struct echo_rsc_table, vdev)},
	.vdev = {.type = RSC_VDEV,
		 .id = VIRTIO_ID_RPMSG,
		 .notifyid = VDEV_NOTIFY,
		 .dfeatures = 1u << VIRTIO_RPMSG_F_NS,
		 .num_of_vrings = 2},
	.vring =
		{{.da = FW_RSC_U32_ADDR_ANY, .align = VRING_ALIGN, .num = VRING_NUM, .notifyid = 0},
		 {.da = FW_RSC_U32_ADDR_ANY,
		  .align = VRING_ALIGN,
		  .num = VRING_NUM,
		  .notifyid = 1}},
};

static struct metal_io_region shm_io;
static metal_phys_addr_t shm_phys;
static struct rpmsg_virtio_device rvdev;
static struct rpmsg_endpoint echo_ept;

static int echo_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)priv;
	rpmsg_sendto(ept, data, (int)len, src);
	return RPMSG_SUCCESS;
}

static struct virtio_device *echo_vdev_start(void)
{
	struct virtio_device *vdev;
	unsigned int i;

	vdev = rproc_virtio_create_vdev(VIRTIO_DEV_DEVICE, VDEV_NOTIFY, &resource_table.vdev,
					&shm_io, NULL, board_notify_host, NULL);
	if (!vdev)
		return NULL;
	rproc_virtio_wait_remote_ready(vdev);
	for (i = 0; i < 2; i++) {
		struct fw_rsc_vdev_vring *vr = &resource_table.vring[i];
		void *va = metal_io_phys_to_virt(&shm_io, vr->da);

		if (!va || rproc_virtio_init_vring(vdev, i, vr->notifyid, va, &shm_io, vr->num,
						   vr->align) != 0)
			return NULL;
	}
	return vdev;
}

int main(void)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;
	struct virtio_device *vdev;

	metal_init(&params);
	shm_phys = board_shm_base();
	metal_io_init(&shm_io, (void *)board_shm_base(), &shm_phys, board_shm_size(), -1, 0, NULL);
	vdev = echo_vdev_start();
	if (!vdev || rpmsg_init_vdev(&rvdev, vdev, NULL, &shm_io, NULL) != 0)
		return 1;
	if (rpmsg_create_ept(&echo_ept, rpmsg_virtio_get_rpmsg_device(&rvdev), "rpmsg-raw",
			     RPMSG_ADDR_ANY, RPMSG_ADDR_ANY, echo_cb, NULL) != 0)
		return 2;
	for (;;) {
		if (board_host_kicked())
			rproc_virtio_notified(vdev, RSC_NOTIFY_ID_ANY);
		else
			board_idle();
	}
}
