/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Both sides flood each other from their receive callbacks while the buffers
 * of both directions are exhausted. The host first fills every host->remote
 * buffer while the remote does not look, then the remote fills every
 * remote->host buffer while the host does not look; from then on each
 * received message makes its callback send the next one with the blocking
 * rpmsg_send, so both callbacks end up waiting for a buffer the other side
 * can only return while its own callback waits. Every message carries a
 * sequence number and a pattern: no deadlock (watchdog alarm), no loss, no
 * reorder, no corruption, and the statistics agree. Run in BLOCKING and
 * ADAPTIVE mode, zero-copy (RX buffers held, TX filled in place and sent
 * with rpmsg_send_nocopy), and with four endpoint pairs flooding at once
 * (each stream checked on its own); with the argument "poll" in POLL mode
 * (a separate program, not run under valgrind: both processes spin).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <metal/sys.h>

#include "check.h"
#include "twoproc.h"

#define VRING_NUM   16
#define TOTAL	    4000   /* messages per direction, over all streams (250 x the buffers) */
#define MAX_STREAMS 4	   /* endpoint pairs flooding at once */
#define HOLD_MAX    4	   /* zero-copy run: RX buffers each side keeps held */
#define HOST_ADDR   0x700u /* + stream */
#define REMOTE_ADDR 0x710u /* + stream */
#define CTL_GO	    0x474fu
#define CTL_DONE    0x444eu

/* One endpoint pair's traffic, seen from this side. */
struct stream {
	struct rpmsg_endpoint ept;
	uint32_t id;
	int sent;
	int rcvd;
};

/* How a flood runs (the same on both sides). */
struct flood_opts {
	int zc;	      /* zero-copy: hold RX buffers, send with nocopy */
	int nstreams; /* 1..MAX_STREAMS */
};

static struct {
	struct flood_opts o;
	struct stream st[MAX_STREAMS];
	int per_stream;
	volatile int rcvd; /* over all streams */
	int sent;
	int bad;
	int send_err;
	int burst;
	int nheld; /* held RX buffers, oldest first */
	void *held[HOLD_MAX];
} fl;

/* Message @seq of stream @id: its length and its pattern seed. */
static int flood_len(uint32_t id, int seq)
{
	return 8 + (seq * 37 + (int)id * 11) % (TP_PAYLOAD - 7);
}

static uint32_t flood_seed(uint32_t id, int seq)
{
	return id << 24 | (uint32_t)seq;
}

/* Send the next message of @st in place (nocopy). Returns the rpmsg result. */
static int flood_send_nocopy(struct stream *st, int wait, int len)
{
	uint32_t cap = 0;
	void *p = rpmsg_get_tx_payload_buffer(&st->ept, &cap, wait);
	int ret;

	if (!p)
		return RPMSG_ERR_NO_BUFF;
	if (cap < (uint32_t)len) {
		rpmsg_release_tx_buffer(&st->ept, p);
		return RPMSG_ERR_BUFF_SIZE;
	}
	tp_seq_fill(p, (size_t)len, flood_seed(st->id, st->sent));
	ret = rpmsg_send_nocopy(&st->ept, p, len);
	if (ret != len)
		rpmsg_release_tx_buffer(&st->ept, p);
	return ret;
}

/* Send the next message of @st. @wait: blocking, else try. Returns the rpmsg result. */
static int flood_send(struct stream *st, int wait)
{
	unsigned char buf[TP_PAYLOAD];
	int len = flood_len(st->id, st->sent), ret;

	if (fl.o.zc) {
		ret = flood_send_nocopy(st, wait, len);
	} else {
		tp_seq_fill(buf, (size_t)len, flood_seed(st->id, st->sent));
		ret = wait ? rpmsg_send(&st->ept, buf, len) : rpmsg_trysend(&st->ept, buf, len);
	}
	if (ret == len) {
		st->sent++;
		fl.sent++;
	} else if (wait) {
		fl.send_err++;
	}
	return ret;
}

/* Zero-copy: keep this buffer; give back the oldest once HOLD_MAX are kept. */
static void flood_hold(struct rpmsg_endpoint *ept, void *data)
{
	if (fl.nheld == HOLD_MAX) {
		rpmsg_release_rx_buffer(ept, fl.held[0]);
		memmove(fl.held, fl.held + 1, sizeof(fl.held[0]) * (HOLD_MAX - 1));
		fl.nheld--;
	}
	rpmsg_hold_rx_buffer(ept, data);
	fl.held[fl.nheld++] = data;
}

static int flood_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	struct stream *st = priv;

	if (src != st->ept.dest_addr || len != (size_t)flood_len(st->id, st->rcvd) ||
	    tp_seq_check(data, len, flood_seed(st->id, st->rcvd)) != 0) {
		if (fl.bad++ < 5)
			fprintf(stderr, "flood: stream %u message %d wrong (len %zu, src 0x%x)\n",
				st->id, st->rcvd, len, src);
	}
	st->rcvd++;
	fl.rcvd++;
	if (fl.o.zc)
		flood_hold(ept, data);
	if (st->sent < fl.per_stream && fl.send_err == 0)
		flood_send(st, 1); /* one per message received: the in-flight count stays bounded */
	return RPMSG_SUCCESS;
}

/* Fill every buffer of our direction with trysend, round robin. Returns the number sent. */
static int flood_burst(void)
{
	int ret, i = 0;

	do
		ret = flood_send(&fl.st[i++ % fl.o.nstreams], 0);
	while (ret > 0 && fl.sent < TOTAL);
	CHECK_EQ_INT(ret, RPMSG_ERR_NO_BUFF);
	return fl.sent;
}

static int flood_open(struct tp_link *l, uint32_t base, uint32_t peer, const struct flood_opts *o)
{
	memset(&fl, 0, sizeof(fl));
	fl.o = *o;
	fl.per_stream = TOTAL / o->nstreams;
	for (int i = 0; i < o->nstreams; i++) {
		struct stream *st = &fl.st[i];
		st->id = (uint32_t)i;
		st->ept.priv = st;
		if (rpmsg_create_ept(&st->ept, tp_rdev(l), "", base + (uint32_t)i,
				     peer + (uint32_t)i, flood_cb, NULL) != RPMSG_SUCCESS)
			return -1;
		st->ept.priv = st;
	}
	return 0;
}

/* The per-endpoint counters of every stream. */
static void flood_check_streams(void)
{
	struct amplink_rpmsg_ept_stats es;

	for (int i = 0; i < fl.o.nstreams; i++) {
		struct stream *st = &fl.st[i];
		uint64_t bytes = 0;

		for (int k = 0; k < fl.per_stream; k++)
			bytes += (uint64_t)flood_len(st->id, k);
		CHECK_EQ_INT(st->sent, fl.per_stream);
		CHECK_EQ_INT(st->rcvd, fl.per_stream);
		CHECK_EQ_INT(amplink_rpmsg_ept_get_stats(&st->ept, &es), RPMSG_SUCCESS);
		CHECK_EQ_INT(es.tx_msgs, fl.per_stream);
		CHECK_EQ_INT(es.rx_msgs, fl.per_stream);
		CHECK_EQ_INT(es.tx_bytes, bytes);
		CHECK_EQ_INT(es.rx_bytes, bytes);
		rpmsg_destroy_ept(&st->ept);
	}
}

/* Run until both directions are complete; then the final checks of this side. */
static void flood_finish(struct tp_link *l)
{
	struct amplink_rpmsg_stats s;
	int total = fl.per_stream * fl.o.nstreams;

	CHECK(tp_pump_until(l, &fl.rcvd, total, 15000) == 0);
	for (int i = 0; i < fl.nheld; i++) /* from outside the callback */
		rpmsg_release_rx_buffer(&fl.st[0].ept, fl.held[i]);
	fl.nheld = 0;
	CHECK_EQ_INT(tp_ctl_send(l, CTL_DONE), 0);
	CHECK_EQ_INT(tp_ctl_expect(l, CTL_DONE, 1), 0);
	CHECK_EQ_INT(fl.sent, total);
	CHECK_EQ_INT(fl.rcvd, total);
	CHECK_EQ_INT(fl.bad, 0);
	CHECK_EQ_INT(fl.send_err, 0);
	CHECK_EQ_INT(fl.burst, VRING_NUM);
	s = tp_stats(l);
	CHECK_EQ_INT(s.tx_msgs, total);
	CHECK_EQ_INT(s.rx_msgs, total);
	CHECK_EQ_INT(s.drop_bad_len + s.drop_no_ept + s.drop_bad_ns, 0);
	printf("  %s: tx_waits %llu, backlog copies %llu\n", l->is_host ? "host" : "remote",
	       (unsigned long long)s.tx_waits, (unsigned long long)s.backlog_copies);
	flood_check_streams();
}

static int remote_flood(struct tp_link *l, void *arg)
{
	TP_CHILD_BEGIN();
	if (flood_open(l, REMOTE_ADDR, HOST_ADDR, arg) != 0)
		return 60;
	tp_ctl_send(l, CTL_GO);
	/* The host fills its direction while we do not look; then we fill ours. */
	if (tp_ctl_expect(l, CTL_GO, 0) < 0)
		return 61;
	fl.burst = flood_burst();
	tp_ctl_send(l, CTL_GO);
	flood_finish(l);
	return TP_CHILD_STATUS();
}

static void run_flood(enum amplink_lp_wait_mode mode, int zc, int nstreams)
{
	struct flood_opts fo = {zc, nstreams};
	struct tp_opts o;
	struct tp_link host;
	long long t0;

	tp_opts_init(&o);
	o.mode = mode;
	o.vring_num = VRING_NUM;
	REQUIRE(tp_start(&host, &o, remote_flood, &fo) == 0);
	REQUIRE(flood_open(&host, HOST_ADDR, REMOTE_ADDR, &fo) == 0);
	REQUIRE(tp_ctl_expect(&host, CTL_GO, 0) == 0);
	t0 = tp_now_ms();
	fl.burst = flood_burst();
	CHECK_EQ_INT(tp_ctl_send(&host, CTL_GO), 0);
	CHECK_EQ_INT(tp_ctl_expect(&host, CTL_GO, 0), 0);
	flood_finish(&host);
	printf("  mode %d%s, %d stream(s): %d messages each way in %lld ms\n", (int)mode,
	       zc ? " zero-copy" : "", nstreams, TOTAL, tp_now_ms() - t0);
	CHECK_EQ_INT(tp_finish(&host), 0);
}

static void test_flood_blocking(void)
{
	run_flood(AMPLINK_LP_WAIT_BLOCKING, 0, 1);
}

static void test_flood_adaptive(void)
{
	run_flood(AMPLINK_LP_WAIT_ADAPTIVE, 0, 1);
}

static void test_flood_poll(void)
{
	run_flood(AMPLINK_LP_WAIT_POLL, 0, 1);
	run_flood(AMPLINK_LP_WAIT_POLL, 0, MAX_STREAMS);
}

/* Zero-copy: each callback keeps HOLD_MAX RX buffers held and sends in place. */
static void test_flood_zero_copy(void)
{
	run_flood(AMPLINK_LP_WAIT_BLOCKING, 1, 1);
}

/* Four endpoint pairs at once: each stream in order, none mixed up with another. */
static void test_flood_streams(void)
{
	run_flood(AMPLINK_LP_WAIT_BLOCKING, 0, MAX_STREAMS);
	run_flood(AMPLINK_LP_WAIT_ADAPTIVE, 1, MAX_STREAMS);
}

int main(int argc, char **argv)
{
	if (tp_init() < 0)
		return 2;
	if (argc > 1 && strcmp(argv[1], "poll") == 0) {
		TP_RUN(test_flood_poll);
	} else {
		TP_RUN(test_flood_blocking);
		TP_RUN(test_flood_adaptive);
		TP_RUN(test_flood_zero_copy);
		TP_RUN(test_flood_streams);
	}
	metal_finish();
	return check_summary();
}
