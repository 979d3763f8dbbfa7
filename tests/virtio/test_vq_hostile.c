/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The hostile-peer suite: the test plays a malicious driver (writing the
 * avail ring and descriptors as raw bytes) or a malicious device (writing the
 * used ring), one case per violation. Each case checks that the queue
 * detects it, logs exactly once, breaks (the device role raises NEEDS_RESET
 * in the vdev status), refuses work until reset, never touches memory
 * outside the shared region (ASan), and works again after a device reset.
 */
#include "check.h"
#include "ring_decoder.h"
#include "vq_fixture.h"

static struct fx f;
static struct rd_ring r;
static uint16_t hostile_avail; /* the hostile driver's avail idx */

#define PA(off) ((uint64_t)FX_SHM_PA + FX_BUF_OFF + (off))

static int setup(uint32_t features)
{
	if (fx_setup(&f, features) != 0)
		return -1;
	r = (struct rd_ring){f.mem, FX_NUM, FX_RING_ALIGN};
	hostile_avail = 0;
	fx_errors = 0;
	return 0;
}

/* Hostile driver: make descriptor @head available. */
static void post_raw(uint16_t head)
{
	rd_set_avail_ring(&r, hostile_avail % FX_NUM, head);
	hostile_avail++;
	rd_set_avail_idx(&r, hostile_avail);
}

/* Device: take one chain and walk it to its end. Returns buffers seen. */
static int take_and_walk(void)
{
	uint16_t head, idx, next;
	uint32_t len;
	int n = 0;

	if (!virtqueue_get_first_avail_buffer(f.vq[0], &head, &len))
		return 0;
	idx = f.vq[0]->vq_walk.cur;
	n = 1;
	while (virtqueue_get_next_avail_buffer(f.vq[0], idx, &next, &len)) {
		idx = next;
		n++;
	}
	return n;
}

/* Both sides reset (driver writes status 0, rings zeroed); a round trip works. */
static void check_recovers(void)
{
	struct virtqueue_buf b = {fx_buf(&f, 0x100), 32};
	uint16_t head;
	uint32_t len;
	int errors = fx_errors;

	CHECK_EQ_INT(virtio_reset_device(f.drv), 0);
	CHECK_EQ_INT(virtio_reset_device(f.dev), 0);
	CHECK_EQ_INT(f.vdev_rsc->status, 0);
	CHECK(!amplink_virtqueue_is_broken(f.vq[0]) && !amplink_virtqueue_is_broken(f.dq[0]));
	CHECK_EQ_INT(virtqueue_add_buffer(f.dq[0], &b, 0, 1, &f), VQUEUE_SUCCESS);
	CHECK(virtqueue_get_first_avail_buffer(f.vq[0], &head, &len) == b.buf);
	CHECK_EQ_INT(virtqueue_add_consumed_buffer(f.vq[0], head, 32), VQUEUE_SUCCESS);
	CHECK(virtqueue_get_buffer(f.dq[0], &len, NULL) == &f);
	CHECK_EQ_INT(len, 32);
	CHECK_EQ_INT(fx_errors, errors);
}

/* The device queue is broken, said so once, and refuses work. */
static void check_dev_broken(void)
{
	uint16_t head;
	uint32_t len;

	CHECK(amplink_virtqueue_is_broken(f.vq[0]));
	CHECK_EQ_INT(fx_errors, 1);
#if AMPLINK_CFG_STATS
	{
		struct amplink_vq_stats st;

		amplink_virtqueue_get_stats(f.vq[0], &st);
		CHECK_EQ_INT(st.peer_errors, 1);
	}
#endif
	CHECK(f.vdev_rsc->status & VIRTIO_CONFIG_STATUS_NEEDS_RESET);
	CHECK(virtqueue_get_first_avail_buffer(f.vq[0], &head, &len) == NULL);
	CHECK_EQ_INT(virtqueue_add_consumed_buffer(f.vq[0], 0, 0), AMPLINK_VQ_ERR_BROKEN);
	CHECK_EQ_INT(virtqueue_get_desc_size(f.vq[0]), 0);
	CHECK_EQ_INT(amplink_virtqueue_pending(f.vq[0]), 0);
	CHECK_EQ_INT(virtqueue_enable_cb(f.vq[0]), 0);
	virtqueue_notification(f.vq[0]);
	CHECK_EQ_INT(f.callbacks[1][0], 0);
	CHECK_EQ_INT(fx_errors, 1);
	check_recovers();
	fx_teardown(&f);
}

/* The driver queue is broken, said so once, and refuses work. */
static void check_drv_broken(void)
{
	struct virtqueue_buf b = {fx_buf(&f, 0x100), 32};
	uint32_t len;

	CHECK(amplink_virtqueue_is_broken(f.dq[0]));
	CHECK_EQ_INT(fx_errors, 1);
	CHECK(virtqueue_get_buffer(f.dq[0], &len, NULL) == NULL);
	CHECK_EQ_INT(virtqueue_add_buffer(f.dq[0], &b, 1, 0, &f), AMPLINK_VQ_ERR_BROKEN);
	CHECK_EQ_INT(amplink_virtqueue_pending(f.dq[0]), 0);
	CHECK_EQ_INT(fx_errors, 1);
	/* The driver does not raise NEEDS_RESET (that bit is the device's). */
	CHECK(!(f.vdev_rsc->status & VIRTIO_CONFIG_STATUS_NEEDS_RESET));
	check_recovers();
	fx_teardown(&f);
}

/* ---- hostile driver: device-role cases ------------------------------------ */

static void test_avail_idx_jump(void)
{
	REQUIRE(setup(0) == 0);
	rd_set_desc(&r, 0, PA(0), 16, 0, 0);
	rd_set_avail_idx(&r, FX_NUM + 1);
	CHECK_EQ_INT(take_and_walk(), 0);
	check_dev_broken();
}

static void test_avail_idx_jump_with_held(void)
{
	REQUIRE(setup(0) == 0);
	for (uint16_t k = 0; k < 4; k++) {
		rd_set_desc(&r, k, PA(k * 64), 16, 0, 0);
		post_raw(k);
	}
	CHECK_EQ_INT(take_and_walk(), 1); /* holds one: only FX_NUM - 1 more fit */
	rd_set_avail_idx(&r, (uint16_t)(1 + FX_NUM));
	CHECK_EQ_INT(take_and_walk(), 0);
	check_dev_broken();
}

static void test_avail_head_out_of_range(void)
{
	REQUIRE(setup(0) == 0);
	post_raw(FX_NUM);
	CHECK_EQ_INT(take_and_walk(), 0);
	check_dev_broken();
}

static void test_avail_head_already_held(void)
{
	REQUIRE(setup(0) == 0);
	rd_set_desc(&r, 5, PA(0), 16, 0, 0);
	post_raw(5);
	post_raw(5);
	CHECK_EQ_INT(take_and_walk(), 1);
	CHECK_EQ_INT(take_and_walk(), 0);
	check_dev_broken();
}

static void test_chain_next_out_of_range(void)
{
	REQUIRE(setup(0) == 0);
	rd_set_desc(&r, 0, PA(0), 16, VRING_DESC_F_NEXT, FX_NUM);
	post_raw(0);
	CHECK_EQ_INT(take_and_walk(), 1);
	check_dev_broken();
}

static void test_chain_self_loop(void)
{
	REQUIRE(setup(0) == 0);
	rd_set_desc(&r, 3, PA(0), 16, VRING_DESC_F_NEXT, 3);
	post_raw(3);
	CHECK_EQ_INT(take_and_walk(), 1);
	check_dev_broken();
}

static void test_chain_longer_than_ring(void)
{
	REQUIRE(setup(0) == 0);
	/* 0 -> 1 -> ... -> 63 -> 0: a chain that never ends. */
	for (uint16_t k = 0; k < FX_NUM; k++)
		rd_set_desc(&r, k, PA(k * 16), 16, VRING_DESC_F_NEXT, (uint16_t)((k + 1) % FX_NUM));
	post_raw(0);
	CHECK_EQ_INT(take_and_walk(), FX_NUM);
	check_dev_broken();
}

static void test_chain_of_ring_size_is_fine(void)
{
	uint16_t head;
	uint32_t len;

	REQUIRE(setup(0) == 0);
	for (uint16_t k = 0; k < FX_NUM; k++)
		rd_set_desc(&r, k, PA(k * 16), 16, k + 1 < FX_NUM ? VRING_DESC_F_NEXT : 0,
			    (uint16_t)(k + 1));
	post_raw(0);
	CHECK_EQ_INT(take_and_walk(), FX_NUM);
	CHECK(!amplink_virtqueue_is_broken(f.vq[0]));
	head = 0;
	CHECK_EQ_INT(virtqueue_add_consumed_buffer(f.vq[0], head, 5), VQUEUE_SUCCESS);
	CHECK_EQ_INT(rd_used_idx(&r), 1);
	CHECK(virtqueue_get_first_avail_buffer(f.vq[0], &head, &len) == NULL);
	CHECK_EQ_INT(fx_errors, 0);
	fx_teardown(&f);
}

static void test_chain_overlaps_held_chain(void)
{
	REQUIRE(setup(0) == 0);
	rd_set_desc(&r, 0, PA(0), 16, VRING_DESC_F_NEXT, 1);
	rd_set_desc(&r, 1, PA(64), 16, 0, 0);
	rd_set_desc(&r, 2, PA(128), 16, VRING_DESC_F_NEXT, 1); /* shares desc 1 */
	post_raw(0);
	post_raw(2);
	CHECK_EQ_INT(take_and_walk(), 2);
	CHECK_EQ_INT(take_and_walk(), 1);
	check_dev_broken();
}

static void test_addr_below_region(void)
{
	REQUIRE(setup(0) == 0);
	rd_set_desc(&r, 0, FX_SHM_PA - 16, 16, 0, 0);
	post_raw(0);
	CHECK_EQ_INT(take_and_walk(), 0);
	check_dev_broken();
}

static void test_addr_above_region(void)
{
	REQUIRE(setup(0) == 0);
	rd_set_desc(&r, 0, (uint64_t)FX_SHM_PA + FX_SHM_SIZE, 1, 0, 0);
	post_raw(0);
	CHECK_EQ_INT(take_and_walk(), 0);
	check_dev_broken();
}

static void test_len_beyond_region(void)
{
	REQUIRE(setup(0) == 0);
	rd_set_desc(&r, 0, (uint64_t)FX_SHM_PA + FX_SHM_SIZE - 16, 17, 0, 0);
	post_raw(0);
	CHECK_EQ_INT(take_and_walk(), 0);
	check_dev_broken();
}

static void test_addr_len_wraps(void)
{
	REQUIRE(setup(0) == 0);
	rd_set_desc(&r, 0, 0xFFFFFFFFFFFFFFF0ull, 0x20, 0, 0);
	post_raw(0);
	CHECK_EQ_INT(take_and_walk(), 0);
	check_dev_broken();
}

static void test_second_desc_outside(void)
{
	REQUIRE(setup(0) == 0);
	rd_set_desc(&r, 0, PA(0), 16, VRING_DESC_F_NEXT, 1);
	rd_set_desc(&r, 1, (uint64_t)FX_SHM_PA + FX_SHM_SIZE - 8, 0xFFFFFFFFu, 0, 0);
	post_raw(0);
	CHECK_EQ_INT(take_and_walk(), 1);
	check_dev_broken();
}

static void test_indirect_not_negotiated(void)
{
	REQUIRE(setup(0) == 0);
	rd_set_table_desc(fx_buf(&f, 0x1000), 0, PA(0), 16, 0, 0);
	rd_set_desc(&r, 0, PA(0x1000), 16, VRING_DESC_F_INDIRECT, 0);
	post_raw(0);
	CHECK_EQ_INT(take_and_walk(), 0);
	check_dev_broken();
}

static void test_indirect_bad_len(void)
{
	REQUIRE(setup(VIRTIO_RING_F_INDIRECT_DESC) == 0);
	rd_set_table_desc(fx_buf(&f, 0x1000), 0, PA(0), 16, 0, 0);
	rd_set_desc(&r, 0, PA(0x1000), 24, VRING_DESC_F_INDIRECT, 0);
	post_raw(0);
	CHECK_EQ_INT(take_and_walk(), 0);
	check_dev_broken();
}

static void test_indirect_zero_len(void)
{
	REQUIRE(setup(VIRTIO_RING_F_INDIRECT_DESC) == 0);
	rd_set_desc(&r, 0, PA(0x1000), 0, VRING_DESC_F_INDIRECT, 0);
	post_raw(0);
	CHECK_EQ_INT(take_and_walk(), 0);
	check_dev_broken();
}

static void test_indirect_table_outside(void)
{
	REQUIRE(setup(VIRTIO_RING_F_INDIRECT_DESC) == 0);
	rd_set_desc(&r, 0, (uint64_t)FX_SHM_PA + FX_SHM_SIZE - 16, 32, VRING_DESC_F_INDIRECT, 0);
	post_raw(0);
	CHECK_EQ_INT(take_and_walk(), 0);
	check_dev_broken();
}

static void test_indirect_nested(void)
{
	unsigned char *tbl;

	REQUIRE(setup(VIRTIO_RING_F_INDIRECT_DESC) == 0);
	tbl = fx_buf(&f, 0x1000);
	rd_set_table_desc(tbl, 0, PA(0), 16, VRING_DESC_F_NEXT, 1);
	rd_set_table_desc(tbl, 1, PA(0x1000), 32, VRING_DESC_F_INDIRECT, 0);
	rd_set_desc(&r, 0, PA(0x1000), 32, VRING_DESC_F_INDIRECT, 0);
	post_raw(0);
	CHECK_EQ_INT(take_and_walk(), 1);
	check_dev_broken();
}

static void test_indirect_with_next(void)
{
	REQUIRE(setup(VIRTIO_RING_F_INDIRECT_DESC) == 0);
	rd_set_table_desc(fx_buf(&f, 0x1000), 0, PA(0), 16, 0, 0);
	rd_set_desc(&r, 0, PA(0x1000), 16, VRING_DESC_F_INDIRECT | VRING_DESC_F_NEXT, 1);
	post_raw(0);
	CHECK_EQ_INT(take_and_walk(), 0);
	check_dev_broken();
}

static void test_indirect_next_beyond_table(void)
{
	REQUIRE(setup(VIRTIO_RING_F_INDIRECT_DESC) == 0);
	rd_set_table_desc(fx_buf(&f, 0x1000), 0, PA(0), 16, VRING_DESC_F_NEXT, 2);
	rd_set_table_desc(fx_buf(&f, 0x1000), 1, PA(0), 16, 0, 0);
	rd_set_desc(&r, 0, PA(0x1000), 32, VRING_DESC_F_INDIRECT, 0);
	post_raw(0);
	CHECK_EQ_INT(take_and_walk(), 1);
	check_dev_broken();
}

static void test_indirect_loop(void)
{
	REQUIRE(setup(VIRTIO_RING_F_INDIRECT_DESC) == 0);
	rd_set_table_desc(fx_buf(&f, 0x1000), 0, PA(0), 16, VRING_DESC_F_NEXT, 1);
	rd_set_table_desc(fx_buf(&f, 0x1000), 1, PA(0), 16, VRING_DESC_F_NEXT, 0);
	rd_set_desc(&r, 0, PA(0x1000), 32, VRING_DESC_F_INDIRECT, 0);
	post_raw(0);
	CHECK_EQ_INT(take_and_walk(), 2);
	check_dev_broken();
}

static void test_indirect_entry_outside(void)
{
	REQUIRE(setup(VIRTIO_RING_F_INDIRECT_DESC) == 0);
	rd_set_table_desc(fx_buf(&f, 0x1000), 0, FX_SHM_PA - 4096, 16, 0, 0);
	rd_set_desc(&r, 0, PA(0x1000), 16, VRING_DESC_F_INDIRECT, 0);
	post_raw(0);
	CHECK_EQ_INT(take_and_walk(), 0);
	check_dev_broken();
}

/* ---- hostile device: driver-role cases ------------------------------------ */

/* Driver posts @n single writable buffers of 64 bytes; returns the first head. */
static uint16_t post_driver(int n)
{
	struct virtqueue_buf b;

	for (int k = 0; k < n; k++) {
		b.buf = fx_buf(&f, (size_t)k * 64);
		b.len = 64;
		virtqueue_add_buffer(f.dq[0], &b, 0, 1, fx_buf(&f, (size_t)k));
	}
	return rd_avail_ring(&r, 0);
}

static void test_used_idx_jump(void)
{
	uint32_t len;

	REQUIRE(setup(0) == 0);
	post_driver(2);
	rd_set_used_elem(&r, 0, rd_avail_ring(&r, 0), 1);
	rd_set_used_idx(&r, 3);
	CHECK(virtqueue_get_buffer(f.dq[0], &len, NULL) == NULL);
	check_drv_broken();
}

static void test_used_id_out_of_range(void)
{
	uint32_t len;

	REQUIRE(setup(0) == 0);
	post_driver(1);
	rd_set_used_elem(&r, 0, FX_NUM, 1);
	rd_set_used_idx(&r, 1);
	CHECK(virtqueue_get_buffer(f.dq[0], &len, NULL) == NULL);
	check_drv_broken();
}

static void test_used_id_not_a_head(void)
{
	struct virtqueue_buf b[2];
	uint16_t head;
	uint32_t len;

	REQUIRE(setup(0) == 0);
	b[0] = (struct virtqueue_buf){fx_buf(&f, 0), 16};
	b[1] = (struct virtqueue_buf){fx_buf(&f, 64), 16};
	REQUIRE(virtqueue_add_buffer(f.dq[0], b, 1, 1, &f) == VQUEUE_SUCCESS);
	head = rd_avail_ring(&r, 0);
	rd_set_used_elem(&r, 0, rd_desc_next(&r, head), 1); /* the chain's second descriptor */
	rd_set_used_idx(&r, 1);
	CHECK(virtqueue_get_buffer(f.dq[0], &len, NULL) == NULL);
	check_drv_broken();
}

static void test_used_id_free_desc(void)
{
	uint32_t len;

	REQUIRE(setup(0) == 0);
	post_driver(1);
	rd_set_used_elem(&r, 0, (uint32_t)(rd_avail_ring(&r, 0) + 7), 1);
	rd_set_used_idx(&r, 1);
	CHECK(virtqueue_get_buffer(f.dq[0], &len, NULL) == NULL);
	check_drv_broken();
}

static void test_used_len_too_big(void)
{
	uint32_t len;

	REQUIRE(setup(0) == 0);
	post_driver(1);
	rd_set_used_elem(&r, 0, rd_avail_ring(&r, 0), 65);
	rd_set_used_idx(&r, 1);
	CHECK(virtqueue_get_buffer(f.dq[0], &len, NULL) == NULL);
	check_drv_broken();
}

static void test_used_len_on_readonly(void)
{
	struct virtqueue_buf b = {fx_buf(&f, 0), 16};
	uint32_t len;

	REQUIRE(setup(0) == 0);
	b.buf = fx_buf(&f, 0);
	REQUIRE(virtqueue_add_buffer(f.dq[0], &b, 1, 0, &f) == VQUEUE_SUCCESS);
	rd_set_used_elem(&r, 0, rd_avail_ring(&r, 0), 1);
	rd_set_used_idx(&r, 1);
	CHECK(virtqueue_get_buffer(f.dq[0], &len, NULL) == NULL);
	check_drv_broken();
}

static void test_used_double_return(void)
{
	uint16_t head;
	uint32_t len;

	REQUIRE(setup(0) == 0);
	head = post_driver(2);
	rd_set_used_elem(&r, 0, head, 4);
	rd_set_used_elem(&r, 1, head, 4);
	rd_set_used_idx(&r, 2);
	CHECK(virtqueue_get_buffer(f.dq[0], &len, NULL) == fx_buf(&f, 0));
	CHECK(virtqueue_get_buffer(f.dq[0], &len, NULL) == NULL);
	check_drv_broken();
}

int main(void)
{
	fx_metal_init();
	RUN(test_avail_idx_jump);
	RUN(test_avail_idx_jump_with_held);
	RUN(test_avail_head_out_of_range);
	RUN(test_avail_head_already_held);
	RUN(test_chain_next_out_of_range);
	RUN(test_chain_self_loop);
	RUN(test_chain_longer_than_ring);
	RUN(test_chain_of_ring_size_is_fine);
	RUN(test_chain_overlaps_held_chain);
	RUN(test_addr_below_region);
	RUN(test_addr_above_region);
	RUN(test_len_beyond_region);
	RUN(test_addr_len_wraps);
	RUN(test_second_desc_outside);
	RUN(test_indirect_not_negotiated);
	RUN(test_indirect_bad_len);
	RUN(test_indirect_zero_len);
	RUN(test_indirect_table_outside);
	RUN(test_indirect_nested);
	RUN(test_indirect_with_next);
	RUN(test_indirect_next_beyond_table);
	RUN(test_indirect_loop);
	RUN(test_indirect_entry_outside);
	RUN(test_used_idx_jump);
	RUN(test_used_id_out_of_range);
	RUN(test_used_id_not_a_head);
	RUN(test_used_id_free_desc);
	RUN(test_used_len_too_big);
	RUN(test_used_len_on_readonly);
	RUN(test_used_double_return);
	metal_finish();
	return check_summary();
}
