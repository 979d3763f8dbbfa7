/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Lean profile (AMPLINK_CFG_LEAN_DEVICE): the split ring in the device role
 * with one-descriptor chains, the only shape an rpmsg host posts. Every value
 * the driver wrote is read once into a local and checked before use: how far
 * the available index moved, the head index, the descriptor flags (chained
 * and indirect descriptors are refused) and the buffer, which must lie wholly
 * inside the queue's shared-memory region (a flat one: vring_check.h). A
 * violation breaks the queue.
 * Memory ordering follows vring_split.h (the same accessors).
 */
#include <openamp/virtio.h>
#include <metal/atomic.h>
#include <metal/log.h>

#include "virtio/vring_check.h"
#include "virtio/vring_split.h"
#include "virtio/vring_split_lean.h"

/*
 * The driver broke the protocol: stop using @vq and raise NEEDS_RESET in the
 * device status, logging @why once. Returns NULL (for the caller's return).
 */
static void *vring_lean_break(struct virtqueue *vq, const char *why, unsigned int what)
{
	uint8_t status = 0;

	metal_err("virtqueue %u: %s (%u): queue stopped\n", vq->vq_queue_index, why, what);
	vq->vq_broken = true;
	if (vq->vq_dev && virtio_get_status(vq->vq_dev, &status) == 0)
		virtio_set_status(vq->vq_dev, status | VIRTIO_CONFIG_STATUS_NEEDS_RESET);
	return NULL;
}

void *vring_lean_peek(struct virtqueue *vq, uint16_t *head, uint32_t *len)
{
	const volatile struct vring_desc *vd;
	uint16_t delta;
	uint64_t addr;
	uint16_t flags;
	void *va;

	if (vq->vq_broken || !vq->vq_ring.avail)
		return NULL;
	delta = (uint16_t)(vring_split_load_acquire(&vq->vq_ring.avail->idx) -
			   vq->vq_available_idx);
	if (delta == 0)
		return NULL;
	if (!vring_check_delta(delta, 0, vq->vq_nentries))
		return vring_lean_break(vq, "avail idx moved beyond the ring", delta);
	*head = vring_split_read16(
		&vq->vq_ring.avail->ring[vq->vq_available_idx & vring_split_mask(vq)]);
	if (*head >= vq->vq_nentries)
		return vring_lean_break(vq, "avail head out of range", *head);
	vd = &vq->vq_ring.desc[*head];
	VRING_INVALIDATE(vd, sizeof(*vd));
	addr = vd->addr;
	*len = vd->len;
	flags = vd->flags;
	if (flags & (VRING_DESC_F_NEXT | VRING_DESC_F_INDIRECT))
		return vring_lean_break(vq, "chained or indirect descriptor", flags);
	va = vring_check_flat(vq->shm_io, addr, *len);
	if (!va)
		return vring_lean_break(vq, "buffer outside shared memory", *head);
	return va;
}

void vring_lean_put(struct virtqueue *vq, uint16_t head, uint32_t len)
{
	volatile struct vring_used_elem *elem;

	elem = &vq->vq_ring.used->ring[vq->vq_used_prod_idx & vring_split_mask(vq)];
	elem->id = head;
	elem->len = len;
	VRING_FLUSH(elem, sizeof(*elem));
	vq->vq_available_idx++;
	vq->vq_used_prod_idx++;
	vq->vq_queued_cnt++;
	vring_split_store_release(&vq->vq_ring.used->idx, vq->vq_used_prod_idx);
}

void virtqueue_kick(struct virtqueue *vq)
{
	if (!vq || vq->vq_queued_cnt == 0)
		return;
	vq->vq_queued_cnt = 0;
	/* our used idx store before the driver's suppression flag (vring_split.h) */
	atomic_thread_fence(memory_order_seq_cst);
	if (!(vring_split_read16(&vq->vq_ring.avail->flags) & VRING_AVAIL_F_NO_INTERRUPT) &&
	    vq->notify)
		vq->notify(vq);
}
