/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Micro-benchmark of the split virtqueue on one core: nanoseconds per
 * add + take + return + get cycle (driver posts one buffer, device takes it
 * and returns it, driver collects it), with and without EVENT_IDX, for a
 * one-buffer chain and a two-buffer (request + response) chain, printed
 * beside a memcpy of the same number of bytes measured in the same run.
 * Prints figures only; never a pass/fail on time.
 *
 * Usage: bench_virtqueue [iterations] [buffer bytes]
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <metal/io.h>
#include <metal/sys.h>
#include <openamp/virtio.h>
#include <openamp/virtqueue.h>

#define SHM_SIZE (1024 * 1024)
#define NUM	 256
#define BUF_OFF	 (128 * 1024)
#define PACKED	 (1ULL << VIRTIO_F_RING_PACKED)

static unsigned char *shm;
static metal_phys_addr_t shm_pa = 0x40000000UL;
static struct metal_io_region io;
static volatile unsigned long sink;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void notify_nop(struct virtqueue *vq)
{
	sink += vq->vq_queue_index + 1;
}

static struct virtqueue *mk(struct virtio_device *vd, unsigned int role, uint64_t features)
{
	struct vring_alloc_info ring = {shm, 4096, NUM, 0};
	struct virtqueue *vq = virtqueue_allocate(NUM);

	vd->role = role;
	vd->features = features;
	if (!vq || virtqueue_create(vd, 0, "bench", &ring, NULL, notify_nop, vq) != 0) {
		fprintf(stderr, "virtqueue_create failed\n");
		exit(1);
	}
	virtqueue_set_shmem_io(vq, &io);
	return vq;
}

/* One run of @iters cycles of a @nbufs-buffer chain. Returns ns per cycle. */
static double run(uint64_t features, int nbufs, long iters, int bytes)
{
	struct virtio_device dv = {0}, dd = {0};
	struct virtqueue *drv = mk(&dv, VIRTIO_DEV_DRIVER, features);
	struct virtqueue *dev = mk(&dd, VIRTIO_DEV_DEVICE, features);
	struct virtqueue_buf b[2] = {{shm + BUF_OFF, bytes}, {shm + BUF_OFF + 4096, bytes}};
	uint16_t head, idx;
	uint32_t len;
	double t0, t1;
	long i;

	t0 = now_ns();
	for (i = 0; i < iters; i++) {
		virtqueue_add_buffer(drv, b, nbufs - 1, 1, b);
		virtqueue_kick(drv);
		sink += (uintptr_t)virtqueue_get_first_avail_buffer(dev, &head, &len);
		if (nbufs > 1)
			sink += (uintptr_t)virtqueue_get_next_avail_buffer(dev, head, &idx, &len);
		virtqueue_add_consumed_buffer(dev, head, (uint32_t)bytes);
		virtqueue_kick(dev);
		sink += (uintptr_t)virtqueue_get_buffer(drv, &len, NULL);
	}
	t1 = now_ns();
	if (amplink_virtqueue_is_broken(drv) || amplink_virtqueue_is_broken(dev))
		fprintf(stderr, "queue broke during the run\n");
	virtqueue_free(drv);
	virtqueue_free(dev);
	return (t1 - t0) / (double)iters;
}

/* Batches of @batch 1-buffer chains, one kick per side per batch. ns per buffer. */
static double run_batch(uint64_t features, int batch, long iters, int bytes)
{
	struct virtio_device dv = {0}, dd = {0};
	struct virtqueue *drv = mk(&dv, VIRTIO_DEV_DRIVER, features);
	struct virtqueue *dev = mk(&dd, VIRTIO_DEV_DEVICE, features);
	struct virtqueue_buf b = {shm + BUF_OFF, bytes};
	long rounds = iters / batch + 1, i;
	uint16_t head;
	uint32_t len;
	double t0, t1;
	int k;

	t0 = now_ns();
	for (i = 0; i < rounds; i++) {
		for (k = 0; k < batch; k++)
			virtqueue_add_buffer(drv, &b, 0, 1, &b);
		virtqueue_kick(drv);
		while (virtqueue_get_first_avail_buffer(dev, &head, &len))
			virtqueue_add_consumed_buffer(dev, head, len);
		virtqueue_kick(dev);
		while (virtqueue_get_buffer(drv, &len, NULL))
			sink += len;
	}
	t1 = now_ns();
	virtqueue_free(drv);
	virtqueue_free(dev);
	return (t1 - t0) / (double)(rounds * batch);
}

static double run_memcpy(long iters, int bytes)
{
	unsigned char *src = shm + BUF_OFF, *dst = shm + BUF_OFF + 8192;
	double t0, t1;
	long i;

	t0 = now_ns();
	for (i = 0; i < iters; i++) {
		src[0] = (unsigned char)i;
		memcpy(dst, src, (size_t)bytes);
		sink += dst[bytes - 1];
	}
	t1 = now_ns();
	return (t1 - t0) / (double)iters;
}

int main(int argc, char **argv)
{
	struct metal_init_params p = METAL_INIT_DEFAULTS;
	long iters = argc > 1 ? atol(argv[1]) : 2000000;
	int bytes = argc > 2 ? atoi(argv[2]) : 512;

	if (iters <= 0 || bytes <= 0 || bytes > 4096) {
		fprintf(stderr, "usage: %s [iterations > 0] [bytes 1..4096]\n", argv[0]);
		return 2;
	}
	metal_init(&p);
	shm = aligned_alloc(4096, SHM_SIZE);
	if (!shm)
		return 1;
	memset(shm, 0, SHM_SIZE);
	metal_io_init(&io, shm, &shm_pa, SHM_SIZE, (unsigned int)-1, 0, NULL);
	run(0, 1, iters / 10 + 1, bytes); /* warm-up */
	printf("virtqueue split ring, %d entries, %ld cycles, one core\n", NUM, iters);
	printf("  1-buffer chain, flags     : %7.1f ns/cycle\n", run(0, 1, iters, bytes));
	printf("  1-buffer chain, EVENT_IDX : %7.1f ns/cycle\n",
	       run(VIRTIO_RING_F_EVENT_IDX, 1, iters, bytes));
	printf("  2-buffer chain, flags     : %7.1f ns/cycle\n", run(0, 2, iters, bytes));
	printf("  2-buffer chain, EVENT_IDX : %7.1f ns/cycle\n",
	       run(VIRTIO_RING_F_EVENT_IDX, 2, iters, bytes));
	printf("  batches of 64, EVENT_IDX : %7.1f ns/buffer\n",
	       run_batch(VIRTIO_RING_F_EVENT_IDX, 64, iters, bytes));
	printf("virtqueue packed ring, same runs\n");
	printf("  1-buffer chain, flags     : %7.1f ns/cycle\n", run(PACKED, 1, iters, bytes));
	printf("  1-buffer chain, EVENT_IDX : %7.1f ns/cycle\n",
	       run(PACKED | VIRTIO_RING_F_EVENT_IDX, 1, iters, bytes));
	printf("  2-buffer chain, flags     : %7.1f ns/cycle\n", run(PACKED, 2, iters, bytes));
	printf("  batches of 64, EVENT_IDX : %7.1f ns/buffer\n",
	       run_batch(PACKED | VIRTIO_RING_F_EVENT_IDX, 64, iters, bytes));
	printf("  memcpy of %d bytes       : %7.1f ns\n", bytes, run_memcpy(iters, bytes));
	free(shm);
	metal_finish();
	return sink == 42 ? 1 : 0;
}
