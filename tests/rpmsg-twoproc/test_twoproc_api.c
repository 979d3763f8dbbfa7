/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Every function of <openamp/rpmsg.h> and <openamp/rpmsg_virtio.h> used
 * across a real process boundary, host -> remote and remote -> host: the
 * tester runs on one side against tp_responder on the other. Covered: buffer
 * sizes and role, endpoint creation (fixed, ANY, duplicates, bad params),
 * every send variant (copied and nocopy) with payloads of 0..496 bytes
 * checked byte by byte, their error paths (497+ bytes, bad params, ANY
 * addresses), dest ANY taking the first sender's address, is_rpmsg_ept_ready,
 * hold/release of RX buffers (all but one held, twice), and buffer exhaustion
 * (trysend RPMSG_ERR_NO_BUFF, timed send giving up, blocking send resuming).
 * Both sides in BLOCKING, then ADAPTIVE mode, then with the remote a fresh
 * exec'd program attached by socket or by inherited fds; with the argument "poll" in
 * POLL mode (registered separately, not under valgrind: both sides spin).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <metal/sys.h>

#include "check.h"
#include "twoproc.h"

#define VRING_NUM 8 /* buffers per direction: small, so exhaustion is quick */
#define T1_ADDR	  0x500u
#define T2_ADDR	  0x501u
#define ECHO_MS	  3000

static struct {
	struct rpmsg_endpoint t1, t2, t3;
	volatile int got;
	size_t len;
	uint32_t src;
	struct rpmsg_endpoint *ept;
	unsigned char buf[RPMSG_BUFFER_SIZE];
	int hold;
	int nheld;
	void *held[VRING_NUM];
} ts;

static int tester_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)priv;
	ts.len = len;
	ts.src = src;
	ts.ept = ept;
	memcpy(ts.buf, data, len < sizeof(ts.buf) ? len : sizeof(ts.buf));
	if (ts.hold && ts.nheld < VRING_NUM) {
		rpmsg_hold_rx_buffer(ept, data);
		ts.held[ts.nheld++] = data;
	}
	ts.got++;
	return RPMSG_SUCCESS;
}

/* Wait for the echo of pattern @seed (@len bytes) at @ept. Returns 1 when it is right. */
static int echo_ok(struct tp_link *l, int before, struct rpmsg_endpoint *ept, size_t len,
		   uint32_t seed)
{
	if (tp_pump_until(l, &ts.got, before + 1, ECHO_MS) != 0)
		return 0;
	if (ts.got != before + 1 || ts.ept != ept || ts.len != len || ts.src != TP_ECHO_ADDR ||
	    tp_check(ts.buf, len, seed) != 0) {
		fprintf(stderr, "echo: got %d, ept %p/%p, len %zu/%zu, src 0x%x\n", ts.got,
			(void *)ts.ept, (void *)ept, ts.len, len, ts.src);
		return 0;
	}
	return 1;
}

static void api_sizes(struct tp_link *l)
{
	struct rpmsg_virtio_device *rvdev = tp_rvdev(l);

	CHECK_EQ_INT(rpmsg_get_tx_buffer_size(&ts.t1), TP_PAYLOAD);
	CHECK_EQ_INT(rpmsg_get_rx_buffer_size(&ts.t1), TP_PAYLOAD);
	CHECK_EQ_INT(rpmsg_virtio_get_tx_buffer_size(tp_rdev(l)), TP_PAYLOAD);
	CHECK_EQ_INT(rpmsg_virtio_get_rx_buffer_size(tp_rdev(l)), TP_PAYLOAD);
	CHECK_EQ_INT(rpmsg_virtio_get_buffer_size(tp_rdev(l)), TP_PAYLOAD);
	CHECK_EQ_INT(rpmsg_get_tx_buffer_size(NULL), RPMSG_ERR_PARAM);
	CHECK_EQ_INT(rpmsg_get_rx_buffer_size(NULL), RPMSG_ERR_PARAM);
	CHECK_EQ_INT(rpmsg_virtio_get_role(rvdev), l->is_host ? RPMSG_HOST : RPMSG_REMOTE);
	CHECK(rpmsg_virtio_get_rpmsg_device(rvdev) == tp_rdev(l));
	CHECK(rpmsg_virtio_get_rpmsg_device(NULL) == NULL);
	CHECK(tp_rdev(l)->support_ns);
}

static void api_create(struct tp_link *l)
{
	struct rpmsg_device *rdev = tp_rdev(l);
	struct rpmsg_endpoint dup;

	CHECK_EQ_INT(rpmsg_create_ept(NULL, rdev, "", 0x600, RPMSG_ADDR_ANY, tester_cb, NULL),
		     RPMSG_ERR_PARAM);
	CHECK_EQ_INT(rpmsg_create_ept(&dup, NULL, "", 0x600, RPMSG_ADDR_ANY, tester_cb, NULL),
		     RPMSG_ERR_PARAM);
	CHECK_EQ_INT(rpmsg_create_ept(&dup, rdev, "", T1_ADDR, RPMSG_ADDR_ANY, tester_cb, NULL),
		     RPMSG_ERR_ADDR);
	CHECK_EQ_INT(
		rpmsg_create_ept(&ts.t3, rdev, "", RPMSG_ADDR_ANY, RPMSG_ADDR_ANY, tester_cb, NULL),
		RPMSG_SUCCESS);
	CHECK(ts.t3.addr >= RPMSG_RESERVED_ADDRESSES && ts.t3.addr != T1_ADDR &&
	      ts.t3.addr != T2_ADDR);
	CHECK_EQ_INT(ts.t3.dest_addr, RPMSG_ADDR_ANY);
	CHECK_EQ_INT(rpmsg_create_ept(&dup, rdev, "", ts.t3.addr, RPMSG_ADDR_ANY, tester_cb, NULL),
		     RPMSG_ERR_ADDR);
}

/* One copied send of variant @v; *@to gets the endpoint the echo comes to. */
static int send_variant(int v, const void *buf, int len, struct rpmsg_endpoint **to)
{
	*to = &ts.t1;
	switch (v) {
	case 0:
		return rpmsg_send(&ts.t1, buf, len);
	case 1:
		*to = &ts.t2;
		return rpmsg_sendto(&ts.t2, buf, len, TP_ECHO_ADDR);
	case 2:
		*to = &ts.t2;
		return rpmsg_send_offchannel(&ts.t1, T2_ADDR, TP_ECHO_ADDR, buf, len);
	case 3:
		return rpmsg_trysend(&ts.t1, buf, len);
	case 4:
		*to = &ts.t2;
		return rpmsg_trysendto(&ts.t2, buf, len, TP_ECHO_ADDR);
	case 5:
		return rpmsg_trysend_offchannel(&ts.t2, T1_ADDR, TP_ECHO_ADDR, buf, len);
	case 6:
		return amplink_rpmsg_send_timeout(&ts.t1, buf, len, TP_ECHO_ADDR, 1000000);
	case 7:
		*to = &ts.t2;
		return amplink_rpmsg_send_offchannel_timeout(&ts.t1, T2_ADDR, TP_ECHO_ADDR, buf,
							     len, 0);
	case 8:
		return rpmsg_send_offchannel_raw(&ts.t2, T1_ADDR, TP_ECHO_ADDR, buf, len, 1);
	default:
		*to = &ts.t2;
		return rpmsg_send_offchannel_raw(&ts.t1, T2_ADDR, TP_ECHO_ADDR, buf, len, 0);
	}
}

static void api_sends(struct tp_link *l)
{
	static const int sizes[] = {0, 1, 17, 255, TP_PAYLOAD};
	unsigned char buf[TP_PAYLOAD];
	struct rpmsg_endpoint *to;

	for (int v = 0; v < 10; v++) {
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			uint32_t seed = (uint32_t)(v * 1000 + sizes[i]);
			int before = ts.got;

			tp_fill(buf, (size_t)sizes[i], seed);
			CHECK_EQ_INT(send_variant(v, buf, sizes[i], &to), sizes[i]);
			CHECK(echo_ok(l, before, to, (size_t)sizes[i], seed));
		}
	}
}

/* Bad sends: each must fail without sending anything. */
static void api_send_errors(struct tp_link *l)
{
	unsigned char buf[RPMSG_BUFFER_SIZE];
	int before;

	memset(buf, 0x5a, sizeof(buf));
	CHECK_EQ_INT(rpmsg_send(&ts.t1, buf, TP_PAYLOAD + 1), RPMSG_ERR_BUFF_SIZE);
	CHECK_EQ_INT(rpmsg_trysend(&ts.t1, buf, TP_PAYLOAD + 1), RPMSG_ERR_BUFF_SIZE);
	CHECK_EQ_INT(rpmsg_sendto(&ts.t1, buf, RPMSG_BUFFER_SIZE, TP_ECHO_ADDR),
		     RPMSG_ERR_BUFF_SIZE);
	CHECK_EQ_INT(rpmsg_send_offchannel(&ts.t1, T2_ADDR, TP_ECHO_ADDR, buf, 100000),
		     RPMSG_ERR_BUFF_SIZE);
	CHECK_EQ_INT(amplink_rpmsg_send_timeout(&ts.t1, buf, TP_PAYLOAD + 1, TP_ECHO_ADDR, 1000),
		     RPMSG_ERR_BUFF_SIZE);
	CHECK_EQ_INT(rpmsg_send(&ts.t1, buf, -1), RPMSG_ERR_PARAM);
	CHECK_EQ_INT(rpmsg_send(&ts.t1, NULL, 4), RPMSG_ERR_PARAM);
	CHECK_EQ_INT(rpmsg_send(NULL, buf, 4), RPMSG_ERR_PARAM);
	CHECK_EQ_INT(rpmsg_trysend(NULL, buf, 4), RPMSG_ERR_PARAM);
	CHECK_EQ_INT(rpmsg_sendto(&ts.t1, buf, 4, RPMSG_ADDR_ANY), RPMSG_ERR_PARAM);
	CHECK_EQ_INT(rpmsg_send_offchannel(&ts.t1, RPMSG_ADDR_ANY, TP_ECHO_ADDR, buf, 4),
		     RPMSG_ERR_PARAM);
	CHECK_EQ_INT(rpmsg_send(&ts.t3, buf, 4), RPMSG_ERR_PARAM); /* dest still ANY */
	/* Nothing went out: the next echo is the only one. */
	before = ts.got;
	tp_fill(buf, 9, 77);
	CHECK_EQ_INT(rpmsg_send(&ts.t1, buf, 9), 9);
	CHECK(echo_ok(l, before, &ts.t1, 9, 77));
	tp_pump_for(l, 50);
	CHECK_EQ_INT(ts.got, before + 1);
}

/* Take a TX buffer, fill @len bytes of pattern @seed. Returns it or NULL. */
static void *nocopy_take(int len, uint32_t seed)
{
	uint32_t cap = 0;
	void *p = rpmsg_get_tx_payload_buffer(&ts.t1, &cap, 1);

	CHECK(p != NULL);
	CHECK_EQ_INT(cap, TP_PAYLOAD);
	if (p)
		tp_fill(p, (size_t)len, seed);
	return p;
}

static void api_nocopy(struct tp_link *l)
{
	unsigned char other[16];
	uint32_t cap = 0;
	int before;
	void *p;

	before = ts.got;
	p = nocopy_take(TP_PAYLOAD, 501);
	CHECK_EQ_INT(rpmsg_send_nocopy(&ts.t1, p, TP_PAYLOAD), TP_PAYLOAD);
	CHECK(echo_ok(l, before, &ts.t1, TP_PAYLOAD, 501));
	before = ts.got;
	p = nocopy_take(100, 502);
	CHECK_EQ_INT(rpmsg_sendto_nocopy(&ts.t2, p, 100, TP_ECHO_ADDR), 100);
	CHECK(echo_ok(l, before, &ts.t2, 100, 502));
	before = ts.got;
	p = nocopy_take(200, 503);
	CHECK_EQ_INT(rpmsg_send_offchannel_nocopy(&ts.t1, T2_ADDR, TP_ECHO_ADDR, p, 200), 200);
	CHECK(echo_ok(l, before, &ts.t2, 200, 503));
	/* Error paths: the buffer stays ours, and is given back. */
	p = nocopy_take(8, 504);
	CHECK_EQ_INT(rpmsg_send_nocopy(&ts.t1, p, TP_PAYLOAD + 1), RPMSG_ERR_BUFF_SIZE);
	CHECK_EQ_INT(rpmsg_send_nocopy(&ts.t1, p, -1), RPMSG_ERR_PARAM);
	CHECK_EQ_INT(rpmsg_sendto_nocopy(&ts.t1, p, 8, RPMSG_ADDR_ANY), RPMSG_ERR_PARAM);
	CHECK_EQ_INT(rpmsg_send_nocopy(NULL, p, 8), RPMSG_ERR_PARAM);
	CHECK_EQ_INT(rpmsg_release_tx_buffer(&ts.t1, p), RPMSG_SUCCESS);
	CHECK(rpmsg_release_tx_buffer(&ts.t1, p) < 0); /* twice */
	CHECK_EQ_INT(rpmsg_release_tx_buffer(&ts.t1, NULL), RPMSG_ERR_PARAM);
	CHECK_EQ_INT(rpmsg_release_tx_buffer(NULL, other), RPMSG_ERR_PARAM);
	CHECK(rpmsg_get_tx_payload_buffer(&ts.t1, NULL, 0) == NULL);
	CHECK(rpmsg_get_tx_payload_buffer(NULL, &cap, 0) == NULL);
	tp_pump_for(l, 30);
	CHECK_EQ_INT(ts.got, before + 1); /* nothing sent by the failed calls */
	/* More buffers than exist, taken and given back: none leaks. */
	for (int i = 0; i < 3 * VRING_NUM; i++) {
		p = rpmsg_get_tx_payload_buffer(&ts.t1, &cap, 0);
		CHECK(p != NULL);
		if (p)
			CHECK_EQ_INT(rpmsg_release_tx_buffer(&ts.t1, p), RPMSG_SUCCESS);
	}
}

/* An endpoint with dest ANY is bound by the first message it receives. */
static void api_first_sender(struct tp_link *l)
{
	unsigned char buf[32];
	int before = ts.got;

	CHECK(!is_rpmsg_ept_ready(&ts.t3));
	CHECK(!is_rpmsg_ept_ready(NULL));
	CHECK(is_rpmsg_ept_ready(&ts.t1));
	tp_fill(buf, sizeof(buf), 600);
	CHECK_EQ_INT(rpmsg_sendto(&ts.t3, buf, (int)sizeof(buf), TP_ECHO_ADDR), (int)sizeof(buf));
	CHECK(echo_ok(l, before, &ts.t3, sizeof(buf), 600));
	CHECK_EQ_INT(ts.t3.dest_addr, TP_ECHO_ADDR);
	CHECK(is_rpmsg_ept_ready(&ts.t3));
	before = ts.got;
	tp_fill(buf, sizeof(buf), 601);
	CHECK_EQ_INT(rpmsg_send(&ts.t3, buf, (int)sizeof(buf)), (int)sizeof(buf));
	CHECK(echo_ok(l, before, &ts.t3, sizeof(buf), 601));
}

/* Hold all RX buffers but one, check they are not reused, release; twice. */
static void api_hold_release(struct tp_link *l)
{
	unsigned char buf[64];

	for (int round = 0; round < 2; round++) {
		ts.hold = 1;
		ts.nheld = 0;
		for (int i = 0; i < VRING_NUM - 1; i++) {
			int before = ts.got;
			tp_fill(buf, sizeof(buf), (uint32_t)(700 + i));
			CHECK_EQ_INT(rpmsg_send(&ts.t1, buf, (int)sizeof(buf)), (int)sizeof(buf));
			CHECK(echo_ok(l, before, &ts.t1, sizeof(buf), (uint32_t)(700 + i)));
		}
		ts.hold = 0;
		for (int i = 0; i < 2 * VRING_NUM; i++) { /* through the one free buffer */
			int before = ts.got;
			tp_fill(buf, sizeof(buf), (uint32_t)(800 + i));
			CHECK_EQ_INT(rpmsg_send(&ts.t1, buf, (int)sizeof(buf)), (int)sizeof(buf));
			CHECK(echo_ok(l, before, &ts.t1, sizeof(buf), (uint32_t)(800 + i)));
		}
		CHECK_EQ_INT(ts.nheld, VRING_NUM - 1);
		for (int i = 0; i < ts.nheld; i++) {
			CHECK(tp_check(ts.held[i], sizeof(buf), (uint32_t)(700 + i)) == 0);
			rpmsg_release_rx_buffer(&ts.t1, ts.held[i]);
		}
	}
	rpmsg_hold_rx_buffer(NULL, buf); /* ignored */
	rpmsg_release_rx_buffer(NULL, buf);
}

/* The responder stops consuming: exactly VRING_NUM sends fit, then the errors. */
static void api_exhaustion(struct tp_link *l)
{
	struct amplink_rpmsg_stats s0, s1;
	unsigned char buf[32];
	uint32_t cap, count = 0, bad = 0, echo_bad = 0;
	long long t0, dt;
	int n = 0, ret = 0;

	REQUIRE(tp_ctl_send(l, TP_CMD_HALT) == 0);
	REQUIRE(tp_ctl_expect(l, TP_CMD_HALTED, 1) == 0);
	s0 = tp_stats(l);
	for (; n < 4 * VRING_NUM; n++) {
		tp_seq_fill(buf, sizeof(buf), (uint32_t)n);
		ret = rpmsg_trysendto(&ts.t1, buf, (int)sizeof(buf), TP_SINK_ADDR);
		if (ret != (int)sizeof(buf))
			break;
	}
	CHECK_EQ_INT(ret, RPMSG_ERR_NO_BUFF);
	CHECK_EQ_INT(n, VRING_NUM);
	tp_seq_fill(buf, sizeof(buf), (uint32_t)n);
	CHECK_EQ_INT(rpmsg_trysendto(&ts.t1, buf, (int)sizeof(buf), TP_SINK_ADDR),
		     RPMSG_ERR_NO_BUFF);
	CHECK(rpmsg_get_tx_payload_buffer(&ts.t1, &cap, 0) == NULL);
	t0 = tp_now_ms();
	ret = amplink_rpmsg_send_timeout(&ts.t1, buf, (int)sizeof(buf), TP_SINK_ADDR, 100000);
	dt = tp_now_ms() - t0;
	CHECK_EQ_INT(ret, RPMSG_ERR_NO_BUFF);
	CHECK(dt >= 90 && dt < 3000);
	s1 = tp_stats(l);
	CHECK_EQ_INT(s1.tx_msgs - s0.tx_msgs, n);
	CHECK(s1.tx_timeouts - s0.tx_timeouts >= 1);
	/* Resumed: a blocking send waits for a buffer and goes through. */
	REQUIRE(tp_ctl_send(l, TP_CMD_RUN) == 0);
	CHECK_EQ_INT(rpmsg_sendto(&ts.t1, buf, (int)sizeof(buf), TP_SINK_ADDR), (int)sizeof(buf));
	n++;
	tp_pump_for(l, 50);
	REQUIRE(tp_ctl_send(l, TP_CMD_COUNT) == 0);
	CHECK(tp_ctl_recv(l, &count, TP_STEP_MS, 1) == 0 &&
	      tp_ctl_recv(l, &bad, TP_STEP_MS, 1) == 0 &&
	      tp_ctl_recv(l, &echo_bad, TP_STEP_MS, 1) == 0);
	CHECK_EQ_INT(count, n);
	CHECK_EQ_INT(bad, 0);
	CHECK_EQ_INT(echo_bad, 0);
}

/* The tester: on either side, against tp_responder on the other. */
static int tester(struct tp_link *l)
{
	struct rpmsg_device *rdev = tp_rdev(l);
	int f0 = check_failures;

	memset(&ts, 0, sizeof(ts));
	if (tp_ctl_expect(l, TP_CMD_READY, 1) < 0)
		return 40;
	if (rpmsg_create_ept(&ts.t1, rdev, "", T1_ADDR, TP_ECHO_ADDR, tester_cb, NULL) ||
	    rpmsg_create_ept(&ts.t2, rdev, "", T2_ADDR, RPMSG_ADDR_ANY, tester_cb, NULL))
		return 41;
	api_create(l);
	api_sends(l);
	api_sizes(l);
	api_send_errors(l);
	api_nocopy(l);
	api_first_sender(l);
	api_hold_release(l);
	api_exhaustion(l);
	tp_ctl_send(l, TP_CMD_QUIT);
	rpmsg_destroy_ept(&ts.t1);
	rpmsg_destroy_ept(&ts.t2);
	rpmsg_destroy_ept(&ts.t3);
	return check_failures != f0 ? 1 : 0;
}

TP_REMOTE(remote_tester, tester)

static void run_pair(int host_tests, enum amplink_lp_wait_mode mode)
{
	struct tp_opts o;
	struct tp_link host;

	tp_opts_init(&o);
	o.mode = mode;
	o.vring_num = VRING_NUM;
	REQUIRE(tp_start(&host, &o, host_tests ? tp_remote_responder : remote_tester, NULL) == 0);
	if (host_tests)
		CHECK_EQ_INT(tester(&host), 0);
	else
		CHECK_EQ_INT(tp_responder(&host), 0);
	CHECK_EQ_INT(tp_finish(&host), 0);
}

/* Host -> remote: the host calls every function, the remote echoes and counts. */
static void test_api_host_to_remote(void)
{
	run_pair(1, AMPLINK_LP_WAIT_BLOCKING);
}

/* Remote -> host: the remote calls every function, the host echoes and counts. */
static void test_api_remote_to_host(void)
{
	run_pair(0, AMPLINK_LP_WAIT_BLOCKING);
}

/* Both directions again with both sides in ADAPTIVE mode. */
static void test_api_adaptive(void)
{
	run_pair(1, AMPLINK_LP_WAIT_ADAPTIVE);
	run_pair(0, AMPLINK_LP_WAIT_ADAPTIVE);
}

static tp_body body_by_name(const char *name)
{
	if (strcmp(name, "responder") == 0)
		return tp_remote_responder;
	if (strcmp(name, "tester") == 0)
		return remote_tester;
	return NULL;
}

/* The same suite with the remote a fresh exec'd program (socket or inherited fds). */
static void run_exec_pair(int host_tests, int by_socket)
{
	struct tp_opts o;
	struct tp_link host;

	tp_opts_init(&o);
	o.vring_num = VRING_NUM;
	REQUIRE(tp_start_exec(&host, &o, by_socket, host_tests ? "responder" : "tester") == 0);
	if (host_tests)
		CHECK_EQ_INT(tester(&host), 0);
	else
		CHECK_EQ_INT(tp_responder(&host), 0);
	CHECK_EQ_INT(tp_finish(&host), 0);
}

/* Both directions with an unrelated remote attached through the UNIX socket. */
static void test_api_socket_attach(void)
{
	run_exec_pair(1, 1);
	run_exec_pair(0, 1);
}

/* Both directions with a remote exec'd by amplink_lp_start_remote_exec. */
static void test_api_exec_attach(void)
{
	run_exec_pair(1, 0);
	run_exec_pair(0, 0);
}

/* Both directions with both sides spinning (POLL mode). */
static void test_api_poll(void)
{
	run_pair(1, AMPLINK_LP_WAIT_POLL);
	run_pair(0, AMPLINK_LP_WAIT_POLL);
}

int main(int argc, char **argv)
{
	int ret;

	if (tp_init() < 0)
		return 2;
	ret = tp_exec_remote_main(argc, argv, body_by_name);
	if (ret >= 0) {
		metal_finish();
		return ret;
	}
	if (argc > 1 && strcmp(argv[1], "poll") == 0) {
		TP_RUN(test_api_poll);
		metal_finish();
		return check_summary();
	}
	TP_RUN(test_api_host_to_remote);
	TP_RUN(test_api_remote_to_host);
	TP_RUN(test_api_adaptive);
	TP_RUN(test_api_socket_attach);
	TP_RUN(test_api_exec_attach);
	metal_finish();
	return check_summary();
}
