/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The packed ring against hostile peers. The test writes raw descriptor
 * bytes (through the independent decoder) as a misbehaving driver or device;
 * each case must be refused without touching memory outside the region, the
 * queue must stay broken (refusing valid work too) until reset, the device
 * role must raise NEEDS_RESET, and after a reset the queue works again.
 */
#include <string.h>

#include <metal/sys.h>

#include "check.h"
#include "packed_decoder.h"
#include "packed_fixture.h"

#define MEM_SIZE (32 * 1024)
#define NUM	 8

static _Alignas(64) uint8_t mem[MEM_SIZE];
static uint8_t dev_status;

static uint8_t fake_get_status(struct virtio_device *vdev)
{
	(void)vdev;
	return dev_status;
}

static void fake_set_status(struct virtio_device *vdev, uint8_t status)
{
	(void)vdev;
	dev_status = status;
}

static const struct virtio_dispatch fake_dispatch = {
	.get_status = fake_get_status,
	.set_status = fake_set_status,
};

/* A device-role queue over zeroed memory; the test is the driver. */
static int dev_setup(struct pf *f)
{
	memset(mem, 0, sizeof(mem));
	dev_status = VIRTIO_CONFIG_STATUS_DRIVER_OK;
	if (pf_setup(f, mem, sizeof(mem), NUM, 0, 2))
		return -1;
	f->dev_vdev.func = &fake_dispatch;
	return 0;
}

/* Raw available descriptor in slot @i of the first lap. */
static void put_avail(struct pf *f, unsigned int i, uint64_t addr, uint32_t len, uint16_t id,
		      uint16_t extra)
{
	(void)f;
	pd_put_desc(mem, i, addr, len, id, (uint16_t)(pd_avail_flags(1) | extra));
}

/* The device queue is broken, refuses a valid chain, and recovers after reset. */
static void expect_dev_broken_then_recover(struct pf *f)
{
	uint16_t head;
	uint32_t len;

	CHECK(amplink_virtqueue_is_broken(f->dev));
	CHECK(dev_status & VIRTIO_CONFIG_STATUS_NEEDS_RESET);
	memset(mem, 0, NUM * 16);
	put_avail(f, 0, pf_da(f, pf_buf(f, 0)), 32, 1, 0);
	CHECK(virtqueue_get_first_avail_buffer(f->dev, &head, &len) == NULL);
	CHECK_EQ_INT(virtqueue_add_consumed_buffer(f->dev, 1, 0), AMPLINK_VQ_ERR_BROKEN);
	CHECK_EQ_INT(amplink_virtqueue_reset(f->dev), 0);
	CHECK(!amplink_virtqueue_is_broken(f->dev));
	CHECK(virtqueue_get_first_avail_buffer(f->dev, &head, &len) == pf_buf(f, 0));
	CHECK_EQ_INT(head, 1);
	CHECK_EQ_INT(virtqueue_add_consumed_buffer(f->dev, head, 0), 0);
	CHECK_EQ_INT(pd_desc(mem, 0).flags, pd_used_flags(1));
}

static void take_expect_null(struct pf *f)
{
	uint16_t head = 0xabcd;
	uint32_t len = 0;

	CHECK(virtqueue_get_first_avail_buffer(f->dev, &head, &len) == NULL);
}

static void test_id_out_of_range(void)
{
	struct pf f;

	REQUIRE(dev_setup(&f) == 0);
	put_avail(&f, 0, pf_da(&f, pf_buf(&f, 0)), 32, NUM, 0);
	take_expect_null(&f);
	expect_dev_broken_then_recover(&f);
	pf_teardown(&f);
}

static void test_id_already_held(void)
{
	struct pf f;
	uint16_t head;
	uint32_t len;

	REQUIRE(dev_setup(&f) == 0);
	put_avail(&f, 0, pf_da(&f, pf_buf(&f, 0)), 32, 3, 0);
	put_avail(&f, 1, pf_da(&f, pf_buf(&f, 1)), 32, 3, 0);
	REQUIRE(virtqueue_get_first_avail_buffer(f.dev, &head, &len) != NULL);
	take_expect_null(&f);
	expect_dev_broken_then_recover(&f);
	pf_teardown(&f);
}

static void test_chain_longer_than_ring(void)
{
	struct pf f;
	unsigned int i;

	REQUIRE(dev_setup(&f) == 0);
	for (i = 0; i < NUM; i++)
		put_avail(&f, i, pf_da(&f, pf_buf(&f, i)), 16, 0, PD_F_NEXT);
	take_expect_null(&f);
	expect_dev_broken_then_recover(&f);
	pf_teardown(&f);
}

static void test_chain_longer_than_free_slots(void)
{
	struct pf f;
	uint16_t head;
	uint32_t len;
	unsigned int i;

	REQUIRE(dev_setup(&f) == 0);
	/* Three chains held take three slots; a 6-descriptor chain cannot exist. */
	for (i = 0; i < 3; i++)
		put_avail(&f, i, pf_da(&f, pf_buf(&f, i)), 16, (uint16_t)i, 0);
	for (i = 0; i < 3; i++)
		REQUIRE(virtqueue_get_first_avail_buffer(f.dev, &head, &len) != NULL);
	for (i = 3; i < NUM; i++)
		put_avail(&f, i, pf_da(&f, pf_buf(&f, i)), 16, 5, PD_F_NEXT);
	/* The chain would continue into slot 0 of the next lap. */
	take_expect_null(&f);
	CHECK(amplink_virtqueue_is_broken(f.dev));
	CHECK_EQ_INT(amplink_virtqueue_reset(f.dev), 0);
	pf_teardown(&f);
}

static void test_address_outside(void)
{
	struct pf f;

	REQUIRE(dev_setup(&f) == 0);
	put_avail(&f, 0, 0x10, 32, 0, 0); /* below the region */
	take_expect_null(&f);
	expect_dev_broken_then_recover(&f);
	pf_teardown(&f);

	REQUIRE(dev_setup(&f) == 0);
	put_avail(&f, 0, PF_PHYS + MEM_SIZE - 8, 64, 0, 0); /* runs past the end */
	take_expect_null(&f);
	expect_dev_broken_then_recover(&f);
	pf_teardown(&f);

	REQUIRE(dev_setup(&f) == 0);
	put_avail(&f, 0, PF_PHYS + 64, 0xffffffffu, 0, 0); /* length overflow */
	take_expect_null(&f);
	expect_dev_broken_then_recover(&f);
	pf_teardown(&f);

	REQUIRE(dev_setup(&f) == 0);
	put_avail(&f, 0, 0xfffffffffffffff0ull, 32, 0, 0); /* address overflow */
	take_expect_null(&f);
	expect_dev_broken_then_recover(&f);
	pf_teardown(&f);
}

static void test_bad_second_buffer(void)
{
	struct pf f;
	uint16_t head, nidx;
	uint32_t len;

	REQUIRE(dev_setup(&f) == 0);
	put_avail(&f, 0, pf_da(&f, pf_buf(&f, 0)), 16, 0, PD_F_NEXT);
	put_avail(&f, 1, PF_PHYS + MEM_SIZE, 16, 0, PD_F_WRITE);
	REQUIRE(virtqueue_get_first_avail_buffer(f.dev, &head, &len) == pf_buf(&f, 0));
	CHECK(virtqueue_get_next_avail_buffer(f.dev, head, &nidx, &len) == NULL);
	CHECK(amplink_virtqueue_is_broken(f.dev));
	CHECK_EQ_INT(amplink_virtqueue_reset(f.dev), 0);
	pf_teardown(&f);
}

static void test_link_not_available(void)
{
	struct pf f;

	REQUIRE(dev_setup(&f) == 0);
	put_avail(&f, 0, pf_da(&f, pf_buf(&f, 0)), 16, 0, PD_F_NEXT);
	pd_put_desc(mem, 1, pf_da(&f, pf_buf(&f, 1)), 16, 0, pd_avail_flags(0)); /* wrong lap */
	take_expect_null(&f);
	expect_dev_broken_then_recover(&f);
	pf_teardown(&f);
}

static void test_indirect_refused(void)
{
	struct pf f;

	REQUIRE(dev_setup(&f) == 0);
	put_avail(&f, 0, pf_da(&f, pf_buf(&f, 0)), 32, 0, PD_F_INDIRECT);
	take_expect_null(&f);
	expect_dev_broken_then_recover(&f);
	pf_teardown(&f);
}

/* With VIRTIO_RING_F_INDIRECT_DESC negotiated: malformed tables. */
static void indirect_case(uint64_t addr, uint32_t len, uint16_t extra, int nested_entry)
{
	struct pf f;
	uint8_t *table;
	uint16_t head, nidx;
	uint32_t blen;

	memset(mem, 0, sizeof(mem));
	dev_status = VIRTIO_CONFIG_STATUS_DRIVER_OK;
	REQUIRE(pf_setup(&f, mem, sizeof(mem), NUM, 1ull << 28, 2) == 0);
	f.dev_vdev.func = &fake_dispatch;
	table = pf_buf(&f, 20);
	pd_put_desc(table, 0, pf_da(&f, pf_buf(&f, 0)), 16, 0, 0);
	pd_put_desc(table, 1, pf_da(&f, pf_buf(&f, 1)), 16, 0,
		    nested_entry == 1 ? PD_F_INDIRECT : PD_F_WRITE);
	if (nested_entry == 0)
		pd_put_desc(table, 0, pf_da(&f, pf_buf(&f, 0)), 16, 0, PD_F_INDIRECT);
	put_avail(&f, 0, addr ? addr : pf_da(&f, table), len, 2, (uint16_t)(PD_F_INDIRECT | extra));
	if (nested_entry == 1) {
		REQUIRE(virtqueue_get_first_avail_buffer(f.dev, &head, &blen) == pf_buf(&f, 0));
		CHECK(virtqueue_get_next_avail_buffer(f.dev, head, &nidx, &blen) == NULL);
	} else {
		take_expect_null(&f);
	}
	CHECK(amplink_virtqueue_is_broken(f.dev));
	CHECK(dev_status & VIRTIO_CONFIG_STATUS_NEEDS_RESET);
	pf_teardown(&f);
}

static void test_indirect_malformed(void)
{
	indirect_case(0, 32, PD_F_NEXT, -1);		    /* INDIRECT with NEXT */
	indirect_case(0, 24, 0, -1);			    /* not whole descriptors */
	indirect_case(0, 0, 0, -1);			    /* empty table */
	indirect_case(PF_PHYS + MEM_SIZE - 16, 32, 0, -1);  /* runs past the region */
	indirect_case(PF_PHYS + PF_BUF_OFF + 8, 32, 0, -1); /* misaligned table */
	indirect_case(0, 32, 0, 0);			    /* nested, first entry */
	indirect_case(0, 32, 0, 1);			    /* nested, second entry */
}

static void test_not_available_is_not_an_error(void)
{
	struct pf f;

	REQUIRE(dev_setup(&f) == 0);
	/* Used-looking and previous-lap flags: nothing to take, queue fine. */
	pd_put_desc(mem, 0, pf_da(&f, pf_buf(&f, 0)), 16, 0, pd_used_flags(1));
	take_expect_null(&f);
	pd_put_desc(mem, 0, pf_da(&f, pf_buf(&f, 0)), 16, 0, pd_avail_flags(0));
	take_expect_null(&f);
	CHECK_EQ_INT(virtqueue_get_desc_size(f.dev), 0);
	CHECK(!amplink_virtqueue_is_broken(f.dev));
	CHECK_EQ_INT(virtqueue_add_consumed_buffer(f.dev, 0, 0), ERROR_INVLD_DESC_IDX);
	CHECK_EQ_INT(virtqueue_add_consumed_buffer(f.dev, NUM + 1, 0), ERROR_INVLD_DESC_IDX);
	CHECK(!amplink_virtqueue_is_broken(f.dev));
	pf_teardown(&f);
}

/* ---- hostile device (the test writes used descriptors) ---------------------- */

static int drv_setup(struct pf *f, int writable_len)
{
	struct virtqueue_buf b[2];

	memset(mem, 0, sizeof(mem));
	if (pf_setup(f, mem, sizeof(mem), NUM, 0, 1))
		return -1;
	b[0].buf = pf_buf(f, 0);
	b[0].len = 16;
	b[1].buf = pf_buf(f, 1);
	b[1].len = writable_len;
	return virtqueue_add_buffer(f->drv, b, 1, writable_len ? 1 : 0, f);
}

static void expect_drv_broken_then_recover(struct pf *f)
{
	struct virtqueue_buf b = {.buf = pf_buf(f, 2), .len = 8};
	uint32_t len;

	CHECK(amplink_virtqueue_is_broken(f->drv));
	CHECK(virtqueue_get_buffer(f->drv, &len, NULL) == NULL);
	CHECK_EQ_INT(virtqueue_add_buffer(f->drv, &b, 1, 0, f), AMPLINK_VQ_ERR_BROKEN);
	CHECK_EQ_INT(amplink_virtqueue_reset(f->drv), 0);
	CHECK_EQ_INT(pd_desc(mem, 0).flags, 0); /* ring re-zeroed */
	CHECK_EQ_INT(virtqueue_add_buffer(f->drv, &b, 1, 0, f), 0);
	pd_put_desc(mem, 0, 0, 0, pd_desc(mem, 0).id, pd_used_flags(1));
	CHECK(virtqueue_get_buffer(f->drv, &len, NULL) == f);
	CHECK(!amplink_virtqueue_is_broken(f->drv));
}

static void test_used_id_out_of_range(void)
{
	struct pf f;
	uint32_t len;

	REQUIRE(drv_setup(&f, 16) == 0);
	pd_put_desc(mem, 0, 0, 0, NUM + 4, pd_used_flags(1));
	CHECK(virtqueue_get_buffer(f.drv, &len, NULL) == NULL);
	expect_drv_broken_then_recover(&f);
	pf_teardown(&f);
}

static void test_used_id_not_in_flight(void)
{
	struct pf f;
	uint32_t len;
	uint16_t id;

	REQUIRE(drv_setup(&f, 16) == 0);
	id = pd_desc(mem, 0).id;
	pd_put_desc(mem, 0, 0, 0, (uint16_t)((id + 1) % NUM), pd_used_flags(1));
	CHECK(virtqueue_get_buffer(f.drv, &len, NULL) == NULL);
	expect_drv_broken_then_recover(&f);
	pf_teardown(&f);
}

static void test_used_len_too_big(void)
{
	struct pf f;
	uint32_t len;
	uint16_t id;

	REQUIRE(drv_setup(&f, 16) == 0);
	id = pd_desc(mem, 0).id;
	pd_put_desc(mem, 0, 0, 17, id, pd_used_flags(1) | PD_F_WRITE);
	CHECK(virtqueue_get_buffer(f.drv, &len, NULL) == NULL);
	expect_drv_broken_then_recover(&f);
	pf_teardown(&f);

	/* Without WRITE the length is reserved: ignored, reported as 0. */
	REQUIRE(drv_setup(&f, 16) == 0);
	id = pd_desc(mem, 0).id;
	pd_put_desc(mem, 0, 0, 0x7fffffff, id, pd_used_flags(1));
	len = 99;
	CHECK(virtqueue_get_buffer(f.drv, &len, NULL) == &f);
	CHECK_EQ_INT(len, 0);
	CHECK(!amplink_virtqueue_is_broken(f.drv));
	pf_teardown(&f);
}

static void test_used_nothing_in_flight(void)
{
	struct pf f;
	uint32_t len;

	memset(mem, 0, sizeof(mem));
	REQUIRE(pf_setup(&f, mem, sizeof(mem), NUM, 0, 1) == 0);
	pd_put_desc(mem, 0, 0, 0, 0, pd_used_flags(1));
	CHECK(virtqueue_get_buffer(f.drv, &len, NULL) == NULL);
	expect_drv_broken_then_recover(&f);
	pf_teardown(&f);
}

int main(void)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;

	params.log_level = METAL_LOG_CRITICAL; /* every case logs an error line */
	if (metal_init(&params))
		return 2;
	RUN(test_id_out_of_range);
	RUN(test_id_already_held);
	RUN(test_chain_longer_than_ring);
	RUN(test_chain_longer_than_free_slots);
	RUN(test_address_outside);
	RUN(test_bad_second_buffer);
	RUN(test_link_not_available);
	RUN(test_indirect_refused);
	RUN(test_indirect_malformed);
	RUN(test_not_available_is_not_an_error);
	RUN(test_used_id_out_of_range);
	RUN(test_used_id_not_in_flight);
	RUN(test_used_len_too_big);
	RUN(test_used_nothing_in_flight);
	metal_finish();
	return check_summary();
}
