/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The receive side of RPMsg over virtio: one dispatcher at a time takes
 * filled buffers from the receive queue (under amplink_rx_lock), validates
 * each header snapshot, delivers the message to its endpoint with the lock
 * dropped, and gives the buffer back unless the callback held it. Messages a
 * waiting sender moved to the private backlog are delivered first, so the
 * order stays FIFO. Held buffers are released here too.
 */
#include <amplink/libc.h>
#include <metal/log.h>

#include "rpmsg/rpmsg_virtio_internal.h"

/* Give back RX buffers with a kick at least every quarter ring (max 16), even mid-burst. */
#define RPMSG_RX_KICK_BATCH 16u

/*
 * Most ring messages taken under one hold of the rx lock and delivered
 * before it is taken again (never more than a quarter of the ring, so the
 * peer keeps buffers to send with; one while a local sender waits). Costs
 * about 32 bytes of stack per message.
 */
#ifndef RPMSG_RX_BATCH
#if defined(AMPLINK_SYSTEM_LINUX)
#define RPMSG_RX_BATCH 16u
#else
#define RPMSG_RX_BATCH 4u
#endif
#endif

/* One message of a batch: taken and validated under the rx lock, delivered without. */
struct rpmsg_rx_item {
	void *buf;	      /* the buffer (header) */
	struct rpmsg_hdr hdr; /* the header snapshot */
	uint16_t idx;	      /* remote: descriptor head */
	bool held;	      /* the callback held it */
};

/* What a dispatcher counted without the rx lock; flushed under it. */
struct rpmsg_rx_tally {
	uint32_t msgs, drops, ept_msgs;
	uint64_t bytes, ept_bytes;
};

int rpmsg_virtio_rx_take_locked(struct rpmsg_virtio_device *rvdev, void **buf, uint32_t *len,
				uint16_t *idx)
{
	if (rpmsg_virtio_dead(rvdev))
		return 0;
#if AMPLINK_CFG_ROLE_DRIVER
	if (rpmsg_virtio_is_host(rvdev)) {
		*buf = virtqueue_get_buffer(rvdev->rvq, len, idx);
		if (*buf && *len > rvdev->amplink_rx_size)
			*len = rvdev->amplink_rx_size;
		if (!*buf)
			(void)rpmsg_virtio_check_broken(rvdev);
		return *buf != NULL;
	}
#endif
	*buf = virtqueue_get_first_avail_buffer(rvdev->rvq, idx, len);
	if (*buf && *len > RPMSG_HDR_SIZE)
		rvdev->amplink_rx_size = *len; /* what the host posts, for the size query */
	if (!*buf)
		(void)rpmsg_virtio_check_broken(rvdev);
	return *buf != NULL;
}

void rpmsg_virtio_rx_return_locked(struct rpmsg_virtio_device *rvdev, void *buf, uint16_t idx)
{
	int ret;

	if (rpmsg_virtio_dead(rvdev))
		return;
#if AMPLINK_CFG_ROLE_DRIVER
	if (rpmsg_virtio_is_host(rvdev)) {
		struct virtqueue_buf vb;

		vb.buf = buf;
		vb.len = (int)rvdev->amplink_rx_size;
		ret = virtqueue_add_buffer(rvdev->rvq, &vb, 0, 1, buf);
	} else
#endif
	{
		(void)buf;
		ret = virtqueue_add_consumed_buffer(rvdev->rvq, idx, 0);
	}
	if (ret)
		metal_err("rpmsg: receive queue refused a buffer (%d)\r\n", ret);
	else
		rvdev->amplink_rx_unkicked++;
}

/* Kick the peer for returned RX buffers. Caller holds rx lock. */
static void rpmsg_rx_kick_locked(struct rpmsg_virtio_device *rvdev)
{
	if (rvdev->amplink_rx_unkicked && !rpmsg_virtio_dead(rvdev)) {
		rvdev->amplink_rx_unkicked = 0;
		virtqueue_kick(rvdev->rvq);
	}
}

int rpmsg_virtio_rx_parse(struct rpmsg_virtio_device *rvdev, const void *buf, uint32_t len,
			  struct rpmsg_hdr *hdr)
{
	BUFFER_INVALIDATE((void *)buf, len);
	if (len < RPMSG_HDR_SIZE) {
		hdr->len = 0;
		goto bad;
	}
	memcpy(hdr, buf, sizeof(*hdr)); /* one snapshot of peer memory */
	if (hdr->len > len - RPMSG_HDR_SIZE)
		goto bad;
	return 1;
bad:
	metal_err("rpmsg: message of %u bytes in a %u-byte buffer dropped\r\n",
		  (unsigned int)hdr->len, (unsigned int)len);
	RPMSG_STAT_ADD(rvdev, drop_bad_len, 1);
	(void)rvdev;
	return 0;
}

/* Flush the counts of @t (the endpoint's to the referenced one). Caller holds rx lock. */
static void rpmsg_rx_tally_flush_locked(struct rpmsg_virtio_device *rvdev, struct rpmsg_rx_tally *t)
{
	RPMSG_STAT_ADD(rvdev, rx_msgs, t->msgs);
	RPMSG_STAT_ADD(rvdev, rx_bytes, t->bytes);
	RPMSG_STAT_ADD(rvdev, drop_no_ept, t->drops);
	if (rvdev->amplink_ref.ept) {
		RPMSG_STAT_ADD(rvdev->amplink_ref.ept, rx_msgs, t->ept_msgs);
		RPMSG_STAT_ADD(rvdev->amplink_ref.ept, rx_bytes, t->ept_bytes);
	}
	*t = (struct rpmsg_rx_tally){0};
}

/*
 * Deliver one message to its endpoint and count it in @t. Runs without the
 * rx lock, on the dispatcher only (it owns amplink_ref). The endpoint counts
 * in @t belong to amplink_ref.ept: they are flushed before the reference
 * moves to another endpoint, and dropped with an endpoint its callback
 * destroyed.
 */
static void rpmsg_rx_dispatch(struct rpmsg_virtio_device *rvdev, const struct rpmsg_hdr *hdr,
			      void *payload, struct rpmsg_rx_tally *t)
{
	struct amplink_rpmsg_ept_ref *ref = &rvdev->amplink_ref;
	struct rpmsg_endpoint *ept;
	unsigned int fl;

	/* Same endpoint as the last message and the registry unchanged: no lock. */
	if (rpmsg_ept_ref_reuse(&rvdev->rdev, ref, hdr->dst, hdr->src)) {
		ept = ref->ept;
	} else {
		if (AMPLINK_CFG_STATS && t->ept_msgs) {
			fl = rpmsg_vlock(&rvdev->amplink_rx_lock);
			rpmsg_rx_tally_flush_locked(rvdev, t);
			rpmsg_vunlock(&rvdev->amplink_rx_lock, fl);
		}
		/* The previous message's endpoint is released in the same lock hold. */
		ept = rpmsg_ept_swap(&rvdev->rdev, ref, hdr->dst, hdr->src);
	}
	if (!ept) {
		metal_err("rpmsg: message to unknown address 0x%x dropped\r\n",
			  (unsigned int)hdr->dst);
		t->drops++;
		return;
	}
	t->msgs++;
	t->bytes += hdr->len;
	if (rpmsg_ept_deliver(ept, payload, hdr->len, hdr->src)) {
		t->ept_msgs++;
		t->ept_bytes += hdr->len;
	} else {
		ref->ept = NULL; /* destroyed by its callback: reference and counts gone */
		t->ept_msgs = 0;
		t->ept_bytes = 0;
	}
}

void rpmsg_virtio_rx_deliver_unlocked(struct rpmsg_virtio_device *rvdev, unsigned int *fl,
				      const struct rpmsg_hdr *hdr, void *payload)
{
	struct rpmsg_rx_tally t = {0};

	rpmsg_vunlock(&rvdev->amplink_rx_lock, *fl);
	rpmsg_rx_dispatch(rvdev, hdr, payload, &t);
	*fl = rpmsg_vlock(&rvdev->amplink_rx_lock);
	rpmsg_rx_tally_flush_locked(rvdev, &t);
}

/* Largest batch: at most a quarter of the ring, one message while a sender waits. */
static unsigned int rpmsg_rx_batch_max(struct rpmsg_virtio_device *rvdev)
{
	unsigned int max = rvdev->rvq->vq_nentries / 4u;

	if (atomic_load(&rvdev->amplink_tx_waiters) > 0 || max == 0)
		return 1;
	return max < RPMSG_RX_BATCH ? max : RPMSG_RX_BATCH;
}

/*
 * Take up to @max good ring messages into @items (bad ones are counted and
 * given back at once). Caller holds rx lock. Returns how many were taken.
 */
static unsigned int rpmsg_rx_take_batch_locked(struct rpmsg_virtio_device *rvdev,
					       struct rpmsg_rx_item *items, unsigned int max)
{
	unsigned int n = 0;
	uint32_t len;

	while (n < max && rpmsg_virtio_rx_take_locked(rvdev, &items[n].buf, &len, &items[n].idx)) {
		if (rpmsg_virtio_rx_parse(rvdev, items[n].buf, len, &items[n].hdr))
			n++;
		else
			rpmsg_virtio_rx_return_locked(rvdev, items[n].buf, items[n].idx);
	}
	return n;
}

/* rpmsg_rx_batch_locked() results. */
#define RPMSG_RX_NONE	 0 /* the ring was empty */
#define RPMSG_RX_MORE	 1 /* a full batch: the ring may hold more */
#define RPMSG_RX_DRAINED 2 /* a batch that emptied the ring */

/*
 * Take a batch of ring messages under one hold of the rx lock, deliver them
 * with the lock dropped, and give back (under one hold again) those the
 * callbacks did not hold. Caller holds rx lock. Returns RPMSG_RX_*.
 */
static int rpmsg_rx_batch_locked(struct rpmsg_virtio_device *rvdev, unsigned int *fl)
{
	struct rpmsg_rx_item items[RPMSG_RX_BATCH];
	struct rpmsg_rx_tally t = {0};
	unsigned int i, n, max = rpmsg_rx_batch_max(rvdev);
	int ret;

	n = rpmsg_rx_take_batch_locked(rvdev, items, max);
	if (n == 0)
		return RPMSG_RX_NONE;
	ret = n < max ? RPMSG_RX_DRAINED : RPMSG_RX_MORE;
	rpmsg_vunlock(&rvdev->amplink_rx_lock, *fl);
	for (i = 0; i < n; i++) {
		if (i > 0 && rpmsg_virtio_dead(rvdev)) {
			n = i; /* the peer is gone: the rest is neither delivered nor returned */
			break;
		}
		/* Dispatcher-owned; rpmsg_hold_rx_buffer (from the callback) reads them. */
		rvdev->amplink_cur_rx = (uint8_t *)items[i].buf + RPMSG_HDR_SIZE;
		rvdev->amplink_cur_held = false;
		rvdev->amplink_cur_is_bl = false;
		rvdev->amplink_cur_idx = items[i].idx;
		rpmsg_rx_dispatch(rvdev, &items[i].hdr, rvdev->amplink_cur_rx, &t);
		items[i].held = rvdev->amplink_cur_held;
	}
	rvdev->amplink_cur_rx = NULL;
	*fl = rpmsg_vlock(&rvdev->amplink_rx_lock);
	rpmsg_rx_tally_flush_locked(rvdev, &t);
	for (i = 0; i < n; i++) {
		if (!items[i].held)
			rpmsg_virtio_rx_return_locked(rvdev, items[i].buf, items[i].idx);
	}
	if (rvdev->amplink_rx_unkicked >= RPMSG_RX_KICK_BATCH ||
	    rvdev->amplink_rx_unkicked >= rvdev->rvq->vq_nentries / 4u)
		rpmsg_rx_kick_locked(rvdev);
	return ret;
}

void rpmsg_virtio_rx_callback(struct virtqueue *vq)
{
	struct rpmsg_virtio_device *rvdev = vq->vq_dev->priv;
	unsigned int fl = rpmsg_vlock(&rvdev->amplink_rx_lock);

	if (rvdev->amplink_dispatching) {
		/* The running dispatcher will see the new work. */
		rvdev->amplink_rx_pending = true;
		if (atomic_load(&rvdev->amplink_tx_waiters) > 0) {
			rpmsg_virtio_backlog_fill_locked(rvdev);
			rpmsg_rx_kick_locked(rvdev);
		}
		rpmsg_vunlock(&rvdev->amplink_rx_lock, fl);
		return;
	}
	rvdev->amplink_dispatching = true;
	rpmsg_ept_unpark(&rvdev->rdev, &rvdev->amplink_ref);
	for (;;) {
		rvdev->amplink_rx_pending = false;
		if (rpmsg_virtio_dead(rvdev))
			break;
		if (rpmsg_virtio_backlog_deliver_locked(rvdev, &fl))
			continue;
		/*
		 * A batch that found the ring empty needs no second look: the peer
		 * notifies for anything it published after that look (the queue's
		 * notifications are on; with EVENT_IDX the look re-armed them), and
		 * work that came meanwhile through a notification or the backlog
		 * set amplink_rx_pending.
		 */
		if (rpmsg_rx_batch_locked(rvdev, &fl) != RPMSG_RX_MORE &&
		    !rvdev->amplink_rx_pending)
			break;
	}
	rpmsg_rx_kick_locked(rvdev);
	/* Registry lock (if needed) inside the RX lock: never taken the other way round. */
	rpmsg_ept_park(&rvdev->rdev, &rvdev->amplink_ref);
	rvdev->amplink_dispatching = false;
	rpmsg_vunlock(&rvdev->amplink_rx_lock, fl);
}

void rpmsg_virtio_rx_help(struct rpmsg_virtio_device *rvdev)
{
	unsigned int fl = rpmsg_vlock(&rvdev->amplink_rx_lock);

	if (rvdev->amplink_dispatching) {
		rpmsg_virtio_backlog_fill_locked(rvdev);
		rvdev->amplink_rx_pending = true; /* the dispatcher delivers the backlog */
	}
	rpmsg_rx_kick_locked(rvdev);
	rpmsg_vunlock(&rvdev->amplink_rx_lock, fl);
}

#if AMPLINK_CFG_RPMSG_ZERO_COPY
/* Remember that the message being delivered is held. Caller holds rx lock. */
static void rpmsg_rx_mark_held_locked(struct rpmsg_virtio_device *rvdev, void *payload)
{
	uint8_t *buf = (uint8_t *)payload - RPMSG_HDR_SIZE;

	rvdev->amplink_cur_held = true;
#if AMPLINK_CFG_ROLE_DRIVER
	if (rpmsg_virtio_is_host(rvdev)) {
		size_t i = (size_t)(buf - rvdev->amplink_rx_first) / rvdev->amplink_rx_size;

		metal_bitmap_set_bit(rvdev->amplink_rx_held, (int)i);
		return;
	}
#endif
	/*
	 * Remote: the descriptor head goes to private memory (the buffer is the
	 * peer's to scribble on). A taken slot leaves it to the scan on release.
	 */
	rpmsg_slot_remember(rvdev->amplink_rx_hold_idx, buf, rvdev->amplink_cur_idx);
}

void rpmsg_virtio_hold_rx_buffer(struct rpmsg_device *rdev, void *rxbuf)
{
	struct rpmsg_virtio_device *rvdev = rpmsg_virtio_of(rdev);
	unsigned int fl = rpmsg_vlock(&rvdev->amplink_rx_lock);

	if (rxbuf && rxbuf == rvdev->amplink_cur_rx) {
		if (!rpmsg_virtio_backlog_hold_locked(rvdev, rxbuf))
			rpmsg_rx_mark_held_locked(rvdev, rxbuf);
	} else {
		metal_err("rpmsg: hold of a buffer not being delivered\r\n");
	}
	rpmsg_vunlock(&rvdev->amplink_rx_lock, fl);
}

/*
 * The ring buffer whose payload is @payload, if this side holds it: sets
 * *@buf and *@idx. Caller holds rx lock. Returns 1 when found.
 */
static int rpmsg_rx_lookup_locked(struct rpmsg_virtio_device *rvdev, void *payload, void **buf,
				  uint16_t *idx)
{
	int found;

	*buf = (uint8_t *)payload - RPMSG_HDR_SIZE;
#if AMPLINK_CFG_ROLE_DRIVER
	if (rpmsg_virtio_is_host(rvdev)) {
		const uint8_t *p = *buf;
		size_t off;

		*idx = 0;
		if (p < rvdev->amplink_rx_first)
			return 0;
		off = (size_t)(p - rvdev->amplink_rx_first);
		if (off % rvdev->amplink_rx_size ||
		    off / rvdev->amplink_rx_size >= rvdev->amplink_rx_num ||
		    !metal_bitmap_is_bit_set(rvdev->amplink_rx_held,
					     (int)(off / rvdev->amplink_rx_size)))
			return 0;
		metal_bitmap_clear_bit(rvdev->amplink_rx_held, (int)(off / rvdev->amplink_rx_size));
		return 1;
	}
#endif
	/* Remote: the head from private memory (see rpmsg_slot_take). */
	found = rpmsg_slot_take(rvdev->amplink_rx_hold_idx, rvdev->rvq, *buf);
	if (found < 0)
		return 0;
	*idx = (uint16_t)found;
	return 1;
}

void rpmsg_virtio_release_rx_buffer(struct rpmsg_device *rdev, void *rxbuf)
{
	struct rpmsg_virtio_device *rvdev = rpmsg_virtio_of(rdev);
	unsigned int fl = rpmsg_vlock(&rvdev->amplink_rx_lock);
	uint16_t idx;
	void *buf;

	if (rpmsg_virtio_backlog_release(rvdev, rxbuf)) {
		/* a private copy: nothing to give back */
	} else if (rpmsg_rx_lookup_locked(rvdev, rxbuf, &buf, &idx)) {
		rpmsg_virtio_rx_return_locked(rvdev, buf, idx);
		rpmsg_rx_kick_locked(rvdev);
	} else {
		metal_err("rpmsg: release of a buffer not held\r\n");
	}
	rpmsg_vunlock(&rvdev->amplink_rx_lock, fl);
}
#endif /* AMPLINK_CFG_RPMSG_ZERO_COPY */
