/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * An independent split-ring decoder/encoder for the tests: it knows the
 * virtio 1.x byte layout from the specification (offsets computed here,
 * little-endian fields assembled byte by byte) and never uses the library's
 * structures, so a layout bug in the library cannot hide behind the same bug
 * here. The tests also use it to play a hostile peer by writing raw bytes.
 */
#ifndef AMPLINK_TESTS_RING_DECODER_H
#define AMPLINK_TESTS_RING_DECODER_H

#include <stddef.h>
#include <stdint.h>

/* A ring of rd_num entries at rd_base, used ring aligned to rd_align. */
struct rd_ring {
	unsigned char *base;
	unsigned int num;
	unsigned long align;
};

static inline uint64_t rd_get(const unsigned char *p, int bytes)
{
	uint64_t v = 0;

	for (int i = bytes - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static inline void rd_put(unsigned char *p, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++) {
		p[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
}

/* Byte offsets from the start of the ring memory. */
static inline size_t rd_desc_off(const struct rd_ring *r, unsigned int i)
{
	(void)r;
	return 16u * i;
}

static inline size_t rd_avail_off(const struct rd_ring *r)
{
	return 16u * r->num;
}

static inline size_t rd_used_off(const struct rd_ring *r)
{
	size_t end_avail = 16u * r->num + 2u * (3u + r->num);

	return (end_avail + r->align - 1) / r->align * r->align;
}

static inline size_t rd_ring_size(const struct rd_ring *r)
{
	return rd_used_off(r) + 2u * 3u + 8u * r->num;
}

/* Descriptor fields. */
static inline uint64_t rd_desc_addr(const struct rd_ring *r, unsigned int i)
{
	return rd_get(r->base + rd_desc_off(r, i), 8);
}
static inline uint32_t rd_desc_len(const struct rd_ring *r, unsigned int i)
{
	return (uint32_t)rd_get(r->base + rd_desc_off(r, i) + 8, 4);
}
static inline uint16_t rd_desc_flags(const struct rd_ring *r, unsigned int i)
{
	return (uint16_t)rd_get(r->base + rd_desc_off(r, i) + 12, 2);
}
static inline uint16_t rd_desc_next(const struct rd_ring *r, unsigned int i)
{
	return (uint16_t)rd_get(r->base + rd_desc_off(r, i) + 14, 2);
}
static inline void rd_set_desc(const struct rd_ring *r, unsigned int i, uint64_t addr, uint32_t len,
			       uint16_t flags, uint16_t next)
{
	unsigned char *p = r->base + rd_desc_off(r, i);

	rd_put(p, addr, 8);
	rd_put(p + 8, len, 4);
	rd_put(p + 12, flags, 2);
	rd_put(p + 14, next, 2);
}

/* A descriptor inside an indirect table at @tbl. */
static inline void rd_set_table_desc(unsigned char *tbl, unsigned int i, uint64_t addr,
				     uint32_t len, uint16_t flags, uint16_t next)
{
	struct rd_ring t = {tbl, 0, 1};

	rd_set_desc(&t, i, addr, len, flags, next);
}

/* Available ring. */
static inline uint16_t rd_avail_flags(const struct rd_ring *r)
{
	return (uint16_t)rd_get(r->base + rd_avail_off(r), 2);
}
static inline uint16_t rd_avail_idx(const struct rd_ring *r)
{
	return (uint16_t)rd_get(r->base + rd_avail_off(r) + 2, 2);
}
static inline uint16_t rd_avail_ring(const struct rd_ring *r, unsigned int slot)
{
	return (uint16_t)rd_get(r->base + rd_avail_off(r) + 4 + 2u * slot, 2);
}
static inline uint16_t rd_used_event(const struct rd_ring *r)
{
	return (uint16_t)rd_get(r->base + rd_avail_off(r) + 4 + 2u * r->num, 2);
}
static inline void rd_set_avail_flags(const struct rd_ring *r, uint16_t v)
{
	rd_put(r->base + rd_avail_off(r), v, 2);
}
static inline void rd_set_avail_idx(const struct rd_ring *r, uint16_t v)
{
	rd_put(r->base + rd_avail_off(r) + 2, v, 2);
}
static inline void rd_set_avail_ring(const struct rd_ring *r, unsigned int slot, uint16_t v)
{
	rd_put(r->base + rd_avail_off(r) + 4 + 2u * slot, v, 2);
}
static inline void rd_set_used_event(const struct rd_ring *r, uint16_t v)
{
	rd_put(r->base + rd_avail_off(r) + 4 + 2u * r->num, v, 2);
}

/* Used ring. */
static inline uint16_t rd_used_flags(const struct rd_ring *r)
{
	return (uint16_t)rd_get(r->base + rd_used_off(r), 2);
}
static inline uint16_t rd_used_idx(const struct rd_ring *r)
{
	return (uint16_t)rd_get(r->base + rd_used_off(r) + 2, 2);
}
static inline uint32_t rd_used_id(const struct rd_ring *r, unsigned int slot)
{
	return (uint32_t)rd_get(r->base + rd_used_off(r) + 4 + 8u * slot, 4);
}
static inline uint32_t rd_used_len(const struct rd_ring *r, unsigned int slot)
{
	return (uint32_t)rd_get(r->base + rd_used_off(r) + 8 + 8u * slot, 4);
}
static inline uint16_t rd_avail_event(const struct rd_ring *r)
{
	return (uint16_t)rd_get(r->base + rd_used_off(r) + 4 + 8u * r->num, 2);
}
static inline void rd_set_used_flags(const struct rd_ring *r, uint16_t v)
{
	rd_put(r->base + rd_used_off(r), v, 2);
}
static inline void rd_set_used_idx(const struct rd_ring *r, uint16_t v)
{
	rd_put(r->base + rd_used_off(r) + 2, v, 2);
}
static inline void rd_set_used_elem(const struct rd_ring *r, unsigned int slot, uint32_t id,
				    uint32_t len)
{
	rd_put(r->base + rd_used_off(r) + 4 + 8u * slot, id, 4);
	rd_put(r->base + rd_used_off(r) + 8 + 8u * slot, len, 4);
}
static inline void rd_set_avail_event(const struct rd_ring *r, uint16_t v)
{
	rd_put(r->base + rd_used_off(r) + 4 + 8u * r->num, v, 2);
}

#endif /* AMPLINK_TESTS_RING_DECODER_H */
