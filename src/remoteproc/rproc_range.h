/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Overflow-checked range arithmetic for the remoteproc core: every offset,
 * length and address that comes from a firmware image or a resource table
 * goes through these before it is used.
 */
#ifndef AMPLINK_RPROC_RANGE_H
#define AMPLINK_RPROC_RANGE_H

#include <stddef.h>
#include <stdint.h>

/* rproc_add_u64 - *sum = a + b. Returns 1 on overflow (then *sum is untouched). */
static inline int rproc_add_u64(uint64_t a, uint64_t b, uint64_t *sum)
{
	if (b > UINT64_MAX - a)
		return 1;
	*sum = a + b;
	return 0;
}

/* rproc_add_size - *sum = a + b. Returns 1 on overflow (then *sum is untouched). */
static inline int rproc_add_size(size_t a, size_t b, size_t *sum)
{
	if (b > SIZE_MAX - a)
		return 1;
	*sum = a + b;
	return 0;
}

/* rproc_fits_size - 1 when @v is representable as a size_t. */
static inline int rproc_fits_size(uint64_t v)
{
	return v == (uint64_t)(size_t)v;
}

/* rproc_range_inside - 1 when [off, off + len) lies inside [0, total) without wrapping. */
static inline int rproc_range_inside(uint64_t off, uint64_t len, uint64_t total)
{
	return off <= total && len <= total - off;
}

/* rproc_ranges_overlap - 1 when the non-empty ranges [a, a + alen) and [b, b + blen) meet. */
static inline int rproc_ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

#endif /* AMPLINK_RPROC_RANGE_H */
