/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In-process test harness for RPMsg over virtio: one memory region holding a
 * resource table with one rpmsg vdev, its two vrings and the host's buffer
 * pool; the host side built with rproc_virtio_create_vdev(VIRTIO_DEV_DRIVER)
 * and the remote with (VIRTIO_DEV_DEVICE) over the same memory. A kick only
 * records a pending notification for the other side (and signals a condition
 * so a thread can sleep on it); rh_pump delivers pending notifications with
 * rproc_virtio_notified. An independent decoder reads ring and buffer bytes
 * with offsets from SPEC.md (not the library's structs).
 */
#ifndef AMPLINK_TESTS_RPMSG_HARNESS_H
#define AMPLINK_TESTS_RPMSG_HARNESS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <amplink/rpmsg.h>
#include <metal/io.h>
#include <openamp/remoteproc.h>
#include <openamp/remoteproc_virtio.h>
#include <openamp/rpmsg_virtio.h>

#define RH_MEM_SIZE   (1024 * 1024)
#define RH_RSC_OFF    0u
#define RH_VRING0_OFF 0x1000u
#define RH_VRING1_OFF 0x10000u
#define RH_POOL_OFF   0x20000u
#define RH_ALIGN      4096u
#define RH_NOTIFY_DEV 2u /* vdev notify id; vrings use 0 and 1 */

/* One side of the link. */
struct rh_side {
	struct rh *h;
	struct rh_side *peer;
	struct virtio_device *vdev;
	struct rpmsg_virtio_device rvdev;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int pending;		/* the peer kicked us (under mu) */
	atomic_uint kicks_sent; /* notifications this side sent */
	bool up;
};

/* The whole fixture. */
struct rh {
	uint8_t *mem;
	metal_phys_addr_t phys0;
	struct metal_io_region io;
	struct rpmsg_virtio_shm_pool pool;
	struct rh_side host;
	struct rh_side remote;
	uint32_t vring_num;
};

/* Buffer sizes the next rh_init passes to the host (NULL: defaults). */
extern const struct rpmsg_virtio_config *rh_host_config;
/* Ring feature bits (e.g. VIRTIO_RING_F_EVENT_IDX) the next rh_init offers besides F_NS (0). */
extern uint32_t rh_ring_features;

/*
 * rh_init - build the region, the resource table (F_NS offered when @ns), both
 * virtio devices and bring rpmsg up (host first). @pool_size 0 = the rest of
 * the region. Returns 0 or a negative value.
 */
int rh_init(struct rh *h, uint32_t vring_num, bool ns, rpmsg_ns_bind_cb host_bind,
	    rpmsg_ns_bind_cb remote_bind);

/* rh_fini - tear everything down. */
void rh_fini(struct rh *h);

/* rh_pump_side - deliver @s's pending notification, if any. Returns 1 if one was delivered. */
int rh_pump_side(struct rh_side *s);

/* rh_pump - pump both sides until nothing is pending (bounded). Returns notifications delivered. */
int rh_pump(struct rh *h);

/*
 * rh_wait_pending - sleep until @s has a pending notification or @timeout_ms
 * passes, then deliver it. Returns 1 if one was delivered.
 */
int rh_wait_and_pump(struct rh_side *s, int timeout_ms);

/* rh_wait_cb - a rpmsg_virtio_set_wait_cb hook that waits like rh_wait_and_pump (10 ms). */
int rh_wait_cb(struct rpmsg_device *rdev, uint32_t id);

/* Raw little-endian reads from the region (the independent decoder). */
uint16_t rh_rd16(const struct rh *h, uint32_t off);
uint32_t rh_rd32(const struct rh *h, uint32_t off);
uint64_t rh_rd64(const struct rh *h, uint32_t off);

/* Offsets of the parts of vring @v (SPEC.md layout). */
uint32_t rh_vring_off(const struct rh *h, int v);
uint32_t rh_avail_off(const struct rh *h, int v);
uint32_t rh_used_off(const struct rh *h, int v);

/* Monotonic time in ms. */
double rh_now_ms(void);

/* rh_nop_cb - a receive callback that takes every message and does nothing. Returns 0. */
int rh_nop_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv);

/*
 * rh_exhaust - use up every TX buffer of @ept's side with 1-byte sends (the
 * peer is not pumped, so none comes back). Returns how many were sent.
 */
int rh_exhaust(struct rpmsg_endpoint *ept);

#endif
