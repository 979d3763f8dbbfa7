/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The proxy on an rpmsg endpoint of this library: sending a message split
 * into rpmsg TX buffers (one copy, straight into the buffer; used by client
 * and server) and the server's rpmsg binding (its endpoint, announced and
 * bound to the remote's announced address; requests from any other address
 * are dropped; the remote's NS destroy ends the binding).
 */
#include <amplink/libc.h>
#include <amplink/proxy.h>
#include <metal/errno.h>
#include <metal/log.h>
#include <metal/utilities.h>

#include "services/proxy_frag.h"
#include "services/proxy_server.h"

/* Where the fragments of one message go. */
struct proxy_rpmsg_dst {
	struct rpmsg_endpoint *ept;
	uint32_t dst;
};

/* Send one fragment from a TX buffer of the endpoint. */
static int proxy_rpmsg_frag(void *arg, const struct amplink_proxy_hdr *h, uint32_t n, const void *a,
			    uint32_t alen, const void *b)
{
	const struct proxy_rpmsg_dst *d = arg;
	struct rpmsg_endpoint *ept = d->ept;
	uint32_t size = 0;
	uint8_t *buf = rpmsg_get_tx_payload_buffer(ept, &size, 1);
	int ret;

	if (!buf)
		return RPMSG_ERR_NO_BUFF;
	amplink_proxy_hdr_write(buf, h);
	proxy_copy_parts(buf + AMPLINK_PROXY_HDR_SIZE, h->offset, n, a, alen, b);
	ret = rpmsg_send_offchannel_nocopy(ept, ept->addr, d->dst, buf,
					   (int)(AMPLINK_PROXY_HDR_SIZE + n));
	if (ret < 0) {
		rpmsg_release_tx_buffer(ept, buf);
		return ret;
	}
	return 0;
}

int amplink_proxy_send(struct rpmsg_endpoint *ept, uint32_t dst, struct amplink_proxy_hdr *h,
		       const void *a, uint32_t alen, const void *b, uint32_t blen)
{
	struct proxy_rpmsg_dst d = {ept, dst};
	int bsize = rpmsg_get_tx_buffer_size(ept);

	if (bsize <= (int)AMPLINK_PROXY_HDR_SIZE)
		return bsize < 0 ? bsize : -EINVAL;
	return proxy_send_frags((uint32_t)bsize - AMPLINK_PROXY_HDR_SIZE, h, a, alen, b, blen,
				proxy_rpmsg_frag, &d);
}

static int proxy_rpmsg_reply(struct amplink_proxy_server *s, struct amplink_proxy_hdr *h,
			     const void *data, uint32_t len)
{
	return amplink_proxy_send(&s->ept, s->ept.dest_addr, h, data, len, NULL, 0);
}

static int proxy_rpmsg_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src,
			  void *priv)
{
	struct amplink_proxy_server *s = priv;

	(void)ept;
	if (src != s->ept.dest_addr) {
		s->stats.bad++;
		metal_log(METAL_LOG_WARNING,
			  "proxy server: request from a foreign address (%u bytes) dropped\n",
			  (unsigned int)len);
		return RPMSG_SUCCESS;
	}
	(void)amplink_proxy_server_receive(s, data, len);
	return RPMSG_SUCCESS;
}

static void proxy_rpmsg_destroy(struct amplink_proxy_server *s)
{
	rpmsg_destroy_ept(&s->ept);
}

static void proxy_rpmsg_unbind(struct rpmsg_endpoint *ept)
{
	struct amplink_proxy_server *s = metal_container_of(ept, struct amplink_proxy_server, ept);

	/* The remote's endpoint went: close its files, free the server for its next one. */
	amplink_proxy_server_stop(s);
}

int amplink_proxy_server_start(struct amplink_proxy_server *s, struct rpmsg_device *rdev,
			       uint32_t dest, amplink_proxy_handler_fn handler,
			       amplink_proxy_gone_fn gone, void *priv)
{
	int ret;

	if (!s || !rdev || !handler || dest == RPMSG_ADDR_ANY)
		return -EINVAL;
	proxy_server_reset(s, handler, gone, priv);
	s->reply = proxy_rpmsg_reply;
	s->unbind = proxy_rpmsg_destroy;
	s->ept.priv = s;
	/* Created unbound so that it is announced: the remote binds its client to it. */
	ret = rpmsg_create_ept(&s->ept, rdev, AMPLINK_PROXY_SERVICE_NAME, RPMSG_ADDR_ANY,
			       RPMSG_ADDR_ANY, proxy_rpmsg_cb, proxy_rpmsg_unbind);
	if (ret)
		return ret;
	s->ept.dest_addr = dest;
	s->up = true;
	return 0;
}
