/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private interface between the virtqueue API front (virtqueue.c) and a ring
 * format (vring_split.c today, a packed format later): the operations a
 * format implements, the per-descriptor state values, and the helpers the
 * front offers every format (address checks, the broken state).
 *
 * Adding a format: implement struct vring_format_ops in its own file, declare
 * the table here and pick it in virtqueue_select_format() (virtqueue.c).
 */
#ifndef AMPLINK_VRING_FORMAT_H
#define AMPLINK_VRING_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <metal/log.h>
#include <openamp/virtqueue.h>

/* struct vq_desc_extra.state values. */
#define VQ_DX_FREE	0x0 /* not posted (driver) / not held (device) */
#define VQ_DX_POSTED	0x1 /* driver: head of a chain in flight */
#define VQ_DX_HELD	0x2 /* device: descriptor of a chain this side holds */
#define VQ_DX_HELD_HEAD 0x4 /* device: head of a chain this side holds */

/*
 * Operations of a ring format. All run with the caller serializing the queue
 * and only after the front checked the role, the arguments and that the
 * queue is not broken. A member is NULL when its role is compiled out.
 */
struct vring_format_ops {
	const char *name;
	/* Lay the ring out at vq_ring_mem and set the private state (no ring writes). */
	void (*init)(struct virtqueue *vq);
	/* Driver: post a chain (through @table when not NULL). */
	int (*add_chain)(struct virtqueue *vq, const struct virtqueue_buf *bufs, int readable,
			 int writable, struct vring_desc *table, void *cookie);
	/* Driver: take the next used chain. */
	void *(*get_used)(struct virtqueue *vq, uint32_t *len, uint16_t *idx);
	/* Device: take the next available chain, return its first buffer. */
	void *(*take_avail)(struct virtqueue *vq, uint16_t *head, uint32_t *len);
	/* Device: the buffer after @idx in the chain being walked. */
	void *(*next_avail)(struct virtqueue *vq, uint16_t idx, uint16_t *next_idx,
			    uint32_t *next_len);
	/* Device: return a held chain. */
	int (*put_used)(struct virtqueue *vq, uint16_t head, uint32_t len);
	/* Device: first buffer length of the next available chain (not taken). */
	uint32_t (*peek_avail_len)(struct virtqueue *vq);
	/* Entries the peer published that this side has not taken. */
	unsigned int (*pending)(struct virtqueue *vq);
	/* The peer's free-running index as it stands (not validated); NULL: none. */
	uint32_t (*peer_idx)(struct virtqueue *vq);
	/* Ask the peer to notify (or not); returns pending work on enable. */
	int (*set_cb)(struct virtqueue *vq, bool enable);
	/* Whether the peer wants a notification for what was published. */
	bool (*need_notify)(struct virtqueue *vq);
	/* Log the ring's indices. */
	void (*dump)(struct virtqueue *vq);
	/* Bytes of ring memory the queue uses (the driver role zeroes them on reset). */
	size_t (*ring_size)(const struct virtqueue *vq);
};

extern const struct vring_format_ops vring_split_ops;

/*
 * The negotiated ring features and the queue's role as seen by the format
 * code: constant when the option or the other role is compiled out, so that
 * the compiler drops the paths that cannot run.
 */
#define VQ_EVENT_IDX(vq) (AMPLINK_CFG_EVENT_IDX && (vq)->vq_event_idx)
#define VQ_INDIRECT(vq)	 (AMPLINK_CFG_INDIRECT_DESC && (vq)->vq_indirect)
#if !AMPLINK_CFG_ROLE_DRIVER
#define VQ_IS_DEVICE(vq) ((void)(vq), true)
#elif !AMPLINK_CFG_ROLE_DEVICE
#define VQ_IS_DEVICE(vq) ((void)(vq), false)
#else
#define VQ_IS_DEVICE(vq) ((vq)->vq_is_device)
#endif

/*
 * virtqueue_mark_broken - the peer broke the protocol: stop the queue until
 * amplink_virtqueue_reset() and, in the device role, raise NEEDS_RESET in the
 * device status. Logs nothing (VQ_PEER_ERROR logs the reason once).
 */
void virtqueue_mark_broken(struct virtqueue *vq);

/* virtqueue_name - the queue's name for log lines (never NULL). */
const char *virtqueue_name(const struct virtqueue *vq);

/*
 * virtqueue_da_to_va - device role: the address of the @len-byte buffer at
 * device address @da when all of it lies inside shm_io (overflow-safe).
 * Returns the virtual address, or NULL.
 */
void *virtqueue_da_to_va(struct virtqueue *vq, uint64_t da, uint32_t len);

/*
 * virtqueue_peer_buf - device role: virtqueue_da_to_va() for a buffer the peer
 * described; when it lies outside shared memory the queue is broken with one
 * log line. Returns the virtual address, or NULL after breaking the queue.
 */
void *virtqueue_peer_buf(struct virtqueue *vq, uint64_t da, uint32_t len);

/*
 * virtqueue_va_to_da - driver role: the device address of the @len-byte
 * buffer at @va, which must lie inside shm_io. Returns 0 or -1.
 */
int virtqueue_va_to_da(struct virtqueue *vq, const void *va, int len, uint64_t *da);

/* Log the reason (only the first time) and break the queue. */
#define VQ_PEER_ERROR(vq, ...)                                                                     \
	do {                                                                                       \
		if (!(vq)->vq_broken)                                                              \
			metal_log(METAL_LOG_ERROR, __VA_ARGS__);                                   \
		virtqueue_mark_broken(vq);                                                         \
	} while (0)

#endif /* AMPLINK_VRING_FORMAT_H */
