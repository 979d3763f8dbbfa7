/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The private backlog of RPMsg over virtio. When a sender must wait for a TX
 * buffer while a dispatch is in progress (typically: a receive callback
 * sends and both peers are out of buffers), incoming messages are copied
 * from the receive ring into this bounded FIFO and their buffers go back to
 * the peer at once, so the peer can make progress and return ours. The
 * dispatcher always drains the backlog before the ring, which keeps the
 * delivery order. Off the hot path: it only runs while someone waits.
 * Entries come from the heap, or from a pool inside the device in static
 * builds. Everything here runs under amplink_rx_lock.
 */
#include <amplink/libc.h>
#include <metal/alloc.h>
#include <metal/log.h>

#include "rpmsg/rpmsg_virtio_internal.h"

#if AMPLINK_CFG_RPMSG_BACKLOG_MAX > 0

/* One copied message. */
struct amplink_rpmsg_backlog_entry {
	struct amplink_rpmsg_backlog_entry *next;
	uint32_t src;
	uint32_t dst;
	uint32_t len;
	uint8_t data[]; /* the payload */
};

#if AMPLINK_CFG_STATIC_ALLOC
_Static_assert(sizeof(struct amplink_rpmsg_backlog_entry) <= 32, "backlog entry header");

/* An entry for @size payload bytes from the device's pool, or NULL. */
static struct amplink_rpmsg_backlog_entry *rpmsg_bl_alloc(struct rpmsg_virtio_device *rvdev,
							  uint32_t size)
{
	unsigned int i;

	if (size > AMPLINK_CFG_BUFFER_SIZE)
		return NULL;
	i = metal_bitmap_next_clear_bit(rvdev->amplink_bl_used, 0, AMPLINK_CFG_RPMSG_BACKLOG_MAX);
	if (i >= AMPLINK_CFG_RPMSG_BACKLOG_MAX)
		return NULL;
	metal_bitmap_set_bit(rvdev->amplink_bl_used, (int)i);
	return (struct amplink_rpmsg_backlog_entry *)rvdev->amplink_bl_pool[i];
}

/* Give an entry back to the pool. */
static void rpmsg_bl_free(struct rpmsg_virtio_device *rvdev, struct amplink_rpmsg_backlog_entry *e)
{
	size_t i = (size_t)((uint64_t *)e - &rvdev->amplink_bl_pool[0][0]) / AMPLINK_RPMSG_BL_WORDS;

	metal_bitmap_clear_bit(rvdev->amplink_bl_used, (int)i);
}
#else
/* An entry for @size payload bytes from the heap, or NULL. */
static struct amplink_rpmsg_backlog_entry *rpmsg_bl_alloc(struct rpmsg_virtio_device *rvdev,
							  uint32_t size)
{
	(void)rvdev;
	return metal_allocate_memory(
		(unsigned int)(sizeof(struct amplink_rpmsg_backlog_entry) + size));
}

/* Give an entry back to the heap. */
static void rpmsg_bl_free(struct rpmsg_virtio_device *rvdev, struct amplink_rpmsg_backlog_entry *e)
{
	(void)rvdev;
	metal_free_memory(e);
}
#endif

/* Largest message the next ring buffer can hold. Caller holds rx lock. */
static uint32_t rpmsg_bl_next_size(struct rpmsg_virtio_device *rvdev)
{
#if AMPLINK_CFG_ROLE_DRIVER
	if (rpmsg_virtio_is_host(rvdev))
		return rvdev->amplink_rx_size;
#endif
	return virtqueue_get_desc_size(rvdev->rvq);
}

void rpmsg_virtio_backlog_fill_locked(struct rpmsg_virtio_device *rvdev)
{
	struct amplink_rpmsg_backlog_entry *e;
	struct rpmsg_hdr hdr;
	uint32_t len, size;
	uint16_t idx;
	void *buf;

	while (rvdev->amplink_bl_count < AMPLINK_CFG_RPMSG_BACKLOG_MAX &&
	       !rpmsg_virtio_dead(rvdev)) {
		size = rpmsg_bl_next_size(rvdev);
		if (size == 0)
			return;
		e = rpmsg_bl_alloc(rvdev, size);
		if (!e)
			return;
		if (!rpmsg_virtio_rx_take_locked(rvdev, &buf, &len, &idx)) {
			rpmsg_bl_free(rvdev, e);
			return;
		}
		if (len > size || !rpmsg_virtio_rx_parse(rvdev, buf, len, &hdr)) {
			rpmsg_bl_free(rvdev, e);
			rpmsg_virtio_rx_return_locked(rvdev, buf, idx);
			continue;
		}
		e->next = NULL;
		e->src = hdr.src;
		e->dst = hdr.dst;
		e->len = hdr.len;
		memcpy(e->data, (uint8_t *)buf + RPMSG_HDR_SIZE, hdr.len);
		rpmsg_virtio_rx_return_locked(rvdev, buf, idx);
		if (rvdev->amplink_bl_tail)
			rvdev->amplink_bl_tail->next = e;
		else
			rvdev->amplink_bl_head = e;
		rvdev->amplink_bl_tail = e;
		rvdev->amplink_bl_count++;
		RPMSG_STAT_ADD(rvdev, backlog_copies, 1);
	}
}

int rpmsg_virtio_backlog_deliver_locked(struct rpmsg_virtio_device *rvdev, unsigned int *fl)
{
	struct amplink_rpmsg_backlog_entry *e = rvdev->amplink_bl_head;
	struct rpmsg_hdr hdr;

	if (!e)
		return 0;
	rvdev->amplink_bl_head = e->next;
	if (!rvdev->amplink_bl_head)
		rvdev->amplink_bl_tail = NULL;
	rvdev->amplink_bl_count--;
	memset(&hdr, 0, sizeof(hdr));
	hdr.src = e->src;
	hdr.dst = e->dst;
	hdr.len = (uint16_t)e->len;
	rvdev->amplink_cur_rx = e->data;
	rvdev->amplink_cur_held = false;
	rvdev->amplink_cur_is_bl = true;
	rpmsg_virtio_rx_deliver_unlocked(rvdev, fl, &hdr, e->data);
	rvdev->amplink_cur_rx = NULL;
	rvdev->amplink_cur_is_bl = false;
	if (rvdev->amplink_cur_held) {
		e->next = rvdev->amplink_bl_held;
		rvdev->amplink_bl_held = e;
	} else {
		rpmsg_bl_free(rvdev, e);
	}
	return 1;
}

int rpmsg_virtio_backlog_hold_locked(struct rpmsg_virtio_device *rvdev, void *payload)
{
	(void)payload;
	if (!rvdev->amplink_cur_is_bl)
		return 0;
	rvdev->amplink_cur_held = true;
	return 1;
}

int rpmsg_virtio_backlog_release(struct rpmsg_virtio_device *rvdev, void *payload)
{
	struct amplink_rpmsg_backlog_entry **pp, *e;

	for (pp = &rvdev->amplink_bl_held; (e = *pp) != NULL; pp = &e->next) {
		if (e->data == payload) {
			*pp = e->next;
			rpmsg_bl_free(rvdev, e);
			return 1;
		}
	}
	return 0;
}

/* Free a chain of entries. */
static void rpmsg_bl_free_chain(struct rpmsg_virtio_device *rvdev,
				struct amplink_rpmsg_backlog_entry *e)
{
	struct amplink_rpmsg_backlog_entry *next;

	for (; e; e = next) {
		next = e->next;
		rpmsg_bl_free(rvdev, e);
	}
}

void rpmsg_virtio_backlog_free_all(struct rpmsg_virtio_device *rvdev)
{
	rpmsg_bl_free_chain(rvdev, rvdev->amplink_bl_head);
	rpmsg_bl_free_chain(rvdev, rvdev->amplink_bl_held);
	rvdev->amplink_bl_head = NULL;
	rvdev->amplink_bl_tail = NULL;
	rvdev->amplink_bl_held = NULL;
	rvdev->amplink_bl_count = 0;
}

#endif /* AMPLINK_CFG_RPMSG_BACKLOG_MAX > 0 */
