/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Raw-byte decoder/encoder of packed virtqueue memory (see packed_decoder.h).
 */
#include <stdatomic.h>

#include "packed_decoder.h"

static uint64_t pd_get(const uint8_t *p, int bytes)
{
	uint64_t v = 0;
	int i;

	for (i = bytes - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static void pd_set(uint8_t *p, int bytes, uint64_t v)
{
	int i;

	for (i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

struct pd_desc pd_desc(const uint8_t *ring, unsigned int i)
{
	const uint8_t *p = ring + 16u * i;
	struct pd_desc d;

	d.addr = pd_get(p + 0, 8);
	d.len = (uint32_t)pd_get(p + 8, 4);
	d.id = (uint16_t)pd_get(p + 12, 2);
	d.flags = (uint16_t)pd_get(p + 14, 2);
	return d;
}

void pd_put_desc(uint8_t *ring, unsigned int i, uint64_t addr, uint32_t len, uint16_t id,
		 uint16_t flags)
{
	uint8_t *p = ring + 16u * i;

	pd_set(p + 0, 8, addr);
	pd_set(p + 8, 4, len);
	pd_set(p + 12, 2, id);
	atomic_thread_fence(memory_order_release);
	pd_set(p + 14, 2, flags);
}

static uint8_t *pd_event(const uint8_t *ring, unsigned int num, int device)
{
	return (uint8_t *)ring + 16u * num + (device ? 4u : 0u);
}

uint16_t pd_event_off_wrap(const uint8_t *ring, unsigned int num, int device)
{
	return (uint16_t)pd_get(pd_event(ring, num, device), 2);
}

uint16_t pd_event_flags(const uint8_t *ring, unsigned int num, int device)
{
	return (uint16_t)pd_get(pd_event(ring, num, device) + 2, 2);
}

void pd_put_event(uint8_t *ring, unsigned int num, int device, uint16_t off_wrap, uint16_t flags)
{
	pd_set(pd_event(ring, num, device), 2, off_wrap);
	pd_set(pd_event(ring, num, device) + 2, 2, flags);
}

uint16_t pd_avail_flags(int wrap)
{
	return wrap ? PD_F_AVAIL : PD_F_USED;
}

uint16_t pd_used_flags(int wrap)
{
	return wrap ? (uint16_t)(PD_F_AVAIL | PD_F_USED) : 0;
}
