/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The send side of RPMsg over virtio: taking a TX buffer (host: never-used
 * buffers, released ones, then buffers the remote gave back; remote: buffers
 * the host posted), waiting for one with a timeout (woken by the send queue's
 * callback or the platform's wait hook, never by polling), copy and zero-copy
 * sends, and giving unsent buffers back. Everything here runs under
 * amplink_tx_lock only; a waiting sender helps the receive side (backlog) so
 * that two peers flooding each other from callbacks cannot deadlock.
 */
#include <amplink/libc.h>
#include <metal/log.h>
#include <metal/time.h>

#include "rpmsg/rpmsg_virtio_internal.h"

/* Longest single condition wait: bounds the effect of a missed notification. */
#define RPMSG_TX_WAIT_SLICE_US 100000u

/* A taken TX buffer. */
struct rpmsg_txbuf {
	void *buf;    /* header address */
	uint32_t len; /* bytes available */
	uint16_t idx; /* remote: descriptor head */
};

#if AMPLINK_CFG_ROLE_DRIVER
/* Host: index of @buf among the TX buffers, or tx_num if it is not one. */
static uint32_t rpmsg_tx_host_index(struct rpmsg_virtio_device *rvdev, const void *buf)
{
	const uint8_t *p = buf;
	size_t off;

	if (p < rvdev->amplink_tx_first)
		return rvdev->amplink_tx_num;
	off = (size_t)(p - rvdev->amplink_tx_first);
	if (off % rvdev->amplink_tx_size || off / rvdev->amplink_tx_size >= rvdev->amplink_tx_num)
		return rvdev->amplink_tx_num;
	return (uint32_t)(off / rvdev->amplink_tx_size);
}

/* Host: take a TX buffer. Caller holds tx lock. Returns 1 on success. */
static int rpmsg_tx_take_host(struct rpmsg_virtio_device *rvdev, struct rpmsg_txbuf *tb)
{
	uint32_t len, i;
	uint16_t idx;

	tb->len = rvdev->amplink_tx_size;
	tb->idx = 0;
	if (rvdev->amplink_tx_nreleased) {
		i = metal_bitmap_next_set_bit(rvdev->amplink_tx_released, 0, rvdev->amplink_tx_num);
		if (i < rvdev->amplink_tx_num) {
			metal_bitmap_clear_bit(rvdev->amplink_tx_released, (int)i);
			rvdev->amplink_tx_nreleased--;
			tb->buf = rvdev->amplink_tx_first + (size_t)i * rvdev->amplink_tx_size;
			return 1;
		}
	}
	if (rvdev->amplink_tx_left) {
		i = rvdev->amplink_tx_num - rvdev->amplink_tx_left--;
		tb->buf = rvdev->amplink_tx_first + (size_t)i * rvdev->amplink_tx_size;
		return 1;
	}
	tb->buf = virtqueue_get_buffer(rvdev->svq, &len, &idx);
	return tb->buf != NULL;
}
#endif

#if AMPLINK_CFG_ROLE_DEVICE
/* Remote: take a TX buffer (stash first, then the host's). Caller holds tx lock. */
static int rpmsg_tx_take_remote(struct rpmsg_virtio_device *rvdev, struct rpmsg_txbuf *tb)
{
	if (rvdev->amplink_tx_nstash) {
		const struct amplink_rpmsg_tx_stash *s =
			&rvdev->amplink_tx_stash[--rvdev->amplink_tx_nstash];

		tb->buf = s->buf;
		tb->len = s->len;
		tb->idx = s->idx;
		return 1;
	}
	tb->buf = virtqueue_get_first_avail_buffer(rvdev->svq, &tb->idx, &tb->len);
	if (tb->buf && tb->len > RPMSG_HDR_SIZE)
		rvdev->amplink_tx_size = tb->len;
	return tb->buf != NULL;
}
#endif

/* Take a TX buffer without waiting. Caller holds tx lock. Returns 1 on success. */
static int rpmsg_tx_take_locked(struct rpmsg_virtio_device *rvdev, struct rpmsg_txbuf *tb)
{
	int got = 0;

	if (rpmsg_virtio_dead(rvdev))
		return 0;
#if AMPLINK_CFG_ROLE_DRIVER
	if (rpmsg_virtio_is_host(rvdev))
		got = rpmsg_tx_take_host(rvdev, tb);
	else
#endif
	{
#if AMPLINK_CFG_ROLE_DEVICE
		got = rpmsg_tx_take_remote(rvdev, tb);
#endif
	}
	if (!got)
		(void)rpmsg_virtio_check_broken(rvdev);
	return got;
}

/*
 * Give back a taken, unsent buffer. Caller holds tx lock.
 * Returns RPMSG_SUCCESS, or RPMSG_ERR_NO_MEM when the remote's stash is full.
 */
static int rpmsg_tx_untake_locked(struct rpmsg_virtio_device *rvdev, const struct rpmsg_txbuf *tb)
{
#if AMPLINK_CFG_ROLE_DRIVER
	if (rpmsg_virtio_is_host(rvdev)) {
		uint32_t i = rpmsg_tx_host_index(rvdev, tb->buf);

		if (i < rvdev->amplink_tx_num &&
		    !metal_bitmap_is_bit_set(rvdev->amplink_tx_released, (int)i)) {
			metal_bitmap_set_bit(rvdev->amplink_tx_released, (int)i);
			rvdev->amplink_tx_nreleased++;
		}
		return RPMSG_SUCCESS;
	}
#endif
#if AMPLINK_CFG_ROLE_DEVICE
	if (rvdev->amplink_tx_nstash >= AMPLINK_CFG_RPMSG_TX_STASH)
		return RPMSG_ERR_NO_MEM;
	rvdev->amplink_tx_stash[rvdev->amplink_tx_nstash].buf = tb->buf;
	rvdev->amplink_tx_stash[rvdev->amplink_tx_nstash].len = tb->len;
	rvdev->amplink_tx_stash[rvdev->amplink_tx_nstash].idx = tb->idx;
	rvdev->amplink_tx_nstash++;
#endif
	return RPMSG_SUCCESS;
}

/* Publish a filled buffer of @total bytes and kick. Caller holds tx lock. */
static int rpmsg_tx_publish_locked(struct rpmsg_virtio_device *rvdev, const struct rpmsg_txbuf *tb,
				   uint32_t total)
{
	int ret;

	if (rpmsg_virtio_dead(rvdev))
		return RPMSG_ERR_DEV_STATE;
	BUFFER_FLUSH(tb->buf, total);
#if AMPLINK_CFG_ROLE_DRIVER
	if (rpmsg_virtio_is_host(rvdev)) {
		struct virtqueue_buf vb;

		vb.buf = tb->buf;
		vb.len = (int)total;
		ret = virtqueue_add_buffer(rvdev->svq, &vb, 1, 0, tb->buf);
	} else
#endif
	{
		ret = virtqueue_add_consumed_buffer(rvdev->svq, tb->idx, total);
	}
	if (ret) {
		metal_err("rpmsg: send queue refused a buffer (%d)\r\n", ret);
		return RPMSG_ERR_DEV_STATE;
	}
	virtqueue_kick(rvdev->svq);
	return RPMSG_SUCCESS;
}

/* Wait once for a buffer event, at most @us. Called without locks. */
static void rpmsg_tx_wait_once(struct rpmsg_virtio_device *rvdev, uint32_t us)
{
	rpmsg_virtio_notify_wait_cb wait_cb = rvdev->notify_wait_cb;
	unsigned int svq_index = rvdev->svq->vq_queue_index;
	unsigned int fl;
	int pending;

	fl = rpmsg_vlock(&rvdev->amplink_tx_lock);
	pending = rpmsg_virtio_dead(rvdev) || virtqueue_enable_cb(rvdev->svq);
	rpmsg_vunlock(&rvdev->amplink_tx_lock, fl);
	if (pending)
		return;
	if (wait_cb && svq_index < rvdev->vdev->vrings_num &&
	    wait_cb(&rvdev->rdev, rvdev->vdev->vrings_info[svq_index].notifyid) == 0)
		return;
#if AMPLINK_RPMSG_IRQSAFE
	/* Interrupts must run while we wait: the callback signals without the lock. */
	metal_mutex_acquire(&rvdev->amplink_tx_lock);
	if (!rpmsg_virtio_dead(rvdev))
		(void)amplink_condition_timedwait(&rvdev->amplink_tx_cv, &rvdev->amplink_tx_lock,
						  us);
	metal_mutex_release(&rvdev->amplink_tx_lock);
#else
	metal_mutex_acquire(&rvdev->amplink_tx_lock);
	if (!rpmsg_virtio_dead(rvdev) && !virtqueue_enable_cb(rvdev->svq))
		(void)amplink_condition_timedwait(&rvdev->amplink_tx_cv, &rvdev->amplink_tx_lock,
						  us);
	metal_mutex_release(&rvdev->amplink_tx_lock);
#endif
}

/*
 * Wait up to @timeout_us for a TX buffer; account the wait to @ept.
 * Returns RPMSG_SUCCESS with *@tb filled, RPMSG_ERR_NO_BUFF or RPMSG_ERR_DEV_STATE.
 */
static int rpmsg_tx_wait(struct rpmsg_virtio_device *rvdev, struct rpmsg_endpoint *ept,
			 struct rpmsg_txbuf *tb, uint32_t timeout_us)
{
	unsigned int fl;
	unsigned long long deadline =
		metal_get_timestamp() + (unsigned long long)timeout_us * 1000u;
	unsigned long long now, left;
	int ret = RPMSG_ERR_NO_BUFF;

	atomic_fetch_add(&rvdev->amplink_tx_waiters, 1);
	fl = rpmsg_vlock(&rvdev->amplink_tx_lock);
	RPMSG_STAT_ADD(rvdev, tx_waits, 1);
	if (ept)
		RPMSG_STAT_ADD(ept, tx_waits, 1);
	rpmsg_vunlock(&rvdev->amplink_tx_lock, fl);
	(void)ept;
	for (;;) {
		rpmsg_virtio_rx_help(rvdev);
		fl = rpmsg_vlock(&rvdev->amplink_tx_lock);
		if (rpmsg_tx_take_locked(rvdev, tb))
			ret = RPMSG_SUCCESS;
		else if (rpmsg_virtio_dead(rvdev))
			ret = RPMSG_ERR_DEV_STATE;
		rpmsg_vunlock(&rvdev->amplink_tx_lock, fl);
		now = metal_get_timestamp();
		if (ret != RPMSG_ERR_NO_BUFF || now >= deadline)
			break;
		/* ns >> 10 is a slightly short microsecond count: no 64-bit division. */
		left = deadline - now;
		rpmsg_tx_wait_once(rvdev, left >= (unsigned long long)RPMSG_TX_WAIT_SLICE_US << 10
						  ? RPMSG_TX_WAIT_SLICE_US
						  : (uint32_t)(left >> 10) + 1u);
	}
	fl = rpmsg_vlock(&rvdev->amplink_tx_lock);
	if (atomic_fetch_sub(&rvdev->amplink_tx_waiters, 1) == 1 && !rpmsg_virtio_dead(rvdev))
		virtqueue_disable_cb(rvdev->svq);
	if (ret == RPMSG_ERR_NO_BUFF)
		RPMSG_STAT_ADD(rvdev, tx_timeouts, 1);
	rpmsg_vunlock(&rvdev->amplink_tx_lock, fl);
	return ret;
}

/*
 * Write the header (and, unless @data is NULL, the payload) into the taken
 * buffer, publish it, count it. Caller holds tx lock.
 * Returns @len, RPMSG_ERR_BUFF_SIZE (the buffer is given back) or RPMSG_ERR_DEV_STATE.
 */
static int rpmsg_tx_send_locked(struct rpmsg_virtio_device *rvdev, struct rpmsg_endpoint *ept,
				const struct rpmsg_txbuf *tb, uint32_t src, uint32_t dst,
				const void *data, int len)
{
	struct rpmsg_hdr hdr;

	if (tb->len < RPMSG_HDR_SIZE || (uint32_t)len > tb->len - RPMSG_HDR_SIZE) {
		(void)rpmsg_tx_untake_locked(rvdev, tb);
		return RPMSG_ERR_BUFF_SIZE;
	}
	hdr.src = src;
	hdr.dst = dst;
	hdr.reserved = 0;
	hdr.len = (uint16_t)len;
	hdr.flags = 0;
	memcpy(tb->buf, &hdr, sizeof(hdr));
	if (data)
		memcpy((uint8_t *)tb->buf + RPMSG_HDR_SIZE, data, (size_t)len);
	if (rpmsg_tx_publish_locked(rvdev, tb, RPMSG_HDR_SIZE + (uint32_t)len))
		return RPMSG_ERR_DEV_STATE;
	RPMSG_STAT_ADD(rvdev, tx_msgs, 1);
	RPMSG_STAT_ADD(rvdev, tx_bytes, len);
	if (ept) {
		RPMSG_STAT_ADD(ept, tx_msgs, 1);
		RPMSG_STAT_ADD(ept, tx_bytes, len);
	}
	return len;
}

int rpmsg_virtio_send(struct rpmsg_device *rdev, struct rpmsg_endpoint *ept, uint32_t src,
		      uint32_t dst, const void *data, int len, uint32_t timeout_us)
{
	struct rpmsg_virtio_device *rvdev = rpmsg_virtio_of(rdev);
	struct rpmsg_txbuf tb;
	unsigned int fl;
	int ret;

	if (len > 0xFFFF || (rpmsg_virtio_is_host(rvdev) &&
			     (uint32_t)len > rvdev->amplink_tx_size - RPMSG_HDR_SIZE))
		return RPMSG_ERR_BUFF_SIZE;
	if (rpmsg_virtio_dead(rvdev))
		return RPMSG_ERR_DEV_STATE;
	/* Fast path: one lock hold takes, fills and publishes a buffer. */
	fl = rpmsg_vlock(&rvdev->amplink_tx_lock);
	if (rpmsg_tx_take_locked(rvdev, &tb)) {
		ret = rpmsg_tx_send_locked(rvdev, ept, &tb, src, dst, data, len);
		rpmsg_vunlock(&rvdev->amplink_tx_lock, fl);
		return ret;
	}
	rpmsg_vunlock(&rvdev->amplink_tx_lock, fl);
	if (!timeout_us)
		return rpmsg_virtio_dead(rvdev) ? RPMSG_ERR_DEV_STATE : RPMSG_ERR_NO_BUFF;
	ret = rpmsg_tx_wait(rvdev, ept, &tb, timeout_us);
	if (ret)
		return ret;
	fl = rpmsg_vlock(&rvdev->amplink_tx_lock);
	ret = rpmsg_tx_send_locked(rvdev, ept, &tb, src, dst, data, len);
	rpmsg_vunlock(&rvdev->amplink_tx_lock, fl);
	return ret;
}

int rpmsg_virtio_send_offchannel_raw(struct rpmsg_device *rdev, uint32_t src, uint32_t dst,
				     const void *data, int len, int wait)
{
	return rpmsg_virtio_send(rdev, NULL, src, dst, data, len,
				 wait ? AMPLINK_RPMSG_SEND_TIMEOUT_US : 0);
}

#if AMPLINK_CFG_RPMSG_ZERO_COPY
/* Take a buffer, waiting up to @timeout_us. Returns as rpmsg_tx_wait. */
static int rpmsg_tx_get(struct rpmsg_virtio_device *rvdev, struct rpmsg_endpoint *ept,
			struct rpmsg_txbuf *tb, uint32_t timeout_us)
{
	unsigned int fl;
	int got;

	if (rpmsg_virtio_dead(rvdev))
		return RPMSG_ERR_DEV_STATE;
	fl = rpmsg_vlock(&rvdev->amplink_tx_lock);
	got = rpmsg_tx_take_locked(rvdev, tb);
	rpmsg_vunlock(&rvdev->amplink_tx_lock, fl);
	if (got)
		return RPMSG_SUCCESS;
	if (!timeout_us)
		return rpmsg_virtio_dead(rvdev) ? RPMSG_ERR_DEV_STATE : RPMSG_ERR_NO_BUFF;
	return rpmsg_tx_wait(rvdev, ept, tb, timeout_us);
}

/*
 * Remember that @tb is lent to the application, in private memory (the
 * buffer itself is the peer's to scribble on; a remote whose slot is taken
 * finds the buffer by a scan of the queue's private state). Caller holds tx lock.
 */
static void rpmsg_tx_lend_locked(struct rpmsg_virtio_device *rvdev, const struct rpmsg_txbuf *tb)
{
#if AMPLINK_CFG_ROLE_DRIVER
	if (rpmsg_virtio_is_host(rvdev)) {
		metal_bitmap_set_bit(rvdev->amplink_tx_lent,
				     (int)rpmsg_tx_host_index(rvdev, tb->buf));
		return;
	}
#endif
	rpmsg_slot_remember(rvdev->amplink_tx_lend_idx, tb->buf, tb->idx);
}

void *rpmsg_virtio_get_tx_payload_buffer(struct rpmsg_device *rdev, uint32_t *len, int wait)
{
	unsigned int fl;
	struct rpmsg_virtio_device *rvdev = rpmsg_virtio_of(rdev);
	struct rpmsg_txbuf tb;

	if (rpmsg_tx_get(rvdev, NULL, &tb, wait ? AMPLINK_RPMSG_SEND_TIMEOUT_US : 0))
		return NULL;
	if (tb.len <= RPMSG_HDR_SIZE) {
		fl = rpmsg_vlock(&rvdev->amplink_tx_lock);
		(void)rpmsg_tx_untake_locked(rvdev, &tb);
		rpmsg_vunlock(&rvdev->amplink_tx_lock, fl);
		return NULL;
	}
	fl = rpmsg_vlock(&rvdev->amplink_tx_lock);
	rpmsg_tx_lend_locked(rvdev, &tb);
	rpmsg_vunlock(&rvdev->amplink_tx_lock, fl);
	*len = tb.len - RPMSG_HDR_SIZE;
	return (uint8_t *)tb.buf + RPMSG_HDR_SIZE;
}

/*
 * Recover the taken buffer whose payload is @payload. Caller holds tx lock.
 * Returns 1 when @payload is a buffer this side holds.
 */
static int rpmsg_tx_lookup_locked(struct rpmsg_virtio_device *rvdev, const void *payload,
				  struct rpmsg_txbuf *tb)
{
	uint32_t i;
	int found;

	tb->buf = (uint8_t *)payload - RPMSG_HDR_SIZE;
#if AMPLINK_CFG_ROLE_DRIVER
	if (rpmsg_virtio_is_host(rvdev)) {
		uint32_t n = rpmsg_tx_host_index(rvdev, tb->buf);

		tb->len = rvdev->amplink_tx_size;
		tb->idx = 0;
		return n < rvdev->amplink_tx_num &&
		       metal_bitmap_is_bit_set(rvdev->amplink_tx_lent, (int)n);
	}
#endif
	if (!rpmsg_virtio_hdr_in_shm(rvdev, payload))
		return 0;
	for (i = 0; i < rvdev->amplink_tx_nstash; i++) {
		if (rvdev->amplink_tx_stash[i].buf == tb->buf)
			return 0; /* given back already */
	}
	found = rpmsg_slot_take(rvdev->amplink_tx_lend_idx, rvdev->svq, tb->buf);
	if (found < 0)
		return 0;
	tb->idx = (uint16_t)found;
	tb->len = virtqueue_get_buffer_length(rvdev->svq, tb->idx);
	return 1;
}

/* The caller gives a lent buffer back to the stack. Caller holds tx lock. */
static void rpmsg_tx_unlend_locked(struct rpmsg_virtio_device *rvdev, const struct rpmsg_txbuf *tb)
{
#if AMPLINK_CFG_ROLE_DRIVER
	if (rpmsg_virtio_is_host(rvdev))
		metal_bitmap_clear_bit(rvdev->amplink_tx_lent,
				       (int)rpmsg_tx_host_index(rvdev, tb->buf));
#else
	(void)rvdev;
	(void)tb;
#endif
}

int rpmsg_virtio_send_nocopy(struct rpmsg_device *rdev, struct rpmsg_endpoint *ept, uint32_t src,
			     uint32_t dst, const void *data, int len)
{
	unsigned int fl;
	struct rpmsg_virtio_device *rvdev = rpmsg_virtio_of(rdev);
	struct rpmsg_txbuf tb;
	int ok;

	if (rpmsg_virtio_dead(rvdev))
		return RPMSG_ERR_DEV_STATE;
	fl = rpmsg_vlock(&rvdev->amplink_tx_lock);
	if (!rpmsg_tx_lookup_locked(rvdev, data, &tb)) {
		rpmsg_vunlock(&rvdev->amplink_tx_lock, fl);
		metal_err("rpmsg: nocopy send of a buffer not taken\r\n");
		return RPMSG_ERR_PARAM;
	}
	if (len > 0xFFFF || (uint32_t)len > tb.len - RPMSG_HDR_SIZE) {
		rpmsg_vunlock(&rvdev->amplink_tx_lock, fl); /* the buffer stays lent */
		return RPMSG_ERR_BUFF_SIZE;
	}
	/* One lock round trip: the lent buffer is given back and sent at once. */
	rpmsg_tx_unlend_locked(rvdev, &tb);
	ok = rpmsg_tx_send_locked(rvdev, ept, &tb, src, dst, NULL, len);
	rpmsg_vunlock(&rvdev->amplink_tx_lock, fl);
	return ok;
}

int rpmsg_virtio_send_offchannel_nocopy(struct rpmsg_device *rdev, uint32_t src, uint32_t dst,
					const void *data, int len)
{
	return rpmsg_virtio_send_nocopy(rdev, NULL, src, dst, data, len);
}

int rpmsg_virtio_release_tx_buffer(struct rpmsg_device *rdev, void *txbuf)
{
	unsigned int fl;
	struct rpmsg_virtio_device *rvdev = rpmsg_virtio_of(rdev);
	struct rpmsg_txbuf tb;
	int ret = RPMSG_ERR_PARAM;

	fl = rpmsg_vlock(&rvdev->amplink_tx_lock);
	if (rpmsg_tx_lookup_locked(rvdev, txbuf, &tb)) {
		ret = rpmsg_tx_untake_locked(rvdev, &tb);
		if (ret == RPMSG_SUCCESS)
			rpmsg_tx_unlend_locked(rvdev, &tb);
	}
	rpmsg_vunlock(&rvdev->amplink_tx_lock, fl);
	return ret;
}

#endif /* AMPLINK_CFG_RPMSG_ZERO_COPY */

void rpmsg_virtio_tx_callback(struct virtqueue *vq)
{
	struct rpmsg_virtio_device *rvdev = vq->vq_dev->priv;

	/*
	 * Nobody waits for a buffer (the usual case: a doorbell that serves both
	 * queues runs this for every message): nothing to wake. A sender counts
	 * itself in amplink_tx_waiters before it looks for a buffer, so one that
	 * starts waiting after this check sees the returned buffer itself; its
	 * condition wait is sliced anyway (RPMSG_TX_WAIT_SLICE_US).
	 */
	if (atomic_load(&rvdev->amplink_tx_waiters) == 0)
		return;
#if AMPLINK_RPMSG_IRQSAFE
	metal_condition_broadcast(&rvdev->amplink_tx_cv);
#else
	metal_mutex_acquire(&rvdev->amplink_tx_lock);
	metal_condition_broadcast(&rvdev->amplink_tx_cv);
	metal_mutex_release(&rvdev->amplink_tx_lock);
#endif
}
