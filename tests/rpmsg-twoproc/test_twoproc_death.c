/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The remote killed mid-stream: the host survives, returns errors within a
 * bounded time, never hangs. The remote is SIGKILLed (by a separate killer
 * process) while the host is blocked in rpmsg_send with every buffer in use,
 * while the host streams sequence-numbered messages through the remote's
 * echo, and while the host's receive callback is blocked in rpmsg_send (with
 * an RX buffer held and a TX buffer lent out, both given back afterwards);
 * the remote also leaves in order while the host is blocked in rpmsg_send.
 * Afterwards every call on the host fails at once (RPMSG_ERR_DEV_STATE,
 * NULL, -EPIPE) and tearing down its endpoints and device does not block.
 * The blocked cases run in BLOCKING and ADAPTIVE mode; with the argument
 * "poll" in POLL mode (a separate program, not run under valgrind: both
 * sides spin). test_twoproc_host_death.c covers the host dying.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <metal/sys.h>

#include "check.h"
#include "twoproc.h"

#define VRING_NUM 8
#define KILL_MS	  200  /* the killer waits this long */
#define BOUND_MS  3000 /* the survivor must notice within this (after the kill) */
#define HOST_ADDR 0x600u

static struct {
	struct rpmsg_endpoint ept;
	volatile int rcvd;
	int bad;
} hs;

/* Wait mode of both sides in the current test. */
static enum amplink_lp_wait_mode death_mode = AMPLINK_LP_WAIT_BLOCKING;

static int host_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)ept;
	(void)priv;
	if (src != TP_ECHO_ADDR || tp_seq_check(data, len, (uint32_t)hs.rcvd) != 0)
		hs.bad++;
	hs.rcvd++;
	return RPMSG_SUCCESS;
}

/* Fork a process that SIGKILLs @pid after @ms. Returns its pid. */
static pid_t spawn_killer(pid_t pid, int ms)
{
	pid_t k;

	fflush(NULL);
	k = fork();
	if (k == 0) {
		usleep((useconds_t)ms * 1000u);
		kill(pid, SIGKILL);
		_exit(0);
	}
	return k;
}

/* After the remote died: every call fails at once, teardown does not block. */
static void check_host_after_death(struct tp_link *host)
{
	struct rpmsg_endpoint late;
	unsigned char buf[16] = {0};
	uint32_t cap = 0;
	long long t0 = tp_now_ms();
	int ret;

	CHECK_EQ_INT(amplink_lp_peer_alive(host->lp), 0);
	CHECK(amplink_rpmsg_virtio_is_peer_gone(tp_rvdev(host)));
	CHECK_EQ_INT(amplink_lp_process(host->lp, 100), -EPIPE);
	CHECK_EQ_INT(rpmsg_trysendto(&hs.ept, buf, 4, TP_SINK_ADDR), RPMSG_ERR_DEV_STATE);
	CHECK_EQ_INT(rpmsg_sendto(&hs.ept, buf, 4, TP_SINK_ADDR), RPMSG_ERR_DEV_STATE);
	CHECK_EQ_INT(amplink_rpmsg_send_timeout(&hs.ept, buf, 4, TP_SINK_ADDR, 1000000),
		     RPMSG_ERR_DEV_STATE);
	CHECK(rpmsg_get_tx_payload_buffer(&hs.ept, &cap, 1) == NULL);
	ret = rpmsg_create_ept(&late, tp_rdev(host), "late", RPMSG_ADDR_ANY, RPMSG_ADDR_ANY,
			       host_cb, NULL);
	CHECK(ret == RPMSG_SUCCESS || ret == RPMSG_ERR_DEV_STATE);
	if (ret == RPMSG_SUCCESS)
		rpmsg_destroy_ept(&late);
	rpmsg_destroy_ept(&hs.ept);
	CHECK(tp_now_ms() - t0 < 1000); /* none of it waited (process() waits 100 ms) */
}

/* The remote consumes nothing; the host blocks in rpmsg_send; the remote is killed. */
static void test_remote_killed_host_blocked(void)
{
	struct tp_opts o;
	struct tp_link host;
	unsigned char buf[32];
	long long t0, dt;
	pid_t killer;
	int n = 0, ret;

	tp_opts_init(&o);
	o.mode = death_mode;
	o.vring_num = VRING_NUM;
	memset(&hs, 0, sizeof(hs));
	REQUIRE(tp_start(&host, &o, tp_remote_responder, NULL) == 0);
	REQUIRE(rpmsg_create_ept(&hs.ept, tp_rdev(&host), "", HOST_ADDR, TP_SINK_ADDR, host_cb,
				 NULL) == RPMSG_SUCCESS);
	REQUIRE(tp_ctl_expect(&host, TP_CMD_READY, 1) == 0);
	REQUIRE(tp_ctl_send(&host, TP_CMD_HALT) == 0);
	REQUIRE(tp_ctl_expect(&host, TP_CMD_HALTED, 1) == 0);
	do {
		tp_seq_fill(buf, sizeof(buf), (uint32_t)n);
		ret = rpmsg_trysend(&hs.ept, buf, (int)sizeof(buf));
	} while (ret == (int)sizeof(buf) && ++n < 100);
	CHECK_EQ_INT(ret, RPMSG_ERR_NO_BUFF);
	CHECK_EQ_INT(n, VRING_NUM);
	killer = spawn_killer(host.pid, KILL_MS);
	REQUIRE(killer > 0);
	t0 = tp_now_ms();
	ret = tp_survivor_send(&hs.ept, buf, (int)sizeof(buf), TP_SINK_ADDR, death_mode);
	dt = tp_now_ms() - t0;
	printf("  blocked send returned %d after %lld ms\n", ret, dt);
	CHECK_EQ_INT(ret, RPMSG_ERR_DEV_STATE);
	CHECK(dt >= KILL_MS / 2 && dt < KILL_MS + BOUND_MS);
	check_host_after_death(&host);
	CHECK_EQ_INT(waitpid(killer, NULL, 0), killer);
	CHECK_EQ_INT(tp_finish(&host), 128 + SIGKILL);
}

/* The host streams through the remote's echo; the remote is killed mid-stream. */
static void test_remote_killed_mid_stream(void)
{
	struct tp_opts o;
	struct tp_link host;
	unsigned char buf[TP_PAYLOAD];
	long long t0, dt;
	pid_t killer;
	int n = 0, ret, len;

	tp_opts_init(&o);
	o.mode = death_mode;
	o.vring_num = VRING_NUM;
	memset(&hs, 0, sizeof(hs));
	REQUIRE(tp_start(&host, &o, tp_remote_responder, NULL) == 0);
	REQUIRE(rpmsg_create_ept(&hs.ept, tp_rdev(&host), "", HOST_ADDR, TP_ECHO_ADDR, host_cb,
				 NULL) == RPMSG_SUCCESS);
	REQUIRE(tp_ctl_expect(&host, TP_CMD_READY, 1) == 0);
	killer = spawn_killer(host.pid, KILL_MS);
	REQUIRE(killer > 0);
	t0 = tp_now_ms();
	for (;;) {
		len = 4 + n % (TP_PAYLOAD - 3);
		tp_seq_fill(buf, (size_t)len, (uint32_t)n);
		ret = rpmsg_send(&hs.ept, buf, len);
		if (ret != len || tp_now_ms() - t0 > KILL_MS + BOUND_MS)
			break;
		n++;
		if (amplink_lp_process(host.lp, 0) < 0)
			break;
	}
	dt = tp_now_ms() - t0;
	printf("  %d sent, %d echoed, then %d after %lld ms\n", n, hs.rcvd, ret, dt);
	CHECK(ret == RPMSG_ERR_DEV_STATE || amplink_lp_process(host.lp, 0) == -EPIPE);
	CHECK(dt < KILL_MS + BOUND_MS);
	CHECK(n > 0);
	CHECK(hs.rcvd <= n);
	CHECK_EQ_INT(hs.bad, 0); /* echoes in order and intact up to the death */
	check_host_after_death(&host);
	CHECK_EQ_INT(waitpid(killer, NULL, 0), killer);
	CHECK_EQ_INT(tp_finish(&host), 128 + SIGKILL);
}

static volatile int unbinds;

static void count_unbind(struct rpmsg_endpoint *ept)
{
	(void)ept;
	unbinds++;
}

/*
 * The remote leaves in order (amplink_lp_destroy) while the host is blocked
 * in rpmsg_send; then the host's own teardown runs the unbind callback of an
 * endpoint still registered.
 */
static void test_remote_leaves_host_blocked(void)
{
	struct rpmsg_endpoint live;
	struct tp_opts o;
	struct tp_link host;
	unsigned char buf[32];
	long long t0, dt;
	int n = 0, ret;

	tp_opts_init(&o);
	o.mode = death_mode;
	o.vring_num = VRING_NUM;
	memset(&hs, 0, sizeof(hs));
	unbinds = 0;
	REQUIRE(tp_start(&host, &o, tp_remote_responder, NULL) == 0);
	REQUIRE(rpmsg_create_ept(&hs.ept, tp_rdev(&host), "", HOST_ADDR, TP_SINK_ADDR, host_cb,
				 NULL) == RPMSG_SUCCESS);
	REQUIRE(rpmsg_create_ept(&live, tp_rdev(&host), "", HOST_ADDR + 1, TP_SINK_ADDR, host_cb,
				 count_unbind) == RPMSG_SUCCESS);
	REQUIRE(tp_ctl_expect(&host, TP_CMD_READY, 1) == 0);
	REQUIRE(tp_ctl_send(&host, TP_CMD_HALT) == 0);
	REQUIRE(tp_ctl_expect(&host, TP_CMD_HALTED, 1) == 0);
	do {
		tp_seq_fill(buf, sizeof(buf), (uint32_t)n);
		ret = rpmsg_trysend(&hs.ept, buf, (int)sizeof(buf));
	} while (ret == (int)sizeof(buf) && ++n < 100);
	CHECK_EQ_INT(n, VRING_NUM);
	REQUIRE(tp_ctl_send(&host, TP_CMD_QUIT) == 0); /* the responder returns, detaches */
	t0 = tp_now_ms();
	ret = rpmsg_send(&hs.ept, buf, (int)sizeof(buf));
	dt = tp_now_ms() - t0;
	printf("  blocked send returned %d after %lld ms\n", ret, dt);
	CHECK_EQ_INT(ret, RPMSG_ERR_DEV_STATE);
	CHECK(dt < BOUND_MS);
	check_host_after_death(&host);
	CHECK_EQ_INT(unbinds, 0);
	CHECK_EQ_INT(tp_finish(&host), 0); /* rpmsg_deinit_vdev destroys "live" */
	CHECK_EQ_INT(unbinds, 1);
}

/* ---- The remote dies while the host's receive callback is blocked sending. ---- */

static struct {
	struct rpmsg_endpoint ept;
	volatile int calls;
	int last_ret;
	long long t_ret;
	void *held;
} cs;

/* Each message is answered with a blocking send to the remote's sink; the first is held. */
static int answer_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	unsigned char buf[32] = {0};

	(void)len;
	(void)src;
	(void)priv;
	if (!cs.held) {
		rpmsg_hold_rx_buffer(ept, data);
		cs.held = data;
	}
	if (cs.calls++ > 0 && cs.last_ret < 0)
		return RPMSG_SUCCESS; /* delivered after the failure: counted, not answered */
	while ((cs.last_ret =
			tp_survivor_send(ept, buf, (int)sizeof(buf), TP_SINK_ADDR, death_mode)) > 0)
		; /* until the sink's buffers run out and the remote dies */
	cs.t_ret = tp_now_ms();
	return RPMSG_SUCCESS;
}

/* Remote: fill the host's RX buffers, then consume nothing until killed. */
static int remote_filler(struct tp_link *l, void *arg)
{
	struct rpmsg_endpoint ept;
	unsigned char buf[32] = {0};
	int n = 0;
	uint32_t w;

	(void)arg;
	if (rpmsg_create_ept(&ept, tp_rdev(l), "", TP_SINK_ADDR, HOST_ADDR, host_cb, NULL))
		return 80;
	while (rpmsg_trysend(&ept, buf, (int)sizeof(buf)) > 0 && ++n < 100)
		;
	tp_ctl_send(l, (uint32_t)n);
	tp_ctl_recv(l, &w, TP_ALARM_S * 1000, 0); /* killed before this returns */
	return 81;
}

static void test_remote_killed_host_in_callback(void)
{
	struct tp_opts o;
	struct tp_link host;
	uint32_t n = 0, cap = 0;
	unsigned char *tx;
	long long t0;
	pid_t killer;
	int ret;

	tp_opts_init(&o);
	o.mode = death_mode;
	o.vring_num = VRING_NUM;
	memset(&cs, 0, sizeof(cs));
	REQUIRE(tp_start(&host, &o, remote_filler, NULL) == 0);
	REQUIRE(rpmsg_create_ept(&cs.ept, tp_rdev(&host), "", HOST_ADDR, RPMSG_ADDR_ANY, answer_cb,
				 NULL) == RPMSG_SUCCESS);
	REQUIRE(tp_ctl_recv(&host, &n, TP_STEP_MS, 0) == 0);
	CHECK_EQ_INT(n, VRING_NUM);
	tx = rpmsg_get_tx_payload_buffer(&cs.ept, &cap, 0); /* lent out across the death */
	CHECK(tx != NULL);
	killer = spawn_killer(host.pid, KILL_MS);
	REQUIRE(killer > 0);
	t0 = tp_now_ms();
	do
		ret = amplink_lp_process(host.lp, 100);
	while (ret >= 0 && tp_now_ms() - t0 < KILL_MS + BOUND_MS);
	printf("  callback's send returned %d after %lld ms; process() %d\n", cs.last_ret,
	       cs.t_ret - t0, ret);
	CHECK_EQ_INT(ret, -EPIPE);
	CHECK_EQ_INT(cs.calls, 1); /* blocked in the first callback; nothing delivered after */
	CHECK_EQ_INT(cs.last_ret, RPMSG_ERR_DEV_STATE);
	CHECK(cs.t_ret - t0 >= KILL_MS / 2 && cs.t_ret - t0 < KILL_MS + BOUND_MS);
	/* Buffers held or lent across the death are given back without harm. */
	CHECK(cs.held != NULL);
	if (cs.held)
		rpmsg_release_rx_buffer(&cs.ept, cs.held);
	if (tx) {
		CHECK_EQ_INT(rpmsg_send_nocopy(&cs.ept, tx, 4), RPMSG_ERR_DEV_STATE);
		ret = rpmsg_release_tx_buffer(&cs.ept, tx);
		CHECK(ret == RPMSG_SUCCESS || ret == RPMSG_ERR_DEV_STATE);
	}
	rpmsg_destroy_ept(&cs.ept);
	CHECK_EQ_INT(waitpid(killer, NULL, 0), killer);
	CHECK_EQ_INT(tp_finish(&host), 128 + SIGKILL);
}

/* The blocked host again, with both sides in ADAPTIVE mode. */
static void test_adaptive_remote_killed_host_blocked(void)
{
	death_mode = AMPLINK_LP_WAIT_ADAPTIVE;
	test_remote_killed_host_blocked();
	death_mode = AMPLINK_LP_WAIT_BLOCKING;
}

static void test_adaptive_remote_killed_host_in_callback(void)
{
	death_mode = AMPLINK_LP_WAIT_ADAPTIVE;
	test_remote_killed_host_in_callback();
	death_mode = AMPLINK_LP_WAIT_BLOCKING;
}

/* POLL mode (both sides spin). */
static void test_poll_remote_killed_host_blocked(void)
{
	death_mode = AMPLINK_LP_WAIT_POLL;
	test_remote_killed_host_blocked();
	death_mode = AMPLINK_LP_WAIT_BLOCKING;
}

static void test_poll_remote_killed_host_in_callback(void)
{
	death_mode = AMPLINK_LP_WAIT_POLL;
	test_remote_killed_host_in_callback();
	death_mode = AMPLINK_LP_WAIT_BLOCKING;
}

int main(int argc, char **argv)
{
	if (tp_init() < 0)
		return 2;
	if (argc > 1 && strcmp(argv[1], "poll") == 0) {
		TP_RUN(test_poll_remote_killed_host_blocked);
		TP_RUN(test_poll_remote_killed_host_in_callback);
	} else {
		TP_RUN(test_remote_killed_host_blocked);
		TP_RUN(test_remote_killed_mid_stream);
		TP_RUN(test_remote_leaves_host_blocked);
		TP_RUN(test_remote_killed_host_in_callback);
		TP_RUN(test_adaptive_remote_killed_host_blocked);
		TP_RUN(test_adaptive_remote_killed_host_in_callback);
	}
	metal_finish();
	return check_summary();
}
