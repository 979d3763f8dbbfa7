/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * amplink-bench: an in-process host/remote pair over one memory region (a
 * resource table with one rpmsg vdev, two vrings, the host's buffer pool),
 * both sides built through the standard path: rproc_virtio_create_vdev in
 * the driver and the device role, then rpmsg_init_vdev. A kick only marks
 * the other side pending; bench_pair_pump() delivers pending kicks with
 * rproc_virtio_notified, so nothing in the loop makes a syscall.
 */
#ifndef AMPLINK_BENCH_RPMSG_BENCH_PAIR_H
#define AMPLINK_BENCH_RPMSG_BENCH_PAIR_H

#include <metal/io.h>
#include <openamp/remoteproc_virtio.h>
#include <openamp/rpmsg_virtio.h>

/* One side of the pair. */
struct bench_side {
	struct virtio_device *vdev;
	struct rpmsg_virtio_device rvdev;
	struct bench_side *peer;
	int pending; /* the peer kicked us */
	int up;	     /* rpmsg_init_vdev succeeded */
};

/* The pair and its region. */
struct bench_pair {
	unsigned char *mem;
	size_t size;
	metal_phys_addr_t phys0;
	struct metal_io_region io;
	struct rpmsg_virtio_shm_pool pool;
	struct bench_side host, remote;
};

/*
 * bench_pair_open() - build the region and both sides, @vring_num entries per
 * vring; the device offers the ring features in @features (0 or
 * VIRTIO_RING_F_EVENT_IDX, as the Linux transport does). Returns 0 or -1.
 */
int bench_pair_open(struct bench_pair *p, unsigned int vring_num, uint32_t features);

/* bench_pair_close() - tear both sides down and free the region. */
void bench_pair_close(struct bench_pair *p);

/* bench_pair_pump() - deliver pending kicks until none is left. Returns kicks delivered. */
int bench_pair_pump(struct bench_pair *p);

#endif /* AMPLINK_BENCH_RPMSG_BENCH_PAIR_H */
