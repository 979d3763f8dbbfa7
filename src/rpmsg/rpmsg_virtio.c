/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RPMsg over virtio, the device itself: bring-up in the host role (buffers
 * from the pool, RX half posted to vq 0, features accepted, DRIVER_OK) and the
 * remote role (wait for DRIVER_OK, no buffers of its own), tear-down, buffer
 * sizes, the shared-memory pool, the platform's wait hook, the "peer gone"
 * state and the statistics read-out.
 */
#include <amplink/libc.h>
#include <metal/log.h>
#include <metal/sleep.h>

#include "rpmsg/rpmsg_virtio_internal.h"

/* Remote role: DRIVER_OK poll interval during start-up (not a data path). */
#define RPMSG_READY_POLL_US 100u

metal_weak void *rpmsg_virtio_shm_pool_get_buffer(struct rpmsg_virtio_shm_pool *shpool, size_t size)
{
	void *buf;

	if (!shpool || !shpool->base || size == 0 || size > shpool->avail)
		return NULL;
	buf = (uint8_t *)shpool->base + (shpool->size - shpool->avail);
	shpool->avail -= size;
	return buf;
}

void rpmsg_virtio_init_shm_pool(struct rpmsg_virtio_shm_pool *shpool, void *shbuf, size_t size)
{
	if (!shpool)
		return;
	shpool->base = shbuf;
	shpool->size = shbuf ? size : 0;
	shpool->avail = shpool->size;
}

unsigned int rpmsg_virtio_get_role(struct rpmsg_virtio_device *rvdev)
{
	return rvdev && rvdev->vdev ? rvdev->vdev->role : RPMSG_REMOTE;
}

void rpmsg_virtio_set_wait_cb(struct rpmsg_virtio_device *rvdev,
			      rpmsg_virtio_notify_wait_cb notify_wait_cb)
{
	if (rvdev)
		rvdev->notify_wait_cb = notify_wait_cb;
}

/* Payload bytes of the next buffer of @vq (remote; else *@size) or *@size (host). */
static int rpmsg_virtio_payload_size(struct rpmsg_virtio_device *rvdev, metal_mutex_t *lock,
				     struct virtqueue *vq, const uint32_t *size)
{
	unsigned int fl = rpmsg_vlock(lock);
	uint32_t n = *size;

	if (!rpmsg_virtio_is_host(rvdev) && !rpmsg_virtio_dead(rvdev) &&
	    virtqueue_get_desc_size(vq))
		n = virtqueue_get_desc_size(vq);
	rpmsg_vunlock(lock, fl);
	return n > RPMSG_HDR_SIZE ? (int)(n - RPMSG_HDR_SIZE) : RPMSG_ERR_BUFF_SIZE;
}

int rpmsg_virtio_get_tx_buffer_size(struct rpmsg_device *rdev)
{
	struct rpmsg_virtio_device *rvdev;

	if (!rdev)
		return RPMSG_ERR_PARAM;
	rvdev = rpmsg_virtio_of(rdev);
	return rpmsg_virtio_payload_size(rvdev, &rvdev->amplink_tx_lock, rvdev->svq,
					 &rvdev->amplink_tx_size);
}

int rpmsg_virtio_get_rx_buffer_size(struct rpmsg_device *rdev)
{
	struct rpmsg_virtio_device *rvdev;

	if (!rdev)
		return RPMSG_ERR_PARAM;
	rvdev = rpmsg_virtio_of(rdev);
	return rpmsg_virtio_payload_size(rvdev, &rvdev->amplink_rx_lock, rvdev->rvq,
					 &rvdev->amplink_rx_size);
}

int rpmsg_virtio_get_buffer_size(struct rpmsg_device *rdev)
{
	return rpmsg_virtio_get_tx_buffer_size(rdev);
}

/* Fill in the ops and the locks. */
static void rpmsg_virtio_setup(struct rpmsg_virtio_device *rvdev)
{
	struct rpmsg_device_ops *ops = &rvdev->rdev.ops;

	rpmsg_device_init(&rvdev->rdev);
	metal_mutex_init(&rvdev->amplink_tx_lock);
	metal_mutex_init(&rvdev->amplink_rx_lock);
	metal_condition_init(&rvdev->amplink_tx_cv);
	atomic_init(&rvdev->amplink_dead, 0);
	atomic_init(&rvdev->amplink_tx_waiters, 0);
	metal_list_init(&rvdev->reclaimer);
	ops->send_offchannel_raw = rpmsg_virtio_send_offchannel_raw;
#if AMPLINK_CFG_RPMSG_ZERO_COPY
	ops->hold_rx_buffer = rpmsg_virtio_hold_rx_buffer;
	ops->release_rx_buffer = rpmsg_virtio_release_rx_buffer;
	ops->get_tx_payload_buffer = rpmsg_virtio_get_tx_payload_buffer;
	ops->send_offchannel_nocopy = rpmsg_virtio_send_offchannel_nocopy;
	ops->release_tx_buffer = rpmsg_virtio_release_tx_buffer;
	ops->amplink_send_nocopy = rpmsg_virtio_send_nocopy;
#endif
	ops->get_rx_buffer_size = rpmsg_virtio_get_rx_buffer_size;
	ops->get_tx_buffer_size = rpmsg_virtio_get_tx_buffer_size;
	ops->amplink_send = rpmsg_virtio_send;
}

/* Create the two virtqueues in the role's order. Returns RPMSG_SUCCESS or RPMSG_ERR_INIT. */
static int rpmsg_virtio_create_vqs(struct rpmsg_virtio_device *rvdev, int host)
{
	struct virtio_device *vdev = rvdev->vdev;
	const char *names[2];
	vq_callback cbs[2];
	unsigned int rx = host ? 0 : 1;

	names[rx] = "rx_vq";
	names[1 - rx] = "tx_vq";
	cbs[rx] = rpmsg_virtio_rx_callback;
	cbs[1 - rx] = rpmsg_virtio_tx_callback;
	if (vdev->vrings_num < 2 || virtio_create_virtqueues(vdev, 0, 2, names, cbs, NULL))
		return RPMSG_ERR_INIT;
	rvdev->rvq = vdev->vrings_info[rx].vq;
	rvdev->svq = vdev->vrings_info[1 - rx].vq;
	if (!rvdev->rvq || !rvdev->svq) {
		virtio_delete_virtqueues(vdev);
		return RPMSG_ERR_INIT;
	}
	virtqueue_set_shmem_io(rvdev->rvq, rvdev->shbuf_io);
	virtqueue_set_shmem_io(rvdev->svq, rvdev->shbuf_io);
	return RPMSG_SUCCESS;
}

#if AMPLINK_CFG_ROLE_DRIVER
/* Host: carve @n buffers of @size from the pool, inside the shared region. */
static uint8_t *rpmsg_virtio_carve(struct rpmsg_virtio_device *rvdev,
				   struct rpmsg_virtio_shm_pool *shpool, uint32_t n, uint32_t size)
{
	size_t bytes = (size_t)n * size;
	uint8_t *p = rpmsg_virtio_shm_pool_get_buffer(shpool, bytes);
	unsigned long off;

	if (!p)
		return NULL;
	off = metal_io_virt_to_offset(rvdev->shbuf_io, p);
	if (off == METAL_BAD_OFFSET || bytes > metal_io_region_size(rvdev->shbuf_io) - off)
		return NULL;
	return p;
}

/* Host: buffers, RX posting, features. Returns RPMSG_SUCCESS or an error. */
static int rpmsg_virtio_host_start(struct rpmsg_virtio_device *rvdev,
				   struct rpmsg_virtio_shm_pool *shpool)
{
	uint32_t total, i;
	struct virtqueue_buf vb;

	rvdev->amplink_rx_size = rvdev->config.r2h_buf_size;
	rvdev->amplink_tx_size = rvdev->config.h2r_buf_size;
	if (rvdev->amplink_rx_size <= RPMSG_HDR_SIZE || rvdev->amplink_tx_size <= RPMSG_HDR_SIZE)
		return RPMSG_ERR_PARAM;
	total = (uint32_t)rvdev->rvq->vq_nentries + rvdev->svq->vq_nentries;
	if (total > AMPLINK_CFG_BUFFER_COUNT)
		total = AMPLINK_CFG_BUFFER_COUNT;
	rvdev->amplink_rx_num = metal_min(total / 2, (uint32_t)rvdev->rvq->vq_nentries);
	rvdev->amplink_tx_num =
		metal_min(total - rvdev->amplink_rx_num, (uint32_t)rvdev->svq->vq_nentries);
	rvdev->amplink_tx_left = rvdev->amplink_tx_num;
	rvdev->amplink_rx_first =
		rpmsg_virtio_carve(rvdev, shpool, rvdev->amplink_rx_num, rvdev->amplink_rx_size);
	rvdev->amplink_tx_first =
		rpmsg_virtio_carve(rvdev, shpool, rvdev->amplink_tx_num, rvdev->amplink_tx_size);
	if (!rvdev->amplink_rx_first || !rvdev->amplink_tx_first || !rvdev->amplink_rx_num ||
	    !rvdev->amplink_tx_num) {
		metal_err("rpmsg: shared buffer pool too small\r\n");
		return RPMSG_ERR_NO_MEM;
	}
	for (i = 0; i < rvdev->amplink_rx_num; i++) {
		vb.buf = rvdev->amplink_rx_first + (size_t)i * rvdev->amplink_rx_size;
		vb.len = (int)rvdev->amplink_rx_size;
		memset(vb.buf, 0, rvdev->amplink_rx_size);
		if (virtqueue_add_buffer(rvdev->rvq, &vb, 0, 1, vb.buf))
			return RPMSG_ERR_INIT;
	}
	virtqueue_disable_cb(rvdev->svq);
	return RPMSG_SUCCESS;
}
#endif

/*
 * Ring features the host accepts when the device offers them (as a Linux
 * host's virtio core does): EVENT_IDX lets each side suppress the other's
 * per-message notifications while it is behind.
 */
#define RPMSG_VIRTIO_RING_FEATURES (AMPLINK_CFG_EVENT_IDX ? (uint32_t)VIRTIO_RING_F_EVENT_IDX : 0u)

/*
 * Agree on features (host: accept F_NS and the ring features above if
 * offered; remote: read what was accepted).
 */
static int rpmsg_virtio_features(struct rpmsg_virtio_device *rvdev, int host, uint32_t *features)
{
	uint8_t status = 0;

	if (host) {
		if (virtio_get_features(rvdev->vdev, features))
			return RPMSG_ERR_INIT;
		*features &= (1u << VIRTIO_RPMSG_F_NS) | RPMSG_VIRTIO_RING_FEATURES;
		if (virtio_set_features(rvdev->vdev, *features))
			return RPMSG_ERR_INIT;
		return virtio_set_status(rvdev->vdev, VIRTIO_CONFIG_STATUS_ACK |
							      VIRTIO_CONFIG_STATUS_DRIVER |
							      VIRTIO_CONFIG_FEATURES_OK)
			       ? RPMSG_ERR_INIT
			       : RPMSG_SUCCESS;
	}
	for (;;) {
		if (virtio_get_status(rvdev->vdev, &status))
			return RPMSG_ERR_INIT;
		if (status & VIRTIO_CONFIG_STATUS_FAILED)
			return RPMSG_ERR_DEV_STATE;
		if (status & VIRTIO_CONFIG_STATUS_DRIVER_OK)
			break;
		metal_sleep_usec(RPMSG_READY_POLL_US);
	}
	if (virtio_get_features(rvdev->vdev, features))
		return RPMSG_ERR_INIT;
	rvdev->vdev->features = *features;
	return RPMSG_SUCCESS;
}

int rpmsg_init_vdev_with_config(struct rpmsg_virtio_device *rvdev, struct virtio_device *vdev,
				rpmsg_ns_bind_cb ns_bind_cb, struct metal_io_region *shm_io,
				struct rpmsg_virtio_shm_pool *shpool,
				const struct rpmsg_virtio_config *config)
{
	uint32_t features = 0;
	int host, ret;

	if (!rvdev || !vdev || !shm_io)
		return RPMSG_ERR_PARAM;
	host = vdev->role == RPMSG_HOST;
	if ((host && (!AMPLINK_CFG_ROLE_DRIVER || !shpool)) || (!host && !AMPLINK_CFG_ROLE_DEVICE))
		return RPMSG_ERR_PARAM;
	memset(rvdev, 0, sizeof(*rvdev));
	rvdev->vdev = vdev;
	rvdev->shbuf_io = shm_io;
	rvdev->shpool = shpool;
	rvdev->config.h2r_buf_size = RPMSG_BUFFER_SIZE;
	rvdev->config.r2h_buf_size = RPMSG_BUFFER_SIZE;
	if (config && config->h2r_buf_size)
		rvdev->config.h2r_buf_size = config->h2r_buf_size;
	if (config && config->r2h_buf_size)
		rvdev->config.r2h_buf_size = config->r2h_buf_size;
	rvdev->amplink_rx_size = host ? rvdev->config.r2h_buf_size : rvdev->config.h2r_buf_size;
	rvdev->amplink_tx_size = host ? rvdev->config.h2r_buf_size : rvdev->config.r2h_buf_size;
	rpmsg_virtio_setup(rvdev);
	rvdev->rdev.ns_bind_cb = ns_bind_cb;
	vdev->priv = rvdev;
	ret = rpmsg_virtio_features(rvdev, host, &features);
	if (ret)
		return ret;
	ret = rpmsg_virtio_create_vqs(rvdev, host);
	if (ret)
		return ret;
#if AMPLINK_CFG_ROLE_DRIVER
	if (host) {
		ret = rpmsg_virtio_host_start(rvdev, shpool);
		if (ret)
			goto fail;
	}
#endif
#if AMPLINK_CFG_NS
	rvdev->rdev.support_ns = (features & (1u << VIRTIO_RPMSG_F_NS)) != 0;
	if (rvdev->rdev.support_ns) {
		ret = rpmsg_ns_init(&rvdev->rdev);
		if (ret)
			goto fail;
	}
#endif
	if (host) {
		if (virtio_set_status(vdev, VIRTIO_CONFIG_STATUS_ACK | VIRTIO_CONFIG_STATUS_DRIVER |
						    VIRTIO_CONFIG_FEATURES_OK |
						    VIRTIO_CONFIG_STATUS_DRIVER_OK)) {
			ret = RPMSG_ERR_INIT;
			goto fail;
		}
		virtqueue_kick(rvdev->rvq);
	}
	return RPMSG_SUCCESS;
fail:
	virtio_delete_virtqueues(vdev);
	return ret;
}

int rpmsg_init_vdev(struct rpmsg_virtio_device *rvdev, struct virtio_device *vdev,
		    rpmsg_ns_bind_cb ns_bind_cb, struct metal_io_region *shm_io,
		    struct rpmsg_virtio_shm_pool *shpool)
{
	return rpmsg_init_vdev_with_config(rvdev, vdev, ns_bind_cb, shm_io, shpool, NULL);
}

void rpmsg_deinit_vdev(struct rpmsg_virtio_device *rvdev)
{
	unsigned int fl;

	if (!rvdev || !rvdev->vdev)
		return;
	/* No ring is touched from here on; announcements fail at once. */
	amplink_rpmsg_virtio_set_peer_gone(rvdev);
	rpmsg_device_deinit(&rvdev->rdev);
	fl = rpmsg_vlock(&rvdev->amplink_rx_lock);
	rpmsg_virtio_backlog_free_all(rvdev);
	rpmsg_vunlock(&rvdev->amplink_rx_lock, fl);
	virtio_delete_virtqueues(rvdev->vdev);
	rvdev->rvq = NULL;
	rvdev->svq = NULL;
	rvdev->vdev = NULL;
	metal_mutex_deinit(&rvdev->amplink_tx_lock);
	metal_mutex_deinit(&rvdev->amplink_rx_lock);
}

void amplink_rpmsg_virtio_set_peer_gone(struct rpmsg_virtio_device *rvdev)
{
	unsigned int fl;

	if (!rvdev)
		return;
	atomic_store_explicit(&rvdev->amplink_dead, 1, memory_order_release);
#if AMPLINK_RPMSG_IRQSAFE
	/* May run in an interrupt: the waiters do not rely on the lock here. */
	(void)fl;
	metal_condition_broadcast(&rvdev->amplink_tx_cv);
#else
	fl = rpmsg_vlock(&rvdev->amplink_tx_lock);
	metal_condition_broadcast(&rvdev->amplink_tx_cv);
	rpmsg_vunlock(&rvdev->amplink_tx_lock, fl);
#endif
}

int rpmsg_virtio_hdr_in_shm(struct rpmsg_virtio_device *rvdev, const void *payload)
{
	struct metal_io_region *io = rvdev->shbuf_io;
	uintptr_t p = (uintptr_t)payload, base = (uintptr_t)metal_io_virt(io, 0);

	return base && p >= base + RPMSG_HDR_SIZE && p - base <= metal_io_region_size(io);
}

int rpmsg_virtio_check_broken(struct rpmsg_virtio_device *rvdev)
{
	if (rpmsg_virtio_dead(rvdev))
		return 1;
	if (!amplink_virtqueue_is_broken(rvdev->svq) && !amplink_virtqueue_is_broken(rvdev->rvq))
		return 0;
	if (!atomic_exchange(&rvdev->amplink_dead, 1)) {
		metal_err("rpmsg: a virtqueue is broken by the peer: device stopped\r\n");
		metal_condition_broadcast(&rvdev->amplink_tx_cv);
	}
	return 1;
}

bool amplink_rpmsg_virtio_is_peer_gone(struct rpmsg_virtio_device *rvdev)
{
	return !rvdev || rpmsg_virtio_dead(rvdev);
}
