/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test helper: the resource-table writer declared in rsc_builder.h.
 */
#include "rsc_builder.h"

#include <string.h>

void rb_put32(struct rb *b, size_t off, uint32_t v)
{
	b->buf[off] = (unsigned char)v;
	b->buf[off + 1] = (unsigned char)(v >> 8);
	b->buf[off + 2] = (unsigned char)(v >> 16);
	b->buf[off + 3] = (unsigned char)(v >> 24);
}

uint32_t rb_get32(const struct rb *b, size_t off)
{
	return (uint32_t)b->buf[off] | ((uint32_t)b->buf[off + 1] << 8) |
	       ((uint32_t)b->buf[off + 2] << 16) | ((uint32_t)b->buf[off + 3] << 24);
}

void rb_init(struct rb *b, uint32_t num)
{
	memset(b, 0, sizeof(*b));
	rb_put32(b, 0, 1);
	rb_put32(b, 4, num);
	b->num = num;
	b->len = 16 + 4 * (size_t)num;
}

static size_t rb_begin(struct rb *b, uint32_t type)
{
	size_t off = (b->len + 3) & ~(size_t)3;

	rb_put32(b, 16 + 4 * (size_t)b->next++, (uint32_t)off);
	rb_put32(b, off, type);
	b->len = off + 4;
	return off;
}

static void rb_name(struct rb *b, const char *name)
{
	if (name)
		strncpy((char *)b->buf + b->len, name, 32);
	b->len += 32;
}

size_t rb_mem(struct rb *b, uint32_t type, uint32_t da, uint32_t pa, uint32_t len, const char *name)
{
	size_t off = rb_begin(b, type);

	rb_put32(b, off + 4, da);
	rb_put32(b, off + 8, pa);
	rb_put32(b, off + 12, len);
	rb_put32(b, off + 16, 0); /* flags */
	rb_put32(b, off + 20, 0); /* reserved */
	b->len = off + 24;
	rb_name(b, name);
	return off;
}

size_t rb_trace(struct rb *b, uint32_t da, uint32_t len, const char *name)
{
	size_t off = rb_begin(b, 2);

	rb_put32(b, off + 4, da);
	rb_put32(b, off + 8, len);
	rb_put32(b, off + 12, 0);
	b->len = off + 16;
	rb_name(b, name);
	return off;
}

size_t rb_vdev(struct rb *b, uint32_t id, uint32_t notifyid, uint32_t dfeatures,
	       const struct rb_vring *vr, unsigned int nvr, uint32_t config_len)
{
	size_t off = rb_begin(b, 3), p;
	unsigned int i;

	rb_put32(b, off + 4, id);
	rb_put32(b, off + 8, notifyid);
	rb_put32(b, off + 12, dfeatures);
	rb_put32(b, off + 16, 0);
	rb_put32(b, off + 20, config_len);
	b->buf[off + 24] = 0;
	b->buf[off + 25] = (unsigned char)nvr;
	p = off + 28;
	for (i = 0; i < nvr; i++, p += 20) {
		rb_put32(b, p, vr[i].da);
		rb_put32(b, p + 4, vr[i].align);
		rb_put32(b, p + 8, vr[i].num);
		rb_put32(b, p + 12, vr[i].notifyid);
		rb_put32(b, p + 16, 0);
	}
	b->len = p + (config_len < 256 ? config_len : 0);
	return off;
}

size_t rb_vendor(struct rb *b, uint32_t type, uint32_t len)
{
	size_t off = rb_begin(b, type);

	rb_put32(b, off + 4, len);
	b->len = off + (len >= 8 && len < 512 ? len : 8);
	return off;
}
