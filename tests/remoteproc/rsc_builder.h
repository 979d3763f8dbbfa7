/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test helper: writes resource tables byte by byte (header, offsets, then
 * carveout, devmem, trace, vdev and vendor entries) so tests can build valid
 * tables and corrupt any field of them.
 */
#ifndef AMPLINK_TESTS_RSC_BUILDER_H
#define AMPLINK_TESTS_RSC_BUILDER_H

#include <stddef.h>
#include <stdint.h>

#define RB_SIZE 2048

struct rb {
	unsigned char buf[RB_SIZE];
	size_t len;
	uint32_t num, next;
};

/* One vring of rb_vdev: da, align, num, notifyid. */
struct rb_vring {
	uint32_t da, align, num, notifyid;
};

/* rb_init - a table header for @num entries (offsets filled as entries are added). */
void rb_init(struct rb *b, uint32_t num);

/* Entry writers; each returns the entry's offset from the table start. */
size_t rb_mem(struct rb *b, uint32_t type, uint32_t da, uint32_t pa, uint32_t len,
	      const char *name);
size_t rb_trace(struct rb *b, uint32_t da, uint32_t len, const char *name);
size_t rb_vdev(struct rb *b, uint32_t id, uint32_t notifyid, uint32_t dfeatures,
	       const struct rb_vring *vr, unsigned int nvr, uint32_t config_len);
size_t rb_vendor(struct rb *b, uint32_t type, uint32_t len);

/* rb_put32 / rb_get32 - a 32-bit field at byte offset @off of the table. */
void rb_put32(struct rb *b, size_t off, uint32_t v);
uint32_t rb_get32(const struct rb *b, size_t off);

#endif
