/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bad input from the peer: the test plays a hostile peer by writing raw
 * message bytes into buffers and publishing them with the virtqueue API
 * directly. Each bad message must be dropped, logged and counted, never
 * reach a callback, and the link must keep working (no buffer lost) after.
 */
#define _GNU_SOURCE
#include <string.h>

#include <amplink/virtqueue.h>
#include <openamp/virtqueue.h>

#include "check.h"
#include "rpmsg_harness.h"

static int hits;

static int count_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)ept;
	(void)data;
	(void)len;
	(void)src;
	(void)priv;
	hits++;
	return RPMSG_SUCCESS;
}

static int binds;

static void bind_cb(struct rpmsg_device *rdev, const char *name, uint32_t dest)
{
	(void)rdev;
	(void)name;
	(void)dest;
	binds++;
}

static void put_hdr(uint8_t *p, uint32_t src, uint32_t dst, uint16_t len)
{
	memset(p, 0, 16);
	memcpy(p, &src, 4);
	memcpy(p + 4, &dst, 4);
	memcpy(p + 12, &len, 2);
}

/* Remote plays hostile: publish @used bytes starting with the given header. */
static void remote_raw(struct rh *h, uint32_t dst, uint16_t hdr_len, uint32_t used,
		       const void *payload, uint32_t plen)
{
	struct virtqueue *vq = h->remote.rvdev.svq;
	uint32_t len = 0;
	uint16_t idx = 0;
	uint8_t *buf = virtqueue_get_first_avail_buffer(vq, &idx, &len);

	if (!buf)
		return;
	put_hdr(buf, 1024, dst, hdr_len);
	if (payload)
		memcpy(buf + 16, payload, plen);
	virtqueue_add_consumed_buffer(vq, idx, used);
	virtqueue_kick(vq);
	rh_pump(h);
}

/* Host plays hostile: post a readable buffer of @desc_len bytes with the given header. */
static void host_raw(struct rh *h, struct rpmsg_endpoint *he, uint16_t hdr_len, uint32_t desc_len)
{
	uint32_t cap;
	uint8_t *p = rpmsg_get_tx_payload_buffer(he, &cap, 0);
	struct virtqueue_buf vb;

	if (!p)
		return;
	put_hdr(p - 16, 1024, 1024, hdr_len);
	vb.buf = p - 16;
	vb.len = (int)desc_len;
	virtqueue_add_buffer(h->host.rvdev.svq, &vb, 1, 0, p - 16);
	virtqueue_kick(h->host.rvdev.svq);
	rh_pump(h);
}

/* Send @n good messages each way; all must arrive. */
static void check_still_works(struct rh *h, struct rpmsg_endpoint *he, struct rpmsg_endpoint *re,
			      int n)
{
	int i, before = hits;

	for (i = 0; i < n; i++) {
		CHECK_EQ_INT(rpmsg_send(he, "ok", 2), 2);
		CHECK_EQ_INT(rpmsg_send(re, "ok", 2), 2);
		rh_pump(h);
	}
	CHECK_EQ_INT(hits - before, 2 * n);
}

static void test_bad_from_remote(void)
{
	struct rh h;
	struct rpmsg_endpoint he, re;
	struct amplink_rpmsg_stats s;
	char ns[40];
	uint32_t v;

	hits = binds = 0;
	REQUIRE(rh_init(&h, 16, true, bind_cb, NULL) == 0);
	REQUIRE(rpmsg_create_ept(&he, &h.host.rvdev.rdev, "", 1024, 1024, count_cb, NULL) == 0);
	REQUIRE(rpmsg_create_ept(&re, &h.remote.rvdev.rdev, "", 1024, 1024, count_cb, NULL) == 0);
	/* Header len beyond the used length. */
	remote_raw(&h, 1024, 100, 16 + 50, NULL, 0);
	/* Used length shorter than a header. */
	remote_raw(&h, 1024, 0, 8, NULL, 0);
	/* Header len beyond the buffer. */
	remote_raw(&h, 1024, 497, 512, NULL, 0);
	remote_raw(&h, 1024, 0xFFFF, 512, NULL, 0);
	CHECK_EQ_INT(hits, 0);
	CHECK_EQ_INT(amplink_rpmsg_virtio_get_stats(&h.host.rvdev, &s), 0);
	CHECK_EQ_INT(s.drop_bad_len, 4);
	/* Unknown destination. */
	remote_raw(&h, 4000, 2, 18, "xx", 2);
	CHECK_EQ_INT(hits, 0);
	/* NS: wrong size, name without NUL, bad flags, empty name, addr ANY. */
	memset(ns, 0, sizeof(ns));
	memcpy(ns, "svc", 3);
	remote_raw(&h, 53, 39, 16 + 39, ns, 39);
	remote_raw(&h, 53, 41, 16 + 41, ns, 40);
	memset(ns, 'A', 32);
	remote_raw(&h, 53, 40, 56, ns, 40);
	memset(ns, 0, sizeof(ns));
	memcpy(ns, "svc", 3);
	v = 7;
	memcpy(ns + 36, &v, 4);
	remote_raw(&h, 53, 40, 56, ns, 40);
	memset(ns, 0, sizeof(ns));
	remote_raw(&h, 53, 40, 56, ns, 40);
	memcpy(ns, "svc", 3);
	v = RPMSG_ADDR_ANY;
	memcpy(ns + 32, &v, 4);
	remote_raw(&h, 53, 40, 56, ns, 40);
	CHECK_EQ_INT(binds, 0);
	CHECK_EQ_INT(amplink_rpmsg_virtio_get_stats(&h.host.rvdev, &s), 0);
	CHECK_EQ_INT(s.drop_no_ept, 1);
	CHECK_EQ_INT(s.drop_bad_ns, 6);
	CHECK_EQ_INT(s.drop_bad_len, 4);
	CHECK_EQ_INT(s.rx_msgs, 6); /* NS messages reach the NS endpoint, then are refused */
	/* A good NS message still works, and so does traffic (no RX buffer lost). */
	v = 0x777;
	memcpy(ns + 32, &v, 4);
	remote_raw(&h, 53, 40, 56, ns, 40);
	CHECK_EQ_INT(binds, 1);
	check_still_works(&h, &he, &re, 40);
	rpmsg_destroy_ept(&he);
	rpmsg_destroy_ept(&re);
	rh_fini(&h);
}

static void test_bad_from_host(void)
{
	struct rh h;
	struct rpmsg_endpoint he, re;
	struct amplink_rpmsg_stats s;

	hits = 0;
	REQUIRE(rh_init(&h, 16, false, NULL, NULL) == 0);
	REQUIRE(rpmsg_create_ept(&he, &h.host.rvdev.rdev, "", 1024, 1024, count_cb, NULL) == 0);
	REQUIRE(rpmsg_create_ept(&re, &h.remote.rvdev.rdev, "", 1024, 1024, count_cb, NULL) == 0);
	host_raw(&h, &he, 100, 16 + 99); /* header len beyond the descriptor */
	host_raw(&h, &he, 0, 10);	 /* descriptor shorter than a header */
	host_raw(&h, &he, 600, 512);	 /* beyond the buffer */
	CHECK_EQ_INT(hits, 0);
	CHECK_EQ_INT(amplink_rpmsg_virtio_get_stats(&h.remote.rvdev, &s), 0);
	CHECK_EQ_INT(s.drop_bad_len, 3);
	CHECK_EQ_INT(s.rx_msgs, 0);
	check_still_works(&h, &he, &re, 40);
	rpmsg_destroy_ept(&he);
	rpmsg_destroy_ept(&re);
	rh_fini(&h);
}

/* Remote side: the host posted descriptors pointing outside the shared region. */
static void test_broken_queue_remote(void)
{
	struct rh h;
	struct rpmsg_endpoint re;
	uint32_t i, off;
	double t0;

	REQUIRE(rh_init(&h, 16, false, NULL, NULL) == 0);
	REQUIRE(rpmsg_create_ept(&re, &h.remote.rvdev.rdev, "", 1024, 1024, count_cb, NULL) == 0);
	for (i = 0; i < 16; i++) {
		off = rh_vring_off(&h, 0) + 16u * i;
		memset(h.mem + off, 0, 8);
		h.mem[off + 4] = 0x10; /* addr 0x1000000000: far outside */
	}
	CHECK_EQ_INT(rpmsg_trysend(&re, "x", 1), RPMSG_ERR_DEV_STATE);
	CHECK(amplink_rpmsg_virtio_is_peer_gone(&h.remote.rvdev));
	t0 = rh_now_ms();
	CHECK_EQ_INT(amplink_rpmsg_send_timeout(&re, "x", 1, 1024, 2000000), RPMSG_ERR_DEV_STATE);
	CHECK(rh_now_ms() - t0 < 500.0);
	rpmsg_destroy_ept(&re);
	rh_fini(&h);
}

/* Host side: the remote returns a used entry with an id that was never posted. */
static void test_broken_queue_host(void)
{
	struct rh h;
	struct rpmsg_endpoint he;
	uint32_t used = 0;
	int n = 0;

	REQUIRE(rh_init(&h, 16, false, NULL, NULL) == 0);
	REQUIRE(rpmsg_create_ept(&he, &h.host.rvdev.rdev, "", 1024, 1024, count_cb, NULL) == 0);
	while (rpmsg_trysend(&he, "f", 1) == 1 && n < 100)
		n++;
	CHECK_EQ_INT(n, 16);
	used = rh_used_off(&h, 1);
	h.mem[used + 4] = 200; /* ring[0].id = 200 >= 16 */
	h.mem[used + 2] = 1;   /* used idx = 1 */
	CHECK_EQ_INT(rpmsg_trysend(&he, "x", 1), RPMSG_ERR_DEV_STATE);
	CHECK_EQ_INT(rpmsg_send(&he, "x", 1), RPMSG_ERR_DEV_STATE);
	CHECK(amplink_rpmsg_virtio_is_peer_gone(&h.host.rvdev));
	rpmsg_destroy_ept(&he);
	rh_fini(&h);
}

/* Holds every message it gets (up to 64), keeping the payload pointers. */
static void *held[64];
static int nheld;

static int hold_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)len;
	(void)src;
	(void)priv;
	if (nheld < 64) {
		rpmsg_hold_rx_buffer(ept, data);
		held[nheld++] = data;
	}
	return RPMSG_SUCCESS;
}

/*
 * Sends 300 one-byte messages from @from (pumping every 16), checks that the
 * counting callbacks saw @want in all, and tears the pair down.
 */
static void flow_and_finish(struct rh *h, struct rpmsg_endpoint *he, struct rpmsg_endpoint *re,
			    struct rpmsg_endpoint *from, int want)
{
	int i;

	for (i = 0; i < 300; i++) {
		CHECK_EQ_INT(rpmsg_trysend(from, "x", 1), 1);
		if (i % 16 == 15)
			rh_pump(h);
	}
	rh_pump(h);
	CHECK_EQ_INT(hits, want);
	rpmsg_destroy_ept(he);
	rpmsg_destroy_ept(re);
	rh_fini(h);
}

/*
 * The host scribbles on the header of every buffer the remote holds (the
 * "reserved" field an implementation might keep private state in): release
 * still gives each one back, also when several held buffers share a slot
 * of the remote's private hold table, and the link keeps all its buffers.
 */
static void test_hold_scribbled(void)
{
	static const uint32_t junk[] = {0xFFFFFFFFu, 0, 1, 0x12345678u};
	struct virtqueue *rvq;
	struct rh h;
	struct rpmsg_endpoint he, re;
	uint32_t v;
	int i;

	REQUIRE(rh_init(&h, 64, false, NULL, NULL) == 0);
	rvq = h.remote.rvdev.rvq;
	REQUIRE(rpmsg_create_ept(&he, &h.host.rvdev.rdev, "", 1024, 1024, count_cb, NULL) == 0);
	REQUIRE(rpmsg_create_ept(&re, &h.remote.rvdev.rdev, "", 1024, 1024, hold_cb, NULL) == 0);
	nheld = 0;
	for (i = 0; i < 40; i++)
		CHECK_EQ_INT(rpmsg_trysend(&he, "hold me", 7), 7);
	rh_pump(&h);
	REQUIRE(nheld == 40);
	for (i = 0; i < nheld; i++) {
		CHECK(amplink_virtqueue_find_held(rvq, (uint8_t *)held[i] - 16) >= 0);
		v = junk[i % 4];
		memcpy((uint8_t *)held[i] - 8, &v, 4); /* the header's reserved field */
	}
	for (i = nheld - 1; i >= 0; i--) {
		rpmsg_release_rx_buffer(&re, held[i]);
		CHECK(amplink_virtqueue_find_held(rvq, (uint8_t *)held[i] - 16) < 0);
	}
	/* A second release finds nothing (logged, ignored). */
	rpmsg_release_rx_buffer(&re, held[0]);
	/* Nothing is left remembered in the private table. */
	for (i = 0; i < AMPLINK_RPMSG_HOLD_SLOTS; i++)
		CHECK_EQ_INT(h.remote.rvdev.amplink_rx_hold_idx[i], 0);
	/* Every buffer came back: far more messages than the ring holds still flow. */
	re.cb = count_cb;
	hits = 0;
	flow_and_finish(&h, &he, &re, &he, 300);
}

/*
 * The remote lends TX buffers (rpmsg_get_tx_payload_buffer) and the host
 * scribbles their headers (the buffers are in shared memory): the remote
 * keeps what it lent in private memory, so each nocopy send and release still
 * finds its buffer, and a buffer it never lent is refused.
 */
static void test_lent_tx_scribbled(void)
{
	static const uint32_t junk[] = {0xFFFFFFFFu, 0, 1, 0x12345678u};
	struct rpmsg_endpoint he, re;
	void *lent[8];
	uint32_t v, size;
	struct rh h;
	int i;

	REQUIRE(rh_init(&h, 64, false, NULL, NULL) == 0);
	REQUIRE(rpmsg_create_ept(&he, &h.host.rvdev.rdev, "", 1024, 1024, count_cb, NULL) == 0);
	REQUIRE(rpmsg_create_ept(&re, &h.remote.rvdev.rdev, "", 1024, 1024, count_cb, NULL) == 0);
	for (i = 0; i < 8; i++) {
		lent[i] = rpmsg_get_tx_payload_buffer(&re, &size, 0);
		REQUIRE(lent[i] != NULL);
		v = junk[i % 4];
		memcpy((uint8_t *)lent[i] - 8, &v, 4);	  /* the header's reserved field */
		memset((uint8_t *)lent[i] - 16, 0xA5, 8); /* and its addresses */
	}
	hits = 0;
	for (i = 0; i < 6; i++) {
		memcpy(lent[i], "zc", 2);
		CHECK_EQ_INT(rpmsg_sendto_nocopy(&re, lent[i], 2, 1024), 2);
	}
	CHECK_EQ_INT(rpmsg_release_tx_buffer(&re, lent[6]), RPMSG_SUCCESS);
	CHECK_EQ_INT(rpmsg_release_tx_buffer(&re, lent[7]), RPMSG_SUCCESS);
	/* Given back already: neither a second release nor a send finds it. */
	CHECK(rpmsg_release_tx_buffer(&re, lent[7]) != RPMSG_SUCCESS);
	CHECK(rpmsg_sendto_nocopy(&re, lent[0], 2, 1024) < 0);
	for (i = 0; i < AMPLINK_RPMSG_HOLD_SLOTS; i++)
		CHECK_EQ_INT(h.remote.rvdev.amplink_tx_lend_idx[i], 0);
	rh_pump(&h);
	CHECK_EQ_INT(hits, 6);
	/* Every buffer came back: more messages than the ring holds still flow. */
	flow_and_finish(&h, &he, &re, &re, 306);
}

int main(void)
{
	RUN(test_bad_from_remote);
	RUN(test_bad_from_host);
	RUN(test_broken_queue_remote);
	RUN(test_broken_queue_host);
	RUN(test_hold_scribbled);
	RUN(test_lent_tx_scribbled);
	return check_summary();
}
