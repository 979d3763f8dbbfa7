/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The proxy client's core (remote side): its endpoint, the table of calls in
 * flight, matching each response (possibly in fragments) to the call waiting
 * for it by request id, and amplink_proxy_call, which sends a request and
 * waits for its reply with a timeout. Bad or unsolicited responses are
 * counted, logged once each and dropped; a host's HELLO is taken silently.
 */
#include <amplink/libc.h>
#include <amplink/proxy.h>
#include <metal/errno.h>
#include <metal/log.h>
#include <metal/sleep.h>
#include <metal/time.h>

#define PROXY_SLICE_US 1000u

/* Find the busy, unanswered slot of request @id (lock held). */
static struct amplink_proxy_slot *proxy_find_slot(struct amplink_proxy_client *c, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < AMPLINK_PROXY_MAX_INFLIGHT; i++)
		if (c->slots[i].busy && !c->slots[i].done && c->slots[i].id == id)
			return &c->slots[i];
	return NULL;
}

/* Finish @s with local status @status (lock held). */
static void proxy_complete(struct amplink_proxy_client *c, struct amplink_proxy_slot *s, int status)
{
	s->status = status;
	s->done = true;
	if (c->rx_slot == s)
		c->rx_slot = NULL;
	metal_condition_broadcast(&c->cv);
}

/* The slot a fragment belongs to, or NULL (counted) when nobody waits for it. */
static struct amplink_proxy_slot *proxy_rx_target(struct amplink_proxy_client *c,
						  const struct amplink_proxy_hdr *h, uint32_t frag)
{
	struct amplink_proxy_slot *s;

	if (h->offset != 0) {
		s = c->rx_slot;
		if (s && c->rx_id == h->id && s->filled == h->offset)
			return s;
		if (c->skipping && c->skip_id == h->id)
			return NULL; /* counted once, at its first fragment */
		c->stats.bad++;
		metal_log(METAL_LOG_WARNING, "proxy: out-of-order fragment of reply %u dropped\n",
			  (unsigned int)h->id);
		return NULL;
	}
	if (c->rx_slot) /* a previous reply never finished */
		proxy_complete(c, c->rx_slot, -EIO);
	c->skipping = h->total > frag; /* more fragments follow: until accepted below */
	c->skip_id = h->id;
	s = proxy_find_slot(c, h->id);
	if (!s) {
		c->stats.unsolicited++;
		metal_log(METAL_LOG_WARNING, "proxy: reply %u nobody waits for dropped\n",
			  (unsigned int)h->id);
		return NULL;
	}
	if (h->total > s->out_cap) {
		proxy_complete(c, s, -EMSGSIZE);
		return NULL;
	}
	s->filled = 0;
	c->skipping = false;
	c->rx_slot = s;
	c->rx_id = h->id;
	return s;
}

/* Take one received fragment (lock held). */
static void proxy_client_rx(struct amplink_proxy_client *c, const uint8_t *data, size_t len)
{
	struct amplink_proxy_hdr h;
	struct amplink_proxy_slot *s;
	int frag = amplink_proxy_hdr_parse(data, len, AMPLINK_PROXY_MAX_PAYLOAD, &h);

	if (frag == 0 && h.kind == AMPLINK_PROXY_KIND_HELLO)
		return; /* a host that cannot announce: the rpmsg layer bound us to it */
	if (frag < 0 || h.kind != AMPLINK_PROXY_KIND_RSP) {
		c->stats.bad++;
		metal_log(METAL_LOG_WARNING, "proxy: malformed message (%u bytes) dropped\n",
			  (unsigned int)len);
		return;
	}
	s = proxy_rx_target(c, &h, (uint32_t)frag);
	if (!s)
		return;
	if (frag)
		memcpy(s->out + h.offset, data + AMPLINK_PROXY_HDR_SIZE, (size_t)frag);
	s->filled += (uint32_t)frag;
	if (s->filled == h.total) {
		s->out_len = h.total;
		c->stats.rx_msgs++;
		proxy_complete(c, s, amplink_proxy_err_from_wire(h.status));
	}
}

static int proxy_client_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src,
			   void *priv)
{
	struct amplink_proxy_client *c = priv;

	metal_mutex_acquire(&c->lock);
	/* Only the host we are bound to answers (the rpmsg layer bound an
	 * unbound endpoint to its first sender before calling us). */
	if (src != ept->dest_addr) {
		c->stats.bad++;
		metal_log(METAL_LOG_WARNING, "proxy: message from 0x%x, not our host, dropped\n",
			  (unsigned int)src);
	} else {
		proxy_client_rx(c, data, len);
	}
	metal_mutex_release(&c->lock);
	return RPMSG_SUCCESS;
}

int amplink_proxy_client_init(struct amplink_proxy_client *c, struct rpmsg_device *rdev,
			      amplink_proxy_wait_fn wait, void *wait_arg)
{
	return amplink_proxy_client_init_at(c, rdev, RPMSG_ADDR_ANY, wait, wait_arg);
}

int amplink_proxy_client_init_at(struct amplink_proxy_client *c, struct rpmsg_device *rdev,
				 uint32_t addr, amplink_proxy_wait_fn wait, void *wait_arg)
{
	int ret;

	if (!c || !rdev)
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	metal_mutex_init(&c->lock);
	metal_mutex_init(&c->tx_lock);
	metal_condition_init(&c->cv);
	c->wait = wait;
	c->wait_arg = wait_arg;
	c->timeout_ms = 5000;
	c->next_id = 1;
	c->ept.priv = c;
	ret = rpmsg_create_ept(&c->ept, rdev, AMPLINK_PROXY_SERVICE_NAME, addr, RPMSG_ADDR_ANY,
			       proxy_client_cb, NULL);
	if (ret)
		return ret;
	c->up = true;
	return 0;
}

void amplink_proxy_client_deinit(struct amplink_proxy_client *c)
{
	if (!c || !c->up)
		return;
	rpmsg_destroy_ept(&c->ept);
	c->up = false;
	metal_mutex_deinit(&c->tx_lock);
	metal_mutex_deinit(&c->lock);
}

void amplink_proxy_client_set_timeout(struct amplink_proxy_client *c, uint32_t ms)
{
	if (c)
		c->timeout_ms = ms;
}

/* Claim a free slot for a new request (lock held). Returns NULL when all are busy. */
static struct amplink_proxy_slot *proxy_claim(struct amplink_proxy_client *c, void *out,
					      uint32_t cap)
{
	unsigned int i;

	for (i = 0; i < AMPLINK_PROXY_MAX_INFLIGHT; i++) {
		struct amplink_proxy_slot *s = &c->slots[i];

		if (s->busy)
			continue;
		memset(s, 0, sizeof(*s));
		s->busy = true;
		s->id = c->next_id++;
		if (c->next_id == 0)
			c->next_id = 1;
		s->out = out;
		s->out_cap = out ? cap : 0;
		return s;
	}
	return NULL;
}

/* Wait one slice: the hook delivers messages, or the callback thread signals. */
static int proxy_wait_slice(struct amplink_proxy_client *c)
{
	int ret = 0;

	if (c->wait)
		return c->wait(c->wait_arg, PROXY_SLICE_US);
	metal_mutex_acquire(&c->lock);
	(void)amplink_condition_timedwait(&c->cv, &c->lock, PROXY_SLICE_US);
	metal_mutex_release(&c->lock);
	return ret;
}

/* Wait until @pred(c, s) holds or the deadline passes. Returns 0 or -ETIMEDOUT. */
static int proxy_wait_until(struct amplink_proxy_client *c, struct amplink_proxy_slot *s,
			    unsigned long long deadline)
{
	for (;;) {
		bool ok;

		metal_mutex_acquire(&c->lock);
		ok = s ? s->done : c->ept.dest_addr != RPMSG_ADDR_ANY;
		metal_mutex_release(&c->lock);
		if (ok)
			return 0;
		if (metal_get_timestamp() >= deadline || proxy_wait_slice(c) < 0)
			return -ETIMEDOUT;
	}
}

/* Send the request of slot @s. Returns 0 or a negative errno. */
static int proxy_send_req(struct amplink_proxy_client *c, struct amplink_proxy_slot *s, uint16_t op,
			  const void *a, uint32_t alen, const void *b, uint32_t blen)
{
	struct amplink_proxy_hdr h = {.kind = AMPLINK_PROXY_KIND_REQ, .op = op, .id = s->id};
	int ret;

	metal_mutex_acquire(&c->tx_lock);
	ret = amplink_proxy_send(&c->ept, c->ept.dest_addr, &h, a, alen, b, blen);
	metal_mutex_release(&c->tx_lock);
	if (ret < 0)
		return ret == -EMSGSIZE ? ret : -ENOTCONN;
	metal_mutex_acquire(&c->lock);
	c->stats.tx_msgs++;
	metal_mutex_release(&c->lock);
	return 0;
}

/* Give slot @s back, counting a timeout when its reply never came. */
static int proxy_release(struct amplink_proxy_client *c, struct amplink_proxy_slot *s, int ret,
			 uint32_t *out_len)
{
	metal_mutex_acquire(&c->lock);
	if (ret == 0 && !s->done) {
		ret = -ETIMEDOUT;
	} else if (ret == 0) {
		ret = s->status;
		if (out_len)
			*out_len = s->out_len;
	}
	if (ret == -ETIMEDOUT)
		c->stats.timeouts++;
	if (c->rx_slot == s)
		c->rx_slot = NULL;
	s->busy = false;
	metal_condition_broadcast(&c->cv); /* a call may wait for a free slot */
	metal_mutex_release(&c->lock);
	return ret;
}

int amplink_proxy_call(struct amplink_proxy_client *c, uint16_t op, const void *a, uint32_t alen,
		       const void *b, uint32_t blen, void *out, uint32_t out_cap, uint32_t *out_len)
{
	unsigned long long deadline;
	struct amplink_proxy_slot *s;
	int ret;

	if (!c || !c->up)
		return -EINVAL;
	deadline = metal_get_timestamp() + (unsigned long long)c->timeout_ms * 1000000ull;
	if (proxy_wait_until(c, NULL, deadline) < 0)
		return -ENOTCONN;
	for (;;) { /* all slots busy: wait for one until the deadline */
		metal_mutex_acquire(&c->lock);
		s = proxy_claim(c, out, out_cap);
		metal_mutex_release(&c->lock);
		if (s)
			break;
		if (metal_get_timestamp() >= deadline || proxy_wait_slice(c) < 0)
			return -EAGAIN;
	}
	ret = proxy_send_req(c, s, op, a, alen, b, blen);
	if (ret == 0)
		ret = proxy_wait_until(c, s, deadline);
	return proxy_release(c, s, ret, out_len);
}
