/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The proxy protocol's message layer, shared by client and server: the
 * 20-byte little-endian header (encode, decode and validate), splitting a
 * message into fragments for any transport (rpmsg TX buffers in proxy_rpmsg.c,
 * or an I/O callback here, e.g. a Linux /dev/rpmsgN), and the mapping between
 * local errno values and the wire's own error numbers. Wire format:
 * docs/proxy.md.
 */
#include <amplink/libc.h>
#include <amplink/proxy.h>
#include <metal/errno.h>
#include <metal/log.h>

#include "services/proxy_frag.h"

#ifndef ELOOP
#define ELOOP 40 /* Linux value; missing from the freestanding errno list */
#endif

uint32_t amplink_proxy_get32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

uint64_t amplink_proxy_get64(const uint8_t *p)
{
	return (uint64_t)amplink_proxy_get32(p) | ((uint64_t)amplink_proxy_get32(p + 4) << 32);
}

void amplink_proxy_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

void amplink_proxy_put64(uint8_t *p, uint64_t v)
{
	amplink_proxy_put32(p, (uint32_t)v);
	amplink_proxy_put32(p + 4, (uint32_t)(v >> 32));
}

int amplink_proxy_hdr_parse(const void *data, size_t len, uint32_t max_total,
			    struct amplink_proxy_hdr *h)
{
	const uint8_t *p = data;
	uint32_t frag;

	if (!data || len < AMPLINK_PROXY_HDR_SIZE)
		return -EINVAL;
	h->version = p[0];
	h->kind = p[1];
	h->op = (uint16_t)(p[2] | (p[3] << 8));
	h->id = amplink_proxy_get32(p + 4);
	h->status = (int32_t)amplink_proxy_get32(p + 8);
	h->total = amplink_proxy_get32(p + 12);
	h->offset = amplink_proxy_get32(p + 16);
	frag = (uint32_t)(len - AMPLINK_PROXY_HDR_SIZE);
	if (h->version != AMPLINK_PROXY_VERSION)
		return -EINVAL;
	if (h->kind == AMPLINK_PROXY_KIND_HELLO) /* no opcode, no payload, nothing else */
		return h->op == 0 && h->id == 0 && h->status == 0 && h->total == 0 &&
				       h->offset == 0 && frag == 0
			       ? 0
			       : -EINVAL;
	if (h->kind != AMPLINK_PROXY_KIND_REQ && h->kind != AMPLINK_PROXY_KIND_RSP)
		return -EINVAL;
	if (h->op == 0 || h->op >= AMPLINK_PROXY_OP_COUNT)
		return -EINVAL;
	if (h->total > max_total || h->offset > h->total || frag > h->total - h->offset)
		return -EINVAL;
	if (frag == 0 && h->total != 0)
		return -EINVAL; /* an empty fragment of a non-empty message */
	return (int)frag;
}

void amplink_proxy_hdr_write(void *out, const struct amplink_proxy_hdr *h)
{
	uint8_t *p = out;

	p[0] = h->version;
	p[1] = h->kind;
	p[2] = (uint8_t)h->op;
	p[3] = (uint8_t)(h->op >> 8);
	amplink_proxy_put32(p + 4, h->id);
	amplink_proxy_put32(p + 8, (uint32_t)h->status);
	amplink_proxy_put32(p + 12, h->total);
	amplink_proxy_put32(p + 16, h->offset);
}

/* Where an I/O-callback message goes. */
struct proxy_io_dst {
	amplink_proxy_io_send_fn send;
	void *ctx;
};

/* One fragment through the callback: the header, then a slice of the one-part payload. */
static int proxy_io_frag(void *arg, const struct amplink_proxy_hdr *h, uint32_t n, const void *a,
			 uint32_t alen, const void *b)
{
	struct proxy_io_dst *d = arg;
	uint8_t hdr[AMPLINK_PROXY_HDR_SIZE];

	(void)alen;
	(void)b;
	amplink_proxy_hdr_write(hdr, h);
	return d->send(d->ctx, hdr, n ? (const uint8_t *)a + h->offset : NULL, n);
}

int amplink_proxy_send_io(amplink_proxy_io_send_fn send, void *ctx, uint32_t mtu,
			  struct amplink_proxy_hdr *h, const void *data, uint32_t len)
{
	struct proxy_io_dst d = {send, ctx};

	if (!send || !h || (len && !data) || mtu <= AMPLINK_PROXY_HDR_SIZE)
		return -EINVAL;
	return proxy_send_frags(mtu - AMPLINK_PROXY_HDR_SIZE, h, data, len, NULL, 0, proxy_io_frag,
				&d);
}

/* Local errno <-> wire number pairs (the wire numbers are the index + 1). */
static const int proxy_errs[] = {
	EPERM,	   ENOENT, EIO,	   EBADF,     ENOMEM, EACCES,	    EEXIST,    ENOTDIR,
	EISDIR,	   EINVAL, EMFILE, EFBIG,     ENOSPC, ENAMETOOLONG, ENOTEMPTY, ENOSYS,
	ETIMEDOUT, EAGAIN, ELOOP,  EOVERFLOW, EROFS,  ESPIPE,
};

#define PROXY_NERRS ((int)(sizeof(proxy_errs) / sizeof(proxy_errs[0])))

int32_t amplink_proxy_err_to_wire(int err)
{
	int i;

	if (err >= 0)
		return err;
	for (i = 0; i < PROXY_NERRS; i++)
		if (proxy_errs[i] == -err)
			return -(i + 1);
	return -AMPLINK_PROXY_WE_IO;
}

int amplink_proxy_err_from_wire(int32_t status)
{
	if (status >= 0)
		return status;
	if (status < -PROXY_NERRS)
		return -EIO;
	return -proxy_errs[-status - 1];
}
