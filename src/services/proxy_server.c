/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The proxy server's portable part (host side): its endpoint bound to the
 * remote's announced proxy endpoint, validation and reassembly of incoming
 * requests, dispatch of each complete request to the service's handler and
 * the reply carrying the handler's status mapped to a wire error number.
 */
#include <amplink/libc.h>
#include <amplink/proxy.h>
#include <metal/errno.h>
#include <metal/log.h>
#include <metal/utilities.h>

/* Drop a message: count it and say why. */
static void proxy_srv_drop(struct amplink_proxy_server *s, const char *why, size_t len)
{
	s->stats.bad++;
	metal_log(METAL_LOG_WARNING, "proxy server: %s (%u bytes) dropped\n", why,
		  (unsigned int)len);
}

/* Serve one complete request and send its reply. */
static void proxy_srv_dispatch(struct amplink_proxy_server *s, const struct amplink_proxy_hdr *rq,
			       const uint8_t *in, uint32_t in_len, uint32_t src)
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
	ret = amplink_proxy_send(&s->ept, src, &h, s->out, out_len, NULL, 0);
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
			proxy_srv_drop(s, "unfinished request", r->filled);
		r->hdr = *h;
		r->filled = 0;
		r->active = true;
	} else if (!r->active || r->hdr.id != h->id || r->hdr.op != h->op ||
		   r->hdr.total != h->total || r->filled != h->offset) {
		proxy_srv_drop(s, "stray request fragment", n);
		return false;
	}
	memcpy(r->buf + h->offset, frag, n);
	r->filled += n;
	if (r->filled < r->hdr.total)
		return false;
	r->active = false;
	return true;
}

static int proxy_srv_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src,
			void *priv)
{
	struct amplink_proxy_server *s = priv;
	struct amplink_proxy_hdr h;
	const uint8_t *p = data;
	int n;

	(void)ept;
	n = amplink_proxy_hdr_parse(data, len, AMPLINK_PROXY_MAX_PAYLOAD, &h);
	if (n < 0 || h.kind != AMPLINK_PROXY_KIND_REQ) {
		proxy_srv_drop(s, n < 0 ? "malformed message" : "response sent to server", len);
		return RPMSG_SUCCESS;
	}
	if (src != s->ept.dest_addr) {
		proxy_srv_drop(s, "request from a foreign address", len);
		return RPMSG_SUCCESS;
	}
	if (h.offset == 0 && (uint32_t)n == h.total && !s->rx.active) {
		proxy_srv_dispatch(s, &h, p + AMPLINK_PROXY_HDR_SIZE, h.total, src);
		return RPMSG_SUCCESS; /* whole request in one buffer: no copy */
	}
	if (proxy_srv_reassemble(s, &h, p + AMPLINK_PROXY_HDR_SIZE, (uint32_t)n))
		proxy_srv_dispatch(s, &s->rx.hdr, s->rx.buf, s->rx.hdr.total, src);
	return RPMSG_SUCCESS;
}

static void proxy_srv_unbind(struct rpmsg_endpoint *ept)
{
	struct amplink_proxy_server *s = metal_container_of(ept, struct amplink_proxy_server, ept);

	/* The remote's endpoint went: close its files, free the server for its next one. */
	s->up = false;
	s->rx.active = false;
	rpmsg_destroy_ept(&s->ept);
	if (s->gone)
		s->gone(s);
}

int amplink_proxy_server_start(struct amplink_proxy_server *s, struct rpmsg_device *rdev,
			       uint32_t dest, amplink_proxy_handler_fn handler,
			       amplink_proxy_gone_fn gone, void *priv)
{
	int ret;

	if (!s || !rdev || !handler || dest == RPMSG_ADDR_ANY)
		return -EINVAL;
	memset(&s->ept, 0, sizeof(s->ept));
	memset(&s->rx, 0, sizeof(s->rx));
	memset(&s->stats, 0, sizeof(s->stats));
	s->handler = handler;
	s->gone = gone;
	s->priv = priv;
	s->rx.buf = s->rx_buf;
	s->rx.cap = sizeof(s->rx_buf);
	s->ept.priv = s;
	/* Created unbound so that it is announced: the remote binds its client to it. */
	ret = rpmsg_create_ept(&s->ept, rdev, AMPLINK_PROXY_SERVICE_NAME, RPMSG_ADDR_ANY,
			       RPMSG_ADDR_ANY, proxy_srv_cb, proxy_srv_unbind);
	if (ret)
		return ret;
	s->ept.dest_addr = dest;
	s->up = true;
	return 0;
}

void amplink_proxy_server_stop(struct amplink_proxy_server *s)
{
	if (!s || !s->up)
		return;
	s->up = false;
	rpmsg_destroy_ept(&s->ept);
	if (s->gone)
		s->gone(s);
}
