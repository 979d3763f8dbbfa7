/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Split ring, driver role: post chains (direct or through a caller-supplied
 * indirect table) from the private free list, collect used entries after
 * validating every field the device wrote (index distance, head in flight,
 * length within the writable bytes posted). Ordering rules: vring_split.h.
 */
#include <openamp/virtio.h>
#include <metal/atomic.h>
#include <metal/log.h>
#include "virtio/vring_split.h"

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

/*
 * The common one-buffer chain (every RPMsg message): one ring descriptor, no
 * loops over the free list. Same checks and effects as the general path.
 */
static int vring_split_add_one(struct virtqueue *vq, const struct virtqueue_buf *buf, int readable,
			       void *cookie)
{
	uint16_t head = vq->vq_desc_head_idx;
	struct vq_desc_extra *dx;
	uint64_t da;

	if (vq->vq_free_cnt < 1)
		return ERROR_VRING_FULL; /* the head index is the chain end then */
	dx = &vq->vq_descx[head];
	if (virtqueue_va_to_da(vq, buf->buf, buf->len, &da) != 0) {
		metal_log(METAL_LOG_ERROR, "virtqueue %s: buffer 0 outside shared memory\n",
			  virtqueue_name(vq));
		return ERROR_VQUEUE_INVLD_PARAM;
	}
	vring_split_write_desc(&vq->vq_ring.desc[head], da, (uint32_t)buf->len,
			       readable ? 0 : VRING_DESC_F_WRITE, dx->next);
	vq->vq_desc_head_idx = dx->next;
	vq->vq_free_cnt--;
	dx->cookie = cookie;
	dx->ndescs = 1;
	dx->len = readable ? 0 : (uint32_t)buf->len;
	dx->state = VQ_DX_POSTED;
	vring_split_publish_avail(vq, head);
	return VQUEUE_SUCCESS;
}

int vring_split_add_chain(struct virtqueue *vq, const struct virtqueue_buf *bufs, int readable,
			  int writable, struct vring_desc *table, void *cookie)
{
	int n = readable + writable;
	uint16_t nring = table ? 1 : (uint16_t)n;
	struct vq_desc_extra *dx;
	uint64_t tda;
	int64_t wlen;
	uint16_t head;

	if (n == 1 && !table)
		return vring_split_add_one(vq, bufs, readable, cookie);
	if (vq->vq_free_cnt < nring)
		return ERROR_VRING_FULL;
	if (table && virtqueue_va_to_da(vq, table, n * (int)sizeof(*table), &tda) != 0)
		return ERROR_VQUEUE_INVLD_PARAM;
	wlen = vring_split_fill(vq, bufs, readable, n, table);
	if (wlen < 0)
		return ERROR_VQUEUE_INVLD_PARAM;
	if (table) {
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

void *vring_split_get_used(struct virtqueue *vq, uint32_t *len, uint16_t *idx)
{
	struct vring_used_elem *elem;
	struct vq_desc_extra *dx;
	uint16_t delta;
	uint32_t id, ulen;
	void *cookie;

	delta = vring_split_new_entries(vq, &vq->vq_ring.used->idx, vq->vq_used_cons_idx,
					&vring_used_event(&vq->vq_ring));
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
	*len = ulen;
	if (idx)
		*idx = (uint16_t)id;
	return cookie;
}

#endif /* AMPLINK_CFG_ROLE_DRIVER */
