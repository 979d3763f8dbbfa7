/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Notification suppression, counted: the NO_NOTIFY / NO_INTERRUPT flags,
 * VIRTIO_RING_F_EVENT_IDX (one kick per batch the peer has not seen yet),
 * enable_cb reporting pending work, and kicks routed to the vring's notify
 * id by the resource-table transport.
 */
#include "check.h"
#include "vq_fixture.h"

static struct fx f;

static void post(struct virtqueue *vq, int k)
{
	struct virtqueue_buf b = {fx_buf(&f, (size_t)(k % 32) * 64), 64};

	CHECK_EQ_INT(virtqueue_add_buffer(vq, &b, 0, 1, fx_buf(&f, (size_t)k)), VQUEUE_SUCCESS);
}

static uint16_t take(struct virtqueue *vq)
{
	uint16_t head = 0xffff;
	uint32_t len;

	CHECK(virtqueue_get_first_avail_buffer(vq, &head, &len) != NULL);
	return head;
}

/* The device looks for more and finds none: with EVENT_IDX this is when it re-arms. */
static void take_none(struct virtqueue *vq)
{
	uint16_t head = 0xffff;
	uint32_t len;

	CHECK(virtqueue_get_first_avail_buffer(vq, &head, &len) == NULL);
}

static void test_flags(void)
{
	uint32_t len;

	REQUIRE(fx_setup(&f, 0) == 0);
	post(f.dq[0], 0);
	virtqueue_kick(f.dq[0]);
	CHECK_EQ_INT(f.kicks[1][0], 1);
	CHECK_EQ_INT(f.kicks[1][1], 0);
	virtqueue_disable_cb(f.vq[0]); /* device: no kicks please */
	post(f.dq[0], 1);
	virtqueue_kick(f.dq[0]);
	CHECK_EQ_INT(f.kicks[1][0], 1);
	CHECK_EQ_INT(virtqueue_enable_cb(f.vq[0]), 1); /* two chains waiting */
	post(f.dq[0], 2);
	virtqueue_kick(f.dq[0]);
	CHECK_EQ_INT(f.kicks[1][0], 2);

	virtqueue_disable_cb(f.dq[0]); /* driver: no interrupts please */
	CHECK_EQ_INT(virtqueue_add_consumed_buffer(f.vq[0], take(f.vq[0]), 0), VQUEUE_SUCCESS);
	virtqueue_kick(f.vq[0]);
	CHECK_EQ_INT(f.kicks[0][0], 0);
	CHECK_EQ_INT(virtqueue_enable_cb(f.dq[0]), 1);
	CHECK_EQ_INT(virtqueue_add_consumed_buffer(f.vq[0], take(f.vq[0]), 0), VQUEUE_SUCCESS);
	virtqueue_kick(f.vq[0]);
	CHECK_EQ_INT(f.kicks[0][0], 1);
	CHECK(virtqueue_get_buffer(f.dq[0], &len, NULL) != NULL);
	CHECK(virtqueue_get_buffer(f.dq[0], &len, NULL) != NULL);
	CHECK_EQ_INT(virtqueue_enable_cb(f.dq[0]), 0);
	fx_teardown(&f);
}

static void test_event_idx_driver_kicks(void)
{
	int k;

	REQUIRE(fx_setup(&f, VIRTIO_RING_F_EVENT_IDX) == 0);
	/* The device has not consumed anything: only the first kick goes out. */
	for (k = 0; k < 10; k++) {
		post(f.dq[0], k);
		virtqueue_kick(f.dq[0]);
	}
	CHECK_EQ_INT(f.kicks[1][0], 1);
#if AMPLINK_CFG_STATS
	{
		struct amplink_vq_stats st;

		CHECK_EQ_INT(amplink_virtqueue_get_stats(f.dq[0], &st), VQUEUE_SUCCESS);
		CHECK_EQ_INT(st.published, 10);
		CHECK_EQ_INT(st.kicks, 1);
		CHECK_EQ_INT(st.kicks_suppressed, 9);
		CHECK_EQ_INT(st.peer_errors, 0);
	}
#endif
	/*
	 * The device takes everything but has not looked for more: its event
	 * index is still old, so no kick (it will look again anyway).
	 */
	for (k = 0; k < 10; k++)
		take(f.vq[0]);
	post(f.dq[0], 10);
	virtqueue_kick(f.dq[0]);
	CHECK_EQ_INT(f.kicks[1][0], 1);
	/* It runs out of work (asks to be kicked at avail idx 11): the next one kicks. */
	take(f.vq[0]);
	take_none(f.vq[0]);
	post(f.dq[0], 10);
	virtqueue_kick(f.dq[0]);
	CHECK_EQ_INT(f.kicks[1][0], 2);
	post(f.dq[0], 11);
	virtqueue_kick(f.dq[0]);
	CHECK_EQ_INT(f.kicks[1][0], 2);
	/* A batch of posts with one kick: one notification. */
	take(f.vq[0]);
	take(f.vq[0]);
	take_none(f.vq[0]);
	for (k = 12; k < 20; k++)
		post(f.dq[0], k);
	virtqueue_kick(f.dq[0]);
	CHECK_EQ_INT(f.kicks[1][0], 3);
	/* Disabled: nothing, even after the device caught up. */
	virtqueue_disable_cb(f.vq[0]);
	for (k = 12; k < 20; k++)
		take(f.vq[0]);
	post(f.dq[0], 20);
	virtqueue_kick(f.dq[0]);
	CHECK_EQ_INT(f.kicks[1][0], 3);
	CHECK_EQ_INT(virtqueue_enable_cb(f.vq[0]), 1);
	fx_teardown(&f);
}

static void test_event_idx_device_kicks(void)
{
	uint16_t heads[16];
	uint32_t len;
	int k;

	REQUIRE(fx_setup(&f, VIRTIO_RING_F_EVENT_IDX) == 0);
	for (k = 0; k < 16; k++)
		post(f.dq[0], k);
	for (k = 0; k < 16; k++)
		heads[k] = take(f.vq[0]);
	for (k = 0; k < 8; k++) {
		CHECK_EQ_INT(virtqueue_add_consumed_buffer(f.vq[0], heads[k], 1), VQUEUE_SUCCESS);
		virtqueue_kick(f.vq[0]);
	}
	CHECK_EQ_INT(f.kicks[0][0], 1); /* the driver has not looked yet */
	for (k = 0; k < 8; k++)
		CHECK(virtqueue_get_buffer(f.dq[0], &len, NULL) == fx_buf(&f, (size_t)k));
	/* The driver has not run out of used entries yet: still no interrupt. */
	CHECK_EQ_INT(virtqueue_add_consumed_buffer(f.vq[0], heads[8], 1), VQUEUE_SUCCESS);
	virtqueue_kick(f.vq[0]);
	CHECK_EQ_INT(f.kicks[0][0], 1);
	/* It takes that one and finds no more (asks for used idx 9): the next one interrupts. */
	CHECK(virtqueue_get_buffer(f.dq[0], &len, NULL) == fx_buf(&f, 8));
	CHECK(virtqueue_get_buffer(f.dq[0], &len, NULL) == NULL);
	CHECK_EQ_INT(virtqueue_add_consumed_buffer(f.vq[0], heads[10], 1), VQUEUE_SUCCESS);
	virtqueue_kick(f.vq[0]);
	CHECK_EQ_INT(f.kicks[0][0], 2);
	virtqueue_disable_cb(f.dq[0]);
	CHECK(virtqueue_get_buffer(f.dq[0], &len, NULL) != NULL);
	CHECK(virtqueue_get_buffer(f.dq[0], &len, NULL) == NULL);
	CHECK_EQ_INT(virtqueue_add_consumed_buffer(f.vq[0], heads[9], 1), VQUEUE_SUCCESS);
	virtqueue_kick(f.vq[0]);
	CHECK_EQ_INT(f.kicks[0][0], 2);
	fx_teardown(&f);
}

static void test_notified_routing(void)
{
	REQUIRE(fx_setup(&f, 0) == 0);
	CHECK_EQ_INT(rproc_virtio_notified(f.dev, FX_NOTIFY1), 0);
	CHECK_EQ_INT(f.callbacks[1][1], 1);
	CHECK_EQ_INT(f.callbacks[1][0], 0);
	CHECK_EQ_INT(rproc_virtio_notified(f.dev, RSC_NOTIFY_ID_ANY), 0);
	CHECK_EQ_INT(f.callbacks[1][0], 1);
	CHECK_EQ_INT(f.callbacks[1][1], 2);
	CHECK_EQ_INT(rproc_virtio_notified(f.drv, FX_NOTIFY0), 0);
	CHECK_EQ_INT(f.callbacks[0][0], 1);
	CHECK_EQ_INT(rproc_virtio_notified(f.drv, 5), 0); /* the vdev's own id */
	CHECK_EQ_INT(rproc_virtio_notified(f.drv, 77), -EINVAL);
	CHECK_EQ_INT(rproc_virtio_notified(NULL, 1), -EINVAL);
	/* A kick goes out with the vring's notify id. */
	post(f.dq[1], 0);
	virtqueue_kick(f.dq[1]);
	CHECK_EQ_INT(f.kicks[1][1], 1);
	CHECK_EQ_INT(f.kicks[1][0], 0);
	fx_teardown(&f);
}

int main(void)
{
	fx_metal_init();
	RUN(test_flags);
	RUN(test_event_idx_driver_kicks);
	RUN(test_event_idx_device_kicks);
	RUN(test_notified_routing);
	metal_finish();
	return check_summary();
}
