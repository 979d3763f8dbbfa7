/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The packed virtqueue layout (virtio 1.1+): the 16-byte descriptor, the
 * AVAIL/USED flag bits and wrap counters, the two event suppression
 * structures, and the size of a packed ring as amplink lays it out in one
 * block: descriptors at 0, the driver event suppression structure right
 * after them (the "driver area"), the device's right after that (the
 * "device area"). Private to src/virtio.
 */
#ifndef AMPLINK_PACKED_RING_H
#define AMPLINK_PACKED_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <metal/atomic.h>
#include <openamp/virtqueue.h>

#include "virtio/vring_format.h"

/* Descriptor flags (NEXT, WRITE, INDIRECT are the split ring's values). */
#define VRING_PACKED_DESC_F_NEXT     1u
#define VRING_PACKED_DESC_F_WRITE    2u
#define VRING_PACKED_DESC_F_INDIRECT 4u
#define VRING_PACKED_DESC_F_AVAIL    (1u << 7)
#define VRING_PACKED_DESC_F_USED     (1u << 15)

/* Event suppression flags (low two bits of the structure's flags word). */
#define VRING_PACKED_EVENT_F_ENABLE  0u
#define VRING_PACKED_EVENT_F_DISABLE 1u
#define VRING_PACKED_EVENT_F_DESC    2u
#define VRING_PACKED_EVENT_F_MASK    3u

/* Bit 15 of an off_wrap word (and of our private indices): the wrap counter. */
#define VRING_PACKED_WRAP_BIT 15
#define VRING_PACKED_POS_MASK 0x7fffu

/* One descriptor, little-endian on the wire. */
struct vring_packed_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t id;
	uint16_t flags;
};

/* An event suppression structure. */
struct vring_packed_event {
	uint16_t off_wrap; /* bits 0..14 ring offset, bit 15 wrap counter */
	uint16_t flags;	   /* VRING_PACKED_EVENT_F_* */
};

/* Bytes of ring memory a packed ring of @num descriptors occupies. */
static inline size_t vring_packed_size(unsigned int num)
{
	return (size_t)num * sizeof(struct vring_packed_desc) +
	       2 * sizeof(struct vring_packed_event);
}

extern const struct vring_format_ops vring_packed_ops;

/* ---- helpers shared by vring_packed.c and packed_device.c ---------------- */

/* Ring memory views. */
static inline struct vring_packed_desc *vring_packed_desc(const struct virtqueue *vq)
{
	return (struct vring_packed_desc *)vq->vq_ring_mem;
}

static inline struct vring_packed_event *vring_packed_driver_event(const struct virtqueue *vq)
{
	return (struct vring_packed_event *)(void *)(vring_packed_desc(vq) + vq->vq_nentries);
}

static inline struct vring_packed_event *vring_packed_device_event(const struct virtqueue *vq)
{
	return vring_packed_driver_event(vq) + 1;
}

/* Shared 16-bit accesses; see the ordering rules at the top of vring_packed.c. */
static inline uint16_t vring_packed_load_acquire(uint16_t *p)
{
	VRING_INVALIDATE(p, sizeof(*p));
	return atomic_load_explicit((_Atomic uint16_t *)(void *)p, memory_order_acquire);
}

static inline void vring_packed_store_release(uint16_t *p, uint16_t v)
{
	atomic_store_explicit((_Atomic uint16_t *)(void *)p, v, memory_order_release);
	VRING_FLUSH(p, sizeof(*p));
}

static inline uint16_t vring_packed_read16(uint16_t *p)
{
	VRING_INVALIDATE(p, sizeof(*p));
	return atomic_load_explicit((_Atomic uint16_t *)(void *)p, memory_order_relaxed);
}

static inline void vring_packed_write16(uint16_t *p, uint16_t v)
{
	atomic_store_explicit((_Atomic uint16_t *)(void *)p, v, memory_order_relaxed);
	VRING_FLUSH(p, sizeof(*p));
}

/* Position (0..num-1) and wrap counter of a private index (pos | wrap << 15). */
static inline uint16_t vring_packed_pos(uint16_t idx)
{
	return (uint16_t)(idx & VRING_PACKED_POS_MASK);
}

static inline unsigned int vring_packed_wrap(uint16_t idx)
{
	return (unsigned int)(idx >> VRING_PACKED_WRAP_BIT);
}

/* @idx moved forward by @n (< num) slots, flipping the wrap counter at the end. */
static inline uint16_t vring_packed_advance(const struct virtqueue *vq, uint16_t idx,
					    unsigned int n)
{
	unsigned int pos = vring_packed_pos(idx) + n;
	unsigned int wrap = vring_packed_wrap(idx);

	if (pos >= vq->vq_nentries) {
		pos -= vq->vq_nentries;
		wrap ^= 1u;
	}
	return (uint16_t)(pos | (wrap << VRING_PACKED_WRAP_BIT));
}

/* The AVAIL/USED bits a descriptor made available with wrap counter @wrap carries. */
static inline uint16_t vring_packed_avail_bits(unsigned int wrap)
{
	return (uint16_t)(wrap ? VRING_PACKED_DESC_F_AVAIL : VRING_PACKED_DESC_F_USED);
}

/* The AVAIL/USED bits a used descriptor written with wrap counter @wrap carries. */
static inline uint16_t vring_packed_used_bits(unsigned int wrap)
{
	return (uint16_t)(wrap ? (VRING_PACKED_DESC_F_AVAIL | VRING_PACKED_DESC_F_USED) : 0);
}

/* Whether @flags say "available in the lap of wrap counter @wrap". */
static inline bool vring_packed_is_avail(uint16_t flags, unsigned int wrap)
{
	return (flags & (VRING_PACKED_DESC_F_AVAIL | VRING_PACKED_DESC_F_USED)) ==
	       vring_packed_avail_bits(wrap);
}

/* Whether @flags say "used in the lap of wrap counter @wrap". */
static inline bool vring_packed_is_used(uint16_t flags, unsigned int wrap)
{
	return (flags & (VRING_PACKED_DESC_F_AVAIL | VRING_PACKED_DESC_F_USED)) ==
	       vring_packed_used_bits(wrap);
}

/*
 * Count @n slots published since the last notification decision (in
 * vq_queued_cnt, which the front clears at each kick; saturating). The
 * decision needs it: positions only count modulo 2 * num, so a batch of num
 * slots or more between two decisions could hide the peer's event offset.
 */
static inline void vring_packed_count_published(struct virtqueue *vq, unsigned int n)
{
	unsigned int c = vq->vq_queued_cnt + n;

	vq->vq_queued_cnt = (uint16_t)(c > UINT16_MAX ? UINT16_MAX : c);
}

/* Device-role operations (packed_device.c). */
void *vring_packed_take_avail(struct virtqueue *vq, uint16_t *head, uint32_t *len);
void *vring_packed_next_avail(struct virtqueue *vq, uint16_t idx, uint16_t *next_idx,
			      uint32_t *next_len);
int vring_packed_put_used(struct virtqueue *vq, uint16_t head, uint32_t len);
uint32_t vring_packed_peek_avail_len(struct virtqueue *vq);
/* Device: publish the position we expect next when callbacks use EVENT_IDX. */
void vring_packed_arm_avail_event(struct virtqueue *vq);

#endif /* AMPLINK_PACKED_RING_H */
