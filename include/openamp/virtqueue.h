/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The virtqueue API: one queue of a virtio device, used in the driver role
 * (post buffers, collect them back) or in the device role (take posted
 * buffers, return them consumed). The ring format behind it is the split
 * vring by default; the queue keeps every index it owns in private memory and
 * validates everything it reads from the peer.
 *
 * Concurrency: the virtqueue takes no lock. The caller serializes all
 * operations on one queue (one thread or one lock per queue); different
 * queues are independent.
 */
#ifndef OPENAMP_VIRTQUEUE_H
#define OPENAMP_VIRTQUEUE_H

#include <stdbool.h>
#include <stdint.h>
#include <amplink/config.h>
#include <metal/cache.h>
#include <metal/io.h>
#include <openamp/virtio_ring.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Error codes. */
#define VQUEUE_SUCCESS		 0
#define VQ_ERROR_BASE		 -3000
#define ERROR_VRING_FULL	 (VQ_ERROR_BASE - 1)
#define ERROR_INVLD_DESC_IDX	 (VQ_ERROR_BASE - 2)
#define ERROR_EMPTY_RING	 (VQ_ERROR_BASE - 3)
#define ERROR_NO_MEM		 (VQ_ERROR_BASE - 4)
#define ERROR_VRING_MAX_DESC	 (VQ_ERROR_BASE - 5)
#define ERROR_VRING_ALIGN	 (VQ_ERROR_BASE - 6)
#define ERROR_VRING_NO_BUFF	 (VQ_ERROR_BASE - 7)
#define ERROR_VQUEUE_INVLD_PARAM (VQ_ERROR_BASE - 8)

/* Ring features a virtqueue honours when the device negotiated them. */
#define VIRTIO_RING_F_INDIRECT_DESC (1 << 28)
#define VIRTIO_RING_F_EVENT_IDX	    (1 << 29)

/* End-of-chain marker of the private free list. */
#define VQ_RING_DESC_CHAIN_END 32768

/* The OpenAMP debug helpers: amplink checks at run time instead, so no-ops. */
#define VQASSERT(_vq, _exp, _msg)	    ((void)(_vq))
#define VQ_RING_ASSERT_VALID_IDX(_vq, _idx) ((void)(_vq))
#define VQ_RING_ASSERT_CHAIN_TERM(_vq)	    ((void)(_vq))
#define VQUEUE_BUSY(vq)			    ((void)(vq))
#define VQUEUE_IDLE(vq)			    ((void)(vq))
#define VQ_PARAM_CHK(condition, status_var, status_err)                                            \
	do {                                                                                       \
		if (((status_var) == 0) && (condition)) {                                          \
			status_var = status_err;                                                   \
		}                                                                                  \
	} while (0)

/* Cache maintenance around shared ring accesses (AMPLINK_CFG_CACHE_MAINT). */
#if AMPLINK_CFG_CACHE_MAINT
#define VRING_FLUSH(x, s)      metal_cache_flush((void *)(x), (unsigned int)(s))
#define VRING_INVALIDATE(x, s) metal_cache_invalidate((void *)(x), (unsigned int)(s))
#else
#define VRING_FLUSH(x, s)      ((void)(x), (void)(s))
#define VRING_INVALIDATE(x, s) ((void)(x), (void)(s))
#endif

struct virtio_device;
struct virtqueue;
struct vring_alloc_info;
struct vring_format_ops;

typedef void (*vq_callback)(struct virtqueue *);
typedef void (*vq_notify)(struct virtqueue *);

/* One buffer of a chain handed to virtqueue_add_buffer(). */
struct virtqueue_buf {
	void *buf; /* in the queue's shared-memory region */
	int len;   /* bytes */
};

/*
 * Private per-descriptor bookkeeping (never in shared memory).
 * Driver role: for a chain head, the cookie, descriptor count and writable
 * bytes posted; for every descriptor, the free-list / chain link.
 * Device role: for a descriptor of a chain this side holds, the validated
 * buffer address and length, and the chain link as it was walked.
 */
struct vq_desc_extra {
	void *cookie;	 /* driver: the caller's cookie of the chain (head) */
	void *va;	 /* device: validated buffer address */
	uint32_t len;	 /* driver: writable bytes of the chain (head); device: validated length */
	uint16_t ndescs; /* descriptors in the chain (head) */
	uint16_t next;	 /* private chain / free-list link */
	uint8_t state;	 /* VQ_DX_* (see vring_format.h) */
};

/* Walk state of the chain the device role is reading (private). */
struct vq_chain_walk {
	struct vring_desc *tbl; /* indirect table, or NULL for ring descriptors */
	uint16_t tbl_num;	/* entries in the indirect table */
	uint16_t head;		/* head of the chain being walked */
	uint16_t cur;		/* index last returned to the caller */
	uint16_t count;		/* descriptors returned so far */
	uint16_t next;		/* link of the last descriptor returned (snapshot) */
	bool has_next;		/* that descriptor had VRING_DESC_F_NEXT */
	bool active;
};

/* Counters of one queue (AMPLINK_CFG_STATS); see amplink_virtqueue_get_stats(). */
struct amplink_vq_stats {
	uint32_t published;	   /* chains this side published (posted / returned) */
	uint32_t taken;		   /* chains taken from the peer (used / available) */
	uint32_t kicks;		   /* notifications sent */
	uint32_t kicks_suppressed; /* kicks skipped because the peer asked not to be notified */
	uint32_t peer_errors;	   /* protocol violations by the peer (each broke the queue) */
};

struct virtqueue {
	struct virtio_device *vq_dev; /* owning device (may be NULL in tests) */
	const char *vq_name;
	uint16_t vq_queue_index;
	uint16_t vq_nentries; /* ring entries */
	void (*callback)(struct virtqueue *vq);
	void (*notify)(struct virtqueue *vq);
	struct vring vq_ring;		/* split layout */
	uint16_t vq_free_cnt;		/* driver: free descriptors */
	uint16_t vq_queued_cnt;		/* entries published since the last kick */
	void *priv;			/* the user's (rpmsg's) data */
	struct metal_io_region *shm_io; /* region every buffer must lie in */
	uint16_t vq_desc_head_idx;	/* driver: head of the private free list */
	uint16_t vq_used_cons_idx;	/* driver: next used entry to consume */
	uint16_t vq_available_idx; /* driver: avail idx published; device: next avail to take */
	bool vq_inuse;

	/* amplink internals below: not part of the standard API. */
	const struct vring_format_ops *vq_ops; /* ring format (split or packed) */
	bool vq_packed;			       /* packed ring format in use */
	bool vq_broken;			       /* the peer broke the protocol */
	bool vq_event_idx;		       /* VIRTIO_RING_F_EVENT_IDX negotiated */
	bool vq_indirect;		       /* VIRTIO_RING_F_INDIRECT_DESC negotiated */
	bool vq_cb_enabled;		       /* this side wants notifications */
	bool vq_is_device;		       /* role: device (remote) */
	uint16_t vq_used_prod_idx;	       /* device: used idx published */
	uint16_t vq_kick_idx;		       /* own idx at the last notification decision */
	uint16_t vq_event_armed;      /* split, EVENT_IDX: our event index as last written */
	uint16_t vq_inflight;	      /* chains posted (driver) / held (device) */
	uint16_t vq_alloc_num;	      /* entries of vq_descx allocated */
	uint32_t vq_align;	      /* used-ring alignment */
	void *vq_ring_mem;	      /* ring memory (start) */
	struct vq_chain_walk vq_walk; /* device: chain being read */
#if AMPLINK_CFG_STATS
	struct amplink_vq_stats vq_stats; /* counters (not cleared by a reset) */
#endif
	struct vq_desc_extra vq_descx[];
};

/*
 * virtqueue_allocate - allocate a virtqueue able to hold @num_desc_extra
 * descriptors (from a static pool when AMPLINK_CFG_STATIC_ALLOC). Start-up
 * context. Returns the zeroed queue, or NULL.
 */
struct virtqueue *virtqueue_allocate(unsigned int num_desc_extra);

/* virtqueue_free - give back a queue from virtqueue_allocate(); NULL is fine. */
void virtqueue_free(struct virtqueue *vq);

/*
 * virtqueue_create - bind @vq to the ring described by @ring, for the role of
 * @device (driver when @device is NULL). The driver role lays out the ring
 * (the caller zeroed it); the device role only records where it is.
 * Returns VQUEUE_SUCCESS, ERROR_VQUEUE_INVLD_PARAM, ERROR_VRING_ALIGN or
 * ERROR_VRING_MAX_DESC.
 */
int virtqueue_create(struct virtio_device *device, unsigned short id, const char *name,
		     struct vring_alloc_info *ring, void (*callback)(struct virtqueue *vq),
		     void (*notify)(struct virtqueue *vq), struct virtqueue *vq);

/* virtqueue_set_shmem_io - the region all buffers of @vq live in (checks use it). */
void virtqueue_set_shmem_io(struct virtqueue *vq, struct metal_io_region *io);

/*
 * virtqueue_add_buffer - driver role: post a chain of @readable buffers the
 * device reads then @writable buffers it writes, tagged with @cookie (not
 * NULL). Publishes the chain; call virtqueue_kick() to notify.
 * Caller serializes per queue. O(chain). Returns VQUEUE_SUCCESS,
 * ERROR_VRING_FULL, ERROR_VQUEUE_INVLD_PARAM or AMPLINK_VQ_ERR_BROKEN.
 */
int virtqueue_add_buffer(struct virtqueue *vq, struct virtqueue_buf *buf_list, int readable,
			 int writable, void *cookie);

/*
 * virtqueue_get_buffer - driver role: take the next chain the device
 * returned. @len gets the bytes written, @idx (optional) the head index.
 * Returns the chain's cookie, or NULL when none is ready or the queue is
 * broken (a bad used entry breaks it).
 */
void *virtqueue_get_buffer(struct virtqueue *vq, uint32_t *len, uint16_t *idx);

/*
 * virtqueue_get_first_avail_buffer - device role: take the next chain the
 * driver posted. @avail_idx gets the head index (pass it to
 * virtqueue_add_consumed_buffer), @len the first buffer's length.
 * Returns the first buffer (validated to lie in shm_io), or NULL.
 */
void *virtqueue_get_first_avail_buffer(struct virtqueue *vq, uint16_t *avail_idx, uint32_t *len);

/*
 * virtqueue_get_next_avail_buffer - device role: the buffer after @idx in
 * the chain taken last: @idx is the index last returned for it (the head
 * from virtqueue_get_first_avail_buffer, then each @next_idx). For an
 * indirect chain the following indices are positions in the indirect table.
 * Caller serializes per queue. Returns the buffer and sets @next_idx and
 * @next_len, or NULL at the chain's end, for another @idx, or when the chain
 * is bad (which breaks the queue).
 */
void *virtqueue_get_next_avail_buffer(struct virtqueue *vq, uint16_t idx, uint16_t *next_idx,
				      uint32_t *next_len);

/*
 * virtqueue_get_buffer_addr / virtqueue_get_buffer_length - device role: the
 * validated address / length of descriptor @idx of a chain this side holds
 * (for an indirect head: its first buffer). Returns NULL / 0 otherwise.
 */
void *virtqueue_get_buffer_addr(struct virtqueue *vq, uint16_t idx);
uint32_t virtqueue_get_buffer_length(struct virtqueue *vq, uint16_t idx);

/*
 * virtqueue_add_consumed_buffer - device role: return the chain at
 * @head_idx with @len bytes written. Call virtqueue_kick() to notify.
 * Returns VQUEUE_SUCCESS, ERROR_INVLD_DESC_IDX (not a held head),
 * ERROR_VQUEUE_INVLD_PARAM or AMPLINK_VQ_ERR_BROKEN.
 */
int virtqueue_add_consumed_buffer(struct virtqueue *vq, uint16_t head_idx, uint32_t len);

/*
 * virtqueue_get_desc_size - device role: the length of the next available
 * chain's first buffer, without taking it. Returns 0 when none.
 */
uint32_t virtqueue_get_desc_size(struct virtqueue *vq);

/*
 * virtqueue_disable_cb / virtqueue_enable_cb - ask the peer not to / to
 * notify this side (flags, or the event index with EVENT_IDX).
 * virtqueue_enable_cb returns 1 when work is already pending (process it, the
 * peer may not notify for it), else 0.
 */
void virtqueue_disable_cb(struct virtqueue *vq);
int virtqueue_enable_cb(struct virtqueue *vq);

/*
 * virtqueue_kick - notify the peer of what this side published since the
 * last kick, unless the peer suppressed notifications.
 */
void virtqueue_kick(struct virtqueue *vq);

/*
 * virtqueue_notification - the peer notified: run the queue's callback (in
 * the caller's context). Does nothing once the queue is broken.
 */
void virtqueue_notification(struct virtqueue *vq);

/* virtqueue_empty / virtqueue_full - driver role: no / every descriptor posted. */
int virtqueue_empty(struct virtqueue *vq);
int virtqueue_full(struct virtqueue *vq);

/* virtqueue_dump - log the queue's private state and the ring indices. */
void virtqueue_dump(struct virtqueue *vq);

#ifdef __cplusplus
}
#endif

#include <amplink/virtqueue.h>

#endif /* OPENAMP_VIRTQUEUE_H */
