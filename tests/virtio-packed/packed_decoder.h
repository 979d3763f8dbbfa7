/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * An independent decoder of packed virtqueue memory for the tests: reads raw
 * little-endian bytes at offsets taken from the virtio 1.1 specification
 * (descriptor = le64 addr, le32 len, le16 id, le16 flags; then the driver and
 * the device event suppression structures = le16 off_wrap, le16 flags), and
 * writes raw bytes when a test plays a hostile peer. It shares no code and no
 * structure with the library.
 */
#ifndef AMPLINK_TESTS_PACKED_DECODER_H
#define AMPLINK_TESTS_PACKED_DECODER_H

#include <stdint.h>

#define PD_F_NEXT     0x0001u
#define PD_F_WRITE    0x0002u
#define PD_F_INDIRECT 0x0004u
#define PD_F_AVAIL    0x0080u
#define PD_F_USED     0x8000u

#define PD_EV_ENABLE  0u
#define PD_EV_DISABLE 1u
#define PD_EV_DESC    2u

struct pd_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t id;
	uint16_t flags;
};

/* Descriptor @i of the ring at @ring. */
struct pd_desc pd_desc(const uint8_t *ring, unsigned int i);

/* Raw write of descriptor @i (flags last, as a driver would). */
void pd_put_desc(uint8_t *ring, unsigned int i, uint64_t addr, uint32_t len, uint16_t id,
		 uint16_t flags);

/* The driver (@device = 0) or device (@device = 1) event suppression structure. */
uint16_t pd_event_off_wrap(const uint8_t *ring, unsigned int num, int device);
uint16_t pd_event_flags(const uint8_t *ring, unsigned int num, int device);
void pd_put_event(uint8_t *ring, unsigned int num, int device, uint16_t off_wrap, uint16_t flags);

/* Flags a driver uses to make a slot available / a device to mark it used in lap @wrap. */
uint16_t pd_avail_flags(int wrap);
uint16_t pd_used_flags(int wrap);

#endif
