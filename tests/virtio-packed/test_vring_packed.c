/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The packed ring format, both roles in one process over one block of
 * memory: every descriptor the driver publishes and every used descriptor the
 * device writes is checked byte for byte with the independent decoder;
 * chains of mixed readable/writable buffers; indirect tables; event suppression
 * (flags, and descriptor events with EVENT_IDX) counted in notifications;
 * pending counts. The wrap-around model is in test_packed_wrap.c.
 */
#include <stdint.h>
#include <string.h>

#include <metal/sys.h>

#include "check.h"
#include "packed_decoder.h"
#include "packed_fixture.h"

#define F_EVENT_IDX (1ull << 29)
#define MEM_SIZE    (64 * 1024)
#define NBUFS	    64

static _Alignas(64) uint8_t mem[MEM_SIZE];

static void test_first_chain_bytes(void)
{
	struct virtqueue_buf b[3];
	struct pf f;
	struct pd_desc d;
	unsigned int i;
	uint16_t id0;

	memset(mem, 0xee, sizeof(mem));
	REQUIRE(pf_setup(&f, mem, sizeof(mem), 16, 0, 3) == 0);
	/* The driver zeroed the whole ring, event structures included. */
	for (i = 0; i < 16 * 16 + 8; i++)
		REQUIRE(mem[i] == 0);
	for (i = 0; i < 3; i++) {
		b[i].buf = pf_buf(&f, i);
		b[i].len = 100 + (int)i;
	}
	CHECK_EQ_INT(virtqueue_add_buffer(f.drv, b, 2, 1, &f), 0);
	for (i = 0; i < 3; i++) {
		d = pd_desc(mem, i);
		CHECK(d.addr == PF_PHYS + PF_BUF_OFF + i * PF_BUF_SIZE);
		CHECK_EQ_INT(d.len, 100 + i);
		CHECK_EQ_INT(d.id, pd_desc(mem, 0).id);
	}
	id0 = pd_desc(mem, 0).id;
	CHECK(id0 < 16);
	CHECK_EQ_INT(pd_desc(mem, 0).flags, PD_F_AVAIL | PD_F_NEXT);
	CHECK_EQ_INT(pd_desc(mem, 1).flags, PD_F_AVAIL | PD_F_NEXT);
	CHECK_EQ_INT(pd_desc(mem, 2).flags, PD_F_AVAIL | PD_F_WRITE);
	CHECK_EQ_INT(pd_desc(mem, 3).flags, 0);
	CHECK_EQ_INT(virtqueue_full(f.drv), 0);
	virtqueue_kick(f.drv);
	CHECK_EQ_INT(f.drv_kicks, 1);

	/* Device side: the chain as posted, then one used descriptor. */
	{
		uint16_t head, nidx, nidx2;
		uint32_t len = 0;
		void *p = virtqueue_get_first_avail_buffer(f.dev, &head, &len);

		CHECK(p == pf_buf(&f, 0));
		CHECK_EQ_INT(len, 100);
		CHECK_EQ_INT(head, id0);
		CHECK(virtqueue_get_buffer_addr(f.dev, head) == pf_buf(&f, 0));
		CHECK_EQ_INT(virtqueue_get_buffer_length(f.dev, head), 100);
		CHECK(virtqueue_get_next_avail_buffer(f.dev, head, &nidx, &len) == pf_buf(&f, 1));
		CHECK_EQ_INT(len, 101);
		CHECK(virtqueue_get_next_avail_buffer(f.dev, nidx, &nidx2, &len) == pf_buf(&f, 2));
		CHECK_EQ_INT(len, 102);
		CHECK(virtqueue_get_next_avail_buffer(f.dev, nidx2, &nidx, &len) == NULL);
		CHECK(virtqueue_get_first_avail_buffer(f.dev, &head, &len) == NULL);
		CHECK_EQ_INT(virtqueue_add_consumed_buffer(f.dev, id0, 7), 0);
		CHECK_EQ_INT(virtqueue_add_consumed_buffer(f.dev, id0, 7), ERROR_INVLD_DESC_IDX);
	}
	d = pd_desc(mem, 0);
	CHECK_EQ_INT(d.id, id0);
	CHECK_EQ_INT(d.len, 7);
	CHECK_EQ_INT(d.flags, PD_F_AVAIL | PD_F_USED | PD_F_WRITE);
	CHECK(d.addr == PF_PHYS + PF_BUF_OFF); /* the device leaves addr alone */
	virtqueue_kick(f.dev);
	CHECK_EQ_INT(f.dev_kicks, 1);
	{
		uint32_t len = 0;
		uint16_t idx = 0xffff;

		CHECK(virtqueue_get_buffer(f.drv, &len, &idx) == &f);
		CHECK_EQ_INT(len, 7);
		CHECK_EQ_INT(idx, id0);
		CHECK(virtqueue_get_buffer(f.drv, &len, &idx) == NULL);
		CHECK_EQ_INT(virtqueue_empty(f.drv), 1);
	}
	CHECK(!amplink_virtqueue_is_broken(f.drv));
	CHECK(!amplink_virtqueue_is_broken(f.dev));
	pf_teardown(&f);
}

/* ---- event suppression ------------------------------------------------------ */

static void post_one(struct pf *f, unsigned int i)
{
	struct virtqueue_buf b = {.buf = pf_buf(f, i), .len = 16};

	REQUIRE(virtqueue_add_buffer(f->drv, &b, 1, 0, pf_buf(f, i)) == 0);
}

static void test_suppression_flags(void)
{
	struct pf f;
	uint16_t head;
	uint32_t len;

	REQUIRE(pf_setup(&f, mem, sizeof(mem), 8, 0, 3) == 0);
	virtqueue_disable_cb(f.drv);
	CHECK_EQ_INT(pd_event_flags(mem, 8, 0), PD_EV_DISABLE);
	CHECK_EQ_INT(virtqueue_enable_cb(f.drv), 0);
	CHECK_EQ_INT(pd_event_flags(mem, 8, 0), PD_EV_ENABLE);

	/* The device turns kicks off: posting does not notify. */
	virtqueue_disable_cb(f.dev);
	CHECK_EQ_INT(pd_event_flags(mem, 8, 1), PD_EV_DISABLE);
	post_one(&f, 0);
	virtqueue_kick(f.drv);
	CHECK_EQ_INT(f.drv_kicks, 0);
	/* Re-enabling reports the pending chain. */
	CHECK_EQ_INT(virtqueue_enable_cb(f.dev), 1);
	CHECK_EQ_INT(pd_event_flags(mem, 8, 1), PD_EV_ENABLE);
	post_one(&f, 1);
	virtqueue_kick(f.drv);
	CHECK_EQ_INT(f.drv_kicks, 1);

	/* The driver turns interrupts off: returning does not notify. */
	virtqueue_disable_cb(f.drv);
	REQUIRE(virtqueue_get_first_avail_buffer(f.dev, &head, &len) != NULL);
	REQUIRE(virtqueue_add_consumed_buffer(f.dev, head, 0) == 0);
	virtqueue_kick(f.dev);
	CHECK_EQ_INT(f.dev_kicks, 0);
	CHECK_EQ_INT(virtqueue_enable_cb(f.drv), 1);
	REQUIRE(virtqueue_get_first_avail_buffer(f.dev, &head, &len) != NULL);
	REQUIRE(virtqueue_add_consumed_buffer(f.dev, head, 0) == 0);
	virtqueue_kick(f.dev);
	CHECK_EQ_INT(f.dev_kicks, 1);
	pf_teardown(&f);
}

static void test_suppression_event_idx(void)
{
	struct pf f;
	uint16_t head;
	uint32_t len;
	unsigned int i;

	REQUIRE(pf_setup(&f, mem, sizeof(mem), 8, F_EVENT_IDX, 3) == 0);
	/* Both sides ask for a descriptor event at slot 0, wrap 1. */
	CHECK_EQ_INT(virtqueue_enable_cb(f.dev), 0);
	CHECK_EQ_INT(pd_event_flags(mem, 8, 1), PD_EV_DESC);
	CHECK_EQ_INT(pd_event_off_wrap(mem, 8, 1), 0x8000);
	CHECK_EQ_INT(virtqueue_enable_cb(f.drv), 0);
	CHECK_EQ_INT(pd_event_flags(mem, 8, 0), PD_EV_DESC);
	CHECK_EQ_INT(pd_event_off_wrap(mem, 8, 0), 0x8000);

	post_one(&f, 0);
	virtqueue_kick(f.drv);
	CHECK_EQ_INT(f.drv_kicks, 1); /* slot 0 was just made available */
	post_one(&f, 1);
	virtqueue_kick(f.drv);
	CHECK_EQ_INT(f.drv_kicks, 1); /* the device has not moved its event */

	/* The device takes one: its event moves to slot 1... */
	REQUIRE(virtqueue_get_first_avail_buffer(f.dev, &head, &len) != NULL);
	CHECK_EQ_INT(pd_event_off_wrap(mem, 8, 1), 0x8001);
	REQUIRE(virtqueue_add_consumed_buffer(f.dev, head, 0) == 0);
	virtqueue_kick(f.dev);
	CHECK_EQ_INT(f.dev_kicks, 1); /* the driver waits for slot 0's use */
	/* ...which is already published, so the next post does not kick. */
	post_one(&f, 2);
	virtqueue_kick(f.drv);
	CHECK_EQ_INT(f.drv_kicks, 1);
	/* The device catches up; now its event is slot 3 and a post hits it. */
	for (i = 0; i < 2; i++) {
		REQUIRE(virtqueue_get_first_avail_buffer(f.dev, &head, &len) != NULL);
		REQUIRE(virtqueue_add_consumed_buffer(f.dev, head, 0) == 0);
	}
	CHECK_EQ_INT(pd_event_off_wrap(mem, 8, 1), 0x8003);
	virtqueue_kick(f.dev);
	CHECK_EQ_INT(f.dev_kicks, 1); /* driver still expects slot 0: already signalled */
	post_one(&f, 3);
	virtqueue_kick(f.drv);
	CHECK_EQ_INT(f.drv_kicks, 2);

	/* The driver consumes: its event moves on, the next used one interrupts. */
	for (i = 0; i < 3; i++)
		CHECK(virtqueue_get_buffer(f.drv, &len, NULL) != NULL);
	CHECK_EQ_INT(pd_event_off_wrap(mem, 8, 0), 0x8003);
	REQUIRE(virtqueue_get_first_avail_buffer(f.dev, &head, &len) != NULL);
	REQUIRE(virtqueue_add_consumed_buffer(f.dev, head, 0) == 0);
	virtqueue_kick(f.dev);
	CHECK_EQ_INT(f.dev_kicks, 2);

	/* Disabled: DISABLE flag, no notification whatever the offset says. */
	virtqueue_disable_cb(f.dev);
	CHECK_EQ_INT(pd_event_flags(mem, 8, 1), PD_EV_DISABLE);
	post_one(&f, 4);
	virtqueue_kick(f.drv);
	CHECK_EQ_INT(f.drv_kicks, 2);
	CHECK_EQ_INT(virtqueue_enable_cb(f.dev), 1);
	pf_teardown(&f);
}

/* Event offsets across the wrap: a kick must still happen once per lap. */
static void test_event_idx_across_wraps(void)
{
	struct pf f;
	uint16_t head;
	uint32_t len;
	unsigned int i;

	REQUIRE(pf_setup(&f, mem, sizeof(mem), 4, F_EVENT_IDX, 3) == 0);
	CHECK_EQ_INT(virtqueue_enable_cb(f.dev), 0);
	for (i = 0; i < 100; i++) {
		post_one(&f, i % 8);
		virtqueue_kick(f.drv);
		REQUIRE(virtqueue_get_first_avail_buffer(f.dev, &head, &len) != NULL);
		REQUIRE(virtqueue_add_consumed_buffer(f.dev, head, 0) == 0);
		REQUIRE(virtqueue_get_buffer(f.drv, &len, NULL) != NULL);
	}
	CHECK_EQ_INT(f.drv_kicks, 100); /* the device always waits for the next slot */
	CHECK_EQ_INT(pd_event_off_wrap(mem, 4, 1), (100 % 4) | ((100 / 4) % 2 ? 0 : 0x8000));
	pf_teardown(&f);
}

static void test_pending_counts(void)
{
	struct virtqueue_buf b[2];
	struct pf f;
	uint16_t head;
	uint32_t len;
	unsigned int i;

	REQUIRE(pf_setup(&f, mem, sizeof(mem), 8, 0, 3) == 0);
	CHECK_EQ_INT(amplink_virtqueue_pending(f.dev), 0);
	CHECK_EQ_INT(amplink_virtqueue_pending(f.drv), 0);
	for (i = 0; i < 2; i++) {
		b[i].buf = pf_buf(&f, i);
		b[i].len = 32;
	}
	post_one(&f, 4);
	REQUIRE(virtqueue_add_buffer(f.drv, b, 1, 1, &f) == 0);
	post_one(&f, 5);
	CHECK_EQ_INT(amplink_virtqueue_pending(f.dev), 3);
	REQUIRE(virtqueue_get_first_avail_buffer(f.dev, &head, &len) != NULL);
	CHECK_EQ_INT(amplink_virtqueue_pending(f.dev), 2);
	REQUIRE(virtqueue_add_consumed_buffer(f.dev, head, 0) == 0);
	for (i = 0; i < 2; i++) {
		REQUIRE(virtqueue_get_first_avail_buffer(f.dev, &head, &len) != NULL);
		REQUIRE(virtqueue_add_consumed_buffer(f.dev, head, 0) == 0);
	}
	CHECK_EQ_INT(amplink_virtqueue_pending(f.dev), 0);
	CHECK_EQ_INT(amplink_virtqueue_pending(f.drv), 3);
	CHECK(virtqueue_get_buffer(f.drv, &len, NULL) != NULL);
	CHECK_EQ_INT(amplink_virtqueue_pending(f.drv), 2);
	while (virtqueue_get_buffer(f.drv, &len, NULL))
		;
	CHECK(!amplink_virtqueue_is_broken(f.drv));
	pf_teardown(&f);
}

static void test_indirect_chain(void)
{
	struct virtqueue_buf b[3];
	struct pf f;
	struct pd_desc d;
	uint8_t *table;
	uint16_t head, nidx, id;
	uint32_t len;
	unsigned int i, round;

	REQUIRE(pf_setup(&f, mem, sizeof(mem), 4, 1ull << 28, 3) == 0);
	table = pf_buf(&f, 10);		       /* 256-byte aligned, inside the region */
	for (round = 0; round < 10; round++) { /* wraps the 4-slot ring */
		unsigned int slot = round % 4, wrap = (round / 4) % 2 ? 0 : 1;

		for (i = 0; i < 3; i++) {
			b[i].buf = pf_buf(&f, i);
			b[i].len = 20 + (int)i;
		}
		REQUIRE(amplink_virtqueue_add_buffer_indirect(
				f.drv, b, 2, 1, (struct vring_desc *)(void *)table, &f) == 0);
		d = pd_desc(mem, slot);
		CHECK(d.addr == pf_da(&f, table));
		CHECK_EQ_INT(d.len, 48);
		CHECK_EQ_INT(d.flags, pd_avail_flags((int)wrap) | PD_F_INDIRECT);
		id = d.id;
		for (i = 0; i < 3; i++) {
			d = pd_desc(table, i);
			CHECK(d.addr == pf_da(&f, pf_buf(&f, i)));
			CHECK_EQ_INT(d.len, 20 + i);
			CHECK_EQ_INT(d.flags, i == 2 ? PD_F_WRITE : 0);
		}
		CHECK_EQ_INT(virtqueue_get_desc_size(f.dev), 20);
		CHECK(virtqueue_get_first_avail_buffer(f.dev, &head, &len) == pf_buf(&f, 0));
		CHECK_EQ_INT(head, id);
		CHECK_EQ_INT(len, 20);
		CHECK(virtqueue_get_buffer_addr(f.dev, head) == pf_buf(&f, 0));
		CHECK(virtqueue_get_next_avail_buffer(f.dev, head, &nidx, &len) == pf_buf(&f, 1));
		CHECK_EQ_INT(len, 21);
		CHECK(virtqueue_get_next_avail_buffer(f.dev, nidx, &nidx, &len) == pf_buf(&f, 2));
		CHECK_EQ_INT(len, 22);
		CHECK(virtqueue_get_next_avail_buffer(f.dev, nidx, &nidx, &len) == NULL);
		REQUIRE(virtqueue_add_consumed_buffer(f.dev, head, 22) == 0);
		d = pd_desc(mem, slot);
		CHECK_EQ_INT(d.flags, pd_used_flags((int)wrap) | PD_F_WRITE);
		CHECK_EQ_INT(d.id, id);
		CHECK(virtqueue_get_buffer(f.drv, &len, NULL) == &f);
		CHECK_EQ_INT(len, 22);
	}
	CHECK(!amplink_virtqueue_is_broken(f.dev));
	CHECK(!amplink_virtqueue_is_broken(f.drv));
	pf_teardown(&f);
}

/*
 * Regression: offsets only count modulo 2 * num. A device that returns a
 * whole 2 * num slots between two notification decisions, while the driver
 * went to sleep waiting on a slot inside that window, must still notify
 * (seen as a lost interrupt in test_packed_notify_twoproc).
 */
static void test_event_idx_long_window(void)
{
	struct pf f;
	uint16_t head;
	uint32_t len;
	unsigned int i;

	REQUIRE(pf_setup(&f, mem, sizeof(mem), 4, F_EVENT_IDX, 3) == 0);
	CHECK_EQ_INT(virtqueue_enable_cb(f.drv), 0);
	virtqueue_kick(f.dev); /* a decision with nothing new: no interrupt */
	CHECK_EQ_INT(f.dev_kicks, 0);
	virtqueue_disable_cb(f.drv);
	for (i = 0; i < 8; i++) {
		post_one(&f, i);
		REQUIRE(virtqueue_get_first_avail_buffer(f.dev, &head, &len) != NULL);
		REQUIRE(virtqueue_add_consumed_buffer(f.dev, head, 0) == 0);
		if (i < 6)
			REQUIRE(virtqueue_get_buffer(f.drv, &len, NULL) != NULL);
		if (i == 5)
			CHECK_EQ_INT(virtqueue_enable_cb(f.drv), 0); /* waits on slot 2, lap 2 */
	}
	virtqueue_kick(f.dev); /* 8 slots = 2 * num since the last decision */
	CHECK_EQ_INT(f.dev_kicks, 1);
	pf_teardown(&f);
}

static void test_driver_refuses(void)
{
	static uint8_t outside[64];
	struct virtqueue_buf b = {.buf = outside, .len = 16};
	struct vring_desc table[2];
	struct pf f;
	unsigned int i;

	REQUIRE(pf_setup(&f, mem, sizeof(mem), 4, 0, 1) == 0);
	CHECK_EQ_INT(virtqueue_add_buffer(f.drv, &b, 1, 0, &f), ERROR_VQUEUE_INVLD_PARAM);
	CHECK_EQ_INT(pd_desc(mem, 0).flags, 0);
	b.buf = pf_buf(&f, 0);
	CHECK_EQ_INT(amplink_virtqueue_add_buffer_indirect(f.drv, &b, 1, 0, table, &f),
		     ERROR_VQUEUE_INVLD_PARAM);
	for (i = 0; i < 4; i++)
		CHECK_EQ_INT(virtqueue_add_buffer(f.drv, &b, 1, 0, &f), 0);
	CHECK_EQ_INT(virtqueue_full(f.drv), 1);
	CHECK_EQ_INT(virtqueue_add_buffer(f.drv, &b, 1, 0, &f), ERROR_VRING_FULL);
	pf_teardown(&f);
}

int main(void)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;

	if (metal_init(&params))
		return 2;
	RUN(test_first_chain_bytes);
	RUN(test_suppression_flags);
	RUN(test_suppression_event_idx);
	RUN(test_event_idx_across_wraps);
	RUN(test_pending_counts);
	RUN(test_indirect_chain);
	RUN(test_event_idx_long_window);
	RUN(test_driver_refuses);
	metal_finish();
	return check_summary();
}
