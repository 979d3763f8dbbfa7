/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * amplink extensions of the virtqueue API: the broken state (the peer broke
 * the ring protocol), a queue reset, a count of pending entries, posting a
 * chain through an indirect descriptor table, and per-queue counters.
 */
#ifndef AMPLINK_VIRTQUEUE_H
#define AMPLINK_VIRTQUEUE_H

#include <stdbool.h>
#include <openamp/virtqueue.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The queue is stopped because the peer broke the protocol; reset it. */
#define AMPLINK_VQ_ERR_BROKEN (VQ_ERROR_BASE - 9)

/*
 * amplink_virtqueue_is_broken - whether @vq detected a protocol violation
 * by the peer and refuses work until amplink_virtqueue_reset().
 */
bool amplink_virtqueue_is_broken(const struct virtqueue *vq);

/*
 * amplink_virtqueue_reset - forget every chain in flight and start over at
 * index 0 (the driver role also re-initialises the ring memory). Call it only
 * when the peer reset too (device reset handshake). Cookies of chains in
 * flight are dropped: the caller owns those buffers again.
 * Returns VQUEUE_SUCCESS or ERROR_VQUEUE_INVLD_PARAM.
 */
int amplink_virtqueue_reset(struct virtqueue *vq);

/*
 * amplink_virtqueue_pending - entries the peer published that this side has
 * not taken yet (driver: used chains; device: available chains). A bogus
 * index breaks the queue. Returns the count (0 when broken).
 */
unsigned int amplink_virtqueue_pending(struct virtqueue *vq);

/* amplink_virtqueue_peer_idx() when the ring has no such index. */
#define AMPLINK_VQ_IDX_UNKNOWN 0xFFFFFFFFu

/*
 * amplink_virtqueue_peer_idx - the free-running index the peer last published
 * (split ring: used->idx seen by the driver, avail->idx seen by the device),
 * read with acquire ordering and NOT validated: only for telling whether the
 * peer moved since an earlier call, e.g. to skip a queue's callback when it
 * did not. Any thread. Returns the index (0..0xFFFF), or AMPLINK_VQ_IDX_UNKNOWN
 * for a ring format without one (then assume it moved).
 */
uint32_t amplink_virtqueue_peer_idx(struct virtqueue *vq);

/*
 * amplink_virtqueue_add_buffer_indirect - driver role, with
 * VIRTIO_RING_F_INDIRECT_DESC negotiated: post a chain using one ring
 * descriptor that points at @table, an array of (readable + writable)
 * struct vring_desc the caller provides inside shm_io (16-byte aligned),
 * kept untouched until the chain comes back.
 * Returns as virtqueue_add_buffer(), ERROR_VQUEUE_INVLD_PARAM when indirect
 * descriptors were not negotiated.
 */
int amplink_virtqueue_add_buffer_indirect(struct virtqueue *vq, struct virtqueue_buf *buf_list,
					  int readable, int writable, struct vring_desc *table,
					  void *cookie);

/*
 * amplink_virtqueue_find_held - device role: the head index of the chain this
 * side holds (taken, not yet returned) whose first buffer is @va, found in the
 * queue's private state (a scan of the descriptors). Same serialization as
 * other calls. Returns the index, or -1 when no held chain starts at @va.
 */
int amplink_virtqueue_find_held(struct virtqueue *vq, const void *va);

/*
 * amplink_virtqueue_get_stats - copy the counters of @vq into @stats (all
 * zero when AMPLINK_CFG_STATS is 0). Same serialization as other calls.
 * Returns VQUEUE_SUCCESS or ERROR_VQUEUE_INVLD_PARAM.
 */
int amplink_virtqueue_get_stats(const struct virtqueue *vq, struct amplink_vq_stats *stats);

#ifdef __cplusplus
}
#endif

#endif /* AMPLINK_VIRTQUEUE_H */
