/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The resource-table transport across two processes over a named shared
 * memory object (metal_shmem_open, phys = offset), used the way RPMsg uses
 * it: the host (driver) lays out the rings, posts receive buffers on vq 0,
 * accepts the features and sets DRIVER_OK; the remote (device) waits for
 * DRIVER_OK, then echoes every message of vq 1 into a buffer of vq 0. Every
 * byte is checked. Polling with sched_yield and a deadline: a stall fails
 * the test instead of hanging it.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <metal/io.h>
#include <metal/shmem.h>
#include <metal/sys.h>
#include <openamp/remoteproc.h>
#include <openamp/remoteproc_virtio.h>
#include <openamp/virtio.h>
#include <openamp/virtqueue.h>
#include "check.h"

#define SHM_SIZE  (1024 * 1024)
#define RSC_OFF	  0
#define RING0_OFF (16 * 1024)
#define RING1_OFF (32 * 1024)
#define BUF_OFF	  (128 * 1024)
#define NUM	  64
#define BUF_SIZE  512
#define MESSAGES  3000
#define DEADLINE  20.0 /* seconds */

static char shm_name[64];

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int nop_notify(void *priv, uint32_t id)
{
	(void)priv;
	(void)id;
	return 0;
}

/* The firmware's resource table: one rpmsg vdev, two vrings. */
static void write_table(unsigned char *base)
{
	struct resource_table *t = (struct resource_table *)(void *)(base + RSC_OFF);
	struct fw_rsc_vdev *v = (struct fw_rsc_vdev *)(void *)(base + RSC_OFF + 32);

	memset(base + RSC_OFF, 0, 1024);
	t->ver = 1;
	t->num = 1;
	t->offset[0] = 32;
	v->type = RSC_VDEV;
	v->id = VIRTIO_ID_RPMSG;
	v->notifyid = 0;
	v->dfeatures = 1 | VIRTIO_RING_F_EVENT_IDX;
	v->num_of_vrings = 2;
	v->vring[0] = (struct fw_rsc_vdev_vring){RING0_OFF, 4096, NUM, 1, 0};
	v->vring[1] = (struct fw_rsc_vdev_vring){RING1_OFF, 4096, NUM, 2, 0};
}

/* Build one side's vdev over @io; the vrings are placed where the table says. */
static struct virtio_device *open_side(struct metal_io_region *io, unsigned int role)
{
	unsigned char *base = metal_io_virt(io, 0);
	struct fw_rsc_vdev *v = (struct fw_rsc_vdev *)(void *)(base + RSC_OFF + 32);
	struct virtio_device *vd;
	unsigned int i;

	vd = rproc_virtio_create_vdev(role, 0, v, io, NULL, nop_notify, NULL);
	for (i = 0; vd && i < 2; i++) {
		void *va = metal_io_phys_to_virt(io, v->vring[i].da);

		if (rproc_virtio_init_vring(vd, i, v->vring[i].notifyid, va, io, v->vring[i].num,
					    v->vring[i].align) != 0)
			return NULL;
	}
	return vd;
}

static int remote_main(void)
{
	struct metal_io_region *io;
	struct virtio_device *vd;
	struct virtqueue *tx, *rx; /* remote TX = vq 0, RX = vq 1 */
	uint16_t rh, th;
	uint32_t rlen, tlen, served = 0;
	unsigned char *in, *out;
	double end = now_s() + DEADLINE;

	if (metal_shmem_open(shm_name, SHM_SIZE, &io) != 0)
		return 10;
	vd = open_side(io, VIRTIO_DEV_DEVICE);
	if (!vd)
		return 11;
	if (amplink_rproc_virtio_wait_remote_ready(vd, (unsigned long)(DEADLINE * 1e6)) != 0)
		return 12;
	if (virtio_negotiate_features(vd, 0xffffffffu, NULL) != 0 || !virtio_has_feature(vd, 29))
		return 13;
	if (virtio_create_virtqueues(vd, 0, 2, NULL, NULL, NULL) != 0)
		return 14;
	tx = vd->vrings_info[0].vq;
	rx = vd->vrings_info[1].vq;
	while (served < MESSAGES) {
		if (now_s() > end)
			return 15;
		in = virtqueue_get_first_avail_buffer(rx, &rh, &rlen);
		if (!in) {
			sched_yield();
			continue;
		}
		while (!(out = virtqueue_get_first_avail_buffer(tx, &th, &tlen))) {
			if (now_s() > end || amplink_virtqueue_is_broken(tx))
				return 16;
			sched_yield();
		}
		if (tlen < rlen)
			return 17;
		for (uint32_t i = 0; i < rlen; i++)
			out[i] = in[i] ^ 0xa5;
		if (virtqueue_add_consumed_buffer(tx, th, rlen) != 0 ||
		    virtqueue_add_consumed_buffer(rx, rh, 0) != 0)
			return 18;
		virtqueue_kick(tx);
		virtqueue_kick(rx);
		served++;
	}
	rproc_virtio_remove_vdev(vd);
	metal_io_finish(io);
	return 0;
}

static uint32_t msg_len(uint32_t i)
{
	return 4 + (i * 13) % (BUF_SIZE - 4);
}

static void fill_msg(unsigned char *p, uint32_t i)
{
	memcpy(p, &i, 4);
	for (uint32_t k = 4; k < msg_len(i); k++)
		p[k] = (unsigned char)(i + k * 7);
}

static int check_echo(const unsigned char *p, uint32_t len, uint32_t i)
{
	unsigned char want[BUF_SIZE];

	if (len != msg_len(i))
		return -1;
	fill_msg(want, i);
	for (uint32_t k = 0; k < len; k++) {
		if (p[k] != (want[k] ^ 0xa5))
			return -1;
	}
	return 0;
}

static void test_host_and_remote(void)
{
	struct metal_io_region *io;
	struct virtio_device *vd;
	struct virtqueue *rxq, *txq; /* host RX = vq 0, TX = vq 1 */
	unsigned char *base;
	uint32_t sent = 0, echoed = 0, len, k;
	int bad = 0, status = 0;
	double end;
	pid_t pid;

	snprintf(shm_name, sizeof(shm_name), "amplink-h2-rproc-%d", (int)getpid());
	REQUIRE(metal_shmem_open(shm_name, SHM_SIZE, &io) == 0);
	base = metal_io_virt(io, 0);
	memset(base, 0, SHM_SIZE);
	write_table(base);
	pid = fork();
	REQUIRE(pid >= 0);
	if (pid == 0) {
		int rc = remote_main();

		metal_finish();
		_exit(rc);
	}
	vd = open_side(io, VIRTIO_DEV_DRIVER);
	REQUIRE(vd != NULL);
	CHECK_EQ_INT(virtio_negotiate_features(vd, 1 | VIRTIO_RING_F_EVENT_IDX, NULL), 0);
	REQUIRE(virtio_create_virtqueues(vd, 0, 2, NULL, NULL, NULL) == 0);
	rxq = vd->vrings_info[0].vq;
	txq = vd->vrings_info[1].vq;
	for (k = 0; k < NUM; k++) {
		struct virtqueue_buf b = {base + BUF_OFF + k * BUF_SIZE, BUF_SIZE};

		CHECK_EQ_INT(virtqueue_add_buffer(rxq, &b, 0, 1, b.buf), 0);
	}
	virtio_set_status(vd, VIRTIO_CONFIG_STATUS_ACK | VIRTIO_CONFIG_STATUS_DRIVER |
				      VIRTIO_CONFIG_FEATURES_OK | VIRTIO_CONFIG_STATUS_DRIVER_OK);
	end = now_s() + DEADLINE;
	while (echoed < MESSAGES && !bad && now_s() < end) {
		unsigned char *p;

		if (sent < MESSAGES && sent - echoed < NUM / 2 && !virtqueue_full(txq)) {
			struct virtqueue_buf b = {base + BUF_OFF + (NUM + sent % NUM) * BUF_SIZE,
						  (int)msg_len(sent)};

			fill_msg(b.buf, sent);
			if (virtqueue_add_buffer(txq, &b, 1, 0, b.buf) == 0) {
				virtqueue_kick(txq);
				sent++;
			}
		}
		while (virtqueue_get_buffer(txq, &len, NULL))
			;
		while ((p = virtqueue_get_buffer(rxq, &len, NULL)) != NULL) {
			struct virtqueue_buf b = {p, BUF_SIZE};

			if (check_echo(p, len, echoed++) != 0)
				bad++;
			CHECK_EQ_INT(virtqueue_add_buffer(rxq, &b, 0, 1, p), 0);
			virtqueue_kick(rxq);
		}
		sched_yield();
	}
	CHECK_EQ_INT(bad, 0);
	CHECK_EQ_INT(echoed, MESSAGES);
	CHECK(!amplink_virtqueue_is_broken(rxq) && !amplink_virtqueue_is_broken(txq));
	if (echoed < MESSAGES)
		kill(pid, SIGKILL);
	REQUIRE(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status));
	CHECK_EQ_INT(WEXITSTATUS(status), 0);
	rproc_virtio_remove_vdev(vd);
	metal_io_finish(io);
	{
		char path[80];

		snprintf(path, sizeof(path), "/%s", shm_name);
		shm_unlink(path);
	}
}

int main(void)
{
	struct metal_init_params p = METAL_INIT_DEFAULTS;

	metal_init(&p);
	RUN(test_host_and_remote);
	metal_finish();
	return check_summary();
}
