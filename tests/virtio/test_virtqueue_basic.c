/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Both virtqueue roles in one process over one shared region, built through
 * the resource-table transport: single buffers, readable+writable chains,
 * cookies, lengths, ring full/empty, and the device-side accessors.
 */
#include "check.h"
#include "vq_fixture.h"

static struct fx f;

/* Little-endian u64 at byte @off of @p (descriptor addresses, read raw). */
static uint64_t rh64(const unsigned char *p, size_t off)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = (v << 8) | p[off + (size_t)i];
	return v;
}

static void test_roundtrip_single(void)
{
	struct virtqueue_buf b;
	uint16_t head = 0xffff, idx = 0xffff;
	uint32_t len = 0;
	char *p;

	REQUIRE(fx_setup(&f, 0) == 0);
	b.buf = fx_buf(&f, 0);
	b.len = 100;
	memset(b.buf, 0xA5, 100);
	CHECK_EQ_INT(virtqueue_add_buffer(f.dq[1], &b, 1, 0, &f), VQUEUE_SUCCESS);
	virtqueue_kick(f.dq[1]);
	CHECK_EQ_INT(f.kicks[1][1], 1);
	CHECK_EQ_INT(virtqueue_get_desc_size(f.vq[1]), 100);
	p = virtqueue_get_first_avail_buffer(f.vq[1], &head, &len);
	CHECK(p == b.buf);
	CHECK_EQ_INT(len, 100);
	CHECK(p && p[0] == (char)0xA5 && p[99] == (char)0xA5);
	CHECK(virtqueue_get_buffer_addr(f.vq[1], head) == b.buf);
	CHECK_EQ_INT(virtqueue_get_buffer_length(f.vq[1], head), 100);
	CHECK(virtqueue_get_first_avail_buffer(f.vq[1], &head, &len) == NULL);
	CHECK(virtqueue_get_buffer(f.dq[1], &len, &idx) == NULL);
	CHECK_EQ_INT(virtqueue_add_consumed_buffer(f.vq[1], head, 0), VQUEUE_SUCCESS);
	CHECK_EQ_INT(virtqueue_add_consumed_buffer(f.vq[1], head, 0), ERROR_INVLD_DESC_IDX);
	virtqueue_kick(f.vq[1]);
	CHECK_EQ_INT(f.kicks[0][1], 1);
	CHECK(virtqueue_get_buffer(f.dq[1], &len, &idx) == &f);
	CHECK_EQ_INT(len, 0);
	CHECK_EQ_INT(idx, head);
	CHECK(virtqueue_empty(f.dq[1]));
	virtqueue_dump(f.dq[1]);
	virtqueue_dump(f.vq[1]);
	virtqueue_dump(NULL);
	CHECK_EQ_INT(fx_errors, 1); /* the double return was logged */
	fx_teardown(&f);
}

static void test_chain_rw(void)
{
	struct virtqueue_buf b[4];
	uint16_t head, i, cur;
	uint32_t len, total = 0;
	unsigned char *p;
	int n = 0;

	REQUIRE(fx_setup(&f, 0) == 0);
	for (n = 0; n < 4; n++) {
		b[n].buf = fx_buf(&f, (size_t)n * 4096);
		b[n].len = 16 << n;
	}
	n = 0;
	fx_errors = 0;
	memset(b[0].buf, 1, 16);
	memset(b[1].buf, 2, 32);
	CHECK_EQ_INT(virtqueue_add_buffer(f.dq[0], b, 2, 2, (void *)0x1234), VQUEUE_SUCCESS);
	CHECK_EQ_INT(f.dq[0]->vq_free_cnt, FX_NUM - 4);
	p = virtqueue_get_first_avail_buffer(f.vq[0], &head, &len);
	cur = head;
	while (p) {
		CHECK(p == b[n].buf);
		CHECK_EQ_INT(len, b[n].len);
		if (n < 2) {
			CHECK_EQ_INT(p[0], n + 1);
		} else {
			memset(p, 0x30 + n, len);
			total += len;
		}
		n++;
		p = virtqueue_get_next_avail_buffer(f.vq[0], cur, &i, &len);
		cur = i;
	}
	CHECK_EQ_INT(n, 4);
	CHECK_EQ_INT(virtqueue_add_consumed_buffer(f.vq[0], head, total), VQUEUE_SUCCESS);
	CHECK(virtqueue_get_buffer(f.dq[0], &len, &i) == (void *)0x1234);
	CHECK_EQ_INT(len, 192);
	CHECK_EQ_INT(((unsigned char *)b[3].buf)[127], 0x33);
	CHECK_EQ_INT(f.dq[0]->vq_free_cnt, FX_NUM);
	CHECK_EQ_INT(fx_errors, 0);
	fx_teardown(&f);
}

static void test_full_and_wrap(void)
{
	struct virtqueue_buf b;
	uint16_t head;
	uint32_t len;
	int round, k;

	REQUIRE(fx_setup(&f, 0) == 0);
	fx_errors = 0;
	for (round = 0; round < 5; round++) { /* 5 * 64 > 65536 / 64: several laps of the ring */
		for (k = 0; k < FX_NUM; k++) {
			b.buf = fx_buf(&f, (size_t)k * 64);
			b.len = 64;
			CHECK_EQ_INT(virtqueue_add_buffer(f.dq[0], &b, 0, 1, fx_buf(&f, (size_t)k)),
				     VQUEUE_SUCCESS);
		}
		CHECK(virtqueue_full(f.dq[0]));
		CHECK_EQ_INT(virtqueue_add_buffer(f.dq[0], &b, 0, 1, &f), ERROR_VRING_FULL);
		CHECK_EQ_INT(amplink_virtqueue_pending(f.vq[0]), FX_NUM);
		for (k = 0; k < FX_NUM; k++) {
			void *p = virtqueue_get_first_avail_buffer(f.vq[0], &head, &len);

			CHECK(p == fx_buf(&f, (size_t)k * 64));
			CHECK_EQ_INT(virtqueue_add_consumed_buffer(f.vq[0], head, (uint32_t)k),
				     VQUEUE_SUCCESS);
		}
		CHECK_EQ_INT(amplink_virtqueue_pending(f.dq[0]), FX_NUM);
		for (k = 0; k < FX_NUM; k++) {
			CHECK(virtqueue_get_buffer(f.dq[0], &len, NULL) == fx_buf(&f, (size_t)k));
			CHECK_EQ_INT(len, k);
		}
		CHECK(virtqueue_empty(f.dq[0]));
	}
	CHECK_EQ_INT(fx_errors, 0);
	fx_teardown(&f);
}

static void test_bad_args(void)
{
	struct virtqueue_buf b;
	struct virtqueue_buf outside = {&b, 16};
	uint16_t head;
	uint32_t len;

	REQUIRE(fx_setup(&f, 0) == 0);
	b.buf = fx_buf(&f, 0);
	b.len = 16;
	CHECK_EQ_INT(virtqueue_add_buffer(f.dq[0], &b, 1, 0, NULL), ERROR_VQUEUE_INVLD_PARAM);
	CHECK_EQ_INT(virtqueue_add_buffer(f.dq[0], &b, 0, 0, &f), ERROR_VQUEUE_INVLD_PARAM);
	CHECK_EQ_INT(virtqueue_add_buffer(f.dq[0], &outside, 1, 0, &f), ERROR_VQUEUE_INVLD_PARAM);
	b.len = FX_SHM_SIZE;
	CHECK_EQ_INT(virtqueue_add_buffer(f.dq[0], &b, 1, 0, &f), ERROR_VQUEUE_INVLD_PARAM);
	CHECK_EQ_INT(f.dq[0]->vq_free_cnt, FX_NUM);
	/* role mix-ups are refused */
	b.len = 16;
	CHECK_EQ_INT(virtqueue_add_buffer(f.vq[0], &b, 1, 0, &f), ERROR_VQUEUE_INVLD_PARAM);
	CHECK(virtqueue_get_first_avail_buffer(f.dq[0], &head, &len) == NULL);
	CHECK_EQ_INT(virtqueue_add_consumed_buffer(f.vq[0], 3, 0), ERROR_INVLD_DESC_IDX);
	CHECK(virtqueue_get_buffer_addr(f.vq[0], 3) == NULL);
	CHECK(!amplink_virtqueue_is_broken(f.dq[0]) && !amplink_virtqueue_is_broken(f.vq[0]));
	fx_teardown(&f);
}

/* Post on dq[1] the @len bytes at offset @off of the region; take it on vq[1]. Returns the va. */
static void *post_take(size_t off, int len, uint16_t *head)
{
	struct virtqueue_buf b = {f.mem + off, len};
	uint32_t got = 0;

	if (virtqueue_add_buffer(f.dq[1], &b, 1, 0, &f) != VQUEUE_SUCCESS)
		return NULL;
	return virtqueue_get_first_avail_buffer(f.vq[1], head, &got);
}

/*
 * Buffer addresses through a region that is not one linear page (two pages
 * mapped in reverse order) and through the linear one, up to the last byte:
 * the same device addresses and virtual addresses both ways, and a buffer
 * one byte past the end is refused by the driver.
 */
static void test_address_maps(void)
{
	const size_t half = FX_SHM_SIZE / 2;
	metal_phys_addr_t pages[2] = {FX_SHM_PA, 0x30000000UL};
	struct metal_io_region io2;
	struct virtqueue_buf b;
	uint16_t head = 0;
	int i;

	REQUIRE(fx_setup(&f, 0) == 0);
	/* Linear: the last 64 bytes are fine, one more byte is not. */
	CHECK(post_take(FX_SHM_SIZE - 64, 64, &head) == f.mem + FX_SHM_SIZE - 64);
	CHECK_EQ_INT(rh64(f.mem, FX_RING1_OFF + 16u * head), FX_SHM_PA + FX_SHM_SIZE - 64);
	b.buf = f.mem + FX_SHM_SIZE - 64;
	b.len = 65;
	CHECK_EQ_INT(virtqueue_add_buffer(f.dq[1], &b, 1, 0, &f), ERROR_VQUEUE_INVLD_PARAM);
	b.buf = f.mem - 16;
	b.len = 16;
	CHECK_EQ_INT(virtqueue_add_buffer(f.dq[1], &b, 1, 0, &f), ERROR_VQUEUE_INVLD_PARAM);
	/* The same region struct re-initialised in place over other memory: followed. */
	{
		unsigned char *mem2 = aligned_alloc(4096, FX_SHM_SIZE);
		metal_phys_addr_t pa2 = 0x60000000UL;
		uint32_t got = 0;

		REQUIRE(mem2 != NULL);
		metal_io_init(&f.io, mem2, &pa2, FX_SHM_SIZE, (unsigned int)-1, 0, NULL);
		b.buf = mem2 + 8192;
		b.len = 32;
		CHECK_EQ_INT(virtqueue_add_buffer(f.dq[1], &b, 1, 0, &f), VQUEUE_SUCCESS);
		CHECK(virtqueue_get_first_avail_buffer(f.vq[1], &head, &got) == mem2 + 8192);
		CHECK_EQ_INT(rh64(f.mem, FX_RING1_OFF + 16u * head), 0x60000000UL + 8192);
		metal_io_init(&f.io, f.mem, &f.pa, FX_SHM_SIZE, (unsigned int)-1, 0, NULL);
		free(mem2);
	}
	/* Two pages, the second one mapped below the first. */
	metal_io_init(&io2, f.mem, pages, FX_SHM_SIZE, 19, 0, NULL);
	for (i = 0; i < 2; i++) {
		virtqueue_set_shmem_io(f.dq[i], &io2);
		virtqueue_set_shmem_io(f.vq[i], &io2);
	}
	CHECK(post_take(half + 4096, 100, &head) == f.mem + half + 4096);
	CHECK_EQ_INT(rh64(f.mem, FX_RING1_OFF + 16u * head), 0x30000000UL + 4096);
	CHECK(post_take(4096, 100, &head) == f.mem + 4096);
	CHECK_EQ_INT(rh64(f.mem, FX_RING1_OFF + 16u * head), FX_SHM_PA + 4096);
	CHECK(post_take(FX_SHM_SIZE - 64, 64, &head) == f.mem + FX_SHM_SIZE - 64);
	b.buf = f.mem + FX_SHM_SIZE - 64;
	b.len = 65;
	CHECK_EQ_INT(virtqueue_add_buffer(f.dq[1], &b, 1, 0, &f), ERROR_VQUEUE_INVLD_PARAM);
	fx_teardown(&f);
}

int main(void)
{
	fx_metal_init();
	RUN(test_roundtrip_single);
	RUN(test_chain_rw);
	RUN(test_full_and_wrap);
	RUN(test_bad_args);
	RUN(test_address_maps);
	metal_finish();
	return check_summary();
}
