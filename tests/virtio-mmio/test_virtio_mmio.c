/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Tests of the virtio-mmio transport (driver side) against the trapping
 * device model: probing, 64-bit feature negotiation, queue setup (addresses
 * checked against an independent computation), notification, interrupt
 * acknowledgement, generation-consistent config reads, and every bad-device
 * case (magic, version, device id, reset, FEATURES_OK, QueueNumMax).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <metal/io.h>
#include <metal/sys.h>
#include <openamp/virtio.h>
#include <openamp/virtio_mmio.h>
#include <openamp/virtqueue.h>

#include "check.h"
#include "mmio_model.h"

#define SHM_SIZE   (64 * 1024)
#define SHM_PHYS   0x80000000ul
#define F_V1	   (1ull << 32)
#define F_PACKED   (1ull << 34)
#define F_RPMSG_NS 1ull

static struct mmio_model model;
static struct amplink_virtio_mmio mmio;
static struct metal_io_region shm_io;
static _Alignas(4096) uint8_t shm[SHM_SIZE];
static const metal_phys_addr_t shm_phys = SHM_PHYS;
static unsigned int cb_count[2], config_cb_count;

static void setup(uint64_t features)
{
	memset(shm, 0, sizeof(shm));
	model_init(&model, 7, features);
	metal_io_init(&shm_io, shm, &shm_phys, SHM_SIZE, (unsigned int)-1, 0, NULL);
	cb_count[0] = cb_count[1] = 0;
	config_cb_count = 0;
}

static void cb0(struct virtqueue *vq)
{
	(void)vq;
	cb_count[0]++;
}

static void cb1(struct virtqueue *vq)
{
	(void)vq;
	cb_count[1]++;
}

static void config_cb(struct amplink_virtio_mmio *m)
{
	(void)m;
	config_cb_count++;
}

static void test_probe_ok(void)
{
	setup(F_V1);
	CHECK_EQ_INT(amplink_virtio_mmio_init(&mmio, &model.io, &shm_io), 0);
	CHECK_EQ_INT(virtio_get_devid(&mmio.vdev), 7);
	CHECK_EQ_INT(mmio.vdev.id.vendor, 0x414d504c);
	CHECK_EQ_INT(mmio.vdev.id.version, 2);
	CHECK_EQ_INT(mmio.vdev.role, VIRTIO_DEV_DRIVER);
	CHECK(model.resets >= 1);
	CHECK_EQ_INT(model.bad_width, 0);
}

static void test_bad_devices(void)
{
	setup(F_V1);
	model.magic = 0x12345678;
	CHECK_EQ_INT(amplink_virtio_mmio_init(&mmio, &model.io, &shm_io), -ENODEV);

	setup(F_V1);
	model.version = 1; /* legacy layout: refused */
	CHECK_EQ_INT(amplink_virtio_mmio_init(&mmio, &model.io, &shm_io), -ENOTSUP);

	setup(F_V1);
	model.version = 3;
	CHECK_EQ_INT(amplink_virtio_mmio_init(&mmio, &model.io, &shm_io), -ENOTSUP);

	setup(F_V1);
	model.device_id = 0; /* placeholder window, no device */
	CHECK_EQ_INT(amplink_virtio_mmio_init(&mmio, &model.io, &shm_io), -ENODEV);

	setup(F_V1);
	model.never_reset = true;
	model.status = 0x0f;
	CHECK_EQ_INT(amplink_virtio_mmio_init(&mmio, &model.io, &shm_io), -EIO);

	CHECK_EQ_INT(amplink_virtio_mmio_init(NULL, &model.io, &shm_io), -EINVAL);
	CHECK_EQ_INT(amplink_virtio_mmio_init(&mmio, NULL, &shm_io), -EINVAL);
}

static void test_negotiate_64bit(void)
{
	uint64_t final = 0;

	setup(F_V1 | F_PACKED | F_RPMSG_NS | (1ull << 40));
	REQUIRE(amplink_virtio_mmio_init(&mmio, &model.io, &shm_io) == 0);
	CHECK_EQ_INT(amplink_virtio_mmio_negotiate(&mmio, F_RPMSG_NS | (1ull << 5) | (1ull << 40),
						   &final),
		     0);
	CHECK(final == (F_V1 | F_RPMSG_NS | (1ull << 40)));
	CHECK(model.driver_features == final);
	CHECK(mmio.vdev.features == final);
	CHECK(mmio.device_features == (F_V1 | F_PACKED | F_RPMSG_NS | (1ull << 40)));
	CHECK_EQ_INT(model.status, 0x01 | 0x02 | 0x08);
	CHECK(virtio_has_feature(&mmio.vdev, 32));
	CHECK(!virtio_has_feature(&mmio.vdev, 34));
	CHECK_EQ_INT(model.bad_width, 0);
}

static void test_negotiate_32bit_dispatch(void)
{
	uint32_t final = 0, offered = 0;

	setup(F_V1 | F_RPMSG_NS | 0x6);
	REQUIRE(amplink_virtio_mmio_init(&mmio, &model.io, &shm_io) == 0);
	CHECK_EQ_INT(virtio_get_features(&mmio.vdev, &offered), 0);
	CHECK_EQ_INT(offered, 0x7);
	CHECK_EQ_INT(virtio_negotiate_features(&mmio.vdev, 0x1 | 0x4 | 0x100, &final), 0);
	CHECK_EQ_INT(final, 0x5);
	CHECK(model.driver_features == (F_V1 | 0x5));
	CHECK(model.status & 0x08);

	/* Asking for the packed ring through the 32-bit calls (what rpmsg uses). */
	setup(F_V1 | F_PACKED | F_RPMSG_NS);
	REQUIRE(amplink_virtio_mmio_init(&mmio, &model.io, &shm_io) == 0);
	mmio.transport_features |= F_PACKED;
	CHECK_EQ_INT(virtio_set_features(&mmio.vdev, (uint32_t)F_RPMSG_NS), 0);
	CHECK(model.driver_features == (F_V1 | F_PACKED | F_RPMSG_NS));
	/* Queue creation makes the driver's ring format the device's (packed). */
	REQUIRE(amplink_virtio_mmio_set_vring(&mmio, 0, shm, 64, 4096) == 0);
	REQUIRE(virtio_create_virtqueues(&mmio.vdev, 0, 1, NULL, NULL, NULL) == 0);
	CHECK(mmio.vdev.features == model.driver_features);
	CHECK(virtio_has_feature(&mmio.vdev, 34));
	CHECK(mmio.vrings[0].vq->vq_packed);
	CHECK(model.q[0].device == SHM_PHYS + 16 * 64 + 4);
	virtio_delete_virtqueues(&mmio.vdev);
}

static void test_negotiate_refused(void)
{
	setup(F_RPMSG_NS); /* no VERSION_1 */
	REQUIRE(amplink_virtio_mmio_init(&mmio, &model.io, &shm_io) == 0);
	CHECK_EQ_INT(amplink_virtio_mmio_negotiate(&mmio, F_RPMSG_NS, NULL), -ENOTSUP);
	CHECK(model.status & 0x80);
	CHECK(mmio.vdev.features == 0);

	setup(F_V1 | F_RPMSG_NS);
	model.refuse_features_ok = true;
	REQUIRE(amplink_virtio_mmio_init(&mmio, &model.io, &shm_io) == 0);
	CHECK_EQ_INT(amplink_virtio_mmio_negotiate(&mmio, F_RPMSG_NS, NULL), -EIO);
	CHECK(model.status & 0x80);
	CHECK(!(model.status & 0x08));
	CHECK(mmio.vdev.features == 0);
}

/* Driver, ring at shm + @off with @num entries, 2 queues, split format. */
static int setup_two_queues(unsigned int num)
{
	const char *names[2] = {"rx", "tx"};
	vq_callback cbs[2] = {cb0, cb1};
	int ret;

	if (amplink_virtio_mmio_init(&mmio, &model.io, &shm_io) ||
	    amplink_virtio_mmio_negotiate(&mmio, F_RPMSG_NS, NULL))
		return -1;
	ret = amplink_virtio_mmio_set_vring(&mmio, 0, shm, num, 4096);
	if (!ret)
		ret = amplink_virtio_mmio_set_vring(&mmio, 1, shm + 16384, num, 4096);
	if (!ret)
		ret = virtio_create_virtqueues(&mmio.vdev, 0, 2, names, cbs, NULL);
	return ret;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static void test_queue_setup_split(void)
{
	unsigned int i;

	setup(F_V1 | F_RPMSG_NS);
	REQUIRE(setup_two_queues(64) == 0);
	for (i = 0; i < 2; i++) {
		uint64_t base = SHM_PHYS + i * 16384;

		CHECK_EQ_INT(model.q[i].ready, 1);
		CHECK_EQ_INT(model.q[i].num, 64);
		CHECK(model.q[i].desc == base);
		CHECK(model.q[i].driver == base + 16 * 64);
		CHECK(model.q[i].device == align_up(base + 16 * 64 + 2 * (3 + 64), 4096));
		CHECK(mmio.vrings[i].vq != NULL);
	}
	CHECK_EQ_INT(model.q[2].ready, 0);
	CHECK_EQ_INT(model.bad_width, 0);
	virtio_delete_virtqueues(&mmio.vdev);
	CHECK_EQ_INT(model.q[0].ready, 0);
	CHECK_EQ_INT(model.q[1].ready, 0);
	CHECK(mmio.vrings[0].vq == NULL);
}

static void test_queue_setup_packed_areas(void)
{
	setup(F_V1 | F_PACKED);
	REQUIRE(amplink_virtio_mmio_init(&mmio, &model.io, &shm_io) == 0);
	REQUIRE(amplink_virtio_mmio_negotiate(&mmio, F_PACKED, NULL) == 0);
	CHECK(virtio_has_feature(&mmio.vdev, 34));
	REQUIRE(amplink_virtio_mmio_set_vring(&mmio, 0, shm + 4096, 128, 4096) == 0);
	if (virtio_create_virtqueues(&mmio.vdev, 0, 1, NULL, NULL, NULL) != 0) {
		/* The virtqueue layer may not support the packed format yet. */
		printf("note: packed virtqueue creation not available\n");
		return;
	}
	CHECK(model.q[0].desc == SHM_PHYS + 4096);
	CHECK(model.q[0].driver == SHM_PHYS + 4096 + 16 * 128);
	CHECK(model.q[0].device == SHM_PHYS + 4096 + 16 * 128 + 4);
	virtio_delete_virtqueues(&mmio.vdev);
}

static void test_bad_queue_num_max(void)
{
	setup(F_V1);
	REQUIRE(amplink_virtio_mmio_init(&mmio, &model.io, &shm_io) == 0);
	model.q[0].num_max = 0;
	CHECK_EQ_INT(amplink_virtio_mmio_set_vring(&mmio, 0, shm, 64, 4096), -ENODEV);
	model.q[0].num_max = 100; /* not a power of two */
	CHECK_EQ_INT(amplink_virtio_mmio_set_vring(&mmio, 0, shm, 64, 4096), -ENODEV);
	model.q[0].num_max = 0x80000001u;
	CHECK_EQ_INT(amplink_virtio_mmio_set_vring(&mmio, 0, shm, 64, 4096), -ENODEV);
	model.q[0].num_max = 32;
	CHECK_EQ_INT(amplink_virtio_mmio_set_vring(&mmio, 0, shm, 64, 4096), -EINVAL);
	model.q[0].num_max = 256;
	model.q[0].ready = 1; /* a queue the device claims is live already */
	CHECK_EQ_INT(amplink_virtio_mmio_set_vring(&mmio, 0, shm, 64, 4096), -EBUSY);
	model.q[0].ready = 0;
	CHECK_EQ_INT(amplink_virtio_mmio_set_vring(&mmio, 0, shm, 63, 4096), -EINVAL);
	CHECK_EQ_INT(amplink_virtio_mmio_set_vring(&mmio, 0, shm, 64, 100), -EINVAL);
	CHECK_EQ_INT(amplink_virtio_mmio_set_vring(&mmio, AMPLINK_CFG_MMIO_MAX_VQS, shm, 64, 4096),
		     -EINVAL);
	CHECK_EQ_INT(amplink_virtio_mmio_set_vring(&mmio, 0, shm, 64, 4096), 0);
	CHECK_EQ_INT(mmio.vdev.vrings_num, 1);
}

static void test_ring_outside_shm(void)
{
	static uint8_t elsewhere[8192];

	setup(F_V1);
	REQUIRE(amplink_virtio_mmio_init(&mmio, &model.io, &shm_io) == 0);
	REQUIRE(amplink_virtio_mmio_negotiate(&mmio, 0, NULL) == 0);
	REQUIRE(amplink_virtio_mmio_set_vring(&mmio, 0, elsewhere, 64, 4096) == 0);
	CHECK(virtio_create_virtqueues(&mmio.vdev, 0, 1, NULL, NULL, NULL) != 0);
	CHECK_EQ_INT(model.q[0].ready, 0);
	/* Straddling the end of the region. */
	REQUIRE(amplink_virtio_mmio_set_vring(&mmio, 0, shm + SHM_SIZE - 1024, 64, 4096) == 0);
	CHECK(virtio_create_virtqueues(&mmio.vdev, 0, 1, NULL, NULL, NULL) != 0);
	CHECK_EQ_INT(model.q[0].ready, 0);
	CHECK(mmio.vrings[0].vq == NULL);
}

static void test_notify(void)
{
	static uint8_t payload[64];
	struct virtqueue_buf buf;

	setup(F_V1 | F_RPMSG_NS);
	memset(shm + 32768, 0, 64);
	REQUIRE(setup_two_queues(64) == 0);
	mmio.vdev.func->notify(mmio.vrings[1].vq);
	CHECK_EQ_INT(model.q[1].notifies, 1);
	CHECK_EQ_INT(model.q[0].notifies, 0);

	/* Through the virtqueue: the device asked for notifications (flags 0). */
	buf.buf = shm + 32768;
	buf.len = (int)sizeof(payload);
	CHECK_EQ_INT(virtqueue_add_buffer(mmio.vrings[0].vq, &buf, 0, 1, payload), 0);
	virtqueue_kick(mmio.vrings[0].vq);
	CHECK_EQ_INT(model.q[0].notifies, 1);
	CHECK_EQ_INT(model.notify_total, 2);
	virtio_delete_virtqueues(&mmio.vdev);
}

static void test_interrupt(void)
{
	setup(F_V1 | F_RPMSG_NS);
	REQUIRE(setup_two_queues(64) == 0);
	mmio.config_cb = config_cb;

	/* Nothing pending: not ours, nothing acknowledged. */
	CHECK_EQ_INT(amplink_virtio_mmio_interrupt(&mmio), 0);
	CHECK_EQ_INT(model.acks, 0);
	CHECK_EQ_INT(amplink_virtio_mmio_irq_handler(5, &mmio), 0);

	model.int_status = 0x1;
	CHECK_EQ_INT(amplink_virtio_mmio_irq_handler(5, &mmio), 1);
	CHECK_EQ_INT(model.acks, 1);
	CHECK_EQ_INT(model.last_ack, 0x1);
	CHECK_EQ_INT(model.int_status, 0);
	CHECK_EQ_INT(cb_count[0], 1);
	CHECK_EQ_INT(cb_count[1], 1);
	CHECK_EQ_INT(config_cb_count, 0);

	model.int_status = 0x2;
	CHECK_EQ_INT(amplink_virtio_mmio_interrupt(&mmio), 0x2);
	CHECK_EQ_INT(model.last_ack, 0x2);
	CHECK_EQ_INT(config_cb_count, 1);
	CHECK_EQ_INT(cb_count[0], 1);

	model.int_status = 0x3;
	CHECK_EQ_INT(amplink_virtio_mmio_interrupt(&mmio), 0x3);
	CHECK_EQ_INT(model.last_ack, 0x3);
	CHECK_EQ_INT(config_cb_count, 2);
	CHECK_EQ_INT(cb_count[1], 2);
	CHECK_EQ_INT(model.int_status, 0);

	/* Bits the driver does not know are acknowledged, nothing runs. */
	model.int_status = 0x4;
	CHECK_EQ_INT(amplink_virtio_mmio_interrupt(&mmio), 0x4);
	CHECK_EQ_INT(model.last_ack, 0x4);
	CHECK_EQ_INT(cb_count[0], 2);
	CHECK_EQ_INT(config_cb_count, 2);

	/* A device asking for a reset is visible in the status. */
	model.status |= 0x40;
	{
		uint8_t st = 0;

		CHECK_EQ_INT(virtio_get_status(&mmio.vdev, &st), 0);
		CHECK(st & VIRTIO_CONFIG_STATUS_NEEDS_RESET);
	}
	virtio_delete_virtqueues(&mmio.vdev);
}

static void test_config_reads(void)
{
	uint8_t out[MODEL_CONFIG_SIZE];
	unsigned int i;

	setup(F_V1);
	for (i = 0; i < MODEL_CONFIG_SIZE; i++)
		model.config[i] = (uint8_t)(0xa0 + i);
	REQUIRE(amplink_virtio_mmio_init(&mmio, &model.io, &shm_io) == 0);

	memset(out, 0, sizeof(out));
	CHECK_EQ_INT(amplink_virtio_mmio_read_config(&mmio, 0, out, MODEL_CONFIG_SIZE), 0);
	CHECK_MEM_EQ(out, model.config, MODEL_CONFIG_SIZE);

	memset(out, 0, sizeof(out));
	CHECK_EQ_INT(amplink_virtio_mmio_read_config(&mmio, 3, out, 9), 0); /* unaligned */
	CHECK_MEM_EQ(out, model.config + 3, 9);

	/* The generation moves during the first reads: retried until stable. */
	model.gen_bumps = 3;
	memset(out, 0, sizeof(out));
	CHECK_EQ_INT(virtio_read_config(&mmio.vdev, 8, out, 8), 0);
	CHECK_MEM_EQ(out, model.config + 8, 8);
	CHECK_EQ_INT(model.gen_bumps, 0);

	/* A device whose generation never settles: error, bounded. */
	model.gen_bumps = 100000;
	CHECK_EQ_INT(amplink_virtio_mmio_read_config(&mmio, 0, out, 4), -EAGAIN);
	CHECK(model.gen_bumps > 0);
	model.gen_bumps = 0;

	/* Out of the window. */
	CHECK_EQ_INT(amplink_virtio_mmio_read_config(&mmio, MODEL_CONFIG_SIZE - 2, out, 4),
		     -ERANGE);
	CHECK_EQ_INT(amplink_virtio_mmio_read_config(&mmio, 0xfffffffeu, out, 4), -ERANGE);
	CHECK_EQ_INT(amplink_virtio_mmio_read_config(&mmio, 0, out, -1), -EINVAL);

	/* Writes land byte for byte. */
	CHECK_EQ_INT(amplink_virtio_mmio_write_config(&mmio, 5, "\x11\x22\x33", 3), 0);
	CHECK_EQ_INT(model.config[5], 0x11);
	CHECK_EQ_INT(model.config[7], 0x33);
	CHECK_EQ_INT(model.config[8], 0xa8);
	CHECK_EQ_INT(amplink_virtio_mmio_write_config(&mmio, MODEL_CONFIG_SIZE, "x", 1), -ERANGE);
	/* Aligned fields are written whole: 1 + 2 + 4 + 1 bytes at offset 15. */
	memset(model.config_writes, 0, sizeof(model.config_writes));
	CHECK_EQ_INT(
		amplink_virtio_mmio_write_config(&mmio, 15, "\x01\x02\x03\x04\x05\x06\x07\x08", 8),
		0);
	CHECK_MEM_EQ(model.config + 15, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
	CHECK_EQ_INT(model.config_writes[1], 2);
	CHECK_EQ_INT(model.config_writes[2], 1);
	CHECK_EQ_INT(model.config_writes[4], 1);
}

static void test_reset_status(void)
{
	uint8_t st = 0;

	setup(F_V1);
	REQUIRE(amplink_virtio_mmio_init(&mmio, &model.io, &shm_io) == 0);
	CHECK_EQ_INT(virtio_set_status(&mmio.vdev, 0x3), 0);
	CHECK_EQ_INT(virtio_get_status(&mmio.vdev, &st), 0);
	CHECK_EQ_INT(st, 0x3);
	CHECK_EQ_INT(model.status, 0x3);
	CHECK_EQ_INT(virtio_reset_device(&mmio.vdev), 0);
	CHECK_EQ_INT(model.status, 0);
}

int main(void)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;

	params.log_level = METAL_LOG_CRITICAL; /* the bad-device cases log errors */
	if (metal_init(&params))
		return 2;
	RUN(test_probe_ok);
	RUN(test_bad_devices);
	RUN(test_negotiate_64bit);
	RUN(test_negotiate_32bit_dispatch);
	RUN(test_negotiate_refused);
	RUN(test_queue_setup_split);
	RUN(test_queue_setup_packed_areas);
	RUN(test_bad_queue_num_max);
	RUN(test_ring_outside_shm);
	RUN(test_notify);
	RUN(test_interrupt);
	RUN(test_config_reads);
	RUN(test_reset_status);
	metal_finish();
	return check_summary();
}
