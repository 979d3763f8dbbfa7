/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Concurrency of RPMsg over virtio, one thread per side: both sides flood
 * each other from their receive callbacks with small rings (buffers
 * exhausted on both sides: no deadlock, no loss, no reorder); destroying an
 * endpoint while its callback runs on another thread (and from inside its own
 * callback); "peer gone" waking a blocked sender; an endpoint created and
 * destroyed over and over while the dispatcher keeps endpoint references
 * between messages. The timed send is in
 * test_rpmsg_timing.c.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <unistd.h>

#include "check.h"
#include "rpmsg_harness.h"

#define FLOOD_N	    3000
#define FLOOD_RING  16
#define DEADLINE_MS 20000.0

struct flood_side {
	void *held; /* a message kept with rpmsg_hold_rx_buffer */
	uint32_t held_seq;
	uint32_t holds;
	struct rh *h;
	struct rh_side *s;
	struct flood_side *peer;
	struct rpmsg_endpoint ept;
	uint32_t sent, recv;
	int errors;
	atomic_int done;
};

static void flood_send_next(struct flood_side *f)
{
	uint8_t buf[496];
	uint32_t seq = f->sent, len = 4 + (seq * 37u) % 493u, i;
	int ret;

	memcpy(buf, &seq, 4);
	for (i = 4; i < len; i++)
		buf[i] = (uint8_t)(seq + i);
	ret = rpmsg_send(&f->ept, buf, (int)len);
	if (ret != (int)len) {
		f->errors++;
		fprintf(stderr, "flood: send of %u returned %d\n", seq, ret);
	}
	f->sent++;
}

static int flood_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	struct flood_side *f = priv;
	const uint8_t *p = data;
	uint32_t seq, i;

	(void)src;
	if (len < 4) {
		f->errors++;
		return 0;
	}
	memcpy(&seq, p, 4);
	if (seq != f->recv || len != 4 + (seq * 37u) % 493u)
		f->errors++;
	for (i = 4; i < len; i++) {
		if (p[i] != (uint8_t)(seq + i)) {
			f->errors++;
			break;
		}
	}
	f->recv++;
	/* Now and then keep a message (ring buffer or backlog copy) until the next one. */
	if (f->held) {
		uint32_t hs;

		memcpy(&hs, f->held, 4);
		if (hs != f->held_seq || ((uint8_t *)f->held)[4] != (uint8_t)(hs + 4))
			f->errors++;
		rpmsg_release_rx_buffer(ept, f->held);
		f->held = NULL;
	} else if (seq % 97 == 0 && len > 4) {
		rpmsg_hold_rx_buffer(ept, data);
		f->held = data;
		f->held_seq = seq;
		f->holds++;
	}
	/* Two answers while ramping up (exhausts every buffer), then one. */
	if (f->sent < FLOOD_N)
		flood_send_next(f);
	if (f->sent < FLOOD_N && f->sent < 8 * FLOOD_RING)
		flood_send_next(f);
	return 0;
}

static void *flood_thread(void *arg)
{
	struct flood_side *f = arg;
	double end = rh_now_ms() + DEADLINE_MS;

	while (rh_now_ms() < end) {
		if (f->recv == FLOOD_N && f->sent == FLOOD_N)
			atomic_store(&f->done, 1);
		if (atomic_load(&f->done) && atomic_load(&f->peer->done))
			break;
		rh_wait_and_pump(f->s, 10);
	}
	return NULL;
}

static void test_flood_both_ways(void)
{
	static struct rh h;
	static struct flood_side a, b;
	struct amplink_rpmsg_stats sa, sb;
	pthread_t ta, tb;
	double t0;
	int i;

	REQUIRE(rh_init(&h, FLOOD_RING, false, NULL, NULL) == 0);
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.s = &h.host;
	b.s = &h.remote;
	a.peer = &b;
	b.peer = &a;
	REQUIRE(rpmsg_create_ept(&a.ept, &h.host.rvdev.rdev, "", 1024, 1025, flood_cb, NULL) == 0);
	REQUIRE(rpmsg_create_ept(&b.ept, &h.remote.rvdev.rdev, "", 1025, 1024, flood_cb, NULL) ==
		0);
	a.ept.priv = &a;
	b.ept.priv = &b;
	rpmsg_virtio_set_wait_cb(&h.host.rvdev, rh_wait_cb);
	rpmsg_virtio_set_wait_cb(&h.remote.rvdev, rh_wait_cb);
	/* Seed: a few messages each way before the threads start. */
	for (i = 0; i < 4; i++) {
		flood_send_next(&a);
		flood_send_next(&b);
	}
	t0 = rh_now_ms();
	pthread_create(&ta, NULL, flood_thread, &a);
	pthread_create(&tb, NULL, flood_thread, &b);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	printf("flood: %u+%u messages in %.0f ms\n", a.recv, b.recv, rh_now_ms() - t0);
	CHECK_EQ_INT(a.errors, 0);
	CHECK_EQ_INT(b.errors, 0);
	CHECK_EQ_INT(a.recv, FLOOD_N);
	CHECK_EQ_INT(b.recv, FLOOD_N);
	CHECK_EQ_INT(a.sent, FLOOD_N);
	CHECK(a.holds > 10 && b.holds > 10);
	if (a.held)
		rpmsg_release_rx_buffer(&a.ept, a.held);
	if (b.held)
		rpmsg_release_rx_buffer(&b.ept, b.held);
	CHECK_EQ_INT(b.sent, FLOOD_N);
	amplink_rpmsg_virtio_get_stats(&h.host.rvdev, &sa);
	amplink_rpmsg_virtio_get_stats(&h.remote.rvdev, &sb);
	printf("flood: waits %llu/%llu, backlog copies %llu/%llu\n",
	       (unsigned long long)sa.tx_waits, (unsigned long long)sb.tx_waits,
	       (unsigned long long)sa.backlog_copies, (unsigned long long)sb.backlog_copies);
	CHECK(sa.tx_waits + sb.tx_waits > 0); /* the buffers really ran out */
	CHECK_EQ_INT(sa.rx_msgs, FLOOD_N);
	CHECK_EQ_INT(sb.rx_msgs, FLOOD_N);
	rpmsg_destroy_ept(&a.ept);
	rpmsg_destroy_ept(&b.ept);
	rh_fini(&h);
}

/* ---- destroy while a callback runs ---- */

static atomic_int in_cb, cb_done, stop_pump;

static int slow_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)ept;
	(void)data;
	(void)len;
	(void)src;
	(void)priv;
	atomic_store(&in_cb, 1);
	usleep(200 * 1000);
	atomic_store(&cb_done, 1);
	return 0;
}

static int self_destroy_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src,
			   void *priv)
{
	(void)data;
	(void)len;
	(void)src;
	rpmsg_destroy_ept(ept);
	(*(int *)priv)++;
	return 0;
}

static void *pump_thread(void *arg)
{
	struct rh_side *s = arg;

	while (!atomic_load(&stop_pump))
		rh_wait_and_pump(s, 5);
	return NULL;
}

static void test_destroy_during_callback(void)
{
	static struct rh h;
	struct rpmsg_endpoint he, re, re2;
	struct amplink_rpmsg_stats s;
	pthread_t t;
	double t0, dt;
	int i, self_calls = 0;

	atomic_store(&in_cb, 0);
	atomic_store(&cb_done, 0);
	atomic_store(&stop_pump, 0);
	REQUIRE(rh_init(&h, 16, false, NULL, NULL) == 0);
	REQUIRE(rpmsg_create_ept(&he, &h.host.rvdev.rdev, "", 1024, 1024, slow_cb, NULL) == 0);
	REQUIRE(rpmsg_create_ept(&re, &h.remote.rvdev.rdev, "", 1024, 1024, slow_cb, NULL) == 0);
	REQUIRE(rpmsg_create_ept(&re2, &h.remote.rvdev.rdev, "", 1030, 1024, self_destroy_cb,
				 NULL) == 0);
	re2.priv = &self_calls;
	pthread_create(&t, NULL, pump_thread, &h.remote);
	CHECK_EQ_INT(rpmsg_send(&he, "x", 1), 1);
	for (i = 0; i < 2000 && !atomic_load(&in_cb); i++)
		usleep(1000);
	REQUIRE(atomic_load(&in_cb));
	t0 = rh_now_ms();
	rpmsg_destroy_ept(&re);
	dt = rh_now_ms() - t0;
	CHECK(atomic_load(&cb_done)); /* destroy waited for the running callback */
	CHECK(dt > 50.0);
	CHECK(re.rdev == NULL);
	/* Destroy from inside its own callback: no deadlock, endpoint gone. */
	CHECK_EQ_INT(rpmsg_sendto(&he, "y", 1, 1030), 1);
	for (i = 0; i < 2000 && self_calls == 0; i++)
		usleep(1000);
	CHECK_EQ_INT(self_calls, 1);
	CHECK(re2.rdev == NULL);
	/* Messages to both addresses are now dropped. */
	CHECK_EQ_INT(rpmsg_sendto(&he, "z", 1, 1024), 1);
	CHECK_EQ_INT(rpmsg_sendto(&he, "z", 1, 1030), 1);
	for (i = 0; i < 2000; i++) {
		amplink_rpmsg_virtio_get_stats(&h.remote.rvdev, &s);
		if (s.drop_no_ept == 2)
			break;
		usleep(1000);
	}
	CHECK_EQ_INT(s.drop_no_ept, 2);
	CHECK_EQ_INT(self_calls, 1);
	atomic_store(&stop_pump, 1);
	pthread_join(t, NULL);
	rpmsg_destroy_ept(&he);
	rh_fini(&h);
}

/* ---- peer gone ---- */

struct blocked_send {
	struct rpmsg_endpoint *ept;
	int ret;
	double ms;
};

static void *blocked_send_thread(void *arg)
{
	struct blocked_send *b = arg;
	double t0 = rh_now_ms();

	b->ret = rpmsg_send(b->ept, "b", 1);
	b->ms = rh_now_ms() - t0;
	return NULL;
}

static int host_hits;

static int hit_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)ept;
	(void)data;
	(void)len;
	(void)src;
	(void)priv;
	host_hits++;
	return 0;
}

static void test_peer_gone(void)
{
	static struct rh h;
	struct rpmsg_endpoint he, re;
	struct blocked_send b;
	pthread_t t;
	uint16_t avail0;

	host_hits = 0;
	REQUIRE(rh_init(&h, 16, false, NULL, NULL) == 0);
	REQUIRE(rpmsg_create_ept(&he, &h.host.rvdev.rdev, "", 1024, 1024, hit_cb, NULL) == 0);
	REQUIRE(rpmsg_create_ept(&re, &h.remote.rvdev.rdev, "", 1024, 1024, rh_nop_cb, NULL) == 0);
	CHECK(!amplink_rpmsg_virtio_is_peer_gone(&h.host.rvdev));
	CHECK_EQ_INT(rh_exhaust(&he), 16);
	b.ept = &he;
	b.ret = 0;
	pthread_create(&t, NULL, blocked_send_thread, &b);
	usleep(50 * 1000);
	amplink_rpmsg_virtio_set_peer_gone(&h.host.rvdev);
	pthread_join(t, NULL);
	CHECK_EQ_INT(b.ret, RPMSG_ERR_DEV_STATE);
	CHECK(b.ms < 1000.0);
	CHECK(amplink_rpmsg_virtio_is_peer_gone(&h.host.rvdev));
	CHECK_EQ_INT(rpmsg_trysend(&he, "x", 1), RPMSG_ERR_DEV_STATE);
	CHECK_EQ_INT(rpmsg_send(&he, "x", 1), RPMSG_ERR_DEV_STATE);
	/* The host no longer touches its rings: incoming messages stay there. */
	avail0 = rh_rd16(&h, rh_avail_off(&h, 0) + 2);
	CHECK_EQ_INT(rpmsg_send(&re, "late", 4), 4);
	rh_pump(&h);
	CHECK_EQ_INT(host_hits, 0);
	CHECK_EQ_INT(rh_rd16(&h, rh_avail_off(&h, 0) + 2), avail0);
	amplink_rpmsg_virtio_set_peer_gone(&h.host.rvdev); /* idempotent */
	rpmsg_destroy_ept(&he);
	rpmsg_destroy_ept(&re);
	rh_fini(&h);
}

/* ---- several senders at once ---- */

#define MS_THREADS 4
#define MS_N	   2000

static uint32_t ms_next[MS_THREADS];
static int ms_errors;

static int ms_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	uint32_t v[2];

	(void)ept;
	(void)priv;
	if (len != sizeof(v) || src < 1024 || src >= 1024 + MS_THREADS) {
		ms_errors++;
		return 0;
	}
	memcpy(v, data, sizeof(v));
	if (v[0] != src - 1024 || v[1] != ms_next[v[0]]++)
		ms_errors++;
	return 0;
}

struct ms_sender {
	struct rpmsg_endpoint ept;
	uint32_t id;
	int fails;
};

static void *ms_thread(void *arg)
{
	struct ms_sender *m = arg;
	uint32_t v[2], i;

	for (i = 0; i < MS_N; i++) {
		v[0] = m->id;
		v[1] = i;
		/* Alternate blocking and trying sends (a failed try is retried). */
		if (i & 1) {
			while (rpmsg_trysend(&m->ept, v, sizeof(v)) == RPMSG_ERR_NO_BUFF)
				sched_yield();
		} else if (rpmsg_send(&m->ept, v, sizeof(v)) != sizeof(v)) {
			m->fails++;
		}
	}
	return NULL;
}

/* Four threads send on four host endpoints at once; a pump thread serves both sides. */
static void test_many_senders(void)
{
	static struct rh h;
	static struct ms_sender m[MS_THREADS];
	struct rpmsg_endpoint re;
	pthread_t t[MS_THREADS], p1, p2;
	uint32_t i;

	memset(ms_next, 0, sizeof(ms_next));
	ms_errors = 0;
	atomic_store(&stop_pump, 0);
	REQUIRE(rh_init(&h, 16, false, NULL, NULL) == 0);
	REQUIRE(rpmsg_create_ept(&re, &h.remote.rvdev.rdev, "", 2000, RPMSG_ADDR_ANY, ms_cb,
				 NULL) == 0);
	for (i = 0; i < MS_THREADS; i++) {
		m[i].id = i;
		m[i].fails = 0;
		REQUIRE(rpmsg_create_ept(&m[i].ept, &h.host.rvdev.rdev, "", 1024 + i, 2000,
					 rh_nop_cb, NULL) == 0);
	}
	pthread_create(&p1, NULL, pump_thread, &h.remote);
	pthread_create(&p2, NULL, pump_thread, &h.host);
	for (i = 0; i < MS_THREADS; i++)
		pthread_create(&t[i], NULL, ms_thread, &m[i]);
	for (i = 0; i < MS_THREADS; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < 2000; i++) {
		uint32_t k, done = 1;

		for (k = 0; k < MS_THREADS; k++)
			done &= ms_next[k] == MS_N;
		if (done)
			break;
		usleep(1000);
	}
	atomic_store(&stop_pump, 1);
	pthread_join(p1, NULL);
	pthread_join(p2, NULL);
	CHECK_EQ_INT(ms_errors, 0);
	for (i = 0; i < MS_THREADS; i++) {
		CHECK_EQ_INT(m[i].fails, 0);
		CHECK_EQ_INT(ms_next[i], MS_N);
	}
	for (i = 0; i < MS_THREADS; i++)
		rpmsg_destroy_ept(&m[i].ept);
	rpmsg_destroy_ept(&re);
	rh_fini(&h);
}

/* ---- endpoints leaving while the dispatcher keeps (parks) their references ---- */

#define CHURN_N 4000

static atomic_uint churn_hits, stable_hits;

/* Counts a message for the churned endpoint (2001) or the stable one. */
static int churn_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)data;
	(void)len;
	(void)src;
	(void)priv;
	atomic_fetch_add(ept->addr == 2001 ? &churn_hits : &stable_hits, 1u);
	return RPMSG_SUCCESS;
}

struct churn {
	struct rh *h;
	atomic_int stop;
	unsigned int rounds;
};

/*
 * Creates and destroys an endpoint at 2001 over and over, each a fresh heap
 * object freed right after its destroy: a dispatcher still touching one after
 * rpmsg_destroy_ept returned is a use-after-free ASan and valgrind report.
 */
static void *churn_thread(void *arg)
{
	struct churn *c = arg;
	struct rpmsg_endpoint *e;

	while (!atomic_load(&c->stop)) {
		e = malloc(sizeof(*e));
		if (!e)
			break;
		if (rpmsg_create_ept(e, &c->h->remote.rvdev.rdev, "", 2001, RPMSG_ADDR_ANY,
				     churn_cb, NULL) == 0) {
			sched_yield();
			rpmsg_destroy_ept(e);
			c->rounds++;
		}
		free(e);
	}
	return NULL;
}

/*
 * The remote's dispatcher runs on its own thread and keeps the last
 * endpoint's reference between messages (parked on the device) while another
 * thread creates and destroys an endpoint, and messages alternate between it
 * and a stable one: nothing to the stable endpoint is lost, every message to
 * the churned address is delivered or counted as dropped, and no endpoint is
 * used after it was destroyed (ASan, valgrind).
 */
static void test_endpoint_churn(void)
{
	static struct rh h;
	struct rpmsg_endpoint he, stable;
	struct amplink_rpmsg_stats s = {0};
	struct churn c = {.h = &h};
	unsigned int i, to_stable = 0, to_churn = 0;
	pthread_t tp, tc;

	atomic_store(&stop_pump, 0);
	atomic_store(&churn_hits, 0u);
	atomic_store(&stable_hits, 0u);
	REQUIRE(rh_init(&h, 16, false, NULL, NULL) == 0);
	REQUIRE(rpmsg_create_ept(&he, &h.host.rvdev.rdev, "", 1024, RPMSG_ADDR_ANY, rh_nop_cb,
				 NULL) == 0);
	REQUIRE(rpmsg_create_ept(&stable, &h.remote.rvdev.rdev, "", 2000, RPMSG_ADDR_ANY, churn_cb,
				 NULL) == 0);
	pthread_create(&tp, NULL, pump_thread, &h.remote);
	pthread_create(&tc, NULL, churn_thread, &c);
	for (i = 0; i < CHURN_N; i++) {
		uint32_t dst = (i & 1) ? 2001 : 2000;

		while (rpmsg_trysendto(&he, "c", 1, dst) != 1)
			rh_wait_and_pump(&h.host, 1); /* buffers come back */
		if (dst == 2000)
			to_stable++;
		else
			to_churn++;
	}
	for (i = 0; i < 10000; i++) {
		amplink_rpmsg_virtio_get_stats(&h.remote.rvdev, &s);
		if (s.rx_msgs + s.drop_no_ept >= CHURN_N)
			break;
		usleep(1000);
	}
	atomic_store(&c.stop, 1);
	pthread_join(tc, NULL);
	atomic_store(&stop_pump, 1);
	pthread_join(tp, NULL);
	CHECK_EQ_INT((int)(s.rx_msgs + s.drop_no_ept), CHURN_N);
	CHECK_EQ_INT((int)atomic_load(&stable_hits), (int)to_stable);
	CHECK_EQ_INT((int)(atomic_load(&churn_hits) + s.drop_no_ept), (int)to_churn);
	CHECK(c.rounds > 0);
	printf("churn: %u create/destroy rounds, %u of %u churned messages delivered\n", c.rounds,
	       atomic_load(&churn_hits), to_churn);
	rpmsg_destroy_ept(&stable);
	rpmsg_destroy_ept(&he);
	rh_fini(&h);
}

int main(void)
{
	RUN(test_flood_both_ways);
	RUN(test_destroy_during_callback);
	RUN(test_peer_gone);
	RUN(test_many_senders);
	RUN(test_endpoint_churn);
	return check_summary();
}
