/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The packed ring format, device role: take the chains the driver made
 * available (validating the whole chain: every descriptor available in the
 * right lap, no longer than the slots not held, a buffer id in range and not
 * already held; an INDIRECT head only when negotiated, alone, with a whole,
 * aligned table inside the region and no nested INDIRECT), walk them buffer
 * by buffer, and write one used descriptor per chain. The ordering rules are
 * at the top of vring_packed.c.
 *
 * Handles given to the caller: a chain is named by its buffer id (what
 * virtqueue_add_consumed_buffer, virtqueue_get_buffer_addr and _length take);
 * while a chain is walked, its second and later buffers are named
 * 0x8000 | ring slot (0x8000 | table entry for an indirect chain), values no
 * buffer id can take; get_buffer_addr/_length answer only for the head.
 */
#include <amplink/config.h>

#if AMPLINK_CFG_ROLE_DEVICE

#include <amplink/libc.h>
#include <metal/atomic.h>
#include <metal/log.h>
#include <openamp/virtio.h>

#include "virtio/packed_ring.h"
#include "virtio/vring_format.h"

/* Walk handle of a non-head descriptor at @pos. */
#define PACKED_WALK_HANDLE(pos) ((uint16_t)(0x8000u | (pos)))

/* Snapshot of one descriptor the driver owns. */
static void packed_read_desc(const struct vring_packed_desc *d, struct vring_packed_desc *out)
{
	const volatile struct vring_packed_desc *v = d;

	VRING_INVALIDATE(d, sizeof(*d));
	out->addr = v->addr;
	out->len = v->len;
	out->id = v->id;
	out->flags = v->flags;
}

/*
 * Scan the chain whose head is at vq_available_idx and whose head flags
 * (@first, already read with ACQUIRE) say available. Fills the head
 * snapshot, the slot count and the buffer id (from the last descriptor).
 * Returns 0, or -1 after breaking the queue.
 */
static int packed_scan_chain(struct virtqueue *vq, struct vring_packed_desc *head, uint16_t *ndescs,
			     uint16_t *id)
{
	struct vring_packed_desc *ring = vring_packed_desc(vq);
	uint16_t idx = vq->vq_available_idx;
	struct vring_packed_desc d;
	uint16_t n = 0;

	for (;;) {
		packed_read_desc(&ring[vring_packed_pos(idx)], &d);
		if (n == 0)
			*head = d;
		if (!vring_packed_is_avail(d.flags, vring_packed_wrap(idx)))
			goto bad_link;
		if ((d.flags & VRING_PACKED_DESC_F_INDIRECT) &&
		    (n > 0 || !vq->vq_indirect || (d.flags & VRING_PACKED_DESC_F_NEXT)))
			goto bad_indirect;
		n++;
		if (!(d.flags & VRING_PACKED_DESC_F_NEXT))
			break;
		if (n >= vq->vq_free_cnt)
			goto too_long;
		idx = vring_packed_advance(vq, idx, 1);
	}
	if (d.id >= vq->vq_nentries || vq->vq_descx[d.id].state != VQ_DX_FREE) {
		VQ_PEER_ERROR(vq, "virtqueue %s: buffer id %u out of range or already held\n",
			      virtqueue_name(vq), d.id);
		return -1;
	}
	*ndescs = n;
	*id = d.id;
	return 0;
bad_link:
	VQ_PEER_ERROR(vq, "virtqueue %s: chain continues into a slot not available (0x%x)\n",
		      virtqueue_name(vq), d.flags);
	return -1;
bad_indirect:
	VQ_PEER_ERROR(vq, "virtqueue %s: indirect descriptor not allowed here (0x%x)\n",
		      virtqueue_name(vq), d.flags);
	return -1;
too_long:
	VQ_PEER_ERROR(vq, "virtqueue %s: chain longer than the %u free slots\n", virtqueue_name(vq),
		      vq->vq_free_cnt);
	return -1;
}

/*
 * Validate the indirect head @hd: a table of whole 16-byte packed
 * descriptors, at most VQ_RING_DESC_CHAIN_END of them, 16-byte aligned,
 * inside shm_io. Returns the table and its entry count, or NULL (broken).
 */
static struct vring_packed_desc *
packed_check_table(struct virtqueue *vq, const struct vring_packed_desc *hd, uint16_t *entries)
{
	const uint32_t sz = (uint32_t)sizeof(struct vring_packed_desc);
	struct vring_packed_desc *tbl;

	if (hd->len == 0 || hd->len % sz != 0 || hd->len / sz > VQ_RING_DESC_CHAIN_END) {
		VQ_PEER_ERROR(vq, "virtqueue %s: bad indirect table length %lu\n",
			      virtqueue_name(vq), (unsigned long)hd->len);
		return NULL;
	}
	tbl = virtqueue_da_to_va(vq, hd->addr, hd->len);
	if (!tbl || ((uintptr_t)tbl & 15u) != 0) {
		VQ_PEER_ERROR(vq, "virtqueue %s: indirect table 0x%llx outside shared memory\n",
			      virtqueue_name(vq), (unsigned long long)hd->addr);
		return NULL;
	}
	*entries = (uint16_t)(hd->len / sz);
	return tbl;
}

/* Entry @i of an indirect table as a buffer; NULL (broken) when nested or bad. */
static void *packed_table_entry(struct virtqueue *vq, struct vring_packed_desc *tbl, uint16_t i,
				struct vring_packed_desc *d)
{
	packed_read_desc(&tbl[i], d);
	if (d->flags & VRING_PACKED_DESC_F_INDIRECT) {
		VQ_PEER_ERROR(vq, "virtqueue %s: nested indirect descriptor (entry %u)\n",
			      virtqueue_name(vq), i);
		return NULL;
	}
	return virtqueue_peer_buf(vq, d->addr, d->len);
}

/*
 * The first buffer of the chain whose head snapshot is @hd: the head's own
 * buffer, or entry 0 of its indirect table (then @tbl/@entries describe the
 * table). @first receives that buffer's descriptor. NULL when bad (broken).
 */
static void *packed_first_buf(struct virtqueue *vq, const struct vring_packed_desc *hd,
			      struct vring_packed_desc **tbl, uint16_t *entries,
			      struct vring_packed_desc *first)
{
	*tbl = NULL;
	*entries = 0;
	if (!(hd->flags & VRING_PACKED_DESC_F_INDIRECT)) {
		*first = *hd;
		return virtqueue_peer_buf(vq, hd->addr, hd->len);
	}
	*tbl = packed_check_table(vq, hd, entries);
	if (!*tbl)
		return NULL;
	return packed_table_entry(vq, *tbl, 0, first);
}

void vring_packed_arm_avail_event(struct virtqueue *vq)
{
	if (!vq->vq_event_idx || !vq->vq_cb_enabled)
		return;
	vring_packed_write16(&vring_packed_device_event(vq)->off_wrap, vq->vq_available_idx);
	atomic_thread_fence(memory_order_seq_cst);
}

/* Whether the slot at vq_available_idx holds an available chain head. */
static bool packed_head_ready(struct virtqueue *vq)
{
	struct vring_packed_desc *d =
		&vring_packed_desc(vq)[vring_packed_pos(vq->vq_available_idx)];
	uint16_t flags = vring_packed_load_acquire(&d->flags);

	return vring_packed_is_avail(flags, vring_packed_wrap(vq->vq_available_idx));
}

void *vring_packed_take_avail(struct virtqueue *vq, uint16_t *head, uint32_t *len)
{
	struct vring_packed_desc hd, first, *tbl;
	struct vq_desc_extra *dx;
	uint16_t n, id, entries;
	void *va;

	if (!packed_head_ready(vq))
		return NULL;
	if (vq->vq_free_cnt == 0) {
		VQ_PEER_ERROR(vq, "virtqueue %s: chain made available while every slot is held\n",
			      virtqueue_name(vq));
		return NULL;
	}
	if (packed_scan_chain(vq, &hd, &n, &id) != 0)
		return NULL;
	va = packed_first_buf(vq, &hd, &tbl, &entries, &first);
	if (!va)
		return NULL;
	dx = &vq->vq_descx[id];
	*dx = (struct vq_desc_extra){.va = va,
				     .len = first.len,
				     .ndescs = n,
				     .next = vring_packed_pos(vq->vq_available_idx),
				     .state = VQ_DX_HELD | VQ_DX_HELD_HEAD};
	vq->vq_walk = (struct vq_chain_walk){.tbl = (struct vring_desc *)(void *)tbl,
					     .tbl_num = entries,
					     .head = id,
					     .cur = id,
					     .count = 1,
					     .has_next = tbl ? entries > 1 : n > 1,
					     .active = true};
	vq->vq_available_idx = vring_packed_advance(vq, vq->vq_available_idx, n);
	vq->vq_free_cnt = (uint16_t)(vq->vq_free_cnt - n);
	vq->vq_inflight++;
	vring_packed_arm_avail_event(vq);
	*head = id;
	*len = first.len;
	return va;
}

/* The buffer of walk step @k (>= 1) of the held chain @dx; NULL when bad. */
static void *packed_walk_step(struct virtqueue *vq, struct vq_desc_extra *dx, uint16_t k,
			      struct vring_packed_desc *d, uint16_t *handle)
{
	struct vq_chain_walk *w = &vq->vq_walk;
	unsigned int pos;

	if (w->tbl) {
		*handle = PACKED_WALK_HANDLE(k);
		return packed_table_entry(vq, (struct vring_packed_desc *)(void *)w->tbl, k, d);
	}
	pos = (dx->next + k) & (vq->vq_nentries - 1u);
	*handle = PACKED_WALK_HANDLE(pos);
	packed_read_desc(&vring_packed_desc(vq)[pos], d);
	return virtqueue_peer_buf(vq, d->addr, d->len);
}

void *vring_packed_next_avail(struct virtqueue *vq, uint16_t idx, uint16_t *next_idx,
			      uint32_t *next_len)
{
	struct vq_chain_walk *w = &vq->vq_walk;
	struct vq_desc_extra *dx;
	struct vring_packed_desc d;
	uint16_t limit, handle;
	void *va;

	if (!w->active || idx != w->cur)
		return NULL;
	dx = &vq->vq_descx[w->head];
	limit = w->tbl ? w->tbl_num : dx->ndescs;
	if (!w->has_next || w->count >= limit) {
		w->active = false;
		return NULL;
	}
	va = packed_walk_step(vq, dx, w->count, &d, &handle);
	if (!va)
		return NULL;
	w->count++;
	w->cur = handle;
	w->has_next = w->count < limit;
	*next_idx = handle;
	*next_len = d.len;
	return va;
}

int vring_packed_put_used(struct virtqueue *vq, uint16_t head, uint32_t len)
{
	uint16_t idx = vq->vq_used_prod_idx;
	struct vring_packed_desc *d = &vring_packed_desc(vq)[vring_packed_pos(idx)];
	volatile struct vring_packed_desc *v = d;
	struct vq_desc_extra *dx = &vq->vq_descx[head];
	uint16_t flags = vring_packed_used_bits(vring_packed_wrap(idx));
	uint16_t n = dx->ndescs;

	if (len)
		flags |= VRING_PACKED_DESC_F_WRITE;
	v->id = head;
	v->len = len;
	VRING_FLUSH(d, sizeof(*d));
	vring_packed_store_release(&d->flags, flags);
	vq->vq_used_prod_idx = vring_packed_advance(vq, idx, n);
	*dx = (struct vq_desc_extra){0};
	if (vq->vq_walk.active && vq->vq_walk.head == head)
		vq->vq_walk.active = false;
	vq->vq_free_cnt = (uint16_t)(vq->vq_free_cnt + n);
	vq->vq_inflight--;
	vring_packed_count_published(vq, n);
	return VQUEUE_SUCCESS;
}

uint32_t vring_packed_peek_avail_len(struct virtqueue *vq)
{
	struct vring_packed_desc d, *tbl;

	if (!packed_head_ready(vq))
		return 0;
	packed_read_desc(&vring_packed_desc(vq)[vring_packed_pos(vq->vq_available_idx)], &d);
	if (!(d.flags & VRING_PACKED_DESC_F_INDIRECT))
		return d.len;
	/* Indirect: the first entry's length, if the table looks sane (no breaking here). */
	if (!vq->vq_indirect || d.len < sizeof(d) || d.len % sizeof(d) != 0)
		return 0;
	tbl = virtqueue_da_to_va(vq, d.addr, d.len);
	if (!tbl || ((uintptr_t)tbl & 15u) != 0)
		return 0;
	packed_read_desc(&tbl[0], &d);
	return d.len;
}

#endif /* AMPLINK_CFG_ROLE_DEVICE */
