/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The virtio device the vhost-user backend presents to amplink's rpmsg layer:
 * its struct virtio_dispatch (device role: status, the features the guest
 * accepted, notifications back to the guest through the call descriptor or
 * in-band on the slave channel), and the bring-up and tear-down of the rpmsg
 * device on the guest's rings. No rpmsg logic lives here.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <amplink/rpmsg.h>
#include <metal/log.h>
#include <openamp/virtqueue.h>

#include "vu_private.h"

static struct amplink_vhost_user *vu_of(struct virtio_device *vdev)
{
	return (struct amplink_vhost_user *)((uint8_t *)vdev -
					     offsetof(struct amplink_vhost_user, vdev));
}

static uint8_t vu_vdev_get_status(struct virtio_device *vdev)
{
	return vu_of(vdev)->status;
}

static void vu_vdev_set_status(struct virtio_device *vdev, uint8_t status)
{
	vu_of(vdev)->status = status;
}

static uint32_t vu_vdev_get_features(struct virtio_device *vdev)
{
	return (uint32_t)vu_of(vdev)->features;
}

static void vu_vdev_set_features(struct virtio_device *vdev, uint32_t features)
{
	(void)vdev;
	(void)features; /* the device's offer is fixed by the configuration */
}

/*
 * Write one call to @vr's call descriptor. A pipe or socket whose reader is
 * gone would raise SIGPIPE and kill the process: for those, SIGPIPE is
 * blocked on this thread around the write and a signal it caused is taken
 * back before the mask is restored. A full pipe already holds a pending call.
 */
static void vu_vdev_write_call(const struct vu_vring *vr)
{
	static const struct timespec now = {0, 0};
	uint64_t one = 1;
	sigset_t pipe_set, old;
	ssize_t r;

	if (vr->call_sigpipe) {
		sigemptyset(&pipe_set);
		sigaddset(&pipe_set, SIGPIPE);
		pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
	}
	do {
		r = write(vr->call_fd, &one, sizeof(one));
	} while (r < 0 && errno == EINTR);
	if (vr->call_sigpipe) {
		if (r < 0 && errno == EPIPE && !sigismember(&old, SIGPIPE))
			(void)sigtimedwait(&pipe_set, NULL, &now);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
}

/* Notify the guest about vring @index: call fd, or in-band on the slave channel. */
static void vu_vdev_notify(struct virtqueue *vq)
{
	struct amplink_vhost_user *vu = vu_of(vq->vq_dev);
	unsigned int i = vq->vq_queue_index;
	struct vu_vring_state st = {.index = i, .num = 0};

	if (i >= VU_NUM_VRINGS)
		return;
	atomic_fetch_add_explicit(&vu->calls, 1, memory_order_relaxed);
	if (vu->vring[i].call_fd >= 0) {
		vu_vdev_write_call(&vu->vring[i]);
		return;
	}
	if (vu->slave_fd >= 0 && (vu->protocol & (1ull << VU_PF_INBAND))) {
		metal_mutex_acquire(&vu->slave_lock);
		if (vu_sock_send(vu->slave_fd, VU_SLAVE_VRING_CALL, VU_VERSION, &st, sizeof(st)))
			metal_log(METAL_LOG_WARNING, "vhost-user: in-band call on vring %u lost\n",
				  i);
		metal_mutex_release(&vu->slave_lock);
	}
}

static const struct virtio_dispatch vu_dispatch = {
	.get_status = vu_vdev_get_status,
	.set_status = vu_vdev_set_status,
	.get_features = vu_vdev_get_features,
	.set_features = vu_vdev_set_features,
	.notify = vu_vdev_notify,
};

int vu_vdev_init(struct amplink_vhost_user *vu)
{
	unsigned int i;

	for (i = 0; i < VU_NUM_VRINGS; i++) {
		vu->vring[i].kick_fd = -1;
		vu->vring[i].call_fd = -1;
		vu->vring[i].vq = virtqueue_allocate(VU_MAX_RING);
		if (!vu->vring[i].vq)
			return -ENOMEM;
	}
	return 0;
}

int vu_vdev_start(struct amplink_vhost_user *vu)
{
	struct virtio_device *vdev = &vu->vdev;
	unsigned int i;
	int ret;

	memset(vdev, 0, sizeof(*vdev));
	vdev->id.device = VIRTIO_ID_RPMSG;
	vdev->role = VIRTIO_DEV_DEVICE;
	vdev->func = &vu_dispatch;
	vdev->features = vu->features;
	vdev->vrings_num = VU_NUM_VRINGS;
	vdev->vrings_info = vu->vrings_info;
	for (i = 0; i < VU_NUM_VRINGS; i++) {
		struct virtio_vring_info *vri = &vu->vrings_info[i];

		vri->vq = vu->vring[i].vq;
		vri->info.vaddr = vu->vring[i].ring;
		vri->info.align = vu->vring[i].align;
		vri->info.num_descs = (uint16_t)vu->vring[i].num;
		vri->notifyid = i;
		vri->io = &vu->io;
	}
	vu->status = VIRTIO_CONFIG_STATUS_ACK | VIRTIO_CONFIG_STATUS_DRIVER |
		     VIRTIO_CONFIG_FEATURES_OK | VIRTIO_CONFIG_STATUS_DRIVER_OK;
	ret = rpmsg_init_vdev(&vu->rvdev, vdev, NULL, &vu->io, NULL);
	if (ret) {
		metal_log(METAL_LOG_ERROR, "vhost-user: rpmsg device did not start (%d)\n", ret);
		vu->status = VIRTIO_CONFIG_STATUS_FAILED;
		return ret;
	}
	vu->running = true;
	vu->stats.sessions++;
	if (vu->cfg.ops.ready)
		vu->cfg.ops.ready(&vu->rvdev.rdev, vu->cfg.arg);
	return 0;
}

void vu_vdev_stop(struct amplink_vhost_user *vu)
{
	if (!vu->running)
		return;
	/* Nothing touches the rings from here on, whatever the application does. */
	amplink_rpmsg_virtio_set_peer_gone(&vu->rvdev);
	if (vu->cfg.ops.gone)
		vu->cfg.ops.gone(&vu->rvdev.rdev, vu->cfg.arg);
	rpmsg_deinit_vdev(&vu->rvdev);
	vu->running = false;
	vu->status = VIRTIO_CONFIG_STATUS_RESET;
}
