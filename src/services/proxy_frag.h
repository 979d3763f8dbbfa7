/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private to the proxy's message layer: splitting one message into fragments
 * that each fit one transport buffer. The loop is shared; each transport
 * (rpmsg TX buffers, an I/O callback) supplies how one fragment is sent.
 * Inline: a remote links only the rpmsg sender, which then costs no more
 * than a loop of its own (an out-of-line copy added ~120 bytes on Cortex-M4).
 */
#ifndef AMPLINK_SRC_SERVICES_PROXY_FRAG_H
#define AMPLINK_SRC_SERVICES_PROXY_FRAG_H

#include <stdint.h>

#include <amplink/libc.h>
#include <amplink/proxy.h>
#include <metal/errno.h>

/*
 * Send one fragment: header @h (offset set), payload bytes [@h->offset,
 * +@n) of the two-part payload @a (@alen bytes) then @b. Returns 0 or a
 * negative error.
 */
typedef int (*proxy_frag_fn)(void *arg, const struct amplink_proxy_hdr *h, uint32_t n,
			     const void *a, uint32_t alen, const void *b);

/* proxy_copy_parts - copy payload bytes [@off, +@n) of @a/@alen + @b to @dst. */
static inline void proxy_copy_parts(uint8_t *dst, uint32_t off, uint32_t n, const uint8_t *a,
				    uint32_t alen, const uint8_t *b)
{
	if (off < alen) {
		uint32_t k = alen - off < n ? alen - off : n;

		memcpy(dst, a + off, k);
		dst += k;
		off += k;
		n -= k;
	}
	if (n)
		memcpy(dst, b + (off - alen), n);
}

/*
 * proxy_send_frags - send the message with header @h (version and total are
 * set here) and payload @a/@alen + @b/@blen in fragments of at most @room
 * payload bytes through @frag (an empty payload is one fragment). The caller
 * keeps other messages from interleaving. Returns 0, -EINVAL (@room 0),
 * -EMSGSIZE (payload over AMPLINK_PROXY_MAX_PAYLOAD) or @frag's error.
 */
static inline int proxy_send_frags(uint32_t room, struct amplink_proxy_hdr *h, const void *a,
				   uint32_t alen, const void *b, uint32_t blen, proxy_frag_fn frag,
				   void *arg)
{
	uint32_t sent = 0;
	int ret;

	if (room == 0)
		return -EINVAL;
	if (alen > AMPLINK_PROXY_MAX_PAYLOAD || blen > AMPLINK_PROXY_MAX_PAYLOAD - alen)
		return -EMSGSIZE;
	h->version = AMPLINK_PROXY_VERSION;
	h->total = alen + blen;
	do {
		uint32_t n = h->total - sent < room ? h->total - sent : room;

		h->offset = sent;
		ret = frag(arg, h, n, a, alen, b);
		if (ret < 0)
			return ret;
		sent += n;
	} while (sent < h->total);
	return 0;
}

#endif
