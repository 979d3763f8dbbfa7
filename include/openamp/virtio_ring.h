/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The split virtqueue ("vring") memory layout of virtio 1.x: descriptor
 * table, available ring and used ring, their flags, and the helpers that size
 * and place a ring in memory and decide whether a notification is due under
 * VIRTIO_RING_F_EVENT_IDX. All fields are little-endian on the wire; amplink
 * targets are little-endian, so the structures are used as they are.
 */
#ifndef OPENAMP_VIRTIO_RING_H
#define OPENAMP_VIRTIO_RING_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__BYTE_ORDER__) && (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)
#error "amplink: the vring layout is little-endian; big-endian CPUs need byte swapping"
#endif

/* Descriptor flags. */
#define VRING_DESC_F_NEXT     1 /* the chain continues in 'next' */
#define VRING_DESC_F_WRITE    2 /* the device writes into this buffer */
#define VRING_DESC_F_INDIRECT 4 /* the buffer is a table of descriptors */

/* Available ring flag: the driver does not want an interrupt for used buffers. */
#define VRING_AVAIL_F_NO_INTERRUPT 1
/* Used ring flag: the device does not want a notification for new buffers. */
#define VRING_USED_F_NO_NOTIFY 1

/* One descriptor: 16 bytes. */
struct vring_desc {
	uint64_t addr;	/* device address of the buffer */
	uint32_t len;	/* its length in bytes */
	uint16_t flags; /* VRING_DESC_F_* */
	uint16_t next;	/* next descriptor of the chain when F_NEXT */
};

/* Available ring: written by the driver, read by the device. */
struct vring_avail {
	uint16_t flags;	 /* VRING_AVAIL_F_* */
	uint16_t idx;	 /* free-running count of heads made available */
	uint16_t ring[]; /* num heads, then used_event (u16) */
};

/* One used element: the head of a returned chain and the bytes written. */
struct vring_used_elem {
	union {
		uint32_t id;	/* head descriptor index */
		uint16_t event; /* reserved for the packed layout */
	};
	uint32_t len; /* bytes the device wrote into the chain */
};

/* Used ring: written by the device, read by the driver. */
struct vring_used {
	uint16_t flags;		       /* VRING_USED_F_* */
	uint16_t idx;		       /* free-running count of chains returned */
	struct vring_used_elem ring[]; /* num elements, then avail_event (u16) */
};

/* A split ring as seen by this side: where its three parts live. */
struct vring {
	unsigned int num; /* entries, a power of two */
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
};

/*
 * EVENT_IDX fields. used_event sits after the avail ring (written by the
 * driver: "interrupt me when used idx passes this"); avail_event sits after
 * the used ring (written by the device: "kick me when avail idx passes this").
 */
#define vring_used_event(vr)  ((vr)->avail->ring[(vr)->num])
#define vring_avail_event(vr) (*(uint16_t *)(void *)&(vr)->used->ring[(vr)->num])

/*
 * vring_size - bytes a split ring of @num entries needs with the used ring
 * aligned to @align (a power of two).
 * Returns the size in bytes.
 */
static inline int vring_size(unsigned int num, unsigned long align)
{
	unsigned long size;

	size = num * sizeof(struct vring_desc);
	size += sizeof(struct vring_avail) + num * sizeof(uint16_t) + sizeof(uint16_t);
	size = (size + align - 1) & ~(align - 1);
	size += sizeof(struct vring_used) + num * sizeof(struct vring_used_elem) + sizeof(uint16_t);
	return (int)size;
}

/*
 * vring_init - point @vr at a ring of @num entries laid out at @p with the
 * used ring aligned to @align. Does not touch the memory.
 */
static inline void vring_init(struct vring *vr, unsigned int num, uint8_t *p, unsigned long align)
{
	uintptr_t used;

	vr->num = num;
	vr->desc = (struct vring_desc *)(void *)p;
	vr->avail = (struct vring_avail *)(void *)(p + num * sizeof(struct vring_desc));
	used = (uintptr_t)&vr->avail->ring[num] + sizeof(uint16_t);
	used = (used + align - 1) & ~(uintptr_t)(align - 1);
	vr->used = (struct vring_used *)used;
}

/*
 * vring_need_event - with EVENT_IDX, whether moving an index from @old to
 * @new_idx crossed the peer's @event_idx (all free-running u16 values).
 * Returns nonzero when a notification is due.
 */
static inline int vring_need_event(uint16_t event_idx, uint16_t new_idx, uint16_t old)
{
	return (uint16_t)(new_idx - event_idx - 1) < (uint16_t)(new_idx - old);
}

#ifdef __cplusplus
}
#endif

#endif /* OPENAMP_VIRTIO_RING_H */
