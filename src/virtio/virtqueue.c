/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The virtqueue API front: argument and role checks, the broken state, the
 * address checks every ring format uses, and dispatch to the ring format
 * (split today). The format files hold the ring logic; nothing here reads
 * ring memory.
 *
 * Every function expects the caller to serialize operations on one queue.
 */
#include <openamp/virtio.h>
#include <amplink/libc.h>
#include <metal/log.h>
#include "virtio/vring_format.h"
#include "virtio/packed_ring.h"
#include "virtio/vring_check.h"

#if AMPLINK_CFG_STATS
#define VQ_STAT_INC(vq, field) ((vq)->vq_stats.field++)
#else
#define VQ_STAT_INC(vq, field) ((void)(vq))
#endif

const char *virtqueue_name(const struct virtqueue *vq)
{
	return vq->vq_name ? vq->vq_name : "?";
}

void virtqueue_mark_broken(struct virtqueue *vq)
{
	struct virtio_device *vdev = vq->vq_dev;
	uint8_t status = 0;

	if (vq->vq_broken)
		return;
	vq->vq_broken = true;
	VQ_STAT_INC(vq, peer_errors);
	if (vq->vq_is_device && vdev && vdev->func && vdev->func->get_status &&
	    vdev->func->set_status) {
		status = vdev->func->get_status(vdev);
		vdev->func->set_status(vdev, status | VIRTIO_CONFIG_STATUS_NEEDS_RESET);
	}
}

void *virtqueue_da_to_va(struct virtqueue *vq, uint64_t da, uint32_t len)
{
	struct metal_io_region *io = vq->shm_io;
	unsigned long off;
	size_t size;

	/* One plain page (the common case): the accessors' result without their general cases. */
	if (vring_check_is_flat(io))
		return vring_check_flat(io, da, len);
	if (!io)
		return NULL;
#if ULONG_MAX < UINT64_MAX
	if (da > (uint64_t)(metal_phys_addr_t)-1)
		return NULL;
#endif
	off = metal_io_phys_to_offset(io, (metal_phys_addr_t)da);
	size = metal_io_region_size(io);
	if (off == METAL_BAD_OFFSET || off > size || len > size - off)
		return NULL;
	return metal_io_virt(io, off);
}

void *virtqueue_peer_buf(struct virtqueue *vq, uint64_t da, uint32_t len)
{
	void *va = virtqueue_da_to_va(vq, da, len);

	if (!va)
		VQ_PEER_ERROR(vq, "virtqueue %s: buffer 0x%llx+%lu outside shared memory\n",
			      virtqueue_name(vq), (unsigned long long)da, (unsigned long)len);
	return va;
}

int virtqueue_va_to_da(struct virtqueue *vq, const void *va, int len, uint64_t *da)
{
	struct metal_io_region *io = vq->shm_io;
	metal_phys_addr_t pa;
	unsigned long off;

	if (!va || len < 0)
		return -1;
	if (vring_check_is_flat(io))
		return vring_check_flat_da(io, va, (size_t)len, da) ? 0 : -1;
	if (!io)
		return -1;
	off = metal_io_virt_to_offset(io, (void *)(uintptr_t)va);
	if (off == METAL_BAD_OFFSET || (size_t)len > metal_io_region_size(io) - off)
		return -1;
	pa = metal_io_phys(io, off);
	if (pa == METAL_BAD_PHYS)
		return -1;
	*da = pa;
	return 0;
}

/* The ring format the negotiated features ask for, or NULL. */
static const struct vring_format_ops *virtqueue_select_format(struct virtio_device *vdev)
{
	if (!vdev)
		return &vring_split_ops;
	/* A negotiated ring feature whose code is compiled out: refuse the queue. */
	if ((!AMPLINK_CFG_EVENT_IDX && (vdev->features & VIRTIO_RING_F_EVENT_IDX)) ||
	    (!AMPLINK_CFG_INDIRECT_DESC && (vdev->features & VIRTIO_RING_F_INDIRECT_DESC)))
		return NULL;
	if (vdev->features & (1ULL << VIRTIO_F_RING_PACKED))
#if AMPLINK_CFG_PACKED_RING
		return &vring_packed_ops;
#else
		return NULL; /* packed format compiled out */
#endif
	return &vring_split_ops;
}

/*
 * The format ops of @vq when it may run an operation of @device_role: it
 * exists, is created, is not broken and has that role. Returns NULL otherwise.
 */
static const struct vring_format_ops *virtqueue_ops(const struct virtqueue *vq, bool device_role)
{
	if (!vq || !vq->vq_ops || vq->vq_broken || vq->vq_is_device != device_role)
		return NULL;
	return vq->vq_ops;
}

static int virtqueue_check_ring(const struct vring_alloc_info *ring, unsigned int max)
{
	unsigned int num = ring->num_descs;

	if (num == 0 || (num & (num - 1)) != 0 || num > max || num > VQ_RING_DESC_CHAIN_END)
		return ERROR_VRING_MAX_DESC;
	if (ring->align < 4 || (ring->align & (ring->align - 1)) != 0 ||
	    ((uintptr_t)ring->vaddr & 15) != 0)
		return ERROR_VRING_ALIGN;
	return VQUEUE_SUCCESS;
}

int virtqueue_create(struct virtio_device *device, unsigned short id, const char *name,
		     struct vring_alloc_info *ring, void (*callback)(struct virtqueue *vq),
		     void (*notify)(struct virtqueue *vq), struct virtqueue *vq)
{
	const struct vring_format_ops *ops = virtqueue_select_format(device);
	int ret;

	if (!vq || !ring || !ring->vaddr || !ops)
		return ERROR_VQUEUE_INVLD_PARAM;
	ret = virtqueue_check_ring(ring, vq->vq_alloc_num);
	if (ret != VQUEUE_SUCCESS) {
		metal_log(METAL_LOG_ERROR, "virtqueue %s: bad ring (%u entries, align %lu)\n",
			  name ? name : "?", ring->num_descs, (unsigned long)ring->align);
		return ret;
	}
	vq->vq_dev = device;
	vq->vq_name = name;
	vq->vq_queue_index = id;
	vq->vq_nentries = ring->num_descs;
	vq->callback = callback;
	vq->notify = notify;
	vq->vq_ring_mem = ring->vaddr;
	vq->vq_align = ring->align;
	vq->vq_ops = ops;
	vq->vq_packed = false;
	vq->vq_is_device = device && VIRTIO_ROLE_IS_DEVICE(device);
	vq->vq_event_idx = device && (device->features & VIRTIO_RING_F_EVENT_IDX);
	vq->vq_indirect = device && (device->features & VIRTIO_RING_F_INDIRECT_DESC);
	return amplink_virtqueue_reset(vq);
}

int amplink_virtqueue_reset(struct virtqueue *vq)
{
	if (!vq || !vq->vq_ops)
		return ERROR_VQUEUE_INVLD_PARAM;
	if (!vq->vq_is_device)
		memset(vq->vq_ring_mem, 0,
		       vq->vq_ops->ring_size ? vq->vq_ops->ring_size(vq)
					     : (size_t)vring_size(vq->vq_nentries, vq->vq_align));
	vq->vq_broken = false;
	vq->vq_cb_enabled = true;
	vq->vq_inuse = false;
	vq->vq_queued_cnt = 0;
	vq->vq_used_cons_idx = 0;
	vq->vq_available_idx = 0;
	vq->vq_used_prod_idx = 0;
	vq->vq_kick_idx = 0;
	vq->vq_event_armed = 0xFFFFu; /* differs from the start index: the first look arms */
	vq->vq_inflight = 0;
	vq->vq_walk = (struct vq_chain_walk){0};
	vq->vq_ops->init(vq);
	return VQUEUE_SUCCESS;
}

bool amplink_virtqueue_is_broken(const struct virtqueue *vq)
{
	return vq && vq->vq_broken;
}

unsigned int amplink_virtqueue_pending(struct virtqueue *vq)
{
	if (!vq || !vq->vq_ops || vq->vq_broken)
		return 0;
	return vq->vq_ops->pending(vq);
}

uint32_t amplink_virtqueue_peer_idx(struct virtqueue *vq)
{
	if (!vq || !vq->vq_ops || !vq->vq_ops->peer_idx)
		return AMPLINK_VQ_IDX_UNKNOWN;
	return vq->vq_ops->peer_idx(vq);
}

void virtqueue_set_shmem_io(struct virtqueue *vq, struct metal_io_region *io)
{
	if (!vq)
		return;
	vq->shm_io = io;
}

/* Shared argument checks of the two add_buffer variants. */
static int virtqueue_check_add(struct virtqueue *vq, struct virtqueue_buf *buf_list, int readable,
			       int writable, void *cookie)
{
	if (!vq || !vq->vq_ops)
		return ERROR_VQUEUE_INVLD_PARAM;
	if (vq->vq_broken)
		return AMPLINK_VQ_ERR_BROKEN;
	if (!virtqueue_ops(vq, false) || !vq->vq_ops->add_chain || !buf_list || !cookie ||
	    readable < 0 || writable < 0 || readable + writable < 1 ||
	    readable + writable > vq->vq_nentries)
		return ERROR_VQUEUE_INVLD_PARAM;
	return VQUEUE_SUCCESS;
}

int virtqueue_add_buffer(struct virtqueue *vq, struct virtqueue_buf *buf_list, int readable,
			 int writable, void *cookie)
{
	int ret = virtqueue_check_add(vq, buf_list, readable, writable, cookie);

	if (ret != VQUEUE_SUCCESS)
		return ret;
	ret = vq->vq_ops->add_chain(vq, buf_list, readable, writable, NULL, cookie);
	if (ret == VQUEUE_SUCCESS)
		VQ_STAT_INC(vq, published);
	return ret;
}

int amplink_virtqueue_add_buffer_indirect(struct virtqueue *vq, struct virtqueue_buf *buf_list,
					  int readable, int writable, struct vring_desc *table,
					  void *cookie)
{
	int ret = virtqueue_check_add(vq, buf_list, readable, writable, cookie);

	if (ret != VQUEUE_SUCCESS)
		return ret;
	if (!vq->vq_indirect || !table || ((uintptr_t)table & 15) != 0)
		return ERROR_VQUEUE_INVLD_PARAM;
	ret = vq->vq_ops->add_chain(vq, buf_list, readable, writable, table, cookie);
	if (ret == VQUEUE_SUCCESS)
		VQ_STAT_INC(vq, published);
	return ret;
}

void *virtqueue_get_buffer(struct virtqueue *vq, uint32_t *len, uint16_t *idx)
{
	const struct vring_format_ops *ops = virtqueue_ops(vq, false);
	uint32_t ignored;
	void *cookie;

	if (!ops || !ops->get_used)
		return NULL;
	cookie = ops->get_used(vq, len ? len : &ignored, idx);
	if (cookie)
		VQ_STAT_INC(vq, taken);
	return cookie;
}

void *virtqueue_get_first_avail_buffer(struct virtqueue *vq, uint16_t *avail_idx, uint32_t *len)
{
	const struct vring_format_ops *ops = virtqueue_ops(vq, true);
	uint32_t ignored;
	void *buf;

	if (!ops || !ops->take_avail || !avail_idx)
		return NULL;
	buf = ops->take_avail(vq, avail_idx, len ? len : &ignored);
	if (buf)
		VQ_STAT_INC(vq, taken);
	return buf;
}

void *virtqueue_get_next_avail_buffer(struct virtqueue *vq, uint16_t idx, uint16_t *next_idx,
				      uint32_t *next_len)
{
	const struct vring_format_ops *ops = virtqueue_ops(vq, true);
	uint32_t ignored_len;
	uint16_t ignored_idx;

	if (!ops || !ops->next_avail)
		return NULL;
	return ops->next_avail(vq, idx, next_idx ? next_idx : &ignored_idx,
			       next_len ? next_len : &ignored_len);
}

/* The cached state of descriptor @idx of a held chain, or NULL. */
static struct vq_desc_extra *virtqueue_held_desc(struct virtqueue *vq, uint16_t idx)
{
	if (!virtqueue_ops(vq, true) || idx >= vq->vq_nentries ||
	    !(vq->vq_descx[idx].state & VQ_DX_HELD))
		return NULL;
	return &vq->vq_descx[idx];
}

void *virtqueue_get_buffer_addr(struct virtqueue *vq, uint16_t idx)
{
	struct vq_desc_extra *dx = virtqueue_held_desc(vq, idx);

	return dx ? dx->va : NULL;
}

uint32_t virtqueue_get_buffer_length(struct virtqueue *vq, uint16_t idx)
{
	struct vq_desc_extra *dx = virtqueue_held_desc(vq, idx);

	return dx ? dx->len : 0;
}

int amplink_virtqueue_find_held(struct virtqueue *vq, const void *va)
{
	uint16_t i;

	if (!virtqueue_ops(vq, true) || !va)
		return -1;
	for (i = 0; i < vq->vq_nentries; i++) {
		if ((vq->vq_descx[i].state & VQ_DX_HELD_HEAD) && vq->vq_descx[i].va == va)
			return i;
	}
	return -1;
}

int virtqueue_add_consumed_buffer(struct virtqueue *vq, uint16_t head_idx, uint32_t len)
{
	int ret;

	if (vq && vq->vq_broken)
		return AMPLINK_VQ_ERR_BROKEN;
	if (!virtqueue_ops(vq, true) || !vq->vq_ops->put_used)
		return ERROR_VQUEUE_INVLD_PARAM;
	if (head_idx >= vq->vq_nentries || !(vq->vq_descx[head_idx].state & VQ_DX_HELD_HEAD)) {
		metal_log(METAL_LOG_ERROR, "virtqueue %s: %u is not a held chain head\n",
			  virtqueue_name(vq), head_idx);
		return ERROR_INVLD_DESC_IDX;
	}
	ret = vq->vq_ops->put_used(vq, head_idx, len);
	if (ret == VQUEUE_SUCCESS)
		VQ_STAT_INC(vq, published);
	return ret;
}

uint32_t virtqueue_get_desc_size(struct virtqueue *vq)
{
	const struct vring_format_ops *ops = virtqueue_ops(vq, true);

	if (!ops || !ops->peek_avail_len)
		return 0;
	return ops->peek_avail_len(vq);
}

void virtqueue_disable_cb(struct virtqueue *vq)
{
	if (vq && vq->vq_ops && !vq->vq_broken)
		vq->vq_ops->set_cb(vq, false);
}

int virtqueue_enable_cb(struct virtqueue *vq)
{
	if (!vq || !vq->vq_ops || vq->vq_broken)
		return 0;
	return vq->vq_ops->set_cb(vq, true);
}

void virtqueue_kick(struct virtqueue *vq)
{
	if (!vq || !vq->vq_ops || vq->vq_broken)
		return;
	if (vq->vq_ops->need_notify(vq) && vq->notify) {
		vq->notify(vq);
		VQ_STAT_INC(vq, kicks);
	} else {
		VQ_STAT_INC(vq, kicks_suppressed);
	}
	vq->vq_queued_cnt = 0;
}

int amplink_virtqueue_get_stats(const struct virtqueue *vq, struct amplink_vq_stats *stats)
{
	if (!vq || !stats)
		return ERROR_VQUEUE_INVLD_PARAM;
#if AMPLINK_CFG_STATS
	*stats = vq->vq_stats;
#else
	*stats = (struct amplink_vq_stats){0};
#endif
	return VQUEUE_SUCCESS;
}

void virtqueue_notification(struct virtqueue *vq)
{
	if (vq && !vq->vq_broken && vq->callback)
		vq->callback(vq);
}

int virtqueue_empty(struct virtqueue *vq)
{
	return vq && vq->vq_nentries == vq->vq_free_cnt;
}

int virtqueue_full(struct virtqueue *vq)
{
	return vq && vq->vq_free_cnt == 0;
}

void virtqueue_dump(struct virtqueue *vq)
{
	if (vq && vq->vq_ops)
		vq->vq_ops->dump(vq);
}
