/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Checks of values the peer wrote into a split vring, as inline helpers any
 * ring implementation can use without a call: the distance the peer's index
 * moved and a buffer address and length that must lie
 * wholly inside a flat shared-memory region (overflow-safe). They only compute;
 * what to do with a bad value (break the queue, log) is the caller's.
 */
#ifndef AMPLINK_VRING_CHECK_H
#define AMPLINK_VRING_CHECK_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <metal/io.h>

/*
 * vring_check_delta - whether the peer's free-running index may have moved
 * by @delta while this side still holds @held of @num entries.
 * Returns true when the move is possible (not beyond what the ring holds).
 */
static inline bool vring_check_delta(uint16_t delta, unsigned int held, unsigned int num)
{
	return (unsigned int)delta + held <= num;
}

/*
 * vring_check_is_flat - whether @io is one page at physmap[0] with plain
 * address translation (metal_io_init with a page_shift of -1 and no
 * translation ops), the region vring_check_flat() and vring_check_flat_da()
 * handle. Read on every use, so a region re-initialised in place is seen.
 */
static inline bool vring_check_is_flat(const struct metal_io_region *io)
{
	return io && io->virt && io->virt != METAL_BAD_VA && io->physmap &&
	       !io->ops.phys_to_offset && !io->ops.offset_to_phys &&
	       io->page_shift >= sizeof(unsigned long) * CHAR_BIT;
}

/*
 * vring_check_flat - the virtual address of the @len-byte buffer at device
 * address @da when all of it lies inside @io (no wrap-around, no byte past
 * the end), for a region vring_check_is_flat() accepted: no page-map scan.
 * Any context. Returns the address, or NULL.
 */
static inline void *vring_check_flat(const struct metal_io_region *io, uint64_t da, uint32_t len)
{
	size_t off;

	if (da < io->physmap[0] || da - io->physmap[0] >= io->size)
		return NULL;
	off = (size_t)(da - io->physmap[0]);
	if (len > io->size - off)
		return NULL;
	return (char *)io->virt + off;
}

/*
 * vring_check_flat_da - the device address of the @len bytes at @va when all
 * of them lie inside @io (a region vring_check_is_flat() accepted), into
 * *@da. Any context. Returns true, or false when they do not.
 */
static inline bool vring_check_flat_da(const struct metal_io_region *io, const void *va, size_t len,
				       uint64_t *da)
{
	uintptr_t p = (uintptr_t)va, base = (uintptr_t)io->virt;

	if (p < base || p - base >= io->size || len > io->size - (p - base))
		return false;
	*da = (uint64_t)io->physmap[0] + (p - base);
	return true;
}

#endif /* AMPLINK_VRING_CHECK_H */
