/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-mmio end to end: the device model builds its own device-role
 * virtqueue from nothing but the addresses and size the driver wrote into
 * QueueDesc/QueueDriver/QueueDevice/QueueNum, serves each notification
 * (echoing the request bytes, transformed, into the writable buffer) and
 * raises a used-buffer interrupt; the driver's interrupt handler runs the
 * queue callback, which collects the reply. Run with the split and with the
 * packed format, many round trips so both rings wrap.
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

#define SHM_SIZE (64 * 1024)
#define SHM_PHYS 0x60000000ul
#define F_V1	 (1ull << 32)
#define F_PACKED (1ull << 34)
#define NUM	 16
#define ROUNDS	 500
#define REQ_LEN	 40

static _Alignas(4096) uint8_t shm[SHM_SIZE];
static const metal_phys_addr_t shm_phys = SHM_PHYS;
static struct metal_io_region shm_io;
static struct mmio_model model;
static struct amplink_virtio_mmio mmio;

/* Device side, built from the registers only. */
static struct virtio_device dev_vdev;
static struct virtqueue *dev_vq;
static unsigned int served, collected, bad;

static uint8_t reply_byte(uint8_t b)
{
	return (uint8_t)(b ^ 0xa5u);
}

/* Creates the device's queue at what the driver programmed for queue 0. */
static int device_attach(struct mmio_model *m)
{
	struct vring_alloc_info info;
	void *desc = metal_io_phys_to_virt(&shm_io, m->q[0].desc);

	if (!desc || !m->q[0].ready || m->q[0].num == 0)
		return -1;
	dev_vdev.role = VIRTIO_DEV_DEVICE;
	dev_vdev.features = m->driver_features;
	info.vaddr = desc;
	info.num_descs = (uint16_t)m->q[0].num;
	info.align = 4096;
	info.pad = 0;
	dev_vq = virtqueue_allocate(info.num_descs);
	if (!dev_vq || virtqueue_create(&dev_vdev, 0, "model", &info, NULL, NULL, dev_vq))
		return -1;
	virtqueue_set_shmem_io(dev_vq, &shm_io);
	if (!(m->driver_features & F_PACKED)) {
		/* The split areas the device derives must be what the driver wrote. */
		if ((void *)dev_vq->vq_ring.avail !=
			    metal_io_phys_to_virt(&shm_io, m->q[0].driver) ||
		    (void *)dev_vq->vq_ring.used != metal_io_phys_to_virt(&shm_io, m->q[0].device))
			return -1;
	}
	return 0;
}

static void device_serve(struct mmio_model *m, unsigned int q)
{
	uint8_t *req, *rsp;
	uint16_t head, nidx;
	uint32_t len, rlen, i;

	if (q != 0 || (!dev_vq && device_attach(m) != 0)) {
		bad++;
		return;
	}
	while ((req = virtqueue_get_first_avail_buffer(dev_vq, &head, &len)) != NULL) {
		rsp = virtqueue_get_next_avail_buffer(dev_vq, head, &nidx, &rlen);
		if (!rsp || rlen < len) {
			bad++;
			return;
		}
		for (i = 0; i < len; i++)
			rsp[i] = reply_byte(req[i]);
		virtqueue_add_consumed_buffer(dev_vq, head, len);
		served++;
	}
	m->int_status |= 0x1;
}

/* Driver callback (from the interrupt handler): collect and check replies. */
static void driver_cb(struct virtqueue *vq)
{
	uint32_t len, i;
	uint8_t *pair;

	while ((pair = virtqueue_get_buffer(vq, &len, NULL)) != NULL) {
		if (len != REQ_LEN)
			bad++;
		for (i = 0; i < REQ_LEN; i++)
			if (pair[256 + i] != reply_byte(pair[i]))
				bad++;
		collected++;
	}
}

static void run(uint64_t features)
{
	const char *names[1] = {"req"};
	vq_callback cbs[1] = {driver_cb};
	struct virtqueue *vq;
	unsigned int r, i;

	memset(shm, 0, sizeof(shm));
	model_init(&model, 7, F_V1 | F_PACKED | 1);
	model.on_notify = device_serve;
	metal_io_init(&shm_io, shm, &shm_phys, SHM_SIZE, (unsigned int)-1, 0, NULL);
	dev_vq = NULL;
	served = collected = bad = 0;
	REQUIRE(amplink_virtio_mmio_init(&mmio, &model.io, &shm_io) == 0);
	REQUIRE(amplink_virtio_mmio_negotiate(&mmio, features, NULL) == 0);
	REQUIRE(amplink_virtio_mmio_set_vring(&mmio, 0, shm + 4096, NUM, 4096) == 0);
	REQUIRE(virtio_create_virtqueues(&mmio.vdev, 0, 1, names, cbs, NULL) == 0);
	REQUIRE(virtio_set_status(&mmio.vdev, 0x0f) == 0);
	vq = mmio.vrings[0].vq;
	for (r = 0; r < ROUNDS; r++) {
		uint8_t *pair = shm + 16384 + (r % 8) * 512;
		struct virtqueue_buf b[2] = {{pair, REQ_LEN}, {pair + 256, 256}};

		for (i = 0; i < REQ_LEN; i++)
			pair[i] = (uint8_t)(r + i);
		memset(pair + 256, 0, 256);
		REQUIRE(virtqueue_add_buffer(vq, b, 1, 1, pair) == 0);
		virtqueue_kick(vq); /* the model serves synchronously */
		REQUIRE(amplink_virtio_mmio_interrupt(&mmio) == 0x1);
	}
	CHECK_EQ_INT(bad, 0);
	CHECK_EQ_INT(served, ROUNDS);
	CHECK_EQ_INT(collected, ROUNDS);
	CHECK_EQ_INT(model.acks, ROUNDS);
	CHECK_EQ_INT(model.int_status, 0);
	CHECK(!amplink_virtqueue_is_broken(vq));
	CHECK(dev_vq && !amplink_virtqueue_is_broken(dev_vq));
	CHECK_EQ_INT(model.bad_width, 0);
	virtio_delete_virtqueues(&mmio.vdev);
	virtqueue_free(dev_vq);
	dev_vq = NULL;
}

static void test_split_end_to_end(void)
{
	run(1);
	CHECK(!virtio_has_feature(&mmio.vdev, 34));
}

static void test_packed_end_to_end(void)
{
	run(1 | F_PACKED);
	CHECK(virtio_has_feature(&mmio.vdev, 34));
}

int main(void)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;

	if (metal_init(&params))
		return 2;
	RUN(test_split_end_to_end);
	RUN(test_packed_end_to_end);
	metal_finish();
	return check_summary();
}
