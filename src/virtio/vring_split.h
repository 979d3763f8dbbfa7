/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private to the split ring format (vring_split*.c): the shared-memory
 * accessors and their memory-ordering rules, and the role-specific
 * operations the format's ops table (vring_split.c) points at.
 *
 * Memory ordering (both sides may run on different CPUs):
 *  - Peer-owned indices (avail->idx for the device, used->idx for the
 *    driver) are read with an ACQUIRE load before the ring entries and
 *    descriptors they cover are read: the peer's RELEASE store of that index
 *    happened after it wrote them.
 *  - Our own index (avail->idx for the driver, used->idx for the device) is
 *    written with a RELEASE store after the descriptors / ring entries it
 *    publishes. Our index is never read back from shared memory: the
 *    private shadows vq_available_idx / vq_used_prod_idx / vq_used_cons_idx
 *    are the truth.
 *  - Before reading the peer's suppression field (flags or event index) to
 *    decide on a notification, a SEQ_CST fence orders our index store before
 *    that load; after writing our own event index or re-enabling callbacks,
 *    a SEQ_CST fence orders that store before we look for more work. These
 *    two fences pair up so that one side always sees the other's update and
 *    no notification is lost.
 *  - With EVENT_IDX, our event index is written when we run out of work
 *    (the next take would find the ring empty), not after every entry: the
 *    peer then notifies only for what it publishes after we looked, and a
 *    stale event index while we are still busy only means no notification,
 *    which we do not need since we look again before stopping. Writing it
 *    is followed by the SEQ_CST fence and a second look at the peer's index
 *    (the pair of the peer's fence before it reads our event index), so an
 *    entry published meanwhile is either seen by that look or notified.
 *    The index is rewritten only when it changed (vq_event_armed), so
 *    polling an empty ring costs one acquire load.
 *  - Other shared fields (ring entries, descriptors, flags, event indices)
 *    are accessed once each through volatile or relaxed atomic accesses so
 *    the compiler can neither repeat nor merge them; every peer-owned value
 *    is copied into a local once and only the copy is validated and used.
 */
#ifndef AMPLINK_VRING_SPLIT_H
#define AMPLINK_VRING_SPLIT_H

#include <stdint.h>
#include <metal/atomic.h>
#include <openamp/virtqueue.h>
#include "virtio/vring_format.h"

static inline uint16_t vring_split_load_acquire(uint16_t *p)
{
	VRING_INVALIDATE(p, sizeof(*p));
	return atomic_load_explicit((_Atomic uint16_t *)(void *)p, memory_order_acquire);
}

static inline void vring_split_store_release(uint16_t *p, uint16_t v)
{
	atomic_store_explicit((_Atomic uint16_t *)(void *)p, v, memory_order_release);
	VRING_FLUSH(p, sizeof(*p));
}

static inline uint16_t vring_split_read16(uint16_t *p)
{
	VRING_INVALIDATE(p, sizeof(*p));
	return atomic_load_explicit((_Atomic uint16_t *)(void *)p, memory_order_relaxed);
}

static inline void vring_split_write16(uint16_t *p, uint16_t v)
{
	atomic_store_explicit((_Atomic uint16_t *)(void *)p, v, memory_order_relaxed);
	VRING_FLUSH(p, sizeof(*p));
}

/*
 * Write our event index (used_event for the driver, avail_event for the
 * device) and remember it in vq_event_armed; no fence.
 */
static inline void vring_split_write_event(struct virtqueue *vq, uint16_t *p, uint16_t v)
{
	vring_split_write16(p, v);
	vq->vq_event_armed = v;
}

/*
 * vring_split_new_entries - how many entries the peer published at *@idx
 * (its index, ACQUIRE) past @ours (our private shadow). When there are none,
 * with EVENT_IDX and callbacks on, first ask the peer to notify us for the
 * next one by writing @ours to our event index *@event (unless it holds that
 * already), fence, and look again (see the rules above). Returns the count.
 */
static inline uint16_t vring_split_new_entries(struct virtqueue *vq, uint16_t *idx, uint16_t ours,
					       uint16_t *event)
{
	uint16_t delta = (uint16_t)(vring_split_load_acquire(idx) - ours);

	if (delta == 0 && VQ_EVENT_IDX(vq) && vq->vq_cb_enabled && vq->vq_event_armed != ours) {
		vring_split_write_event(vq, event, ours);
		atomic_thread_fence(memory_order_seq_cst);
		delta = (uint16_t)(vring_split_load_acquire(idx) - ours);
	}
	return delta;
}

static inline uint16_t vring_split_mask(const struct virtqueue *vq)
{
	return (uint16_t)(vq->vq_nentries - 1);
}

/* Driver role (vring_split_driver.c): see struct vring_format_ops. */
int vring_split_add_chain(struct virtqueue *vq, const struct virtqueue_buf *bufs, int readable,
			  int writable, struct vring_desc *table, void *cookie);
void *vring_split_get_used(struct virtqueue *vq, uint32_t *len, uint16_t *idx);

/* Device role (vring_split_device.c): see struct vring_format_ops. */
void *vring_split_take_avail(struct virtqueue *vq, uint16_t *head, uint32_t *len);
void *vring_split_next_avail(struct virtqueue *vq, uint16_t idx, uint16_t *next_idx,
			     uint32_t *next_len);
int vring_split_put_used(struct virtqueue *vq, uint16_t head, uint32_t len);
uint32_t vring_split_peek_avail_len(struct virtqueue *vq);

#endif /* AMPLINK_VRING_SPLIT_H */
