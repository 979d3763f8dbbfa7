/* SPDX-License-Identifier: BSD-3-Clause */
/* Tests of metal/utilities.h: bitmaps, alignment, min/max, log2, container_of. */
#include <stdint.h>
#include <metal/utilities.h>
#include "check.h"

static void test_bitmap(void)
{
	unsigned long bm[metal_bitmap_longs(130)] = {0};
	unsigned int bit, n;

	CHECK_EQ_INT(metal_dim(bm), (130 + METAL_BITS_PER_ULONG - 1) / METAL_BITS_PER_ULONG);
	CHECK_EQ_INT(metal_bitmap_next_set_bit(bm, 0, 130), 130);
	CHECK_EQ_INT(metal_bitmap_next_clear_bit(bm, 0, 130), 0);
	metal_bitmap_set_bit(bm, 0);
	metal_bitmap_set_bit(bm, 63);
	metal_bitmap_set_bit(bm, 64);
	metal_bitmap_set_bit(bm, 129);
	CHECK(metal_bitmap_is_bit_set(bm, 63));
	CHECK(metal_bitmap_is_bit_set(bm, 129));
	CHECK(metal_bitmap_is_bit_clear(bm, 1));
	CHECK(!metal_bitmap_is_bit_clear(bm, 64));
	CHECK_EQ_INT(metal_bitmap_next_set_bit(bm, 1, 130), 63);
	CHECK_EQ_INT(metal_bitmap_next_set_bit(bm, 64, 130), 64);
	CHECK_EQ_INT(metal_bitmap_next_set_bit(bm, 65, 130), 129);
	CHECK_EQ_INT(metal_bitmap_next_set_bit(bm, 65, 129), 129);
	CHECK_EQ_INT(metal_bitmap_next_set_bit(bm, 130, 130), 130);
	CHECK_EQ_INT(metal_bitmap_next_clear_bit(bm, 0, 130), 1);
	CHECK_EQ_INT(metal_bitmap_next_clear_bit(bm, 63, 130), 65);
	n = 0;
	metal_bitmap_for_each_set_bit(bm, bit, 130) n++;
	CHECK_EQ_INT(n, 4);
	n = 0;
	metal_bitmap_for_each_clear_bit(bm, bit, 130) n++;
	CHECK_EQ_INT(n, 126);
	metal_bitmap_clear_bit(bm, 63);
	CHECK(metal_bitmap_is_bit_clear(bm, 63));
	CHECK_EQ_INT(metal_bitmap_next_set_bit(bm, 1, 130), 64);
	/* All set: next clear bit is max. */
	for (bit = 0; bit < 130; bit++)
		metal_bitmap_set_bit(bm, (int)bit);
	CHECK_EQ_INT(metal_bitmap_next_clear_bit(bm, 0, 130), 130);
}

struct outer {
	int a;
	char b;
	long c;
};

static void test_macros(void)
{
	struct outer o;
	char buf[64];

	CHECK_EQ_INT(metal_align_up(5, 4), 8);
	CHECK_EQ_INT(metal_align_up(8, 4), 8);
	CHECK_EQ_INT(metal_align_down(7, 4), 4);
	CHECK_EQ_INT(metal_div_round_up(9, 4), 3);
	CHECK_EQ_INT(metal_div_round_down(9, 4), 2);
	CHECK_EQ_INT(metal_min(3, -2), -2);
	CHECK_EQ_INT(metal_max(3, -2), 3);
	CHECK_EQ_INT(metal_sign(-5), -1);
	CHECK_EQ_INT(metal_sign(0), 0);
	CHECK_EQ_INT(metal_sign(9), 1);
	CHECK_EQ_INT(metal_bit(5), 32);
	CHECK_EQ_INT(MB, 1048576);
	CHECK_EQ_INT(GB, 1073741824);
	CHECK(metal_container_of(&o.c, struct outer, c) == &o);
	CHECK_EQ_INT(metal_offset_of(struct outer, b), sizeof(int));
	CHECK(metal_ptr_align_up(buf + 1, 16) == (void *)(((uintptr_t)buf + 16) & ~(uintptr_t)15));
	CHECK(metal_ptr_align_down(buf + 17, 16) ==
	      (void *)(((uintptr_t)buf + 17) & ~(uintptr_t)15));
	CHECK_EQ_INT(metal_log2(1), 0);
	CHECK_EQ_INT(metal_log2(2), 1);
	CHECK_EQ_INT(metal_log2(4096), 12);
	CHECK_EQ_INT(metal_log2(5), 3);
	CHECK_EQ_INT(metal_log2(0), 0);
}

int main(void)
{
	RUN(test_bitmap);
	RUN(test_macros);
	return check_summary();
}
