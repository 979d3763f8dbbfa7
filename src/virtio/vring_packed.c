/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The packed ring format (virtio 1.1+, VIRTIO_F_RING_PACKED) behind the
 * vring_format_ops interface: layout and private state, the driver role
 * (post chains, collect used descriptors), notification suppression for both
 * roles, and the ops table. The device role is in packed_device.c.
 *
 * Private state. The positions we own are kept in the queue's u16 shadows as
 * "pos | wrap << 15" (the same encoding as an off_wrap word):
 *   driver: vq_available_idx = next slot to fill, vq_used_cons_idx = next
 *           slot to look at for a used descriptor; buffer ids come from a
 *           free list (vq_desc_head_idx, vq_descx[id].next) and vq_descx[id]
 *           keeps the cookie, the slots the chain took and its writable bytes.
 *   device: vq_available_idx = next slot to look at for an available chain,
 *           vq_used_prod_idx = next slot to write a used descriptor to;
 *           vq_descx[id] keeps a held chain's first buffer, its slot count
 *           and (in .next) the slot of its head; vq_free_cnt counts the slots
 *           not held.
 * Both wrap counters start at 1. We never read our own positions back from
 * the ring.
 *
 * Memory ordering (the two sides may run on different CPUs):
 *  - A descriptor's flags word is what publishes it. The driver writes a
 *    chain's other descriptors (addr, len, id, flags) first and the head's
 *    flags last with a RELEASE store; the device writes a used descriptor's
 *    id and len first and its flags with a RELEASE store.
 *  - The side that looks for work reads the flags word of the slot it
 *    expects with an ACQUIRE load, and only then reads the rest of that
 *    descriptor (and, for the device, the chain's following descriptors).
 *    Each peer-owned field is read once into a local and validated there.
 *  - Before reading the peer's event suppression structure to decide on a
 *    notification, a SEQ_CST fence orders our publishing store before that
 *    load; after writing our own suppression structure (re-enabling
 *    callbacks or moving the event offset), a SEQ_CST fence orders it before
 *    we look for more work. The two fences pair up, so no notification is
 *    lost.
 *  - Suppression fields are read and written with relaxed atomics so the
 *    compiler can neither repeat nor merge those accesses.
 *
 * Descriptor events (EVENT_IDX): positions are only known modulo 2 * num, so
 * "was the peer's event slot published since our last decision" is exact
 * only for windows shorter than that; vq_queued_cnt counts the slots
 * published since the last decision and a window of num slots or more
 * always notifies.
 */
#include <amplink/libc.h>
#include <metal/atomic.h>
#include <metal/log.h>
#include <openamp/virtio.h>

#include "virtio/packed_ring.h"
#include "virtio/vring_format.h"

/* ---- layout ------------------------------------------------------------- */

static size_t vring_packed_ring_size(const struct virtqueue *vq)
{
	return vring_packed_size(vq->vq_nentries);
}

static void vring_packed_init(struct virtqueue *vq)
{
	const uint16_t start = (uint16_t)(1u << VRING_PACKED_WRAP_BIT);
	uint16_t i;

	for (i = 0; i < vq->vq_nentries; i++) {
		vq->vq_descx[i] = (struct vq_desc_extra){0};
		vq->vq_descx[i].next = (uint16_t)(i + 1);
	}
	vq->vq_descx[vq->vq_nentries - 1].next = VQ_RING_DESC_CHAIN_END;
	vq->vq_desc_head_idx = 0;
	vq->vq_free_cnt = vq->vq_nentries;
	vq->vq_available_idx = start;
	vq->vq_used_cons_idx = start;
	vq->vq_used_prod_idx = start;
	vq->vq_kick_idx = start;
	vq->vq_packed = true;
	/* The split view of the ring must never be used on this memory. */
	vq->vq_ring = (struct vring){0};
	if (!vq->vq_is_device) /* the front zeroed the ring: push that out */
		VRING_FLUSH(vq->vq_ring_mem, vring_packed_ring_size(vq));
}

/* ---- driver role -------------------------------------------------------- */
#if AMPLINK_CFG_ROLE_DRIVER

static void vring_packed_write_desc(struct vring_packed_desc *d, uint64_t addr, uint32_t len,
				    uint16_t id)
{
	volatile struct vring_packed_desc *v = d;

	v->addr = addr;
	v->len = len;
	v->id = id;
}

/*
 * Write every descriptor of the chain except the head's flags, into slots
 * the driver owns: nothing becomes visible to the device, so a bad buffer
 * leaves the queue as it was. Returns the writable byte count, or -1.
 */
static int64_t vring_packed_fill(struct virtqueue *vq, const struct virtqueue_buf *bufs,
				 int readable, int n, uint16_t id, uint16_t *head_flags)
{
	struct vring_packed_desc *ring = vring_packed_desc(vq);
	uint16_t idx = vq->vq_available_idx;
	int64_t wlen = 0;
	int i;

	for (i = 0; i < n; i++) {
		struct vring_packed_desc *d = &ring[vring_packed_pos(idx)];
		uint16_t flags = vring_packed_avail_bits(vring_packed_wrap(idx));
		uint64_t da;

		if (virtqueue_va_to_da(vq, bufs[i].buf, bufs[i].len, &da) != 0) {
			metal_log(METAL_LOG_ERROR,
				  "virtqueue %s: buffer %d outside shared memory\n",
				  virtqueue_name(vq), i);
			return -1;
		}
		if (i + 1 < n)
			flags |= VRING_PACKED_DESC_F_NEXT;
		if (i >= readable) {
			flags |= VRING_PACKED_DESC_F_WRITE;
			wlen += bufs[i].len;
		}
		vring_packed_write_desc(d, da, (uint32_t)bufs[i].len, id);
		if (i == 0)
			*head_flags = flags;
		else
			vring_packed_write16(&d->flags, flags);
		VRING_FLUSH(d, sizeof(*d));
		idx = vring_packed_advance(vq, idx, 1);
	}
	return wlen;
}

/*
 * Indirect: write the @n buffers as packed descriptors into @table (which
 * must lie in shm_io) and the ring slot's addr/len/id pointing at it; the
 * head flags (INDIRECT) are returned for the caller to publish.
 * Returns the writable byte count, or -1.
 */
static int64_t vring_packed_fill_table(struct virtqueue *vq, const struct virtqueue_buf *bufs,
				       int readable, int n, uint16_t id, struct vring_desc *table,
				       uint16_t *head_flags)
{
	struct vring_packed_desc *tbl = (struct vring_packed_desc *)(void *)table;
	struct vring_packed_desc *slot =
		&vring_packed_desc(vq)[vring_packed_pos(vq->vq_available_idx)];
	int64_t wlen = 0;
	uint64_t da, tda;
	int i;

	if (vq->vq_free_cnt < 1 || virtqueue_va_to_da(vq, table, n * (int)sizeof(*tbl), &tda) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		uint16_t flags = 0;

		if (virtqueue_va_to_da(vq, bufs[i].buf, bufs[i].len, &da) != 0) {
			metal_log(METAL_LOG_ERROR,
				  "virtqueue %s: buffer %d outside shared memory\n",
				  virtqueue_name(vq), i);
			return -1;
		}
		if (i >= readable) {
			flags = VRING_PACKED_DESC_F_WRITE;
			wlen += bufs[i].len;
		}
		vring_packed_write_desc(&tbl[i], da, (uint32_t)bufs[i].len, 0);
		vring_packed_write16(&tbl[i].flags, flags);
		VRING_FLUSH(&tbl[i], sizeof(tbl[i]));
	}
	vring_packed_write_desc(slot, tda, (uint32_t)(n * (int)sizeof(*tbl)), id);
	VRING_FLUSH(slot, sizeof(*slot));
	*head_flags = (uint16_t)(vring_packed_avail_bits(vring_packed_wrap(vq->vq_available_idx)) |
				 VRING_PACKED_DESC_F_INDIRECT);
	return wlen;
}

static int vring_packed_add_chain(struct virtqueue *vq, const struct virtqueue_buf *bufs,
				  int readable, int writable, struct vring_desc *table,
				  void *cookie)
{
	struct vring_packed_desc *head =
		&vring_packed_desc(vq)[vring_packed_pos(vq->vq_available_idx)];
	uint16_t n = (uint16_t)(readable + writable);
	uint16_t id = vq->vq_desc_head_idx;
	uint16_t head_flags = 0;
	struct vq_desc_extra *dx;
	int64_t wlen;

	if (vq->vq_free_cnt < (table ? 1 : n) || id >= vq->vq_nentries)
		return ERROR_VRING_FULL;
	if (table) {
		wlen = vring_packed_fill_table(vq, bufs, readable, n, id, table, &head_flags);
		n = 1; /* the chain takes one ring slot */
	} else {
		wlen = vring_packed_fill(vq, bufs, readable, n, id, &head_flags);
	}
	if (wlen < 0)
		return ERROR_VQUEUE_INVLD_PARAM;
	dx = &vq->vq_descx[id];
	vq->vq_desc_head_idx = dx->next;
	dx->cookie = cookie;
	dx->ndescs = n;
	dx->len = wlen > (int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)wlen;
	dx->state = VQ_DX_POSTED;
	vq->vq_free_cnt = (uint16_t)(vq->vq_free_cnt - n);
	vq->vq_available_idx = vring_packed_advance(vq, vq->vq_available_idx, n);
	vring_packed_count_published(vq, n);
	vq->vq_inflight++;
	vring_packed_store_release(&head->flags, head_flags);
	return VQUEUE_SUCCESS;
}

/* Driver: ask for an interrupt when the next slot we look at gets used. */
static void vring_packed_arm_used_event(struct virtqueue *vq)
{
	if (!vq->vq_event_idx || !vq->vq_cb_enabled)
		return;
	vring_packed_write16(&vring_packed_driver_event(vq)->off_wrap, vq->vq_used_cons_idx);
	atomic_thread_fence(memory_order_seq_cst);
}

/* Validate a used descriptor snapshot; returns its chain state or NULL (broken). */
static struct vq_desc_extra *vring_packed_check_used(struct virtqueue *vq, uint16_t id,
						     uint16_t flags, uint32_t *len)
{
	struct vq_desc_extra *dx;

	if (id >= vq->vq_nentries || vq->vq_descx[id].state != VQ_DX_POSTED) {
		VQ_PEER_ERROR(vq, "virtqueue %s: used id %u is not a chain in flight\n",
			      virtqueue_name(vq), id);
		return NULL;
	}
	dx = &vq->vq_descx[id];
	if (!(flags & VRING_PACKED_DESC_F_WRITE))
		*len = 0; /* the length is reserved without WRITE */
	if (*len > dx->len) {
		VQ_PEER_ERROR(vq, "virtqueue %s: used len %lu exceeds the %lu writable bytes\n",
			      virtqueue_name(vq), (unsigned long)*len, (unsigned long)dx->len);
		return NULL;
	}
	return dx;
}

static void *vring_packed_get_used(struct virtqueue *vq, uint32_t *len, uint16_t *idx)
{
	struct vring_packed_desc *d =
		&vring_packed_desc(vq)[vring_packed_pos(vq->vq_used_cons_idx)];
	volatile struct vring_packed_desc *v = d;
	struct vq_desc_extra *dx;
	uint16_t flags, id;
	uint32_t ulen;
	void *cookie;

	flags = vring_packed_load_acquire(&d->flags);
	if (!vring_packed_is_used(flags, vring_packed_wrap(vq->vq_used_cons_idx)))
		return NULL;
	if (vq->vq_inflight == 0) {
		VQ_PEER_ERROR(vq, "virtqueue %s: used descriptor with no chain in flight\n",
			      virtqueue_name(vq));
		return NULL;
	}
	VRING_INVALIDATE(d, sizeof(*d));
	id = v->id;
	ulen = v->len;
	dx = vring_packed_check_used(vq, id, flags, &ulen);
	if (!dx)
		return NULL;
	cookie = dx->cookie;
	vq->vq_used_cons_idx = vring_packed_advance(vq, vq->vq_used_cons_idx, dx->ndescs);
	vq->vq_free_cnt = (uint16_t)(vq->vq_free_cnt + dx->ndescs);
	*dx = (struct vq_desc_extra){.next = vq->vq_desc_head_idx};
	vq->vq_desc_head_idx = id;
	vq->vq_inflight--;
	vring_packed_arm_used_event(vq);
	*len = ulen;
	if (idx)
		*idx = id;
	return cookie;
}

#endif /* AMPLINK_CFG_ROLE_DRIVER */

/* ---- both roles ----------------------------------------------------------- */

/*
 * Driver: used chains waiting, counted from the next slot we look at. Stops
 * (without breaking the queue: get_used does that) at the first descriptor
 * that is not a well-formed used entry.
 */
static unsigned int vring_packed_pending_used(struct virtqueue *vq)
{
	struct vring_packed_desc *ring = vring_packed_desc(vq);
	uint16_t idx = vq->vq_used_cons_idx;
	unsigned int count = 0;

	while (count < vq->vq_inflight) {
		struct vring_packed_desc *d = &ring[vring_packed_pos(idx)];
		uint16_t flags = vring_packed_load_acquire(&d->flags);
		uint16_t id;

		if (!vring_packed_is_used(flags, vring_packed_wrap(idx)))
			break;
		id = ((volatile struct vring_packed_desc *)d)->id;
		if (id >= vq->vq_nentries || vq->vq_descx[id].state != VQ_DX_POSTED)
			break;
		idx = vring_packed_advance(vq, idx, vq->vq_descx[id].ndescs);
		count++;
	}
	return count;
}

/*
 * Device: available chains waiting, counted from the next slot we look at,
 * within the slots not held. Stops (without breaking the queue: take_avail
 * does that) at the first malformed chain.
 */
static unsigned int vring_packed_pending_avail(struct virtqueue *vq)
{
	struct vring_packed_desc *ring = vring_packed_desc(vq);
	uint16_t idx = vq->vq_available_idx;
	unsigned int slots = vq->vq_free_cnt, count = 0, n;
	uint16_t flags;

	while (slots > 0) {
		flags = vring_packed_load_acquire(&ring[vring_packed_pos(idx)].flags);
		if (!vring_packed_is_avail(flags, vring_packed_wrap(idx)))
			break;
		for (n = 1; flags & VRING_PACKED_DESC_F_NEXT; n++) {
			if (n >= slots)
				return count;
			idx = vring_packed_advance(vq, idx, 1);
			flags = vring_packed_read16(&ring[vring_packed_pos(idx)].flags);
			if (!vring_packed_is_avail(flags, vring_packed_wrap(idx)))
				return count;
		}
		idx = vring_packed_advance(vq, idx, 1);
		slots -= n;
		count++;
	}
	return count;
}

/* Entries the peer published that this side has not taken yet. */
static unsigned int vring_packed_pending(struct virtqueue *vq)
{
	return vq->vq_is_device ? vring_packed_pending_avail(vq) : vring_packed_pending_used(vq);
}

static int vring_packed_set_cb(struct virtqueue *vq, bool enable)
{
	struct vring_packed_event *ev =
		vq->vq_is_device ? vring_packed_device_event(vq) : vring_packed_driver_event(vq);
	uint16_t next = vq->vq_is_device ? vq->vq_available_idx : vq->vq_used_cons_idx;
	uint16_t flags = VRING_PACKED_EVENT_F_DISABLE;

	vq->vq_cb_enabled = enable;
	if (enable && vq->vq_event_idx) {
		vring_packed_write16(&ev->off_wrap, next);
		flags = VRING_PACKED_EVENT_F_DESC;
	} else if (enable) {
		flags = VRING_PACKED_EVENT_F_ENABLE;
	}
	vring_packed_write16(&ev->flags, flags);
	if (!enable)
		return 0;
	atomic_thread_fence(memory_order_seq_cst);
	return vring_packed_pending(vq) > 0;
}

/* A private index or off_wrap word as a counter modulo 2 * num. */
static unsigned int vring_packed_linear(const struct virtqueue *vq, uint16_t idx)
{
	return vring_packed_pos(idx) + (vring_packed_wrap(idx) ? 0u : vq->vq_nentries);
}

/* Whether the slot @event lies in [old, new), all counters modulo 2 * num. */
static bool vring_packed_event_hit(const struct virtqueue *vq, uint16_t event, uint16_t new_idx,
				   uint16_t old)
{
	unsigned int span = 2u * vq->vq_nentries;
	unsigned int o = vring_packed_linear(vq, old);
	unsigned int e, nw;

	if (vring_packed_pos(event) >= vq->vq_nentries)
		return true; /* nonsense from the peer: notify, harmless */
	e = vring_packed_linear(vq, event);
	nw = vring_packed_linear(vq, new_idx);
	return (e + span - o) % span < (nw + span - o) % span;
}

static bool vring_packed_need_notify(struct virtqueue *vq)
{
	struct vring_packed_event *ev =
		vq->vq_is_device ? vring_packed_driver_event(vq) : vring_packed_device_event(vq);
	uint16_t new_idx = vq->vq_is_device ? vq->vq_used_prod_idx : vq->vq_available_idx;
	uint16_t old = vq->vq_kick_idx;
	uint16_t flags, event;

	atomic_thread_fence(memory_order_seq_cst);
	vq->vq_kick_idx = new_idx;
	flags = vring_packed_read16(&ev->flags) & VRING_PACKED_EVENT_F_MASK;
	if (flags == VRING_PACKED_EVENT_F_DISABLE)
		return false;
	if (flags != VRING_PACKED_EVENT_F_DESC || !vq->vq_event_idx)
		return true;
	if (vq->vq_queued_cnt >= vq->vq_nentries)
		return true; /* the window may exceed what offsets modulo 2 * num can tell */
	event = vring_packed_read16(&ev->off_wrap);
	return vring_packed_event_hit(vq, event, new_idx, old);
}

static void vring_packed_dump(struct virtqueue *vq)
{
	metal_log(METAL_LOG_DEBUG,
		  "virtqueue %s: packed n=%u %s free=%u inflight=%u avail=0x%x used_cons=0x%x "
		  "used_prod=0x%x broken=%d\n",
		  virtqueue_name(vq), vq->vq_nentries, vq->vq_is_device ? "device" : "driver",
		  vq->vq_free_cnt, vq->vq_inflight, vq->vq_available_idx, vq->vq_used_cons_idx,
		  vq->vq_used_prod_idx, vq->vq_broken);
}

const struct vring_format_ops vring_packed_ops = {
	.name = "packed",
	.init = vring_packed_init,
#if AMPLINK_CFG_ROLE_DRIVER
	.add_chain = vring_packed_add_chain,
	.get_used = vring_packed_get_used,
#endif
#if AMPLINK_CFG_ROLE_DEVICE
	.take_avail = vring_packed_take_avail,
	.next_avail = vring_packed_next_avail,
	.put_used = vring_packed_put_used,
	.peek_avail_len = vring_packed_peek_avail_len,
#endif
	.pending = vring_packed_pending,
	.set_cb = vring_packed_set_cb,
	.need_notify = vring_packed_need_notify,
	.dump = vring_packed_dump,
	.ring_size = vring_packed_ring_size,
};
