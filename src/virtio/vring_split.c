/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The split ring format (virtio 1.x "vring"): its layout, the parts both
 * roles share (pending count, notification suppression and the kick
 * decision, dump) and its vring_format_ops table. The driver role lives in
 * vring_split_driver.c, the device role in vring_split_device.c; the
 * memory-ordering rules are at the top of vring_split.h.
 */
#include <openamp/virtio.h>
#include <metal/atomic.h>
#include <metal/log.h>
#include "virtio/vring_check.h"
#include "virtio/vring_split.h"

/* ---- layout ------------------------------------------------------------- */

static size_t vring_split_ring_size(const struct virtqueue *vq)
{
	return (size_t)vring_size(vq->vq_nentries, vq->vq_align);
}

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
	if (!vq->vq_is_device) /* the front zeroed the ring: push that out */
		VRING_FLUSH(vq->vq_ring_mem, vring_split_ring_size(vq));
}

/* ---- both roles ----------------------------------------------------------- */

static unsigned int vring_split_pending(struct virtqueue *vq)
{
	uint16_t delta;

	if (vq->vq_is_device) {
		delta = (uint16_t)(vring_split_load_acquire(&vq->vq_ring.avail->idx) -
				   vq->vq_available_idx);
		if (!vring_check_delta(delta, vq->vq_inflight, vq->vq_nentries)) {
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

static uint32_t vring_split_peer_idx(struct virtqueue *vq)
{
	return vring_split_load_acquire(vq->vq_is_device ? &vq->vq_ring.avail->idx
							 : &vq->vq_ring.used->idx);
}

static int vring_split_set_cb(struct virtqueue *vq, bool enable)
{
	struct vring *vr = &vq->vq_ring;
	uint16_t far = (uint16_t)(vq->vq_nentries + 1);

	vq->vq_cb_enabled = enable;
	if (VQ_IS_DEVICE(vq)) {
		vring_split_write16(&vr->used->flags, enable ? 0 : VRING_USED_F_NO_NOTIFY);
		if (VQ_EVENT_IDX(vq))
			vring_split_write_event(vq, &vring_avail_event(vr),
						enable ? vq->vq_available_idx
						       : (uint16_t)(vq->vq_available_idx - far));
	} else {
		vring_split_write16(&vr->avail->flags, enable ? 0 : VRING_AVAIL_F_NO_INTERRUPT);
		if (VQ_EVENT_IDX(vq))
			vring_split_write_event(vq, &vring_used_event(vr),
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
	uint16_t new_idx = VQ_IS_DEVICE(vq) ? vq->vq_used_prod_idx : vq->vq_available_idx;
	uint16_t old = vq->vq_kick_idx;

	atomic_thread_fence(memory_order_seq_cst);
	vq->vq_kick_idx = new_idx;
	if (VQ_EVENT_IDX(vq)) {
		uint16_t evt = VQ_IS_DEVICE(vq) ? vring_split_read16(&vring_used_event(vr))
						: vring_split_read16(&vring_avail_event(vr));

		return vring_need_event(evt, new_idx, old) != 0;
	}
	if (VQ_IS_DEVICE(vq))
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
	.peer_idx = vring_split_peer_idx,
	.set_cb = vring_split_set_cb,
	.need_notify = vring_split_need_notify,
	.dump = vring_split_dump,
	.ring_size = vring_split_ring_size,
};
