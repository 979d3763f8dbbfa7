/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RPMsg over virtio: the rpmsg_device transport that talks to the peer
 * through two virtqueues, in the host (virtio driver, owns the buffers) or the
 * remote (virtio device) role, wire-compatible with Linux's virtio_rpmsg_bus.
 * Names, constants and starred members follow the standard OpenAMP API;
 * members prefixed amplink_ are this implementation's own.
 */
#ifndef OPENAMP_RPMSG_VIRTIO_H
#define OPENAMP_RPMSG_VIRTIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <amplink/config.h>
#include <metal/atomic.h>
#include <metal/cache.h>
#include <metal/condition.h>
#include <metal/io.h>
#include <metal/mutex.h>
#include <openamp/rpmsg.h>
#include <openamp/virtio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Size of one buffer (header + payload), as Linux uses. */
#define RPMSG_BUFFER_SIZE (512)

/* Feature bit: the remote sends name-service announcements. */
#define VIRTIO_RPMSG_F_NS 0

/* Roles. */
#define RPMSG_HOST   VIRTIO_DEV_DRIVER
#define RPMSG_REMOTE VIRTIO_DEV_DEVICE

/* Cache maintenance of a buffer around the peer's accesses (no-ops when coherent). */
#if AMPLINK_CFG_CACHE_MAINT
#define BUFFER_FLUSH(x, s)	metal_cache_flush(x, s)
#define BUFFER_INVALIDATE(x, s) metal_cache_invalidate(x, s)
#else
#define BUFFER_FLUSH(x, s)	((void)(x), (void)(s))
#define BUFFER_INVALIDATE(x, s) ((void)(x), (void)(s))
#endif

/* Called when a sender waits for a buffer: wait for a notification on vq @id. */
typedef int (*rpmsg_virtio_notify_wait_cb)(struct rpmsg_device *rdev, uint32_t id);

/* Buffer sizes of the two directions (host role only; 0 = RPMSG_BUFFER_SIZE). */
struct rpmsg_virtio_config {
	uint32_t h2r_buf_size; /* host to remote */
	uint32_t r2h_buf_size; /* remote to host */
	bool split_shpool;     /* unused: one pool serves both directions */
};

/* Shared memory the host carves buffers from (bump allocation, never freed). */
struct rpmsg_virtio_shm_pool {
	void *base;   /* ★ start */
	size_t avail; /* bytes left */
	size_t size;  /* ★ total */
};

/* Device statistics (amplink; zero when AMPLINK_CFG_STATS is 0). */
struct amplink_rpmsg_stats {
	uint64_t tx_msgs;	 /* messages sent */
	uint64_t tx_bytes;	 /* payload bytes sent */
	uint64_t rx_msgs;	 /* messages delivered to a callback */
	uint64_t rx_bytes;	 /* payload bytes delivered */
	uint64_t tx_waits;	 /* sends that had to wait for a buffer */
	uint64_t tx_timeouts;	 /* sends that gave up waiting */
	uint64_t drop_bad_len;	 /* header len beyond the buffer or the used length */
	uint64_t drop_no_ept;	 /* unknown destination address */
	uint64_t drop_bad_ns;	 /* malformed name-service message */
	uint64_t backlog_copies; /* messages moved to the private backlog */
};

struct amplink_rpmsg_backlog_entry;

/* Backlog capacity: AMPLINK_CFG_RPMSG_BACKLOG_MAX in <amplink/config.h>. */

/* Words of one static backlog entry: a 32-byte header and a buffer. */
#define AMPLINK_RPMSG_BL_WORDS ((32 + AMPLINK_CFG_BUFFER_SIZE + 7) / 8)

/*
 * Remote role: TX buffers taken with rpmsg_get_tx_payload_buffer and given
 * back unsent are kept here (never in shared memory) until reused; capacity
 * AMPLINK_CFG_RPMSG_TX_STASH (<amplink/config.h>).
 */

struct amplink_rpmsg_tx_stash {
	void *buf;    /* the buffer (header) */
	uint32_t len; /* its length */
	uint16_t idx; /* its descriptor head */
};

/*
 * Remote role: where the descriptor head of each RX buffer held with
 * rpmsg_hold_rx_buffer (and lent by rpmsg_get_tx_payload_buffer) is
 * remembered (private memory, never the buffer's header): a direct-mapped table of this many slots,
 * indexed by the buffer's address; a held buffer whose slot is taken is found by a scan of the
 * receive queue's private descriptor state on release. Power of two.
 */
#ifndef AMPLINK_RPMSG_HOLD_SLOTS
#define AMPLINK_RPMSG_HOLD_SLOTS 16
#endif
#if AMPLINK_RPMSG_HOLD_SLOTS < 1 || (AMPLINK_RPMSG_HOLD_SLOTS & (AMPLINK_RPMSG_HOLD_SLOTS - 1)) != 0
#error "AMPLINK_RPMSG_HOLD_SLOTS must be a power of two"
#endif

/* An RPMsg device over virtio. */
struct rpmsg_virtio_device {
	struct rpmsg_device rdev;		    /* ★ must stay first */
	struct rpmsg_virtio_config config;	    /* buffer sizes */
	struct virtio_device *vdev;		    /* ★ the virtio device */
	struct metal_io_region *shbuf_io;	    /* ★ region holding the buffers */
	struct rpmsg_virtio_shm_pool *shpool;	    /* host: buffer pool */
	struct virtqueue *rvq;			    /* receive queue */
	struct virtqueue *svq;			    /* send queue */
	rpmsg_virtio_notify_wait_cb notify_wait_cb; /* platform wait hook */
	struct metal_list reclaimer; /* unused: released buffers are tracked privately */
	/* amplink private state: */
	metal_mutex_t amplink_tx_lock;		  /* the send queue and TX buffers */
	metal_mutex_t amplink_rx_lock;		  /* the receive queue and the backlog */
	struct metal_condition amplink_tx_cv;	  /* a TX buffer came back / peer gone */
	atomic_int amplink_dead;		  /* peer gone or device failed */
	atomic_int amplink_tx_waiters;		  /* senders waiting for a buffer */
	bool amplink_dispatching;		  /* a dispatcher runs (under rx lock) */
	bool amplink_rx_pending;		  /* work arrived while dispatching */
	bool amplink_cur_held;			  /* the message being delivered was held */
	bool amplink_cur_is_bl;			  /* ... and it is a backlog copy */
	void *amplink_cur_rx;			  /* payload being delivered (dispatcher) */
	struct amplink_rpmsg_ept_ref amplink_ref; /* dispatcher: endpoint of the last delivery */
	uint16_t amplink_cur_idx;		  /* its descriptor head (remote) */
#if AMPLINK_CFG_RPMSG_ZERO_COPY
	uint16_t amplink_rx_hold_idx[AMPLINK_RPMSG_HOLD_SLOTS]; /* remote: head + 1 of held bufs */
	uint16_t amplink_tx_lend_idx[AMPLINK_RPMSG_HOLD_SLOTS]; /* remote: head + 1 of lent TX bufs
								 */
#endif
	uint32_t amplink_rx_unkicked; /* RX buffers returned since the last kick */
	uint32_t amplink_rx_size;     /* bytes per RX buffer */
	uint32_t amplink_tx_size;     /* bytes per TX buffer */
	uint8_t *amplink_rx_first;    /* host: first RX buffer */
	uint32_t amplink_rx_num;      /* host: RX buffers */
	unsigned long amplink_rx_held[metal_bitmap_longs(AMPLINK_CFG_BUFFER_COUNT)]; /* host */
	uint8_t *amplink_tx_first;     /* host: first TX buffer */
	uint32_t amplink_tx_num;       /* host: TX buffers */
	uint32_t amplink_tx_left;      /* host: TX buffers never used yet */
	uint32_t amplink_tx_nreleased; /* host: bits set in amplink_tx_released */
	unsigned long
		amplink_tx_lent[metal_bitmap_longs(AMPLINK_CFG_BUFFER_COUNT)]; /* host: lent out */
	unsigned long amplink_tx_released[metal_bitmap_longs(AMPLINK_CFG_BUFFER_COUNT)];
	struct amplink_rpmsg_tx_stash amplink_tx_stash[AMPLINK_CFG_RPMSG_TX_STASH]; /* remote */
	uint32_t amplink_tx_nstash;
	struct amplink_rpmsg_backlog_entry *amplink_bl_head; /* private backlog, FIFO */
	struct amplink_rpmsg_backlog_entry *amplink_bl_tail;
	struct amplink_rpmsg_backlog_entry *amplink_bl_held; /* held backlog messages */
	uint32_t amplink_bl_count;
#if AMPLINK_CFG_STATIC_ALLOC && AMPLINK_CFG_RPMSG_BACKLOG_MAX > 0
	unsigned long amplink_bl_used[metal_bitmap_longs(AMPLINK_CFG_RPMSG_BACKLOG_MAX)];
	uint64_t amplink_bl_pool[AMPLINK_CFG_RPMSG_BACKLOG_MAX][AMPLINK_RPMSG_BL_WORDS];
#endif
#if AMPLINK_CFG_STATS
	struct amplink_rpmsg_stats amplink_stats;
#endif
};

/*
 * rpmsg_init_vdev_with_config - bring up RPMsg over @vdev. Host role: takes
 * buffers of config's sizes from @shpool (min(AMPLINK_CFG_BUFFER_COUNT, both
 * rings' entries), first half RX, posted to vq 0), accepts VIRTIO_RPMSG_F_NS,
 * sets DRIVER_OK. Remote role: waits until the host set DRIVER_OK; @shpool is
 * ignored. With F_NS the name-service endpoint is registered and unknown
 * announcements go to @ns_bind_cb. Start-up context (may sleep on the remote).
 * Returns RPMSG_SUCCESS, RPMSG_ERR_PARAM, RPMSG_ERR_NO_MEM (pool too small),
 * RPMSG_ERR_INIT (virtqueues), RPMSG_ERR_DEV_STATE (device failed).
 */
int rpmsg_init_vdev_with_config(struct rpmsg_virtio_device *rvdev, struct virtio_device *vdev,
				rpmsg_ns_bind_cb ns_bind_cb, struct metal_io_region *shm_io,
				struct rpmsg_virtio_shm_pool *shpool,
				const struct rpmsg_virtio_config *config);

/* rpmsg_init_vdev - rpmsg_init_vdev_with_config with 512-byte buffers. Returns as above. */
int rpmsg_init_vdev(struct rpmsg_virtio_device *rvdev, struct virtio_device *vdev,
		    rpmsg_ns_bind_cb ns_bind_cb, struct metal_io_region *shm_io,
		    struct rpmsg_virtio_shm_pool *shpool);

/*
 * rpmsg_deinit_vdev - tear down: mark the device dead (as
 * amplink_rpmsg_virtio_set_peer_gone: no ring is touched any more, so no NS
 * DESTROY goes out), run the unbind callback of every endpoint still
 * registered and destroy it, free the backlog, delete the virtqueues. No
 * other call on @rvdev may run concurrently.
 */
void rpmsg_deinit_vdev(struct rpmsg_virtio_device *rvdev);

/* rpmsg_virtio_get_role - RPMSG_HOST or RPMSG_REMOTE. */
unsigned int rpmsg_virtio_get_role(struct rpmsg_virtio_device *rvdev);

/* rpmsg_virtio_get_rpmsg_device - the rpmsg_device inside @rvdev. */
static inline struct rpmsg_device *rpmsg_virtio_get_rpmsg_device(struct rpmsg_virtio_device *rvdev)
{
	return rvdev ? &rvdev->rdev : NULL;
}

/* rpmsg_virtio_get_tx_buffer_size - payload bytes of a TX buffer, or a negative error. */
int rpmsg_virtio_get_tx_buffer_size(struct rpmsg_device *rdev);

/* rpmsg_virtio_get_rx_buffer_size - payload bytes of an RX buffer, or a negative error. */
int rpmsg_virtio_get_rx_buffer_size(struct rpmsg_device *rdev);

/* rpmsg_virtio_get_buffer_size - same as rpmsg_virtio_get_tx_buffer_size. */
int rpmsg_virtio_get_buffer_size(struct rpmsg_device *rdev);

/* rpmsg_virtio_init_shm_pool - describe @size bytes at @shbuf as a buffer pool. */
void rpmsg_virtio_init_shm_pool(struct rpmsg_virtio_shm_pool *shpool, void *shbuf, size_t size);

/*
 * rpmsg_virtio_shm_pool_get_buffer - carve @size bytes from @shpool (weak:
 * an application may supply its own). Not thread-safe. Returns the buffer or NULL.
 */
metal_weak void *rpmsg_virtio_shm_pool_get_buffer(struct rpmsg_virtio_shm_pool *shpool,
						  size_t size);

/*
 * rpmsg_virtio_set_wait_cb - install the platform's wait hook: a sender that
 * needs a buffer calls it instead of sleeping on a condition; it should wait
 * for (and process) notifications and return within a few milliseconds.
 * Returning non-zero makes the sender fall back to its condition wait.
 */
void rpmsg_virtio_set_wait_cb(struct rpmsg_virtio_device *rvdev,
			      rpmsg_virtio_notify_wait_cb notify_wait_cb);

#ifdef __cplusplus
}
#endif

#endif /* OPENAMP_RPMSG_VIRTIO_H */
