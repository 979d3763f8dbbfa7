/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Driver and device in two processes over real shared memory (a MAP_SHARED
 * mapping inherited through fork), with EVENT_IDX notification suppression
 * and eventfd notifications: the driver posts request+response chains, the
 * device checks every request byte and writes a response the driver checks
 * byte for byte. A lost notification shows up as a poll timeout (failure),
 * not as a hang.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <metal/io.h>
#include <metal/sys.h>
#include <openamp/virtio.h>
#include <openamp/virtqueue.h>
#include "check.h"

#define SHM_SIZE  (1024 * 1024)
#define SHM_PA	  0x80000000UL
#define NUM	  64
#define ALIGN	  4096
#define BUF_OFF	  (64 * 1024)
#define SLOT_SIZE 512
#define TOTAL	  10000
#define POLL_MS	  5000

static unsigned char *shm;
static metal_phys_addr_t shm_pa = SHM_PA;
static struct metal_io_region io;
static int efd_to_dev, efd_to_drv;
static long kicks_sent;

static void kick_dev(struct virtqueue *vq)
{
	uint64_t one = 1;

	(void)vq;
	kicks_sent++;
	if (write(efd_to_dev, &one, sizeof(one)) != sizeof(one))
		abort();
}

static void kick_drv(struct virtqueue *vq)
{
	uint64_t one = 1;

	(void)vq;
	kicks_sent++;
	if (write(efd_to_drv, &one, sizeof(one)) != sizeof(one))
		abort();
}

/* Wait for a notification. Returns 0, or -1 on timeout. */
static int wait_kick(int fd)
{
	struct pollfd p = {fd, POLLIN, 0};
	uint64_t v;

	if (poll(&p, 1, POLL_MS) != 1)
		return -1;
	if (read(fd, &v, sizeof(v)) != sizeof(v))
		return -1;
	return 0;
}

static struct virtqueue *make_vq(struct virtio_device *vdev, unsigned int role,
				 void (*notify)(struct virtqueue *))
{
	struct vring_alloc_info ring = {shm, ALIGN, NUM, 0};
	struct virtqueue *vq = virtqueue_allocate(NUM);

	vdev->role = role;
	vdev->features = VIRTIO_RING_F_EVENT_IDX;
	if (!vq || virtqueue_create(vdev, 0, "twoproc", &ring, NULL, notify, vq) != 0)
		return NULL;
	virtqueue_set_shmem_io(vq, &io);
	return vq;
}

static uint32_t req_len(uint32_t seq)
{
	return 1 + (seq * 7) % 250;
}

/* Device: check a request, write its response. Returns response bytes or 0. */
static uint32_t serve(const unsigned char *req, uint32_t rlen, unsigned char *resp, uint32_t wlen)
{
	uint32_t seq, n, i;

	if (rlen != SLOT_SIZE / 2 || wlen != SLOT_SIZE / 2)
		return 0;
	memcpy(&seq, req, 4);
	n = req_len(seq);
	for (i = 0; i < n; i++) {
		if (req[4 + i] != (unsigned char)(seq * 31 + i))
			return 0;
	}
	memcpy(resp, &seq, 4);
	for (i = 0; i < n; i++)
		resp[4 + i] = req[4 + i] ^ 0x5a;
	return n + 4;
}

static int device_main(void)
{
	struct virtio_device vdev = {0};
	struct virtqueue *vq = make_vq(&vdev, VIRTIO_DEV_DEVICE, kick_drv);
	uint32_t done = 0, len, wlen, out;
	uint16_t head, idx;
	unsigned char *req, *resp;

	if (!vq)
		return 3;
	while (done < TOTAL) {
		int got = 0;

		while ((req = virtqueue_get_first_avail_buffer(vq, &head, &len)) != NULL) {
			resp = virtqueue_get_next_avail_buffer(vq, head, &idx, &wlen);
			out = resp ? serve(req, len, resp, wlen) : 0;
			if (out == 0)
				return 4;
			if (virtqueue_add_consumed_buffer(vq, head, out) != VQUEUE_SUCCESS)
				return 5;
			got++;
			done++;
		}
		if (got) {
			virtqueue_kick(vq);
			continue;
		}
		if (amplink_virtqueue_is_broken(vq))
			return 6;
		if (virtqueue_enable_cb(vq))
			continue;
		if (wait_kick(efd_to_dev) != 0)
			return 7; /* lost notification */
	}
	{
		struct amplink_vq_stats st;

		amplink_virtqueue_get_stats(vq, &st);
		fprintf(stderr, "device: %u served, %ld kicks (%lu suppressed)\n", done, kicks_sent,
			(unsigned long)st.kicks_suppressed);
	}
	virtqueue_free(vq);
	return 0;
}

static int post_one(struct virtqueue *vq, uint32_t seq)
{
	unsigned int slot = seq % NUM;
	unsigned char *req = shm + BUF_OFF + slot * SLOT_SIZE;
	struct virtqueue_buf b[2] = {{req, SLOT_SIZE / 2}, {req + SLOT_SIZE / 2, SLOT_SIZE / 2}};
	uint32_t i, n = req_len(seq);

	memcpy(req, &seq, 4);
	for (i = 0; i < n; i++)
		req[4 + i] = (unsigned char)(seq * 31 + i);
	memset(b[1].buf, 0, SLOT_SIZE / 2);
	return virtqueue_add_buffer(vq, b, 1, 1, (void *)(uintptr_t)(seq + 1));
}

/* Driver: check one response. Returns 0 when right. */
static int check_response(void *cookie, uint32_t len)
{
	uint32_t seq = (uint32_t)(uintptr_t)cookie - 1, got, i, n = req_len(seq);
	unsigned char *resp = shm + BUF_OFF + (seq % NUM) * SLOT_SIZE + SLOT_SIZE / 2;

	memcpy(&got, resp, 4);
	if (len != n + 4 || got != seq)
		return -1;
	for (i = 0; i < n; i++) {
		if (resp[4 + i] != (unsigned char)((seq * 31 + i) ^ 0x5a))
			return -1;
	}
	return 0;
}

static void test_two_processes(void)
{
	struct virtio_device vdev = {0};
	struct virtqueue *vq;
	uint32_t seq = 0, completed = 0, len, expect = 0;
	int status = 0, bad = 0, lost = 0;
	pid_t pid;
	void *cookie;

	shm = mmap(NULL, SHM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	REQUIRE(shm != MAP_FAILED);
	metal_io_init(&io, shm, &shm_pa, SHM_SIZE, (unsigned int)-1, 0, NULL);
	efd_to_dev = eventfd(0, 0);
	efd_to_drv = eventfd(0, 0);
	REQUIRE(efd_to_dev >= 0 && efd_to_drv >= 0);
	vq = make_vq(&vdev, VIRTIO_DEV_DRIVER, kick_dev); /* zeroes the ring before the fork */
	REQUIRE(vq != NULL);
	pid = fork();
	REQUIRE(pid >= 0);
	if (pid == 0) {
		int rc = device_main();

		metal_finish();
		_exit(rc);
	}
	while (completed < TOTAL && !bad && !lost) {
		int progress = 0;

		while (seq < TOTAL && vq->vq_free_cnt >= 2 && post_one(vq, seq) == VQUEUE_SUCCESS) {
			seq++;
			progress++;
		}
		if (progress)
			virtqueue_kick(vq);
		while ((cookie = virtqueue_get_buffer(vq, &len, NULL)) != NULL) {
			/* Responses come back in order: the device serves in order. */
			if ((uint32_t)(uintptr_t)cookie - 1 != expect++ ||
			    check_response(cookie, len))
				bad++;
			completed++;
			progress++;
		}
		if (progress || amplink_virtqueue_is_broken(vq))
			continue;
		if (virtqueue_enable_cb(vq))
			continue;
		if (wait_kick(efd_to_drv) != 0)
			lost = 1;
	}
	CHECK_EQ_INT(bad, 0);
	CHECK_EQ_INT(lost, 0);
	CHECK(!amplink_virtqueue_is_broken(vq));
	CHECK_EQ_INT(completed, TOTAL);
	if (lost || bad)
		kill(pid, SIGKILL);
	REQUIRE(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status));
	CHECK_EQ_INT(WEXITSTATUS(status), 0);
	/* EVENT_IDX keeps the driver's kicks far below one per buffer. */
	printf("driver: %u completed, %ld kicks\n", completed, kicks_sent);
	CHECK(kicks_sent < TOTAL);
	virtqueue_free(vq);
	close(efd_to_dev);
	close(efd_to_drv);
	munmap(shm, SHM_SIZE);
}

int main(void)
{
	struct metal_init_params p = METAL_INIT_DEFAULTS;

	metal_init(&p);
	RUN(test_two_processes);
	metal_finish();
	return check_summary();
}
