/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private interfaces between the files of the RPMsg-over-virtio transport:
 * TX buffer management and sends (rpmsg_virtio_tx.c), RX dispatch and held
 * buffers (rpmsg_virtio_rx.c), the private backlog (rpmsg_virtio_backlog.c).
 *
 * Locking: amplink_tx_lock covers the send queue and every TX buffer
 * structure; amplink_rx_lock covers the receive queue, the backlog and the
 * dispatch flags. No path holds both, and neither is held while an
 * application callback runs.
 */
#ifndef AMPLINK_RPMSG_VIRTIO_INTERNAL_H
#define AMPLINK_RPMSG_VIRTIO_INTERNAL_H

#include <amplink/rpmsg.h>
#include <amplink/virtqueue.h>
#include <openamp/rpmsg_virtio.h>

#include "rpmsg/rpmsg_internal.h"

/* Zero-copy support: AMPLINK_CFG_RPMSG_ZERO_COPY in <amplink/config.h>. */

#define RPMSG_HDR_SIZE ((uint32_t)sizeof(struct rpmsg_hdr))

#if AMPLINK_CFG_RPMSG_ZERO_COPY
/*
 * Remote side: the private tables that remember which descriptor head a held
 * RX buffer or a lent TX buffer came with (AMPLINK_RPMSG_HOLD_SLOTS entries of
 * head + 1, 0 = free). The slot is a hash of the buffer's address alone, never
 * of a length the peer posted, so the peer cannot move an entry.
 */
static inline uint16_t *rpmsg_slot_of(uint16_t *table, const void *buf)
{
	uint32_t a = (uint32_t)((uintptr_t)buf >> 4);

	return &table[((a * 2654435761u) >> 16) & (AMPLINK_RPMSG_HOLD_SLOTS - 1u)];
}

/* Remember that the buffer @buf of descriptor @head is held (a taken slot: the scan finds it). */
static inline void rpmsg_slot_remember(uint16_t *table, const void *buf, uint16_t head)
{
	uint16_t *slot = rpmsg_slot_of(table, buf);

	if (*slot == 0)
		*slot = (uint16_t)(head + 1u);
}

/*
 * The head of the chain at @buf this side holds on @vq: from the table (the
 * entry is forgotten) or else a scan of the queue's private state. Returns
 * the head, or -1 when @buf is not held.
 */
static inline int rpmsg_slot_take(uint16_t *table, struct virtqueue *vq, const void *buf)
{
	uint16_t *slot = rpmsg_slot_of(table, buf);
	int head;

	if (*slot && virtqueue_get_buffer_addr(vq, (uint16_t)(*slot - 1u)) == buf) {
		head = *slot - 1;
		*slot = 0;
		return head;
	}
	return amplink_virtqueue_find_held(vq, buf);
}
#endif

/* rvdev of an rdev (the rdev is its first member). */
static inline struct rpmsg_virtio_device *rpmsg_virtio_of(struct rpmsg_device *rdev)
{
	return metal_container_of(rdev, struct rpmsg_virtio_device, rdev);
}

/* Role tests that compile to constants when only one role is built. */
static inline int rpmsg_virtio_is_host(const struct rpmsg_virtio_device *rvdev)
{
#if AMPLINK_CFG_ROLE_DRIVER && AMPLINK_CFG_ROLE_DEVICE
	return rvdev->vdev->role == RPMSG_HOST;
#elif AMPLINK_CFG_ROLE_DRIVER
	(void)rvdev;
	return 1;
#else
	(void)rvdev;
	return 0;
#endif
}

/* True once the peer is gone. Any context. */
static inline int rpmsg_virtio_dead(struct rpmsg_virtio_device *rvdev)
{
	return atomic_load_explicit(&rvdev->amplink_dead, memory_order_acquire);
}

/*
 * rpmsg_virtio_check_broken - after a failed ring operation: if either
 * virtqueue found the peer breaking the protocol, the device is dead from now
 * on (logged once; waiting senders are woken). Any lock may be held.
 * Returns non-zero when the device is dead.
 */
int rpmsg_virtio_check_broken(struct rpmsg_virtio_device *rvdev);

/*
 * rpmsg_virtio_hdr_in_shm - whether the header in front of @payload (a
 * pointer from the application) lies in the shared region, so that it may be
 * read. Returns non-zero when it does.
 */
int rpmsg_virtio_hdr_in_shm(struct rpmsg_virtio_device *rvdev, const void *payload);

/* TX side (rpmsg_virtio_tx.c): the device ops. */
int rpmsg_virtio_send(struct rpmsg_device *rdev, struct rpmsg_endpoint *ept, uint32_t src,
		      uint32_t dst, const void *data, int len, uint32_t timeout_us);
int rpmsg_virtio_send_offchannel_raw(struct rpmsg_device *rdev, uint32_t src, uint32_t dst,
				     const void *data, int len, int wait);
void *rpmsg_virtio_get_tx_payload_buffer(struct rpmsg_device *rdev, uint32_t *len, int wait);
int rpmsg_virtio_send_nocopy(struct rpmsg_device *rdev, struct rpmsg_endpoint *ept, uint32_t src,
			     uint32_t dst, const void *data, int len);
int rpmsg_virtio_send_offchannel_nocopy(struct rpmsg_device *rdev, uint32_t src, uint32_t dst,
					const void *data, int len);
int rpmsg_virtio_release_tx_buffer(struct rpmsg_device *rdev, void *txbuf);

/* rpmsg_virtio_tx_callback - send queue callback: a buffer came back; wake waiters. */
void rpmsg_virtio_tx_callback(struct virtqueue *vq);

/* RX side (rpmsg_virtio_rx.c). */
/* rpmsg_virtio_rx_callback - receive queue callback: dispatch incoming messages. */
void rpmsg_virtio_rx_callback(struct virtqueue *vq);
/* rpmsg_virtio_rx_help - a sender is about to wait: free RX buffers for the peer. */
void rpmsg_virtio_rx_help(struct rpmsg_virtio_device *rvdev);
void rpmsg_virtio_hold_rx_buffer(struct rpmsg_device *rdev, void *rxbuf);
void rpmsg_virtio_release_rx_buffer(struct rpmsg_device *rdev, void *rxbuf);

/*
 * rpmsg_virtio_rx_take_locked - take the next filled RX buffer from the ring:
 * sets *@buf (header), *@len (valid bytes), *@idx. Caller holds rx lock.
 * Returns 1 when one was taken, 0 when none.
 */
int rpmsg_virtio_rx_take_locked(struct rpmsg_virtio_device *rvdev, void **buf, uint32_t *len,
				uint16_t *idx);
/* rpmsg_virtio_rx_return_locked - give an RX buffer back to the peer (no kick). */
void rpmsg_virtio_rx_return_locked(struct rpmsg_virtio_device *rvdev, void *buf, uint16_t idx);
/*
 * rpmsg_virtio_rx_parse - snapshot and validate the header of a buffer with
 * @len valid bytes; counts and logs a bad one. Caller holds rx lock.
 * Returns 1 when the message is good.
 */
int rpmsg_virtio_rx_parse(struct rpmsg_virtio_device *rvdev, const void *buf, uint32_t len,
			  struct rpmsg_hdr *hdr);

/*
 * rpmsg_virtio_rx_deliver_unlocked - deliver one message to its endpoint;
 * the rx lock (held on entry, flags in *@fl) is dropped meanwhile and held
 * again on return. Counts the message or the drop.
 */
void rpmsg_virtio_rx_deliver_unlocked(struct rpmsg_virtio_device *rvdev, unsigned int *fl,
				      const struct rpmsg_hdr *hdr, void *payload);

/* Backlog (rpmsg_virtio_backlog.c); all under rx lock. */
#if AMPLINK_CFG_RPMSG_BACKLOG_MAX > 0
/* rpmsg_virtio_backlog_fill_locked - copy ring messages to the backlog, return their buffers. */
void rpmsg_virtio_backlog_fill_locked(struct rpmsg_virtio_device *rvdev);
/* rpmsg_virtio_backlog_deliver_locked - deliver one backlog message (drops the lock meanwhile).
 * Returns 1 if one was delivered. */
int rpmsg_virtio_backlog_deliver_locked(struct rpmsg_virtio_device *rvdev, unsigned int *fl);
/* rpmsg_virtio_backlog_hold_locked - mark the backlog message being delivered held. Returns 1 if
 * @payload is it. */
int rpmsg_virtio_backlog_hold_locked(struct rpmsg_virtio_device *rvdev, void *payload);
/* rpmsg_virtio_backlog_release - free a held backlog message. Returns 1 if @payload was one. */
int rpmsg_virtio_backlog_release(struct rpmsg_virtio_device *rvdev, void *payload);
/* rpmsg_virtio_backlog_free_all - free everything (deinit). */
void rpmsg_virtio_backlog_free_all(struct rpmsg_virtio_device *rvdev);
#else
static inline void rpmsg_virtio_backlog_fill_locked(struct rpmsg_virtio_device *rvdev)
{
	(void)rvdev;
}
static inline int rpmsg_virtio_backlog_deliver_locked(struct rpmsg_virtio_device *rvdev,
						      unsigned int *fl)
{
	(void)rvdev;
	(void)fl;
	return 0;
}
static inline int rpmsg_virtio_backlog_hold_locked(struct rpmsg_virtio_device *rvdev, void *payload)
{
	(void)rvdev;
	(void)payload;
	return 0;
}
static inline int rpmsg_virtio_backlog_release(struct rpmsg_virtio_device *rvdev, void *payload)
{
	(void)rvdev;
	(void)payload;
	return 0;
}
static inline void rpmsg_virtio_backlog_free_all(struct rpmsg_virtio_device *rvdev)
{
	(void)rvdev;
}
#endif

#endif /* AMPLINK_RPMSG_VIRTIO_INTERNAL_H */
