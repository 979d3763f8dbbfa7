/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Split ring, device role: take available chains and walk them, direct or
 * indirect, validating every field the driver wrote (index distance, head
 * range, chain links and loops, buffer addresses and lengths inside shm_io,
 * indirect table shape), then return them through the used ring. Ordering
 * rules: vring_split.h.
 */
#include <openamp/virtio.h>
#include <metal/atomic.h>
#include <metal/log.h>
#include "virtio/vring_check.h"
#include "virtio/vring_split.h"

#if AMPLINK_CFG_ROLE_DEVICE

/* Snapshot of one descriptor (peer-owned on the device side). */
static void vring_split_read_desc(const struct vring_desc *d, struct vring_desc *out)
{
	const volatile struct vring_desc *v = d;

	VRING_INVALIDATE(d, sizeof(*d));
	out->addr = v->addr;
	out->len = v->len;
	out->flags = v->flags;
	out->next = v->next;
}

/* Validate an indirect head; returns the table (16-byte aligned, in shm_io) or NULL. */
static struct vring_desc *vring_split_check_table(struct virtqueue *vq, const struct vring_desc *d)
{
	struct vring_desc *tbl;

	if (!VQ_INDIRECT(vq) || (d->flags & VRING_DESC_F_NEXT) || d->len == 0 ||
	    d->len % sizeof(struct vring_desc) != 0 ||
	    d->len / sizeof(struct vring_desc) > VQ_RING_DESC_CHAIN_END) {
		VQ_PEER_ERROR(vq, "virtqueue %s: bad indirect descriptor (flags %u len %lu)\n",
			      virtqueue_name(vq), d->flags, (unsigned long)d->len);
		return NULL;
	}
	tbl = virtqueue_da_to_va(vq, d->addr, d->len);
	if (!tbl || ((uintptr_t)tbl & 15) != 0) {
		VQ_PEER_ERROR(vq, "virtqueue %s: indirect table 0x%llx outside shared memory\n",
			      virtqueue_name(vq), (unsigned long long)d->addr);
		return NULL;
	}
	return tbl;
}

/*
 * Read entry @i of the chain being resolved: from the indirect table @tbl
 * (of @tbl_num entries) or from the ring. Fills @d and returns the buffer.
 */
static void *vring_split_read_entry(struct virtqueue *vq, struct vring_desc *tbl, uint16_t i,
				    struct vring_desc *d)
{
	vring_split_read_desc(tbl ? &tbl[i] : &vq->vq_ring.desc[i], d);
	if (d->flags & VRING_DESC_F_INDIRECT) {
		VQ_PEER_ERROR(vq, "virtqueue %s: indirect flag inside a chain (entry %u)\n",
			      virtqueue_name(vq), i);
		return NULL;
	}
	return virtqueue_peer_buf(vq, d->addr, d->len);
}

/* Start the walk of a direct chain at @head. */
static void vring_split_walk_start(struct vq_chain_walk *w, uint16_t head)
{
	w->tbl = NULL;
	w->tbl_num = 0;
	w->head = head;
	w->cur = head;
	w->count = 1;
}

/*
 * Resolve the first buffer of the chain at @head, whose head descriptor
 * snapshot is in @d, into @w (not committed). On return @d holds the
 * descriptor of that buffer. Returns the buffer, or NULL (queue broken).
 */
static void *vring_split_resolve_first(struct virtqueue *vq, uint16_t head, struct vq_chain_walk *w,
				       struct vring_desc *d)
{
	struct vring_desc hd = *d;

	vring_split_walk_start(w, head);
	if (!(hd.flags & VRING_DESC_F_INDIRECT))
		return virtqueue_peer_buf(vq, d->addr, d->len);
	if (!VQ_INDIRECT(vq)) {
		VQ_PEER_ERROR(vq, "virtqueue %s: indirect descriptor not negotiated\n",
			      virtqueue_name(vq));
		return NULL;
	}
	w->tbl = vring_split_check_table(vq, &hd);
	if (!w->tbl)
		return NULL;
	w->tbl_num = (uint16_t)(hd.len / sizeof(struct vring_desc));
	w->cur = 0;
	return vring_split_read_entry(vq, w->tbl, 0, d);
}

/* As vring_split_resolve_first, reading the head descriptor itself (once). */
static void *vring_split_first_buf(struct virtqueue *vq, uint16_t head, struct vq_chain_walk *w,
				   struct vring_desc *d)
{
	vring_split_read_desc(&vq->vq_ring.desc[head], d);
	return vring_split_resolve_first(vq, head, w, d);
}

/*
 * Snapshot the next available head. Returns 1 with *head set, 0 when the
 * ring is empty, -1 when the peer's index or entry is bad (queue broken).
 */
static int vring_split_peek_head(struct virtqueue *vq, uint16_t *head)
{
	uint16_t delta = vring_split_new_entries(vq, &vq->vq_ring.avail->idx, vq->vq_available_idx,
						 &vring_avail_event(&vq->vq_ring));

	if (delta == 0)
		return 0;
	if (!vring_check_delta(delta, vq->vq_inflight, vq->vq_nentries)) {
		VQ_PEER_ERROR(vq, "virtqueue %s: avail idx moved by %u, more than the ring holds\n",
			      virtqueue_name(vq), delta);
		return -1;
	}
	*head = vring_split_read16(
		&vq->vq_ring.avail->ring[vq->vq_available_idx & vring_split_mask(vq)]);
	if (*head >= vq->vq_nentries || vq->vq_descx[*head].state != VQ_DX_FREE) {
		VQ_PEER_ERROR(vq, "virtqueue %s: avail head %u invalid or already held\n",
			      virtqueue_name(vq), *head);
		return -1;
	}
	return 1;
}

/* Record descriptor @i of the held chain: validated buffer, private link. */
static void vring_split_hold(struct virtqueue *vq, uint16_t i, void *va, uint32_t len)
{
	struct vq_desc_extra *dx = &vq->vq_descx[i];

	dx->state |= VQ_DX_HELD;
	dx->va = va;
	dx->len = len;
	dx->next = VQ_RING_DESC_CHAIN_END;
}

void *vring_split_take_avail(struct virtqueue *vq, uint16_t *head, uint32_t *len)
{
	struct vq_chain_walk *w = &vq->vq_walk;
	struct vring_desc d;
	void *va;

	if (vring_split_peek_head(vq, head) <= 0)
		return NULL;
	w->active = false; /* filled in place (no struct copy on the hot path) */
	vring_split_read_desc(&vq->vq_ring.desc[*head], &d);
	if (!(d.flags & VRING_DESC_F_INDIRECT)) {
		/* The common direct head, resolved here without a call. */
		vring_split_walk_start(w, *head);
		va = virtqueue_peer_buf(vq, d.addr, d.len);
	} else {
		va = vring_split_resolve_first(vq, *head, w, &d);
	}
	if (!va)
		return NULL;
	w->has_next = (d.flags & VRING_DESC_F_NEXT) != 0;
	w->next = d.next;
	w->active = true;
	vring_split_hold(vq, *head, va, d.len);
	vq->vq_descx[*head].state |= VQ_DX_HELD_HEAD;
	vq->vq_descx[*head].ndescs = 1;
	vq->vq_available_idx++;
	vq->vq_inflight++;
	*len = d.len;
	return va;
}

/* Follow the walk to its next ring descriptor; NULL when bad (queue broken). */
static void *vring_split_next_direct(struct virtqueue *vq, struct vring_desc *d)
{
	struct vq_chain_walk *w = &vq->vq_walk;
	uint16_t nxt = w->next;
	void *va;

	if (nxt >= vq->vq_nentries || w->count >= vq->vq_nentries ||
	    vq->vq_descx[nxt].state != VQ_DX_FREE) {
		VQ_PEER_ERROR(vq, "virtqueue %s: chain at head %u loops or links to %u\n",
			      virtqueue_name(vq), w->head, nxt);
		return NULL;
	}
	va = vring_split_read_entry(vq, NULL, nxt, d);
	if (!va)
		return NULL;
	vring_split_hold(vq, nxt, va, d->len);
	vq->vq_descx[w->cur].next = nxt;
	vq->vq_descx[w->head].ndescs++;
	return va;
}

/* Follow the walk inside its indirect table; NULL when bad (queue broken). */
static void *vring_split_next_indirect(struct virtqueue *vq, struct vring_desc *d)
{
	struct vq_chain_walk *w = &vq->vq_walk;

	if (w->next >= w->tbl_num || w->count >= w->tbl_num) {
		VQ_PEER_ERROR(vq, "virtqueue %s: indirect chain at head %u loops or links to %u\n",
			      virtqueue_name(vq), w->head, w->next);
		return NULL;
	}
	return vring_split_read_entry(vq, w->tbl, w->next, d);
}

void *vring_split_next_avail(struct virtqueue *vq, uint16_t idx, uint16_t *next_idx,
			     uint32_t *next_len)
{
	struct vq_chain_walk *w = &vq->vq_walk;
	struct vring_desc d;
	void *va;

	/* @idx is the index last returned; for the first step the head works too. */
	if (!w->active || (idx != w->cur && !(w->count == 1 && idx == w->head)))
		return NULL;
	if (!w->has_next) {
		w->active = false;
		return NULL;
	}
	va = VQ_INDIRECT(vq) && w->tbl ? vring_split_next_indirect(vq, &d)
				       : vring_split_next_direct(vq, &d);
	if (!va)
		return NULL;
	w->cur = w->next;
	w->count++;
	w->has_next = (d.flags & VRING_DESC_F_NEXT) != 0;
	w->next = d.next;
	*next_idx = w->cur;
	*next_len = d.len;
	return va;
}

int vring_split_put_used(struct virtqueue *vq, uint16_t head, uint32_t len)
{
	volatile struct vring_used_elem *elem;
	uint16_t i = head;
	uint16_t n = vq->vq_descx[head].ndescs;
	uint16_t k;

	elem = &vq->vq_ring.used->ring[vq->vq_used_prod_idx & vring_split_mask(vq)];
	elem->id = head;
	elem->len = len;
	VRING_FLUSH(elem, sizeof(*elem));
	vq->vq_used_prod_idx++;
	vring_split_store_release(&vq->vq_ring.used->idx, vq->vq_used_prod_idx);
	if (n == 1 && head < vq->vq_nentries) {
		/* The common one-descriptor chain: no walk. */
		vq->vq_descx[head] = (struct vq_desc_extra){.next = VQ_RING_DESC_CHAIN_END};
		n = 0;
	}
	for (k = 0; k < n && i < vq->vq_nentries; k++) {
		uint16_t nxt = vq->vq_descx[i].next;

		vq->vq_descx[i] = (struct vq_desc_extra){.next = VQ_RING_DESC_CHAIN_END};
		i = nxt;
	}
	if (vq->vq_walk.active && vq->vq_walk.head == head)
		vq->vq_walk.active = false;
	vq->vq_inflight--;
	vq->vq_queued_cnt++;
	return VQUEUE_SUCCESS;
}

uint32_t vring_split_peek_avail_len(struct virtqueue *vq)
{
	struct vq_chain_walk w;
	struct vring_desc d;
	uint16_t head;

	if (vring_split_peek_head(vq, &head) <= 0)
		return 0;
	return vring_split_first_buf(vq, head, &w, &d) ? d.len : 0;
}

#endif /* AMPLINK_CFG_ROLE_DEVICE */
