/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The virtio and rpmsg side of the Linux two-process transport: both roles
 * are built through the standard path (rproc_virtio_create_vdev on the
 * resource table's vdev entry, rproc_virtio_init_vring per ring,
 * rpmsg_init_vdev), with the doorbell as the notify hook and a wait hook
 * that lets a sender short of buffers wait on the doorbell.
 */
#define _GNU_SOURCE
#include <errno.h>

#include <metal/log.h>
#include <metal/utilities.h>
#include <amplink/virtqueue.h>
#include <openamp/remoteproc.h>
#include <openamp/remoteproc_virtio.h>
#include <openamp/rpmsg_virtio.h>

#include "lp_private.h"

/* How long one call of the wait hook waits for the peer before returning. */
#define LP_WAIT_CB_NS (2LL * 1000 * 1000)
/* How long the remote waits for the host's DRIVER_OK at start-up. */
#define LP_READY_US (2UL * 1000 * 1000)

/*
 * lp_vdev_notify() - the virtio transport's kick: ring the peer's doorbell.
 * One doorbell serves both vrings; the peer looks at both. Any context.
 * Returns 0.
 */
int lp_vdev_notify(void *priv, uint32_t id)
{
	struct amplink_lp *lp = priv;

	(void)id;
	if (!atomic_load(&lp->gone))
		lp_doorbell_ring(lp);
	return 0;
}

/*
 * lp_vdev_notified() - the peer rang (one doorbell serves both vrings): run
 * the receive queue's callback if the peer published on it since it last
 * ran (otherwise it would only rescan an empty ring), then the send queue's,
 * which costs nothing unless a sender waits for a buffer (its check reads no
 * shared memory, so no cache line of the peer's is pulled in for it). The
 * index is swapped before the callback looks at the ring, so anything
 * published later moves it again and runs the callback next time. Any
 * thread; rpmsg is up.
 */
void lp_vdev_notified(struct amplink_lp *lp)
{
	struct virtqueue *rvq = lp->rvdev.rvq;
	uint32_t now = amplink_virtqueue_peer_idx(rvq);

	if (now == AMPLINK_VQ_IDX_UNKNOWN || atomic_exchange(&lp->rx_seen, now) != now)
		virtqueue_notification(rvq);
	virtqueue_notification(lp->rvdev.svq);
}

/*
 * A sender needs a buffer: wait a little for the peer to ring, and handle
 * what it rang for (it may be the buffer we need). The doorbell value is
 * compared with the one the previous call left, not with a fresh snapshot,
 * so a ring that came between the sender's last look at its queue and this
 * call is not slept through. Returns 0, or RPMSG_ERR_DEV_STATE when the peer
 * is gone.
 */
static int lp_wait_cb(struct rpmsg_device *rdev, uint32_t id)
{
	struct rpmsg_virtio_device *rvdev =
		metal_container_of(rdev, struct rpmsg_virtio_device, rdev);
	struct amplink_lp *lp = metal_container_of(rvdev, struct amplink_lp, rvdev);
	uint32_t seen = atomic_load(&lp->wait_seq);
	int ret = 1;

	(void)id;
	if (atomic_load(&lp->gone))
		return RPMSG_ERR_DEV_STATE;
	if (atomic_load(&lp->db_in->seq) == seen)
		ret = lp_doorbell_wait(lp, seen, lp_now_ns() + LP_WAIT_CB_NS);
	/*
	 * A quiet slice: look for the peer's death here, since a spinning wait
	 * only checks every LP_SPIN_CHECK_NS, longer than this slice.
	 */
	if (ret < 0 || (ret == 0 && !lp_peer_check(lp)))
		return RPMSG_ERR_DEV_STATE;
	atomic_store(&lp->wait_seq, atomic_load(&lp->db_in->seq));
	if (ret > 0)
		lp_vdev_notified(lp);
	return 0;
}

static int lp_vdev_rings(struct amplink_lp *lp)
{
	unsigned int i;
	int ret;

	for (i = 0; i < 2; i++) {
		ret = rproc_virtio_init_vring(lp->vdev, i, lp->vring_notifyid[i],
					      metal_io_virt(lp->io, lp->vring_da[i]), lp->io,
					      lp->vring_num[i], lp->vring_align[i]);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/*
 * lp_vdev_start() - build the virtio device from the resource table and
 * bring up rpmsg in lp's role (the remote waits for the host's DRIVER_OK).
 * Returns 0 or a negative errno.
 */
int lp_vdev_start(struct amplink_lp *lp)
{
	struct rpmsg_virtio_shm_pool *pool = NULL;
	int ret;

	lp->vdev = rproc_virtio_create_vdev(lp->role, LP_NOTIFYID_DEV,
					    metal_io_virt(lp->io, lp->vdev_rsc_off), lp->io, lp,
					    lp_vdev_notify, NULL);
	if (!lp->vdev)
		return -EPROTO;
	ret = lp_vdev_rings(lp);
	if (ret < 0)
		goto fail;
	/* The host set DRIVER_OK before handing out the region: do not wait forever. */
	if (lp->role == VIRTIO_DEV_DEVICE &&
	    amplink_rproc_virtio_wait_remote_ready(lp->vdev, LP_READY_US) < 0) {
		metal_err("amplink-lp: host never set DRIVER_OK\n");
		ret = -ETIMEDOUT;
		goto fail;
	}
	if (lp->role == VIRTIO_DEV_DRIVER) {
		rpmsg_virtio_init_shm_pool(&lp->pool, metal_io_virt(lp->io, lp->pool_off),
					   lp->pool_size);
		pool = &lp->pool;
	}
	ret = rpmsg_init_vdev(&lp->rvdev, lp->vdev, lp->cfg.ns_bind_cb, lp->io, pool);
	if (ret != RPMSG_SUCCESS) {
		metal_err("amplink-lp: rpmsg_init_vdev failed: %d\n", ret);
		ret = -EPROTO;
		goto fail;
	}
	rpmsg_virtio_set_wait_cb(&lp->rvdev, lp_wait_cb);
	/* Nothing seen yet: the first ring of the doorbell runs the receive callback. */
	atomic_store(&lp->rx_seen, AMPLINK_VQ_IDX_UNKNOWN);
	lp->rpmsg_up = true;
	return 0;
fail:
	rproc_virtio_remove_vdev(lp->vdev);
	lp->vdev = NULL;
	return ret;
}

/* lp_vdev_stop() - tear down rpmsg and the virtio device (if they were built). */
void lp_vdev_stop(struct amplink_lp *lp)
{
	if (lp->rpmsg_up)
		rpmsg_deinit_vdev(&lp->rvdev);
	lp->rpmsg_up = false;
	if (lp->vdev)
		rproc_virtio_remove_vdev(lp->vdev);
	lp->vdev = NULL;
}
