/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The split ring format (virtio 1.x "vring") for both roles, behind the
 * vring_format_ops interface: the driver posts chains and collects used
 * entries, the device takes available chains (direct or indirect) and
 * returns them. Every value the peer owns is read once into a local and
 * validated before use; a violation breaks the queue (VQ_PEER_ERROR).
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
 *  - Other shared fields (ring entries, descriptors, flags, event indices)
 *    are accessed once each through volatile or relaxed atomic accesses so
 *    the compiler can neither repeat nor merge them.
 */
#include <openamp/virtio.h>
#include <metal/atomic.h>
#include <metal/log.h>
#include "virtio/vring_format.h"

/* ---- shared-memory accessors ------------------------------------------- */

static uint16_t vring_split_load_acquire(uint16_t *p)
{
	VRING_INVALIDATE(p, sizeof(*p));
	return atomic_load_explicit((_Atomic uint16_t *)(void *)p, memory_order_acquire);
}

static void vring_split_store_release(uint16_t *p, uint16_t v)
{
	atomic_store_explicit((_Atomic uint16_t *)(void *)p, v, memory_order_release);
	VRING_FLUSH(p, sizeof(*p));
}

static uint16_t vring_split_read16(uint16_t *p)
{
	VRING_INVALIDATE(p, sizeof(*p));
	return atomic_load_explicit((_Atomic uint16_t *)(void *)p, memory_order_relaxed);
}

static void vring_split_write16(uint16_t *p, uint16_t v)
{
	atomic_store_explicit((_Atomic uint16_t *)(void *)p, v, memory_order_relaxed);
	VRING_FLUSH(p, sizeof(*p));
}

static uint16_t vring_split_mask(const struct virtqueue *vq)
{
	return (uint16_t)(vq->vq_nentries - 1);
}

/* ---- layout ------------------------------------------------------------- */

static void vring_split_init(struct virtqueue *vq)
{
	uint16_t i;

	vring_init(&vq->vq_ring, vq->vq_nentries, vq->vq_ring_mem, vq->vq_align);
	for (i = 0; i < vq->vq_nentries; i++) {
		vq->vq_descx[i] = (struct vq_desc_extra){0};
		vq->vq_descx[i].next = (uint16_t)(i + 1);
	}
	vq->vq_descx[vq->vq_nentries - 1].next = VQ_RING_DESC_CHAIN_END;
	vq->vq_desc_head_idx = 0;
	vq->vq_free_cnt = vq->vq_nentries;
}

/* ---- driver role -------------------------------------------------------- */
#if AMPLINK_CFG_ROLE_DRIVER

static void vring_split_write_desc(struct vring_desc *d, uint64_t addr, uint32_t len,
				   uint16_t flags, uint16_t next)
{
	volatile struct vring_desc *v = d;

	v->addr = addr;
	v->len = len;
	v->flags = flags;
	v->next = next;
	VRING_FLUSH(d, sizeof(*d));
}

/* Make @head available to the device (RELEASE store of avail->idx). */
static void vring_split_publish_avail(struct virtqueue *vq, uint16_t head)
{
	uint16_t slot = vq->vq_available_idx & vring_split_mask(vq);

	vring_split_write16(&vq->vq_ring.avail->ring[slot], head);
	vq->vq_available_idx++;
	vring_split_store_release(&vq->vq_ring.avail->idx, vq->vq_available_idx);
	vq->vq_queued_cnt++;
	vq->vq_inflight++;
}

/*
 * Fill @n descriptors with @bufs. Ring descriptors (table == NULL) come from
 * the private free list; a table uses entries 0..n-1. Nothing private changes
 * here, so a bad buffer leaves the queue as it was. Returns the writable
 * byte count, or -1.
 */
static int64_t vring_split_fill(struct virtqueue *vq, const struct virtqueue_buf *bufs,
				int readable, int n, struct vring_desc *table)
{
	uint16_t idx = vq->vq_desc_head_idx;
	int64_t wlen = 0;
	int i;

	for (i = 0; i < n; i++) {
		uint16_t next = table ? (uint16_t)(i + 1) : vq->vq_descx[idx].next;
		uint16_t flags = (i + 1 < n) ? VRING_DESC_F_NEXT : 0;
		uint64_t da;

		if (virtqueue_va_to_da(vq, bufs[i].buf, bufs[i].len, &da) != 0) {
			metal_log(METAL_LOG_ERROR,
				  "virtqueue %s: buffer %d outside shared memory\n",
				  virtqueue_name(vq), i);
			return -1;
		}
		if (i >= readable) {
			flags |= VRING_DESC_F_WRITE;
			wlen += bufs[i].len;
		}
		vring_split_write_desc(table ? &table[i] : &vq->vq_ring.desc[idx], da,
				       (uint32_t)bufs[i].len, flags, next);
		idx = next;
	}
	return wlen;
}

/* Take @n descriptors off the free list for a chain headed by the current head. */
static uint16_t vring_split_alloc_chain(struct virtqueue *vq, uint16_t n)
{
	uint16_t head = vq->vq_desc_head_idx;
	uint16_t idx = head;
	uint16_t i;

	for (i = 0; i < n; i++)
		idx = vq->vq_descx[idx].next;
	vq->vq_desc_head_idx = idx;
	vq->vq_free_cnt = (uint16_t)(vq->vq_free_cnt - n);
	return head;
}

static int vring_split_add_chain(struct virtqueue *vq, const struct virtqueue_buf *bufs,
				 int readable, int writable, struct vring_desc *table, void *cookie)
{
	int n = readable + writable;
	uint16_t nring = table ? 1 : (uint16_t)n;
	struct vq_desc_extra *dx;
	uint64_t tda;
	int64_t wlen;
	uint16_t head;

	if (vq->vq_free_cnt < nring)
		return ERROR_VRING_FULL;
	wlen = vring_split_fill(vq, bufs, readable, n, table);
	if (wlen < 0)
		return ERROR_VQUEUE_INVLD_PARAM;
	if (table) {
		if (virtqueue_va_to_da(vq, table, n * (int)sizeof(*table), &tda) != 0)
			return ERROR_VQUEUE_INVLD_PARAM;
		vring_split_write_desc(&vq->vq_ring.desc[vq->vq_desc_head_idx], tda,
				       (uint32_t)(n * (int)sizeof(*table)), VRING_DESC_F_INDIRECT,
				       vq->vq_descx[vq->vq_desc_head_idx].next);
	}
	head = vring_split_alloc_chain(vq, nring);
	dx = &vq->vq_descx[head];
	dx->cookie = cookie;
	dx->ndescs = nring;
	dx->len = wlen > (int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)wlen;
	dx->state = VQ_DX_POSTED;
	vring_split_publish_avail(vq, head);
	return VQUEUE_SUCCESS;
}

/* Give the chain at @head back to the private free list. */
static void vring_split_free_chain(struct virtqueue *vq, uint16_t head)
{
	struct vq_desc_extra *dx = &vq->vq_descx[head];
	uint16_t tail = head;
	uint16_t i;

	for (i = 1; i < dx->ndescs; i++)
		tail = vq->vq_descx[tail].next;
	vq->vq_descx[tail].next = vq->vq_desc_head_idx;
	vq->vq_desc_head_idx = head;
	vq->vq_free_cnt = (uint16_t)(vq->vq_free_cnt + dx->ndescs);
	dx->state = VQ_DX_FREE;
	dx->cookie = NULL;
	vq->vq_inflight--;
}

/* Driver: tell the device which used index should interrupt us next. */
static void vring_split_arm_used_event(struct virtqueue *vq)
{
	if (!vq->vq_event_idx || !vq->vq_cb_enabled)
		return;
	vring_split_write16(&vring_used_event(&vq->vq_ring), vq->vq_used_cons_idx);
	atomic_thread_fence(memory_order_seq_cst);
}

static void *vring_split_get_used(struct virtqueue *vq, uint32_t *len, uint16_t *idx)
{
	struct vring_used_elem *elem;
	struct vq_desc_extra *dx;
	uint16_t used_idx, delta;
	uint32_t id, ulen;
	void *cookie;

	used_idx = vring_split_load_acquire(&vq->vq_ring.used->idx);
	delta = (uint16_t)(used_idx - vq->vq_used_cons_idx);
	if (delta == 0)
		return NULL;
	if (delta > vq->vq_inflight) {
		VQ_PEER_ERROR(vq, "virtqueue %s: used idx moved by %u with %u chains in flight\n",
			      virtqueue_name(vq), delta, vq->vq_inflight);
		return NULL;
	}
	elem = &vq->vq_ring.used->ring[vq->vq_used_cons_idx & vring_split_mask(vq)];
	VRING_INVALIDATE(elem, sizeof(*elem));
	id = ((volatile struct vring_used_elem *)elem)->id;
	ulen = ((volatile struct vring_used_elem *)elem)->len;
	if (id >= vq->vq_nentries || vq->vq_descx[id].state != VQ_DX_POSTED) {
		VQ_PEER_ERROR(vq, "virtqueue %s: used id %lu is not a chain in flight\n",
			      virtqueue_name(vq), (unsigned long)id);
		return NULL;
	}
	dx = &vq->vq_descx[id];
	if (ulen > dx->len) {
		VQ_PEER_ERROR(vq, "virtqueue %s: used len %lu exceeds the %lu writable bytes\n",
			      virtqueue_name(vq), (unsigned long)ulen, (unsigned long)dx->len);
		return NULL;
	}
	cookie = dx->cookie;
	vring_split_free_chain(vq, (uint16_t)id);
	vq->vq_used_cons_idx++;
	vring_split_arm_used_event(vq);
	*len = ulen;
	if (idx)
		*idx = (uint16_t)id;
	return cookie;
}

#endif /* AMPLINK_CFG_ROLE_DRIVER */

/* ---- device role -------------------------------------------------------- */
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

/*
 * Validate a descriptor snapshot as a plain buffer and translate it.
 * Returns its address, or NULL after breaking the queue.
 */
static void *vring_split_check_buf(struct virtqueue *vq, const struct vring_desc *d)
{
	void *va = virtqueue_da_to_va(vq, d->addr, d->len);

	if (!va)
		VQ_PEER_ERROR(vq, "virtqueue %s: buffer 0x%llx+%lu outside shared memory\n",
			      virtqueue_name(vq), (unsigned long long)d->addr,
			      (unsigned long)d->len);
	return va;
}

/* Validate an indirect head; returns the table (16-byte aligned, in shm_io) or NULL. */
static struct vring_desc *vring_split_check_table(struct virtqueue *vq, const struct vring_desc *d)
{
	struct vring_desc *tbl;

	if (!vq->vq_indirect || (d->flags & VRING_DESC_F_NEXT) || d->len == 0 ||
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
	return vring_split_check_buf(vq, d);
}

/*
 * Resolve the first buffer of the chain at @head into @w (not committed).
 * Returns the buffer and its descriptor in @d, or NULL (queue broken).
 */
static void *vring_split_first_buf(struct virtqueue *vq, uint16_t head, struct vq_chain_walk *w,
				   struct vring_desc *d)
{
	struct vring_desc hd;

	vring_split_read_desc(&vq->vq_ring.desc[head], &hd);
	*w = (struct vq_chain_walk){.head = head, .cur = head, .count = 1, .active = true};
	if (!(hd.flags & VRING_DESC_F_INDIRECT)) {
		*d = hd;
		return vring_split_check_buf(vq, d);
	}
	w->tbl = vring_split_check_table(vq, &hd);
	if (!w->tbl)
		return NULL;
	w->tbl_num = (uint16_t)(hd.len / sizeof(struct vring_desc));
	w->cur = 0;
	return vring_split_read_entry(vq, w->tbl, 0, d);
}

/*
 * Snapshot the next available head. Returns 1 with *head set, 0 when the
 * ring is empty, -1 when the peer's index or entry is bad (queue broken).
 */
static int vring_split_peek_head(struct virtqueue *vq, uint16_t *head)
{
	uint16_t avail_idx, delta;

	avail_idx = vring_split_load_acquire(&vq->vq_ring.avail->idx);
	delta = (uint16_t)(avail_idx - vq->vq_available_idx);
	if (delta == 0)
		return 0;
	if ((unsigned int)delta + vq->vq_inflight > vq->vq_nentries) {
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

/* Device: tell the driver which avail index should kick us next. */
static void vring_split_arm_avail_event(struct virtqueue *vq)
{
	if (!vq->vq_event_idx || !vq->vq_cb_enabled)
		return;
	vring_split_write16(&vring_avail_event(&vq->vq_ring), vq->vq_available_idx);
	atomic_thread_fence(memory_order_seq_cst);
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

static void *vring_split_take_avail(struct virtqueue *vq, uint16_t *head, uint32_t *len)
{
	struct vq_chain_walk w;
	struct vring_desc d;
	void *va;

	if (vring_split_peek_head(vq, head) <= 0)
		return NULL;
	va = vring_split_first_buf(vq, *head, &w, &d);
	if (!va)
		return NULL;
	w.has_next = (d.flags & VRING_DESC_F_NEXT) != 0;
	w.next = d.next;
	vq->vq_walk = w;
	vring_split_hold(vq, *head, va, d.len);
	vq->vq_descx[*head].state |= VQ_DX_HELD_HEAD;
	vq->vq_descx[*head].ndescs = 1;
	vq->vq_available_idx++;
	vq->vq_inflight++;
	vring_split_arm_avail_event(vq);
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

static void *vring_split_next_avail(struct virtqueue *vq, uint16_t idx, uint16_t *next_idx,
				    uint32_t *next_len)
{
	struct vq_chain_walk *w = &vq->vq_walk;
	struct vring_desc d;
	void *va;

	if (!w->active || idx != w->cur)
		return NULL;
	if (!w->has_next) {
		w->active = false;
		return NULL;
	}
	va = w->tbl ? vring_split_next_indirect(vq, &d) : vring_split_next_direct(vq, &d);
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

static int vring_split_put_used(struct virtqueue *vq, uint16_t head, uint32_t len)
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

static uint32_t vring_split_peek_avail_len(struct virtqueue *vq)
{
	struct vq_chain_walk w;
	struct vring_desc d;
	uint16_t head;

	if (vring_split_peek_head(vq, &head) <= 0)
		return 0;
	return vring_split_first_buf(vq, head, &w, &d) ? d.len : 0;
}

#endif /* AMPLINK_CFG_ROLE_DEVICE */

/* ---- both roles ----------------------------------------------------------- */

static unsigned int vring_split_pending(struct virtqueue *vq)
{
	uint16_t delta;

	if (vq->vq_is_device) {
		delta = (uint16_t)(vring_split_load_acquire(&vq->vq_ring.avail->idx) -
				   vq->vq_available_idx);
		if ((unsigned int)delta + vq->vq_inflight > vq->vq_nentries) {
			VQ_PEER_ERROR(vq, "virtqueue %s: avail idx moved by %u, beyond the ring\n",
				      virtqueue_name(vq), delta);
			return 0;
		}
		return delta;
	}
	delta = (uint16_t)(vring_split_load_acquire(&vq->vq_ring.used->idx) - vq->vq_used_cons_idx);
	if (delta > vq->vq_inflight) {
		VQ_PEER_ERROR(vq, "virtqueue %s: used idx moved by %u with %u chains in flight\n",
			      virtqueue_name(vq), delta, vq->vq_inflight);
		return 0;
	}
	return delta;
}

static int vring_split_set_cb(struct virtqueue *vq, bool enable)
{
	struct vring *vr = &vq->vq_ring;
	uint16_t far = (uint16_t)(vq->vq_nentries + 1);

	vq->vq_cb_enabled = enable;
	if (vq->vq_is_device) {
		vring_split_write16(&vr->used->flags, enable ? 0 : VRING_USED_F_NO_NOTIFY);
		if (vq->vq_event_idx)
			vring_split_write16(&vring_avail_event(vr),
					    enable ? vq->vq_available_idx
						   : (uint16_t)(vq->vq_available_idx - far));
	} else {
		vring_split_write16(&vr->avail->flags, enable ? 0 : VRING_AVAIL_F_NO_INTERRUPT);
		if (vq->vq_event_idx)
			vring_split_write16(&vring_used_event(vr),
					    enable ? vq->vq_used_cons_idx
						   : (uint16_t)(vq->vq_used_cons_idx - far));
	}
	if (!enable)
		return 0;
	atomic_thread_fence(memory_order_seq_cst);
	return vring_split_pending(vq) > 0;
}

static bool vring_split_need_notify(struct virtqueue *vq)
{
	struct vring *vr = &vq->vq_ring;
	uint16_t new_idx = vq->vq_is_device ? vq->vq_used_prod_idx : vq->vq_available_idx;
	uint16_t old = vq->vq_kick_idx;

	atomic_thread_fence(memory_order_seq_cst);
	vq->vq_kick_idx = new_idx;
	if (vq->vq_event_idx) {
		uint16_t evt = vq->vq_is_device ? vring_split_read16(&vring_used_event(vr))
						: vring_split_read16(&vring_avail_event(vr));

		return vring_need_event(evt, new_idx, old) != 0;
	}
	if (vq->vq_is_device)
		return !(vring_split_read16(&vr->avail->flags) & VRING_AVAIL_F_NO_INTERRUPT);
	return !(vring_split_read16(&vr->used->flags) & VRING_USED_F_NO_NOTIFY);
}

static void vring_split_dump(struct virtqueue *vq)
{
	struct vring *vr = &vq->vq_ring;

	metal_log(METAL_LOG_DEBUG,
		  "virtqueue %s: split n=%u %s free=%u inflight=%u avail(shadow=%u ring=%u) "
		  "used(cons=%u prod=%u ring=%u) broken=%d\n",
		  virtqueue_name(vq), vq->vq_nentries, vq->vq_is_device ? "device" : "driver",
		  vq->vq_free_cnt, vq->vq_inflight, vq->vq_available_idx,
		  vring_split_read16(&vr->avail->idx), vq->vq_used_cons_idx, vq->vq_used_prod_idx,
		  vring_split_read16(&vr->used->idx), vq->vq_broken);
}

const struct vring_format_ops vring_split_ops = {
	.name = "split",
	.init = vring_split_init,
#if AMPLINK_CFG_ROLE_DRIVER
	.add_chain = vring_split_add_chain,
	.get_used = vring_split_get_used,
#endif
#if AMPLINK_CFG_ROLE_DEVICE
	.take_avail = vring_split_take_avail,
	.next_avail = vring_split_next_avail,
	.put_used = vring_split_put_used,
	.peek_avail_len = vring_split_peek_avail_len,
#endif
	.pending = vring_split_pending,
	.set_cb = vring_split_set_cb,
	.need_notify = vring_split_need_notify,
	.dump = vring_split_dump,
};
