/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private to the proxy's message layer: splitting one message into fragments
 * that each fit one transport buffer. The loop is shared; each transport
 * (rpmsg TX buffers, an I/O callback) supplies how one fragment is sent.
 */
#ifndef AMPLINK_SRC_SERVICES_PROXY_FRAG_H
#define AMPLINK_SRC_SERVICES_PROXY_FRAG_H

#include <stdint.h>

#include <amplink/proxy.h>

/*
 * Send one fragment: header @h (offset set), payload bytes [@h->offset,
 * +@n) of the two-part payload @a (@alen bytes) then @b. Returns 0 or a
 * negative error.
 */
typedef int (*proxy_frag_fn)(void *arg, const struct amplink_proxy_hdr *h, uint32_t n,
			     const void *a, uint32_t alen, const void *b);

/*
 * proxy_send_frags - send the message with header @h (version and total are
 * set here) and payload @a/@alen + @b/@blen in fragments of at most @room
 * payload bytes through @frag (an empty payload is one fragment). The caller
 * keeps other messages from interleaving. Returns 0, -EINVAL (@room 0),
 * -EMSGSIZE (payload over AMPLINK_PROXY_MAX_PAYLOAD) or @frag's error.
 */
int proxy_send_frags(uint32_t room, struct amplink_proxy_hdr *h, const void *a, uint32_t alen,
		     const void *b, uint32_t blen, proxy_frag_fn frag, void *arg);

/* proxy_copy_parts - copy payload bytes [@off, +@n) of @a/@alen + @b to @dst. */
void proxy_copy_parts(uint8_t *dst, uint32_t off, uint32_t n, const uint8_t *a, uint32_t alen,
		      const uint8_t *b);

#endif
