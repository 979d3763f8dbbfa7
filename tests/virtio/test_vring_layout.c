/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ring memory checked byte for byte with the independent decoder
 * (ring_decoder.h) after driver and device operations: descriptor
 * addr/len/flags/next, avail flags/idx/ring/used_event, used
 * flags/idx/ring/avail_event, ring size and used-ring alignment, and
 * indirect tables.
 */
#include "check.h"
#include "ring_decoder.h"
#include "vq_fixture.h"

static struct fx f;

static void test_size_and_placement(void)
{
	static const unsigned int nums[] = {1, 2, 4, 16, 64, 256, 1024};
	static const unsigned long aligns[] = {4, 16, 64, 4096};
	static _Alignas(4096) unsigned char mem[1 << 20];

	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		for (size_t j = 0; j < sizeof(aligns) / sizeof(aligns[0]); j++) {
			struct rd_ring r = {mem, nums[i], aligns[j]};
			struct vring vr;

			vring_init(&vr, nums[i], mem, aligns[j]);
			CHECK_EQ_INT(vring_size(nums[i], aligns[j]), rd_ring_size(&r));
			CHECK_EQ_INT((unsigned char *)vr.desc - mem, rd_desc_off(&r, 0));
			CHECK_EQ_INT((unsigned char *)vr.avail - mem, rd_avail_off(&r));
			CHECK_EQ_INT((unsigned char *)vr.used - mem, rd_used_off(&r));
			CHECK_EQ_INT((uintptr_t)vr.used % aligns[j], 0);
			CHECK_EQ_INT((unsigned char *)&vring_used_event(&vr) - mem,
				     rd_avail_off(&r) + 4 + 2 * nums[i]);
			CHECK_EQ_INT((unsigned char *)&vring_avail_event(&vr) - mem,
				     rd_used_off(&r) + 4 + 8 * nums[i]);
		}
	}
	/* Structure sizes of the wire format. */
	CHECK_EQ_INT(sizeof(struct vring_desc), 16);
	CHECK_EQ_INT(sizeof(struct vring_used_elem), 8);
	CHECK_EQ_INT(sizeof(struct vring_avail), 4);
	CHECK_EQ_INT(sizeof(struct vring_used), 4);
}

static void test_chain_bytes(void)
{
	struct rd_ring r;
	struct virtqueue_buf b[3];
	uint16_t head, i, d;
	uint32_t len;

	REQUIRE(fx_setup(&f, 0) == 0);
	r = (struct rd_ring){f.mem, FX_NUM, FX_RING_ALIGN};
	/* Post one single buffer first so the chain does not start at 0. */
	b[0].buf = fx_buf(&f, 0x700);
	b[0].len = 8;
	REQUIRE(virtqueue_add_buffer(f.dq[0], b, 1, 0, &r) == VQUEUE_SUCCESS);
	for (int k = 0; k < 3; k++) {
		b[k].buf = fx_buf(&f, (size_t)k * 0x100);
		b[k].len = 10 + k;
	}
	REQUIRE(virtqueue_add_buffer(f.dq[0], b, 2, 1, &f) == VQUEUE_SUCCESS);
	CHECK_EQ_INT(rd_avail_idx(&r), 2);
	CHECK_EQ_INT(rd_avail_flags(&r), 0);
	head = rd_avail_ring(&r, 1);
	CHECK(head != rd_avail_ring(&r, 0));
	CHECK(head < FX_NUM);
	d = head;
	for (int k = 0; k < 3; k++) {
		CHECK_EQ_INT(rd_desc_addr(&r, d), FX_SHM_PA + FX_BUF_OFF + (uint64_t)k * 0x100);
		CHECK_EQ_INT(rd_desc_len(&r, d), 10 + k);
		CHECK_EQ_INT(rd_desc_flags(&r, d), (k < 2 ? 1 : 0) | (k == 2 ? 2 : 0));
		d = rd_desc_next(&r, d);
	}
	/* The first chain is a single readable descriptor without NEXT. */
	CHECK_EQ_INT(rd_desc_flags(&r, rd_avail_ring(&r, 0)), 0);
	CHECK_EQ_INT(rd_desc_addr(&r, rd_avail_ring(&r, 0)), FX_SHM_PA + FX_BUF_OFF + 0x700);

	REQUIRE(virtqueue_get_first_avail_buffer(f.vq[0], &i, &len) != NULL);
	REQUIRE(virtqueue_add_consumed_buffer(f.vq[0], i, 0) == VQUEUE_SUCCESS);
	REQUIRE(virtqueue_get_first_avail_buffer(f.vq[0], &i, &len) != NULL);
	CHECK_EQ_INT(i, head);
	REQUIRE(virtqueue_add_consumed_buffer(f.vq[0], i, 7) == VQUEUE_SUCCESS);
	CHECK_EQ_INT(rd_used_idx(&r), 2);
	CHECK_EQ_INT(rd_used_flags(&r), 0);
	CHECK_EQ_INT(rd_used_id(&r, 1), head);
	CHECK_EQ_INT(rd_used_len(&r, 1), 7);
	CHECK_EQ_INT(rd_used_len(&r, 0), 0);
	/* No EVENT_IDX negotiated: the event fields stay untouched. */
	CHECK_EQ_INT(rd_avail_event(&r), 0);
	CHECK_EQ_INT(rd_used_event(&r), 0);
	/* Suppression flags. */
	virtqueue_disable_cb(f.dq[0]);
	CHECK_EQ_INT(rd_avail_flags(&r), 1);
	virtqueue_disable_cb(f.vq[0]);
	CHECK_EQ_INT(rd_used_flags(&r), 1);
	CHECK_EQ_INT(virtqueue_enable_cb(f.dq[0]), 1); /* two used entries wait */
	CHECK_EQ_INT(rd_avail_flags(&r), 0);
	CHECK_EQ_INT(virtqueue_enable_cb(f.vq[0]), 0);
	CHECK_EQ_INT(rd_used_flags(&r), 0);
	fx_teardown(&f);
}

static void test_event_idx_bytes(void)
{
	struct rd_ring r;
	struct virtqueue_buf b;
	uint16_t i;
	uint32_t len;

	REQUIRE(fx_setup(&f, VIRTIO_RING_F_EVENT_IDX) == 0);
	CHECK(virtio_has_feature(f.drv, 29) && virtio_has_feature(f.dev, 29));
	r = (struct rd_ring){f.mem, FX_NUM, FX_RING_ALIGN};
	for (int k = 0; k < 3; k++) {
		b.buf = fx_buf(&f, (size_t)k * 64);
		b.len = 64;
		REQUIRE(virtqueue_add_buffer(f.dq[0], &b, 0, 1, &f) == VQUEUE_SUCCESS);
	}
	/* The event index is written when a side finds no more work, not per entry. */
	REQUIRE(virtqueue_get_first_avail_buffer(f.vq[0], &i, &len) != NULL);
	CHECK_EQ_INT(rd_avail_event(&r), 0);
	REQUIRE(virtqueue_get_first_avail_buffer(f.vq[0], &i, &len) != NULL);
	REQUIRE(virtqueue_get_first_avail_buffer(f.vq[0], &i, &len) != NULL);
	REQUIRE(virtqueue_get_first_avail_buffer(f.vq[0], &i, &len) == NULL);
	CHECK_EQ_INT(rd_avail_event(&r), 3);
	REQUIRE(virtqueue_add_consumed_buffer(f.vq[0], i, 1) == VQUEUE_SUCCESS);
	REQUIRE(virtqueue_get_buffer(f.dq[0], &len, NULL) == &f);
	CHECK_EQ_INT(rd_used_event(&r), 0);
	REQUIRE(virtqueue_get_buffer(f.dq[0], &len, NULL) == NULL);
	CHECK_EQ_INT(rd_used_event(&r), 1);
	b.buf = fx_buf(&f, 3 * 64);
	REQUIRE(virtqueue_add_buffer(f.dq[0], &b, 0, 1, &f) == VQUEUE_SUCCESS);
	/* Disabling moves the event index out of reach (more than a ring away). */
	virtqueue_disable_cb(f.vq[0]);
	CHECK_EQ_INT((uint16_t)(3 - rd_avail_event(&r)), FX_NUM + 1);
	virtqueue_disable_cb(f.dq[0]);
	CHECK_EQ_INT((uint16_t)(1 - rd_used_event(&r)), FX_NUM + 1);
	CHECK_EQ_INT(virtqueue_enable_cb(f.vq[0]), 1); /* one chain still waiting */
	CHECK_EQ_INT(rd_avail_event(&r), 3);
	CHECK_EQ_INT(virtqueue_enable_cb(f.dq[0]), 0);
	CHECK_EQ_INT(rd_used_event(&r), 1);
	fx_teardown(&f);
}

static void test_indirect_bytes(void)
{
	struct rd_ring r;
	struct virtqueue_buf b[3];
	struct vring_desc *tbl;
	uint16_t head, i;
	uint32_t len;
	unsigned char *p;
	int n = 0;

	REQUIRE(fx_setup(&f, VIRTIO_RING_F_INDIRECT_DESC) == 0);
	r = (struct rd_ring){f.mem, FX_NUM, FX_RING_ALIGN};
	tbl = fx_buf(&f, 0x8000);
	for (int k = 0; k < 3; k++) {
		b[k].buf = fx_buf(&f, (size_t)k * 0x100);
		b[k].len = 20 + k;
	}
	/* Without a table, or misaligned, the call is refused. */
	CHECK_EQ_INT(amplink_virtqueue_add_buffer_indirect(f.dq[0], b, 1, 2, NULL, &f),
		     ERROR_VQUEUE_INVLD_PARAM);
	CHECK_EQ_INT(amplink_virtqueue_add_buffer_indirect(
			     f.dq[0], b, 1, 2, (struct vring_desc *)fx_buf(&f, 0x8004), &f),
		     ERROR_VQUEUE_INVLD_PARAM);
	{ /* a table outside the shared region is refused before anything is written */
		_Alignas(16) struct vring_desc outside[3];

		memset(outside, 0x77, sizeof(outside));
		CHECK_EQ_INT(amplink_virtqueue_add_buffer_indirect(f.dq[0], b, 1, 2, outside, &f),
			     ERROR_VQUEUE_INVLD_PARAM);
		CHECK_EQ_INT(((unsigned char *)outside)[0], 0x77);
	}
	REQUIRE(amplink_virtqueue_add_buffer_indirect(f.dq[0], b, 1, 2, tbl, &f) == VQUEUE_SUCCESS);
	CHECK_EQ_INT(f.dq[0]->vq_free_cnt, FX_NUM - 1);
	head = rd_avail_ring(&r, 0);
	CHECK_EQ_INT(rd_desc_flags(&r, head), 4);
	CHECK_EQ_INT(rd_desc_len(&r, head), 48);
	CHECK_EQ_INT(rd_desc_addr(&r, head), FX_SHM_PA + FX_BUF_OFF + 0x8000);
	{
		struct rd_ring t = {(unsigned char *)tbl, 3, 1};

		for (int k = 0; k < 3; k++) {
			CHECK_EQ_INT(rd_desc_addr(&t, k),
				     FX_SHM_PA + FX_BUF_OFF + (uint64_t)k * 0x100);
			CHECK_EQ_INT(rd_desc_len(&t, k), 20 + k);
			CHECK_EQ_INT(rd_desc_flags(&t, k), (k < 2 ? 1 : 0) | (k > 0 ? 2 : 0));
			if (k < 2)
				CHECK_EQ_INT(rd_desc_next(&t, k), k + 1);
		}
	}
	p = virtqueue_get_first_avail_buffer(f.vq[0], &head, &len);
	i = 0xffff;
	while (p) {
		CHECK(p == b[n].buf);
		CHECK_EQ_INT(len, 20 + n);
		n++;
		p = virtqueue_get_next_avail_buffer(f.vq[0], n == 1 ? head : i, &i, &len);
	}
	CHECK_EQ_INT(n, 3);
	CHECK(virtqueue_get_buffer_addr(f.vq[0], head) == b[0].buf);
	REQUIRE(virtqueue_add_consumed_buffer(f.vq[0], head, 43) == VQUEUE_SUCCESS);
	CHECK(virtqueue_get_buffer(f.dq[0], &len, NULL) == &f);
	CHECK_EQ_INT(len, 43);
	CHECK_EQ_INT(f.dq[0]->vq_free_cnt, FX_NUM);
	fx_teardown(&f);
}

int main(void)
{
	fx_metal_init();
	RUN(test_size_and_placement);
	RUN(test_chain_bytes);
	RUN(test_event_idx_bytes);
	RUN(test_indirect_bytes);
	metal_finish();
	return check_summary();
}
