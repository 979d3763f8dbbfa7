/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RPMsg over virtio-mmio, in one process: the host is amplink's rpmsg on the
 * virtio-mmio driver transport; behind the trapping register model sits an
 * amplink rpmsg remote whose virtio device is built only from what the host
 * wrote into the registers (status, driver features, queue addresses and
 * sizes). QueueNotify writes run the remote's queue callbacks; the remote's
 * notifications raise InterruptStatus, which the test services through
 * amplink_virtio_mmio_interrupt(). The remote announces an endpoint (name
 * service), the host binds to it and exchanges echo messages, with the split
 * ring and with the packed ring.
 */
#include <stdio.h>
#include <string.h>

#include <metal/io.h>
#include <metal/sys.h>
#include <openamp/rpmsg.h>
#include <openamp/rpmsg_virtio.h>
#include <openamp/virtio.h>
#include <openamp/virtio_mmio.h>
#include <openamp/virtqueue.h>

#include "check.h"
#include "mmio_model.h"

#define SHM_SIZE (256 * 1024)
#define SHM_PHYS 0x70000000ul
#define F_V1	 (1ull << 32)
#define F_PACKED (1ull << 34)
#define F_NS	 1ull
#define NUM	 32
#define MSGS	 300

static _Alignas(4096) uint8_t shm[SHM_SIZE];
static const metal_phys_addr_t shm_phys = SHM_PHYS;
static struct metal_io_region shm_io;
static struct mmio_model model;
static struct amplink_virtio_mmio mmio;

static struct rpmsg_virtio_device host_rv, remote_rv;
static struct rpmsg_virtio_shm_pool pool;
static struct rpmsg_endpoint host_ept, remote_ept;
static struct virtio_device remote_vdev;
static struct virtio_vring_info remote_vrings[2];
static unsigned int echoed, received, bound, errors;

/* ---- the remote's transport: the register model seen from the device ---- */

static uint8_t remote_get_status(struct virtio_device *vdev)
{
	(void)vdev;
	return (uint8_t)model.status;
}

static void remote_set_status(struct virtio_device *vdev, uint8_t status)
{
	(void)vdev;
	model.status = status;
}

static uint32_t remote_get_features(struct virtio_device *vdev)
{
	(void)vdev;
	return (uint32_t)model.driver_features;
}

static void remote_set_features(struct virtio_device *vdev, uint32_t features)
{
	(void)vdev;
	(void)features;
}

static void remote_notify(struct virtqueue *vq)
{
	(void)vq;
	model.int_status |= 0x1;
}

/* Device-side queues at the addresses the driver programmed. */
static int remote_create_vqs(struct virtio_device *vdev, unsigned int flags, unsigned int nvqs,
			     const char *names[], vq_callback callbacks[], void *callback_args[])
{
	unsigned int i;

	(void)flags;
	(void)callback_args;
	vdev->features = model.driver_features; /* all 64 bits, as the driver wrote */
	for (i = 0; i < nvqs && i < 2; i++) {
		struct virtio_vring_info *vri = &remote_vrings[i];

		vri->info.vaddr = metal_io_phys_to_virt(&shm_io, model.q[i].desc);
		vri->info.num_descs = (uint16_t)model.q[i].num;
		vri->info.align = 4096;
		vri->io = &shm_io;
		if (!vri->info.vaddr || !model.q[i].ready)
			return -1;
		if (!vri->vq)
			vri->vq = virtqueue_allocate(vri->info.num_descs);
		if (!vri->vq ||
		    virtqueue_create(vdev, (unsigned short)i, names ? names[i] : NULL, &vri->info,
				     callbacks ? callbacks[i] : NULL, remote_notify, vri->vq))
			return -1;
		virtqueue_set_shmem_io(vri->vq, &shm_io);
	}
	return 0;
}

static const struct virtio_dispatch remote_dispatch = {
	.create_virtqueues = remote_create_vqs,
	.get_status = remote_get_status,
	.set_status = remote_set_status,
	.get_features = remote_get_features,
	.set_features = remote_set_features,
	.notify = remote_notify,
};

/* A QueueNotify from the host: the remote's queue of that index runs. */
static void on_queue_notify(struct mmio_model *m, unsigned int q)
{
	(void)m;
	if (q < 2 && remote_vrings[q].vq && remote_vrings[q].vq->vq_ops)
		virtqueue_notification(remote_vrings[q].vq);
}

/* ---- endpoints ------------------------------------------------------------- */

static int remote_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)priv;
	(void)src;
	if (rpmsg_send(ept, data, (int)len) != (int)len)
		errors++;
	else
		echoed++;
	return RPMSG_SUCCESS;
}

static int host_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	char want[32];

	(void)ept;
	(void)src;
	(void)priv;
	snprintf(want, sizeof(want), "msg %u", received);
	if (len != strlen(want) + 1 || memcmp(data, want, len) != 0)
		errors++;
	received++;
	return RPMSG_SUCCESS;
}

static void host_ns_bind(struct rpmsg_device *rdev, const char *name, uint32_t dest)
{
	if (strcmp(name, "mmio-echo") == 0 &&
	    rpmsg_create_ept(&host_ept, rdev, name, RPMSG_ADDR_ANY, dest, host_cb, NULL) == 0)
		bound++;
}

/* Deliver every pending device interrupt (bounded). */
static void service_interrupts(void)
{
	unsigned int i;

	for (i = 0; i < 64 && model.int_status; i++)
		amplink_virtio_mmio_interrupt(&mmio);
}

static void run(uint64_t features)
{
	char msg[32];
	unsigned int i;

	memset(shm, 0, sizeof(shm));
	memset(&remote_vdev, 0, sizeof(remote_vdev));
	memset(remote_vrings, 0, sizeof(remote_vrings));
	echoed = received = bound = errors = 0;
	model_init(&model, VIRTIO_ID_RPMSG, F_V1 | F_PACKED | F_NS);
	model.on_notify = on_queue_notify;
	metal_io_init(&shm_io, shm, &shm_phys, SHM_SIZE, (unsigned int)-1, 0, NULL);

	/* Host: transport, rings, then the standard rpmsg start-up. */
	REQUIRE(amplink_virtio_mmio_init(&mmio, &model.io, &shm_io) == 0);
	mmio.transport_features |= features;
	REQUIRE(amplink_virtio_mmio_set_vring(&mmio, 0, shm, NUM, 4096) == 0);
	REQUIRE(amplink_virtio_mmio_set_vring(&mmio, 1, shm + 16384, NUM, 4096) == 0);
	rpmsg_virtio_init_shm_pool(&pool, shm + 65536, SHM_SIZE - 65536);
	REQUIRE(rpmsg_init_vdev(&host_rv, &mmio.vdev, host_ns_bind, &shm_io, &pool) == 0);
	CHECK_EQ_INT(model.status & 0x0f, 0x0f);
	CHECK(model.driver_features & F_NS);
	CHECK_EQ_INT(virtio_has_feature(&mmio.vdev, 34), (features & F_PACKED) != 0);

	/* Remote: sees DRIVER_OK, builds its queues from the registers. */
	remote_vdev.role = VIRTIO_DEV_DEVICE;
	remote_vdev.func = &remote_dispatch;
	remote_vdev.vrings_info = remote_vrings;
	remote_vdev.vrings_num = 2;
	REQUIRE(rpmsg_init_vdev(&remote_rv, &remote_vdev, NULL, &shm_io, NULL) == 0);
	CHECK_EQ_INT(remote_vrings[0].vq->vq_packed, (features & F_PACKED) != 0);
	REQUIRE(rpmsg_create_ept(&remote_ept, rpmsg_virtio_get_rpmsg_device(&remote_rv),
				 "mmio-echo", RPMSG_ADDR_ANY, RPMSG_ADDR_ANY, remote_cb,
				 NULL) == 0);
	service_interrupts(); /* the NS announcement reaches the host */
	REQUIRE(bound == 1);

	for (i = 0; i < MSGS; i++) {
		snprintf(msg, sizeof(msg), "msg %u", i);
		REQUIRE(rpmsg_send(&host_ept, msg, (int)strlen(msg) + 1) == (int)strlen(msg) + 1);
		service_interrupts();
	}
	CHECK_EQ_INT(errors, 0);
	CHECK_EQ_INT(echoed, MSGS);
	CHECK_EQ_INT(received, MSGS);
	CHECK(!amplink_virtqueue_is_broken(mmio.vrings[0].vq));
	CHECK(!amplink_virtqueue_is_broken(mmio.vrings[1].vq));
	CHECK(model.notify_total > 0 && model.acks > 0);

	rpmsg_destroy_ept(&host_ept);
	rpmsg_destroy_ept(&remote_ept);
	rpmsg_deinit_vdev(&remote_rv);
	rpmsg_deinit_vdev(&host_rv);
	for (i = 0; i < 2; i++)
		virtqueue_free(remote_vrings[i].vq);
}

static void test_rpmsg_split(void)
{
	run(0);
}

static void test_rpmsg_packed(void)
{
	run(F_PACKED);
}

int main(void)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;

	if (metal_init(&params))
		return 2;
	RUN(test_rpmsg_split);
	RUN(test_rpmsg_packed);
	metal_finish();
	return check_summary();
}
