/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The lean device profile (src/virtio/vring_split_lean.c,
 * src/rpmsg/rpmsg_lean.c, src/remoteproc/remoteproc_virtio_lean.c) compiled
 * into this program without the rest of the library, driven through the
 * standard API by a test "host" that writes the resource table and both
 * vrings as raw shared memory: bring-up and its refusals, the exact
 * name-service bytes, echo of every size, the 15 s send wait, the endpoint
 * table, and hostile rings (index jumps, heads out of range, chained and
 * indirect descriptors, buffers outside or overflowing the region, headers
 * longer than their buffer): each refused with one log line, without a crash.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <metal/errno.h>
#include <metal/io.h>
#include <metal/log.h>
#include <metal/sleep.h>
#include <openamp/remoteproc.h>
#include <openamp/remoteproc_virtio.h>
#include <openamp/rpmsg_virtio.h>
#include <openamp/virtio_ring.h>

#include "check.h"

#define SHM_SIZE  0x10000u
#define SHM_PHYS  0x20000000u
#define VR_NUM	  16u
#define VR_ALIGN  16u
#define VR0_OFF	  0x1000u
#define VR1_OFF	  0x2000u
#define RXB_OFF	  0x4000u /* host RX buffers (vq 0), 512 bytes each */
#define TXB_OFF	  0x8000u /* host TX buffers (vq 1) */
#define BUF_SIZE  512u
#define HOST_ADDR 0x401u

static _Alignas(4096) unsigned char shm[SHM_SIZE];
static metal_phys_addr_t shm_phys = SHM_PHYS;
static struct metal_io_region io;
static struct virtio_device *vdev;
static struct rpmsg_virtio_device rvdev;
static struct rpmsg_endpoint ept;
static struct vring hvr[2];   /* the host's view of both rings */
static uint16_t havail[2];    /* the host's avail idx per ring */
static int kicks[3];	      /* notifications the remote sent, per vring id */
static int log_lines;	      /* log lines the lean code emitted */
static unsigned long slept;   /* microseconds the lean code slept */
static int sleep_calls;	      /* calls to metal_sleep_usec */
static int post_after_sleeps; /* >0: post an RX buffer on that sleep call */
static int cb_count;
static uint32_t cb_src;
static size_t cb_len;

/* The vdev entry with its two vrings, at the start of shared memory. */
#define RSC_LEN (sizeof(struct fw_rsc_vdev) + 2 * sizeof(struct fw_rsc_vdev_vring))

static struct fw_rsc_vdev *rsc(void)
{
	return (struct fw_rsc_vdev *)(void *)shm;
}

/* ---- what the library would provide: log sink and sleep ----------------- */

void amplink_log_emit(enum metal_log_level level, const char *format, ...)
{
	(void)level;
	(void)format;
	log_lines++;
}

static void host_post(unsigned int q, uint32_t off, uint32_t len, uint16_t flags);

int metal_sleep_usec(unsigned int usec)
{
	slept += usec;
	if (++sleep_calls == post_after_sleeps)
		host_post(0, RXB_OFF, BUF_SIZE, VRING_DESC_F_WRITE);
	return 0;
}

/* ---- the host side: raw ring accesses ------------------------------------ */

static int notify_cb(void *priv, uint32_t id)
{
	(void)priv;
	if (id < 3)
		kicks[id]++;
	return 0;
}

/* Posts one descriptor (slot = avail idx % num) on vring @q. */
static void host_post_desc(unsigned int q, uint64_t addr, uint32_t len, uint16_t flags)
{
	uint16_t d = havail[q] & (VR_NUM - 1);

	hvr[q].desc[d].addr = addr;
	hvr[q].desc[d].len = len;
	hvr[q].desc[d].flags = flags;
	hvr[q].desc[d].next = 0;
	hvr[q].avail->ring[d] = d;
	havail[q]++;
	__atomic_store_n(&hvr[q].avail->idx, havail[q], __ATOMIC_RELEASE);
}

static void host_post(unsigned int q, uint32_t off, uint32_t len, uint16_t flags)
{
	host_post_desc(q, SHM_PHYS + off, len, flags);
}

static uint16_t used_idx(unsigned int q)
{
	return __atomic_load_n(&hvr[q].used->idx, __ATOMIC_ACQUIRE);
}

/* The buffer of used entry @i of ring @q. */
static unsigned char *used_buf(unsigned int q, uint16_t i, uint32_t *len)
{
	struct vring_used_elem *e = &hvr[q].used->ring[i & (VR_NUM - 1)];

	*len = e->len;
	return shm + (hvr[q].desc[e->id].addr - SHM_PHYS);
}

/* Keeps every slot of vq 0 posted with a 512-byte host RX buffer. */
static void host_refill_rx(void)
{
	while ((uint16_t)(havail[0] - used_idx(0)) < VR_NUM)
		host_post(0, RXB_OFF + (havail[0] & (VR_NUM - 1)) * BUF_SIZE, BUF_SIZE,
			  VRING_DESC_F_WRITE);
}

/* Sends @len payload bytes from @src to @dst on vq 1 (buffer of @size) and kicks. */
static void host_send_sized(uint32_t src, uint32_t dst, const void *data, uint16_t len,
			    uint32_t size)
{
	uint32_t off = TXB_OFF + (havail[1] & (VR_NUM - 1)) * BUF_SIZE;
	uint32_t hdr[4] = {src, dst, 0, len};

	memcpy(shm + off, hdr, 16);
	memcpy(shm + off + 16, data, len);
	host_post(1, off, size, 0);
	rproc_virtio_notified(vdev, 1);
}

static void host_send(uint32_t src, uint32_t dst, const void *data, uint16_t len)
{
	host_send_sized(src, dst, data, len, 16u + len);
}

static uint8_t dev_status(void)
{
	return rsc()->status;
}

/* ---- the remote side ------------------------------------------------------ */

static int echo_cb(struct rpmsg_endpoint *e, void *data, size_t len, uint32_t src, void *priv)
{
	(void)priv;
	cb_count++;
	cb_src = src;
	cb_len = len;
	rpmsg_sendto(e, data, (int)len, src);
	return RPMSG_SUCCESS;
}

static void fill_rsc(uint32_t gfeatures)
{
	struct fw_rsc_vdev *r = rsc();

	memset(r, 0, RSC_LEN);
	r->type = RSC_VDEV;
	r->id = VIRTIO_ID_RPMSG;
	r->notifyid = 2;
	r->dfeatures = 1u << VIRTIO_RPMSG_F_NS;
	r->gfeatures = gfeatures;
	r->status = VIRTIO_CONFIG_STATUS_ACK | VIRTIO_CONFIG_STATUS_DRIVER |
		    VIRTIO_CONFIG_FEATURES_OK | VIRTIO_CONFIG_STATUS_DRIVER_OK;
	r->num_of_vrings = 2;
	r->vring[0] = (struct fw_rsc_vdev_vring){SHM_PHYS + VR0_OFF, VR_ALIGN, VR_NUM, 0, 0};
	r->vring[1] = (struct fw_rsc_vdev_vring){SHM_PHYS + VR1_OFF, VR_ALIGN, VR_NUM, 1, 0};
}

/* The device up to rpmsg_init_vdev (not called), rings empty. Returns 0 or -1. */
static int setup_vdev(uint32_t gfeatures)
{
	memset(shm, 0, sizeof(shm));
	memset(kicks, 0, sizeof(kicks));
	memset(havail, 0, sizeof(havail));
	log_lines = cb_count = sleep_calls = post_after_sleeps = 0;
	slept = 0;
	fill_rsc(gfeatures);
	metal_io_init(&io, shm, &shm_phys, sizeof(shm), (unsigned int)-1, 0, NULL);
	vdev = rproc_virtio_create_vdev(VIRTIO_DEV_DEVICE, 2, rsc(), &io, NULL, notify_cb, NULL);
	if (!vdev)
		return -1;
	rproc_virtio_wait_remote_ready(vdev);
	if (rproc_virtio_init_vring(vdev, 0, 0, shm + VR0_OFF, &io, VR_NUM, VR_ALIGN) ||
	    rproc_virtio_init_vring(vdev, 1, 1, shm + VR1_OFF, &io, VR_NUM, VR_ALIGN))
		return -1;
	vring_init(&hvr[0], VR_NUM, shm + VR0_OFF, VR_ALIGN);
	vring_init(&hvr[1], VR_NUM, shm + VR1_OFF, VR_ALIGN);
	return 0;
}

/* A full remote: device, rpmsg, RX buffers posted, "rpmsg-raw" created and announced. */
static struct rpmsg_device *setup(uint32_t gfeatures)
{
	if (setup_vdev(gfeatures))
		return NULL;
	host_refill_rx();
	if (rpmsg_init_vdev(&rvdev, vdev, NULL, &io, NULL) != RPMSG_SUCCESS)
		return NULL;
	memset(&ept, 0, sizeof(ept));
	if (rpmsg_create_ept(&ept, &rvdev.rdev, "rpmsg-raw", RPMSG_ADDR_ANY, RPMSG_ADDR_ANY,
			     echo_cb, NULL) != RPMSG_SUCCESS)
		return NULL;
	host_refill_rx();
	return &rvdev.rdev;
}

/* ---- tests ---------------------------------------------------------------- */

static void test_create_vdev_refuses(void)
{
	unsigned char outside[64] = {0};
	struct fw_rsc_vdev *r = rsc();

	REQUIRE(setup_vdev(1) == 0);
	CHECK(rproc_virtio_create_vdev(VIRTIO_DEV_DRIVER, 2, r, &io, NULL, notify_cb, NULL) ==
	      NULL);
	CHECK(rproc_virtio_create_vdev(VIRTIO_DEV_DEVICE, 2, r, &io, NULL, NULL, NULL) == NULL);
	CHECK(rproc_virtio_create_vdev(VIRTIO_DEV_DEVICE, 2, outside, &io, NULL, notify_cb, NULL) ==
	      NULL);
	r->type = RSC_TRACE;
	CHECK(rproc_virtio_create_vdev(VIRTIO_DEV_DEVICE, 2, r, &io, NULL, notify_cb, NULL) ==
	      NULL);
	fill_rsc(1);
	r->num_of_vrings = 3;
	CHECK(rproc_virtio_create_vdev(VIRTIO_DEV_DEVICE, 2, r, &io, NULL, notify_cb, NULL) ==
	      NULL);
	r->num_of_vrings = 0;
	CHECK(rproc_virtio_create_vdev(VIRTIO_DEV_DEVICE, 2, r, &io, NULL, notify_cb, NULL) ==
	      NULL);
	fill_rsc(1);
	r->vring[1].num = 12;
	CHECK(rproc_virtio_create_vdev(VIRTIO_DEV_DEVICE, 2, r, &io, NULL, notify_cb, NULL) ==
	      NULL);
	r->vring[1].num = 0;
	CHECK(rproc_virtio_create_vdev(VIRTIO_DEV_DEVICE, 2, r, &io, NULL, notify_cb, NULL) ==
	      NULL);
	r->vring[1].num = 65536;
	CHECK(rproc_virtio_create_vdev(VIRTIO_DEV_DEVICE, 2, r, &io, NULL, notify_cb, NULL) ==
	      NULL);
	fill_rsc(1);
	r->config_len = SHM_SIZE; /* config space past the region's end */
	CHECK(rproc_virtio_create_vdev(VIRTIO_DEV_DEVICE, 2, r, &io, NULL, notify_cb, NULL) ==
	      NULL);
	r->config_len = 0xFFFFFFFFu;
	CHECK(rproc_virtio_create_vdev(VIRTIO_DEV_DEVICE, 2, r, &io, NULL, notify_cb, NULL) ==
	      NULL);
	/* a misaligned entry (its words are read as words) */
	memcpy(shm + 0x802, r, RSC_LEN);
	CHECK(rproc_virtio_create_vdev(VIRTIO_DEV_DEVICE, 2, shm + 0x802, &io, NULL, notify_cb,
				       NULL) == NULL);
	/* an entry whose vrings would run past the end of the region */
	memcpy(shm + SHM_SIZE - 40, r, 40);
	CHECK(rproc_virtio_create_vdev(VIRTIO_DEV_DEVICE, 2, shm + SHM_SIZE - 40, &io, NULL,
				       notify_cb, NULL) == NULL);
	fill_rsc(1);
	vdev = rproc_virtio_create_vdev(VIRTIO_DEV_DEVICE, 2, r, &io, NULL, notify_cb, NULL);
	REQUIRE(vdev != NULL);
	CHECK_EQ_INT(vdev->vrings_num, 2);
	CHECK_EQ_INT(vdev->id.device, VIRTIO_ID_RPMSG);
}

static void test_init_vring_refuses(void)
{
	REQUIRE(setup_vdev(1) == 0);
	CHECK_EQ_INT(rproc_virtio_init_vring(vdev, 2, 0, shm + VR0_OFF, &io, 16, 16), -EINVAL);
	CHECK_EQ_INT(rproc_virtio_init_vring(vdev, 0, 0, shm + VR0_OFF, &io, 32, 16), -EINVAL);
	CHECK_EQ_INT(rproc_virtio_init_vring(vdev, 0, 0, shm + VR0_OFF, &io, 12, 16), -EINVAL);
	CHECK_EQ_INT(rproc_virtio_init_vring(vdev, 0, 0, shm + VR0_OFF, &io, 16, 3), -EINVAL);
	CHECK_EQ_INT(rproc_virtio_init_vring(vdev, 0, 0, shm + VR0_OFF + 8, &io, 16, 16), -EINVAL);
	CHECK_EQ_INT(rproc_virtio_init_vring(vdev, 0, 0, shm + SHM_SIZE - 256, &io, 16, 16),
		     -EINVAL);
	CHECK_EQ_INT(rproc_virtio_init_vring(vdev, 0, 0, shm + VR0_OFF, NULL, 16, 16), -EINVAL);
	CHECK_EQ_INT(rproc_virtio_init_vring(vdev, 0, 0, shm + VR0_OFF, &io, 8, 16), 0);
	CHECK_EQ_INT(rproc_virtio_notified(vdev, 7), -EINVAL);
	CHECK_EQ_INT(rproc_virtio_notified(vdev, 2), 0);
	CHECK_EQ_INT(rproc_virtio_notified(vdev, RSC_NOTIFY_ID_ANY), 0);
}

static void ns_bind(struct rpmsg_device *rdev, const char *name, uint32_t dest)
{
	(void)rdev;
	(void)name;
	(void)dest;
}

static void test_init_vdev_refuses(void)
{
	struct metal_io_region paged;

	REQUIRE(setup_vdev(1) == 0);
	CHECK_EQ_INT(rpmsg_init_vdev(&rvdev, vdev, ns_bind, &io, NULL), RPMSG_ERR_PARAM);
	metal_io_init(&paged, shm, &shm_phys, sizeof(shm), 12, 0, NULL);
	CHECK_EQ_INT(rpmsg_init_vdev(&rvdev, vdev, NULL, &paged, NULL), RPMSG_ERR_PARAM);
	CHECK_EQ_INT(rpmsg_init_vdev(&rvdev, vdev, NULL, NULL, NULL), RPMSG_ERR_PARAM);
	rsc()->gfeatures = 1u | VIRTIO_RING_F_EVENT_IDX; /* never offered */
	CHECK_EQ_INT(rpmsg_init_vdev(&rvdev, vdev, NULL, &io, NULL), RPMSG_ERR_INIT);
	rsc()->gfeatures = 1u;
	rsc()->status = VIRTIO_CONFIG_STATUS_FAILED;
	CHECK_EQ_INT(rpmsg_init_vdev(&rvdev, vdev, NULL, &io, NULL), RPMSG_ERR_DEV_STATE);
	rsc()->status = VIRTIO_CONFIG_STATUS_DRIVER_OK;
	CHECK_EQ_INT(rpmsg_init_vdev(&rvdev, vdev, NULL, &io, NULL), RPMSG_SUCCESS);
	CHECK_EQ_INT(rvdev.rdev.support_ns, 1);
}

/* The NS CREATE Linux expects: header 1024 -> 53, len 40, name zero-padded, addr, flags 0. */
static void test_ns_announce_bytes(void)
{
	unsigned char want[56] = {0};
	uint32_t w[4] = {1024, 53, 0, 40};
	uint32_t len;
	unsigned char *b;

	REQUIRE(setup(1) != NULL);
	CHECK_EQ_INT(ept.addr, 1024);
	CHECK_EQ_INT(ept.dest_addr, RPMSG_ADDR_ANY);
	CHECK_EQ_INT(used_idx(0), 1);
	CHECK_EQ_INT(kicks[0], 1);
	memcpy(want, w, 16);
	memcpy(want + 16, "rpmsg-raw", 9);
	want[48] = 0x00;
	want[49] = 0x04; /* addr 1024, little-endian */
	b = used_buf(0, 0, &len);
	CHECK_EQ_INT(len, 56);
	CHECK_MEM_EQ(b, want, 56);
	CHECK_EQ_INT(log_lines, 0);
}

static void test_no_ns_without_feature(void)
{
	REQUIRE(setup(0) != NULL);
	CHECK_EQ_INT(rvdev.rdev.support_ns, 0);
	CHECK_EQ_INT(used_idx(0), 0);
	CHECK_EQ_INT(kicks[0], 0);
}

static void test_echo_every_size(void)
{
	unsigned char msg[496], *b;
	int n, i, bad = 0;
	uint32_t len;

	REQUIRE(setup(1) != NULL);
	for (n = 0; n <= 496 && !bad; n++) {
		uint16_t u = used_idx(0);

		for (i = 0; i < n; i++)
			msg[i] = (unsigned char)(n * 7 + i * 13);
		cb_count = 0;
		host_send(HOST_ADDR, 1024, msg, (uint16_t)n);
		b = used_buf(0, u, &len);
		if (cb_count != 1 || cb_len != (size_t)n || cb_src != HOST_ADDR ||
		    used_idx(0) != (uint16_t)(u + 1) || len != 16u + (uint32_t)n ||
		    memcmp(b + 16, msg, (size_t)n) != 0 || ((uint32_t *)(void *)b)[0] != 1024 ||
		    ((uint32_t *)(void *)b)[1] != HOST_ADDR || ((uint16_t *)(void *)b)[6] != n)
			bad = n + 1;
		host_refill_rx();
	}
	CHECK_EQ_INT(bad, 0);
	CHECK_EQ_INT(ept.dest_addr, HOST_ADDR); /* bound by the first message */
	CHECK_EQ_INT(used_idx(1), 497);
	CHECK_EQ_INT(hvr[1].used->ring[0].len, 0);
	CHECK_EQ_INT(log_lines, 0);
}

static void test_tx_size_and_wait(void)
{
	static unsigned char big[497];
	uint16_t u;

	REQUIRE(setup(1) != NULL);
	u = used_idx(0);
	CHECK_EQ_INT(rpmsg_sendto(&ept, big, 497, HOST_ADDR), RPMSG_ERR_BUFF_SIZE);
	CHECK_EQ_INT(used_idx(0), u); /* the buffer stays available */
	CHECK_EQ_INT(rpmsg_sendto(&ept, big, 496, HOST_ADDR), 496);
	CHECK_EQ_INT(rpmsg_sendto(&ept, NULL, 1, HOST_ADDR), RPMSG_ERR_PARAM);
	CHECK_EQ_INT(rpmsg_sendto(&ept, big, -1, HOST_ADDR), RPMSG_ERR_PARAM);
	CHECK_EQ_INT(rpmsg_sendto(&ept, big, 1, RPMSG_ADDR_ANY), RPMSG_ERR_PARAM);
	/* use up every buffer */
	while (rpmsg_trysendto(&ept, big, 1, HOST_ADDR) == 1)
		;
	sleep_calls = 0;
	slept = 0;
	CHECK_EQ_INT(rpmsg_trysendto(&ept, big, 1, HOST_ADDR), RPMSG_ERR_NO_BUFF);
	CHECK_EQ_INT(sleep_calls, 0);
	/* a blocking send waits until the host posts a buffer */
	post_after_sleeps = 3;
	CHECK_EQ_INT(rpmsg_sendto(&ept, big, 1, HOST_ADDR), 1);
	CHECK_EQ_INT(sleep_calls, 3);
	/* ... and gives up after 15 s */
	post_after_sleeps = 0;
	slept = 0;
	CHECK_EQ_INT(rpmsg_sendto(&ept, big, 1, HOST_ADDR), RPMSG_ERR_NO_BUFF);
	CHECK(slept >= 15000000ul && slept <= 15001000ul);
	CHECK_EQ_INT(log_lines, 0);
}

/* Runs one hostile RX entry: the queue must stop, NEEDS_RESET, one log line. */
static void rx_hostile(const char *what, uint64_t addr, uint32_t len, uint16_t flags)
{
	REQUIRE(setup(1) != NULL);
	cb_count = 0;
	host_post_desc(1, addr, len, flags);
	CHECK_EQ_INT(rproc_virtio_notified(vdev, 1), 0);
	if (cb_count != 0 || !(dev_status() & VIRTIO_CONFIG_STATUS_NEEDS_RESET) || log_lines != 1 ||
	    used_idx(1) != 0)
		fprintf(stderr, "hostile RX '%s' not refused\n", what);
	CHECK_EQ_INT(cb_count, 0);
	CHECK(dev_status() & VIRTIO_CONFIG_STATUS_NEEDS_RESET);
	CHECK_EQ_INT(log_lines, 1);
	CHECK_EQ_INT(used_idx(1), 0);
	/* the queue stays stopped: a good message afterwards is not taken */
	host_send(HOST_ADDR, 1024, "x", 1);
	CHECK_EQ_INT(cb_count, 0);
	CHECK_EQ_INT(log_lines, 1);
}

static void test_rx_hostile_descriptors(void)
{
	uint64_t base = SHM_PHYS;

	rx_hostile("outside, above", base + SHM_SIZE, 16, 0);
	rx_hostile("outside, below", base - 512, 512, 0);
	rx_hostile("crosses the end", base + SHM_SIZE - 256, 512, 0);
	rx_hostile("len overflow", base + TXB_OFF, 0xFFFFFFFFu, 0);
	rx_hostile("addr+len wraps", 0xFFFFFFFFFFFFFFF0ull, 0x20, 0);
	rx_hostile("above 4 GiB", base + 0x100000000ull, 16, 0);
	rx_hostile("chained", base + TXB_OFF, 32, VRING_DESC_F_NEXT);
	rx_hostile("indirect", base + TXB_OFF, 32, VRING_DESC_F_INDIRECT);
}

static void test_rx_hostile_indices(void)
{
	/* the avail index jumps by more than the ring holds */
	REQUIRE(setup(1) != NULL);
	{
		uint32_t hdr[4] = {HOST_ADDR, 1024, 0, 1};

		memcpy(shm + TXB_OFF, hdr, 16);
		host_post(1, TXB_OFF, 17, 0); /* entry 0 itself is good */
	}
	hvr[1].avail->idx = VR_NUM + 1;
	CHECK_EQ_INT(rproc_virtio_notified(vdev, 1), 0);
	CHECK(dev_status() & VIRTIO_CONFIG_STATUS_NEEDS_RESET);
	CHECK_EQ_INT(log_lines, 1);
	CHECK_EQ_INT(used_idx(1), 0);
	/* a head out of range */
	REQUIRE(setup(1) != NULL);
	hvr[1].avail->ring[0] = VR_NUM;
	hvr[1].avail->idx = 1;
	CHECK_EQ_INT(rproc_virtio_notified(vdev, 1), 0);
	CHECK(dev_status() & VIRTIO_CONFIG_STATUS_NEEDS_RESET);
	CHECK_EQ_INT(log_lines, 1);
	CHECK_EQ_INT(cb_count, 0);
	/* exactly a full ring is fine */
	REQUIRE(setup(1) != NULL);
	{
		int i;

		for (i = 0; i < (int)VR_NUM; i++) {
			uint32_t off = TXB_OFF + (uint32_t)i * BUF_SIZE;
			uint32_t hdr[4] = {HOST_ADDR, 1024, 0, 1};

			memcpy(shm + off, hdr, 16);
			host_post(1, off, 17, 0);
		}
	}
	host_refill_rx();
	rproc_virtio_notified(vdev, RSC_NOTIFY_ID_ANY);
	CHECK_EQ_INT(cb_count, (int)VR_NUM);
	CHECK_EQ_INT(used_idx(1), VR_NUM);
	CHECK_EQ_INT(kicks[1], 1); /* one kick for the batch */
	CHECK_EQ_INT(dev_status() & VIRTIO_CONFIG_STATUS_NEEDS_RESET, 0);
}

/* Bad messages in good buffers are dropped; the stream goes on. */
static void test_rx_bad_messages_dropped(void)
{
	uint32_t hdr[4] = {HOST_ADDR, 1024, 0, 497};
	uint32_t off;

	REQUIRE(setup(1) != NULL);
	off = TXB_OFF;
	memcpy(shm + off, hdr, 16); /* len 497 in a 512-byte buffer */
	host_post(1, off, BUF_SIZE, 0);
	rproc_virtio_notified(vdev, 1);
	CHECK_EQ_INT(cb_count, 0);
	CHECK_EQ_INT(used_idx(1), 1);
	CHECK_EQ_INT(log_lines, 1);
	host_post(1, TXB_OFF + BUF_SIZE, 15, 0); /* shorter than a header */
	rproc_virtio_notified(vdev, 1);
	CHECK_EQ_INT(used_idx(1), 2);
	CHECK_EQ_INT(log_lines, 2);
	host_send(HOST_ADDR, 1999, "abc", 3); /* nobody there */
	CHECK_EQ_INT(cb_count, 0);
	CHECK_EQ_INT(log_lines, 3);
	host_send(HOST_ADDR, 53, "abc", 3); /* NS messages are not served */
	CHECK_EQ_INT(cb_count, 0);
	host_send(HOST_ADDR, 1024, "abc", 3);
	CHECK_EQ_INT(cb_count, 1);
	CHECK_EQ_INT(dev_status() & VIRTIO_CONFIG_STATUS_NEEDS_RESET, 0);
}

static void test_tx_hostile(void)
{
	REQUIRE(setup(1) != NULL);
	/* every buffer gone, then one outside shared memory */
	while (rpmsg_trysendto(&ept, "a", 1, HOST_ADDR) == 1)
		;
	host_post_desc(0, SHM_PHYS + SHM_SIZE - 100, BUF_SIZE, VRING_DESC_F_WRITE);
	CHECK_EQ_INT(rpmsg_sendto(&ept, "a", 1, HOST_ADDR), RPMSG_ERR_DEV_STATE);
	CHECK(dev_status() & VIRTIO_CONFIG_STATUS_NEEDS_RESET);
	CHECK_EQ_INT(log_lines, 1);
	CHECK_EQ_INT(rpmsg_trysendto(&ept, "a", 1, HOST_ADDR), RPMSG_ERR_DEV_STATE);
	CHECK_EQ_INT(log_lines, 1);
}

static void test_endpoint_table(void)
{
	static struct rpmsg_endpoint many[AMPLINK_CFG_MAX_ENDPOINTS];
	struct rpmsg_device *rdev = setup(1);
	struct rpmsg_endpoint a, b;
	uint32_t len;
	unsigned char *buf;
	int i, n = 0;

	REQUIRE(rdev != NULL);
	CHECK_EQ_INT(rpmsg_create_ept(&a, rdev, "0123456789012345678901234567890123",
				      RPMSG_ADDR_ANY, RPMSG_ADDR_ANY, echo_cb, NULL),
		     RPMSG_ERR_PARAM);
	CHECK_EQ_INT(rpmsg_create_ept(&a, rdev, "", 1024, RPMSG_ADDR_ANY, echo_cb, NULL),
		     RPMSG_ERR_ADDR);
	CHECK_EQ_INT(rpmsg_create_ept(&a, rdev, "", 53, RPMSG_ADDR_ANY, echo_cb, NULL),
		     RPMSG_ERR_ADDR);
	CHECK_EQ_INT(rpmsg_create_ept(&a, rdev, NULL, 1026, 77, echo_cb, NULL), RPMSG_SUCCESS);
	CHECK_EQ_INT(a.addr, 1026);
	CHECK_EQ_INT(used_idx(0), 1); /* dest given: no announcement */
	CHECK_EQ_INT(rpmsg_create_ept(&b, rdev, "0123456789012345678901234567890", RPMSG_ADDR_ANY,
				      RPMSG_ADDR_ANY, echo_cb, NULL),
		     RPMSG_SUCCESS);
	CHECK_EQ_INT(b.addr, 1025);
	CHECK_EQ_INT(used_idx(0), 2);
	rpmsg_destroy_ept(&b); /* NS DESTROY, flags 1 */
	CHECK_EQ_INT(used_idx(0), 3);
	buf = used_buf(0, 2, &len);
	CHECK_EQ_INT(len, 56);
	CHECK(memcmp(buf + 16, "0123456789012345678901234567890", 32) == 0);
	CHECK_EQ_INT(buf[48] | buf[49] << 8, 1025);
	CHECK_EQ_INT(buf[52], 1);
	rpmsg_destroy_ept(&a);
	host_refill_rx();
	for (i = 0; i < AMPLINK_CFG_MAX_ENDPOINTS; i++)
		if (rpmsg_create_ept(&many[i], rdev, NULL, RPMSG_ADDR_ANY, 5, echo_cb, NULL) == 0)
			n++;
	CHECK_EQ_INT(n, AMPLINK_CFG_MAX_ENDPOINTS - 1); /* "rpmsg-raw" holds one */
	CHECK_EQ_INT(rpmsg_create_ept(&a, rdev, NULL, RPMSG_ADDR_ANY, 5, echo_cb, NULL),
		     RPMSG_ERR_ADDR);
	CHECK_EQ_INT(log_lines, 0);
}

/* An announcement that cannot be sent leaves the endpoint unregistered. */
static void test_announce_fails(void)
{
	struct rpmsg_endpoint a;

	REQUIRE(setup(1) != NULL);
	while (rpmsg_trysendto(&ept, "a", 1, HOST_ADDR) == 1)
		;
	CHECK_EQ_INT(rpmsg_create_ept(&a, &rvdev.rdev, "svc", RPMSG_ADDR_ANY, RPMSG_ADDR_ANY,
				      echo_cb, NULL),
		     RPMSG_ERR_NO_BUFF);
	host_refill_rx();
	CHECK_EQ_INT(rpmsg_create_ept(&a, &rvdev.rdev, "svc", RPMSG_ADDR_ANY, RPMSG_ADDR_ANY,
				      echo_cb, NULL),
		     RPMSG_SUCCESS);
	CHECK_EQ_INT(a.addr, 1025);
}

int main(void)
{
	RUN(test_create_vdev_refuses);
	RUN(test_init_vring_refuses);
	RUN(test_init_vdev_refuses);
	RUN(test_ns_announce_bytes);
	RUN(test_no_ns_without_feature);
	RUN(test_echo_every_size);
	RUN(test_tx_size_and_wait);
	RUN(test_rx_hostile_descriptors);
	RUN(test_rx_hostile_indices);
	RUN(test_rx_bad_messages_dropped);
	RUN(test_tx_hostile);
	RUN(test_endpoint_table);
	RUN(test_announce_fails);
	return check_summary();
}
