/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Small helpers every layer uses: sizes, alignment, min/max, container_of and
 * bitmaps of unsigned longs. Everything is a macro or an inline function.
 * Bitmap functions do no locking and no bounds checks: callers pass bit
 * numbers below the size they allocated with metal_bitmap_longs().
 */
#ifndef METAL_UTILITIES_H
#define METAL_UTILITIES_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <metal/compiler.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MB (1024UL << 10UL)
#define GB (MB << 10UL)

/* Marks a variable or parameter as intentionally unused. */
#define metal_unused(x) ((void)(x))

/* Number of elements of an array. */
#define metal_dim(x) (sizeof(x) / sizeof((x)[0]))

#define metal_min(x, y) ((x) < (y) ? (x) : (y))
#define metal_max(x, y) ((x) > (y) ? (x) : (y))
/* -1, 0 or 1 after the sign of x. */
#define metal_sign(x) ((x) < 0 ? -1 : ((x) > 0 ? 1 : 0))

/* Round size down/up to a multiple of align (a power of two). */
#define metal_align_down(size, align) ((size) & ~((align)-1))
#define metal_align_up(size, align)   metal_align_down((size) + (align)-1, align)

#define metal_div_round_down(num, den) ((num) / (den))
#define metal_div_round_up(num, den)   metal_div_round_down((num) + (den)-1, (den))

#define metal_ptr_align_down(ptr, align)                                                           \
	((void *)(metal_align_down((uintptr_t)(ptr), (uintptr_t)(align))))
#define metal_ptr_align_up(ptr, align)                                                             \
	((void *)(metal_align_up((uintptr_t)(ptr), (uintptr_t)(align))))

#define metal_offset_of(structure, member) offsetof(structure, member)

/* The structure that holds member at ptr. */
#define metal_container_of(ptr, structure, member)                                                 \
	((structure *)(void *)((char *)(ptr)-metal_offset_of(structure, member)))

#define METAL_BITS_PER_ULONG (CHAR_BIT * sizeof(unsigned long))
/* Unsigned longs needed for a bitmap of x bits. */
#define metal_bitmap_longs(x) metal_div_round_up((x), METAL_BITS_PER_ULONG)
#define metal_bit(bit)	      (1UL << (bit))

/* metal_bitmap_set_bit - set bit in bitmap. */
static inline void metal_bitmap_set_bit(unsigned long *bitmap, int bit)
{
	bitmap[bit / METAL_BITS_PER_ULONG] |= metal_bit(bit & (METAL_BITS_PER_ULONG - 1));
}

/* metal_bitmap_clear_bit - clear bit in bitmap. */
static inline void metal_bitmap_clear_bit(unsigned long *bitmap, int bit)
{
	bitmap[bit / METAL_BITS_PER_ULONG] &= ~metal_bit(bit & (METAL_BITS_PER_ULONG - 1));
}

/* metal_bitmap_is_bit_set - Returns non-zero when bit is set. */
static inline int metal_bitmap_is_bit_set(unsigned long *bitmap, int bit)
{
	return (bitmap[bit / METAL_BITS_PER_ULONG] & metal_bit(bit & (METAL_BITS_PER_ULONG - 1))) !=
	       0;
}

/* metal_bitmap_is_bit_clear - Returns non-zero when bit is clear. */
static inline int metal_bitmap_is_bit_clear(unsigned long *bitmap, int bit)
{
	return !metal_bitmap_is_bit_set(bitmap, bit);
}

/*
 * amplink_bitmap_next - the first bit at or after @start whose value XOR
 * @flip (0 or ~0UL) is 1, or @max when there is none below @max.
 */
static inline unsigned int amplink_bitmap_next(const unsigned long *bitmap, unsigned int start,
					       unsigned int max, unsigned long flip)
{
	unsigned int bit = start;

	while (bit < max) {
		unsigned long word = (bitmap[bit / METAL_BITS_PER_ULONG] ^ flip) >>
				     (bit & (METAL_BITS_PER_ULONG - 1));
		if (word == 0) {
			bit = (unsigned int)metal_align_down(bit, METAL_BITS_PER_ULONG) +
			      (unsigned int)METAL_BITS_PER_ULONG;
			continue;
		}
		while (!(word & 1UL)) {
			word >>= 1;
			bit++;
		}
		return bit < max ? bit : max;
	}
	return max;
}

/*
 * metal_bitmap_next_set_bit - Returns the first set bit at or after start,
 * or max when there is none below max.
 */
static inline unsigned int metal_bitmap_next_set_bit(unsigned long *bitmap, unsigned int start,
						     unsigned int max)
{
	return amplink_bitmap_next(bitmap, start, max, 0UL);
}

/*
 * metal_bitmap_next_clear_bit - Returns the first clear bit at or after
 * start, or max when there is none below max.
 */
static inline unsigned int metal_bitmap_next_clear_bit(unsigned long *bitmap, unsigned int start,
						       unsigned int max)
{
	return amplink_bitmap_next(bitmap, start, max, ~0UL);
}

#define metal_bitmap_for_each_set_bit(bitmap, bit, max)                                            \
	for ((bit) = metal_bitmap_next_set_bit((bitmap), 0, (max)); (bit) < (max);                 \
	     (bit) = metal_bitmap_next_set_bit((bitmap), (bit) + 1, (max)))

#define metal_bitmap_for_each_clear_bit(bitmap, bit, max)                                          \
	for ((bit) = metal_bitmap_next_clear_bit((bitmap), 0, (max)); (bit) < (max);               \
	     (bit) = metal_bitmap_next_clear_bit((bitmap), (bit) + 1, (max)))

/*
 * metal_log2 - base-2 logarithm, meant for powers of two. Returns the
 * smallest r with (1 << r) >= in, so other values round up (0 for 0 and 1).
 */
static inline unsigned long metal_log2(unsigned long in)
{
	unsigned long result = 0;

	while (result < METAL_BITS_PER_ULONG - 1 && (1UL << result) < in)
		result++;
	return result;
}

#ifdef __cplusplus
}
#endif

#endif /* METAL_UTILITIES_H */
