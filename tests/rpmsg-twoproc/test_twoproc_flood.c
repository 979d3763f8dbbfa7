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
 * ADAPTIVE mode, and zero-copy (RX buffers held, TX filled in place and sent
 * with rpmsg_send_nocopy); with the argument "poll" in POLL mode (a separate program
 * that is not run under valgrind, because both processes spin).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <metal/sys.h>

#include "check.h"
#include "twoproc.h"

#define VRING_NUM   16
#define TOTAL	    10000 /* messages per direction */
#define PER_RX	    1	  /* sends per received message (2 would grow the backlogs without bound) */
#define HOLD_MAX    4	  /* zero-copy run: RX buffers each side keeps held */
#define HOST_ADDR   0x700u
#define REMOTE_ADDR 0x701u
#define CTL_GO	    0x474fu
#define CTL_DONE    0x444eu

static struct {
	struct rpmsg_endpoint ept;
	volatile int sent;
	volatile int rcvd;
	int bad;
	int send_err;
	int burst;
	int zc;	   /* zero-copy: hold RX buffers, send with nocopy */
	int nheld; /* held RX buffers, oldest first */
	void *held[HOLD_MAX];
} fl;

static int flood_len(int seq)
{
	return 8 + (seq * 37) % (TP_PAYLOAD - 7);
}

/* Send the next message in place (nocopy). Returns the rpmsg result. */
static int flood_send_nocopy(int wait, int len)
{
	uint32_t cap = 0;
	void *p = rpmsg_get_tx_payload_buffer(&fl.ept, &cap, wait);
	int ret;

	if (!p)
		return RPMSG_ERR_NO_BUFF;
	if (cap < (uint32_t)len) {
		rpmsg_release_tx_buffer(&fl.ept, p);
		return RPMSG_ERR_BUFF_SIZE;
	}
	tp_seq_fill(p, (size_t)len, (uint32_t)fl.sent);
	ret = rpmsg_send_nocopy(&fl.ept, p, len);
	if (ret != len)
		rpmsg_release_tx_buffer(&fl.ept, p);
	return ret;
}

/* Send the next message. @wait: blocking, else try. Returns the rpmsg result. */
static int flood_send(int wait)
{
	unsigned char buf[TP_PAYLOAD];
	int len = flood_len(fl.sent), ret;

	if (fl.zc) {
		ret = flood_send_nocopy(wait, len);
	} else {
		tp_seq_fill(buf, (size_t)len, (uint32_t)fl.sent);
		ret = wait ? rpmsg_send(&fl.ept, buf, len) : rpmsg_trysend(&fl.ept, buf, len);
	}
	if (ret == len)
		fl.sent++;
	else if (wait)
		fl.send_err++;
	return ret;
}

static int flood_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)ept;
	(void)priv;
	if (src != fl.ept.dest_addr || len != (size_t)flood_len(fl.rcvd) ||
	    tp_seq_check(data, len, (uint32_t)fl.rcvd) != 0) {
		if (fl.bad++ < 5)
			fprintf(stderr, "flood: message %d wrong (len %zu, src 0x%x)\n", fl.rcvd,
				len, src);
	}
	fl.rcvd++;
	if (fl.zc) { /* keep this buffer; give back the oldest once HOLD_MAX are kept */
		if (fl.nheld == HOLD_MAX) {
			rpmsg_release_rx_buffer(ept, fl.held[0]);
			memmove(fl.held, fl.held + 1, sizeof(fl.held[0]) * (HOLD_MAX - 1));
			fl.nheld--;
		}
		rpmsg_hold_rx_buffer(ept, data);
		fl.held[fl.nheld++] = data;
	}
	for (int i = 0; i < PER_RX && fl.sent < TOTAL && fl.send_err == 0; i++)
		flood_send(1);
	return RPMSG_SUCCESS;
}

/* Fill every buffer of our direction with trysend. Returns the number sent. */
static int flood_burst(void)
{
	int ret;

	do
		ret = flood_send(0);
	while (ret > 0 && fl.sent < TOTAL);
	CHECK_EQ_INT(ret, RPMSG_ERR_NO_BUFF);
	return fl.sent;
}

static int flood_open(struct tp_link *l, uint32_t addr, uint32_t dest, int zc)
{
	memset(&fl, 0, sizeof(fl));
	fl.zc = zc;
	return rpmsg_create_ept(&fl.ept, tp_rdev(l), "", addr, dest, flood_cb, NULL);
}

/* Run until both directions are complete; then the final checks of this side. */
static void flood_finish(struct tp_link *l)
{
	struct amplink_rpmsg_ept_stats es;
	struct amplink_rpmsg_stats s;
	uint64_t bytes;

	CHECK(tp_pump_until(l, &fl.rcvd, TOTAL, 15000) == 0);
	for (int i = 0; i < fl.nheld; i++) /* from outside the callback */
		rpmsg_release_rx_buffer(&fl.ept, fl.held[i]);
	fl.nheld = 0;
	CHECK_EQ_INT(tp_ctl_send(l, CTL_DONE), 0);
	CHECK_EQ_INT(tp_ctl_expect(l, CTL_DONE, 1), 0);
	CHECK_EQ_INT(fl.sent, TOTAL);
	CHECK_EQ_INT(fl.rcvd, TOTAL);
	CHECK_EQ_INT(fl.bad, 0);
	CHECK_EQ_INT(fl.send_err, 0);
	CHECK_EQ_INT(fl.burst, VRING_NUM);
	s = tp_stats(l);
	CHECK_EQ_INT(s.tx_msgs, TOTAL);
	CHECK_EQ_INT(s.rx_msgs, TOTAL);
	CHECK_EQ_INT(s.drop_bad_len + s.drop_no_ept + s.drop_bad_ns, 0);
	bytes = 0;
	for (int i = 0; i < TOTAL; i++)
		bytes += (uint64_t)flood_len(i);
	CHECK_EQ_INT(s.tx_bytes, bytes);
	CHECK_EQ_INT(s.rx_bytes, bytes);
	CHECK_EQ_INT(amplink_rpmsg_ept_get_stats(&fl.ept, &es), RPMSG_SUCCESS);
	CHECK_EQ_INT(es.tx_msgs, TOTAL);
	CHECK_EQ_INT(es.rx_msgs, TOTAL);
	CHECK_EQ_INT(es.tx_bytes, bytes);
	CHECK_EQ_INT(es.rx_bytes, bytes);
	printf("  %s: tx_waits %llu, backlog copies %llu\n", l->is_host ? "host" : "remote",
	       (unsigned long long)s.tx_waits, (unsigned long long)s.backlog_copies);
	rpmsg_destroy_ept(&fl.ept);
}

static int remote_flood(struct tp_link *l, void *arg)
{
	TP_CHILD_BEGIN();
	if (flood_open(l, REMOTE_ADDR, HOST_ADDR, *(const int *)arg) != RPMSG_SUCCESS)
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

static void run_flood(enum amplink_lp_wait_mode mode, int zc)
{
	struct tp_opts o;
	struct tp_link host;
	long long t0;

	tp_opts_init(&o);
	o.mode = mode;
	o.vring_num = VRING_NUM;
	REQUIRE(tp_start(&host, &o, remote_flood, &zc) == 0);
	REQUIRE(flood_open(&host, HOST_ADDR, REMOTE_ADDR, zc) == RPMSG_SUCCESS);
	REQUIRE(tp_ctl_expect(&host, CTL_GO, 0) == 0);
	t0 = tp_now_ms();
	fl.burst = flood_burst();
	CHECK_EQ_INT(tp_ctl_send(&host, CTL_GO), 0);
	CHECK_EQ_INT(tp_ctl_expect(&host, CTL_GO, 0), 0);
	flood_finish(&host);
	printf("  mode %d%s: %d messages each way in %lld ms\n", (int)mode, zc ? " zero-copy" : "",
	       TOTAL, tp_now_ms() - t0);
	CHECK_EQ_INT(tp_finish(&host), 0);
}

static void test_flood_blocking(void)
{
	run_flood(AMPLINK_LP_WAIT_BLOCKING, 0);
}

static void test_flood_adaptive(void)
{
	run_flood(AMPLINK_LP_WAIT_ADAPTIVE, 0);
}

static void test_flood_poll(void)
{
	run_flood(AMPLINK_LP_WAIT_POLL, 0);
}

/* Zero-copy: each callback keeps HOLD_MAX RX buffers held and sends in place. */
static void test_flood_zero_copy(void)
{
	run_flood(AMPLINK_LP_WAIT_BLOCKING, 1);
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
	}
	metal_finish();
	return check_summary();
}
