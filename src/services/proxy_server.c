/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The proxy server's portable, transport-independent part (host side):
 * validation and reassembly of incoming requests, dispatch of each complete
 * request to the service's handler, the reply carrying the handler's status
 * mapped to a wire error number, and the I/O binding (messages fed in by the
 * caller, replies sent through its callback). The rpmsg binding is in
 * proxy_rpmsg.c; both feed amplink_proxy_server_receive.
 */
#include <amplink/libc.h>
#include <amplink/proxy.h>
#include <metal/errno.h>
#include <metal/log.h>

#include "services/proxy_server.h"

/* Drop a message: count it and say why. */
static int proxy_srv_drop(struct amplink_proxy_server *s, const char *why, size_t len)
{
	s->stats.bad++;
	metal_log(METAL_LOG_WARNING, "proxy server: %s (%u bytes) dropped\n", why,
		  (unsigned int)len);
	return -EINVAL;
}

/* Serve one complete request and send its reply. */
static void proxy_srv_dispatch(struct amplink_proxy_server *s, const struct amplink_proxy_hdr *rq,
			       const uint8_t *in, uint32_t in_len)
{
	struct amplink_proxy_hdr h = {.kind = AMPLINK_PROXY_KIND_RSP, .op = rq->op, .id = rq->id};
	uint32_t out_len = 0;
	int32_t st;
	int ret;

	s->stats.rx_msgs++;
	st = s->handler(s, rq->op, in, in_len, s->out, sizeof(s->out), &out_len);
	if (st < 0 || out_len > sizeof(s->out))
		out_len = 0;
	h.status = amplink_proxy_err_to_wire(st);
	ret = s->reply(s, &h, s->out, out_len);
	if (ret < 0)
		metal_log(METAL_LOG_WARNING, "proxy server: reply %u not sent (%d)\n",
			  (unsigned int)rq->id, ret);
	else
		s->stats.tx_msgs++;
}

/* Add one fragment to the reassembly; returns true when the message is complete. */
static bool proxy_srv_reassemble(struct amplink_proxy_server *s, const struct amplink_proxy_hdr *h,
				 const uint8_t *frag, uint32_t n)
{
	struct amplink_proxy_rx *r = &s->rx;

	if (h->offset == 0) {
		if (r->active)
			(void)proxy_srv_drop(s, "unfinished request", r->filled);
		r->hdr = *h;
		r->filled = 0;
		r->active = true;
	} else if (!r->active || r->hdr.id != h->id || r->hdr.op != h->op ||
		   r->hdr.total != h->total || r->filled != h->offset) {
		(void)proxy_srv_drop(s, "stray request fragment", n);
		return false;
	}
	memcpy(r->buf + h->offset, frag, n);
	r->filled += n;
	if (r->filled < r->hdr.total)
		return false;
	r->active = false;
	return true;
}

int amplink_proxy_server_receive(struct amplink_proxy_server *s, const void *data, size_t len)
{
	struct amplink_proxy_hdr h;
	const uint8_t *p = data;
	int n;

	if (!s || !s->up)
		return -ENOTCONN;
	n = amplink_proxy_hdr_parse(data, len, AMPLINK_PROXY_MAX_PAYLOAD, &h);
	if (n < 0)
		return proxy_srv_drop(s, "malformed message", len);
	if (h.kind != AMPLINK_PROXY_KIND_REQ)
		return proxy_srv_drop(s,
				      h.kind == AMPLINK_PROXY_KIND_HELLO
					      ? "hello sent to server"
					      : "response sent to server",
				      len);
	if (h.offset == 0 && (uint32_t)n == h.total && !s->rx.active) {
		proxy_srv_dispatch(s, &h, p + AMPLINK_PROXY_HDR_SIZE, h.total);
		return 0; /* whole request in one buffer: no copy */
	}
	if (proxy_srv_reassemble(s, &h, p + AMPLINK_PROXY_HDR_SIZE, (uint32_t)n))
		proxy_srv_dispatch(s, &s->rx.hdr, s->rx.buf, s->rx.hdr.total);
	return 0;
}

void proxy_server_reset(struct amplink_proxy_server *s, amplink_proxy_handler_fn handler,
			amplink_proxy_gone_fn gone, void *priv)
{
	memset(&s->ept, 0, sizeof(s->ept));
	memset(&s->rx, 0, sizeof(s->rx));
	memset(&s->stats, 0, sizeof(s->stats));
	s->handler = handler;
	s->gone = gone;
	s->priv = priv;
	s->rx.buf = s->rx_buf;
	s->rx.cap = sizeof(s->rx_buf);
	s->reply = NULL;
	s->unbind = NULL;
	s->io_send = NULL;
}

/* Reply through the I/O binding's callback. */
static int proxy_srv_io_reply(struct amplink_proxy_server *s, struct amplink_proxy_hdr *h,
			      const void *data, uint32_t len)
{
	return amplink_proxy_send_io(s->io_send, s->io_ctx, s->io_mtu, h, data, len);
}

int amplink_proxy_server_attach_io(struct amplink_proxy_server *s, amplink_proxy_io_send_fn send,
				   void *ctx, uint32_t mtu, amplink_proxy_handler_fn handler,
				   amplink_proxy_gone_fn gone, void *priv)
{
	struct amplink_proxy_hdr hello = {.kind = AMPLINK_PROXY_KIND_HELLO};
	int ret;

	if (!s || !send || !handler || mtu <= AMPLINK_PROXY_HDR_SIZE)
		return -EINVAL;
	proxy_server_reset(s, handler, gone, priv);
	s->reply = proxy_srv_io_reply;
	s->io_send = send;
	s->io_ctx = ctx;
	s->io_mtu = mtu;
	/* The remote cannot learn our address from an announcement: tell it by talking. */
	ret = amplink_proxy_send_io(send, ctx, mtu, &hello, NULL, 0);
	if (ret < 0)
		return ret;
	s->up = true;
	return 0;
}

void amplink_proxy_server_stop(struct amplink_proxy_server *s)
{
	if (!s || !s->up)
		return;
	s->up = false;
	s->rx.active = false;
	if (s->unbind)
		s->unbind(s);
	if (s->gone)
		s->gone(s);
}
