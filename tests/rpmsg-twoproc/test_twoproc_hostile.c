/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bad input from the peer process, in both directions (hostile remote ->
 * host victim, hostile host -> remote victim). While the victim is not
 * looking, the hostile side publishes messages and then rewrites raw bytes
 * in shared memory: rpmsg header lengths beyond the buffer (497, 600,
 * 0xFFFF), a ring length shorter than a header (the used entry's len, or
 * the descriptor's len), messages to addresses nobody listens on, name-service
 * messages of the wrong size (0, 39, 41 bytes) and one whose name has no NUL.
 * The victim must drop each one, log it, count it in the amplink statistics
 * (drop_bad_len, drop_no_ept, drop_bad_ns), not call its ns_bind_cb, deliver
 * the good message published after them, keep working in both directions,
 * and get every buffer back (none leaked by a dropped message). A ring entry
 * naming a descriptor out of range (used id / avail entry 0xFFFF) makes the
 * victim deliver what came before, stop the device (sends fail at once with
 * RPMSG_ERR_DEV_STATE) and ignore the peer from then on. At volume, 3000
 * bad messages interleaved with 1000 good ones while the victim runs (16
 * buffers cycling) are each counted once, and the good stream arrives whole
 * and in order.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <metal/log.h>
#include <metal/sys.h>
#include <openamp/virtio_ring.h>
#include <openamp/virtqueue.h>

#include "check.h"
#include "twoproc.h"

#define VRING_NUM   16
#define VICTIM_ADDR 0x900u
#define EVIL_ADDR   0x901u
#define ROUND2	    40
#define HDR_SIZE    16 /* rpmsg header; its u16 len is at byte 12 (SPEC.md) */
#define NS_ADDR	    0x35u
#define CTL_GO	    0x474fu
#define CTL_DONE    0x444eu

static struct {
	struct rpmsg_endpoint ept;
	volatile int good;
	int bad_seq;
	volatile int binds;
	uint32_t last_src;
} vs;

static int victim_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)ept;
	(void)priv;
	if (tp_seq_check(data, len, (uint32_t)vs.good) != 0)
		vs.bad_seq++;
	vs.last_src = src;
	vs.good++;
	return RPMSG_SUCCESS;
}

static void victim_bind_cb(struct rpmsg_device *rdev, const char *name, uint32_t dest)
{
	(void)rdev;
	fprintf(stderr, "victim: ns_bind_cb(\"%.32s\", 0x%x) must not run\n", name, dest);
	vs.binds++;
}

/* The victim: consumes nothing until the hostile side has written everything. */
static void victim_side(struct tp_link *l)
{
	struct amplink_rpmsg_stats s0, s1;
	uint32_t w = 0;

	memset(&vs, 0, sizeof(vs));
	REQUIRE(rpmsg_create_ept(&vs.ept, tp_rdev(l), "", VICTIM_ADDR, RPMSG_ADDR_ANY, victim_cb,
				 NULL) == RPMSG_SUCCESS);
	s0 = tp_stats(l);
	REQUIRE(tp_ctl_send(l, TP_CMD_READY) == 0);
	REQUIRE(tp_ctl_expect(l, CTL_GO, 0) == 0);
	tp_log_install();
	CHECK(tp_pump_until(l, &vs.good, 1, TP_STEP_MS) == 0);
	tp_pump_for(l, 50);
	s1 = tp_stats(l);
	printf("  victim (%s): drop_bad_len %llu, drop_no_ept %llu, drop_bad_ns %llu, %u errors "
	       "logged\n",
	       l->is_host ? "host" : "remote",
	       (unsigned long long)(s1.drop_bad_len - s0.drop_bad_len),
	       (unsigned long long)(s1.drop_no_ept - s0.drop_no_ept),
	       (unsigned long long)(s1.drop_bad_ns - s0.drop_bad_ns), tp_log_errors());
	CHECK_EQ_INT(s1.drop_bad_len - s0.drop_bad_len, 4);
	CHECK_EQ_INT(s1.drop_no_ept - s0.drop_no_ept, 2);
	CHECK_EQ_INT(s1.drop_bad_ns - s0.drop_bad_ns, 4);
	CHECK(tp_log_errors() >= 10);
	CHECK_EQ_INT(vs.good, 1);
	CHECK_EQ_INT(vs.bad_seq, 0);
	CHECK_EQ_INT(vs.last_src, EVIL_ADDR);
	CHECK_EQ_INT(vs.binds, 0);
	/* Still working both ways. */
	CHECK_EQ_INT(rpmsg_sendto(&vs.ept, "alive", 5, vs.last_src), 5);
	REQUIRE(tp_ctl_send(l, CTL_DONE) == 0);
	REQUIRE(tp_ctl_expect(l, TP_CMD_HALT, 1) == 0); /* the hostile side sent round 2 */
	CHECK(tp_pump_until(l, &vs.good, 1 + ROUND2, TP_STEP_MS) == 0);
	CHECK_EQ_INT(vs.good, 1 + ROUND2);
	REQUIRE(tp_ctl_send(l, TP_CMD_HALTED) == 0);
	REQUIRE(tp_ctl_recv(l, &w, TP_STEP_MS, 0) == 0); /* it filled every buffer */
	CHECK(tp_pump_until(l, &vs.good, 1 + ROUND2 + (int)w, TP_STEP_MS) == 0);
	CHECK_EQ_INT(vs.bad_seq, 0);
	CHECK_EQ_INT(vs.binds, 0);
	s1 = tp_stats(l);
	CHECK_EQ_INT(s1.drop_bad_len + s1.drop_no_ept + s1.drop_bad_ns -
			     (s0.drop_bad_len + s0.drop_no_ept + s0.drop_bad_ns),
		     10);
	tp_ctl_send(l, CTL_DONE);
	rpmsg_destroy_ept(&vs.ept);
}

/* ---- The hostile side. ---- */

static volatile int evil_rx;

static int evil_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)ept;
	(void)priv;
	if (len == 5 && memcmp(data, "alive", 5) == 0 && src == VICTIM_ADDR)
		evil_rx++;
	return RPMSG_SUCCESS;
}

/* Send 8 bytes with nocopy, then overwrite the header's len with @hdr_len. */
static void send_bad_hdr_len(struct rpmsg_endpoint *ept, uint16_t hdr_len)
{
	uint32_t cap = 0;
	unsigned char *p = rpmsg_get_tx_payload_buffer(ept, &cap, 1);

	REQUIRE(p != NULL);
	memset(p, 0xee, 8);
	CHECK_EQ_INT(rpmsg_sendto_nocopy(ept, p, 8, VICTIM_ADDR), 8);
	/* The victim does not look yet: rewrite the published header in place. */
	p[-HDR_SIZE + 12] = (unsigned char)(hdr_len & 0xff);
	p[-HDR_SIZE + 13] = (unsigned char)(hdr_len >> 8);
}

/* Send 8 bytes, then shrink the length the ring gives for it to 4 bytes. */
static void send_short_ring_len(struct tp_link *l, struct rpmsg_endpoint *ept)
{
	struct virtqueue *vq = tp_rvdev(l)->svq;
	struct vring *vr = &vq->vq_ring;
	unsigned int mask = vr->num - 1;

	CHECK_EQ_INT(rpmsg_sendto(ept, "12345678", 8, VICTIM_ADDR), 8);
	if (l->is_host) {
		uint16_t head = vr->avail->ring[(uint16_t)(vr->avail->idx - 1) & mask];
		vr->desc[head & mask].len = 4;
	} else {
		vr->used->ring[(uint16_t)(vr->used->idx - 1) & mask].len = 4;
	}
}

static void send_bad_ns(struct rpmsg_endpoint *ept)
{
	unsigned char ns[44];

	memset(ns, 0, sizeof(ns));
	memcpy(ns, "svc", 3); /* well-formed name, wrong sizes */
	CHECK_EQ_INT(rpmsg_sendto(ept, ns, 0, NS_ADDR), 0);
	CHECK_EQ_INT(rpmsg_sendto(ept, ns, 39, NS_ADDR), 39);
	CHECK_EQ_INT(rpmsg_sendto(ept, ns, 41, NS_ADDR), 41);
	memset(ns, 'A', 32); /* right size, name without NUL; addr 0x1234, CREATE */
	ns[32] = 0x34;
	ns[33] = 0x12;
	memset(ns + 34, 0, 6);
	CHECK_EQ_INT(rpmsg_sendto(ept, ns, 40, NS_ADDR), 40);
}

static void hostile_side(struct tp_link *l)
{
	struct rpmsg_endpoint ept;
	unsigned char buf[64];
	uint32_t w = 0;
	int n = 0, ret;

	evil_rx = 0;
	REQUIRE(rpmsg_create_ept(&ept, tp_rdev(l), "", EVIL_ADDR, VICTIM_ADDR, evil_cb, NULL) ==
		RPMSG_SUCCESS);
	REQUIRE(tp_ctl_expect(l, TP_CMD_READY, 0) == 0);
	send_bad_hdr_len(&ept, TP_PAYLOAD + 1);
	send_bad_hdr_len(&ept, 600);
	send_bad_hdr_len(&ept, 0xffff);
	send_short_ring_len(l, &ept);
	CHECK_EQ_INT(rpmsg_sendto(&ept, "x", 1, 0x999), 1); /* nobody there */
	CHECK_EQ_INT(rpmsg_sendto(&ept, "y", 1, 7), 1);	    /* reserved, nobody there */
	send_bad_ns(&ept);
	tp_seq_fill(buf, sizeof(buf), 0);
	CHECK_EQ_INT(rpmsg_send(&ept, buf, (int)sizeof(buf)), (int)sizeof(buf));
	REQUIRE(tp_ctl_send(l, CTL_GO) == 0);
	REQUIRE(tp_ctl_expect(l, CTL_DONE, 1) == 0);
	CHECK(tp_pump_until(l, &evil_rx, 1, TP_STEP_MS) == 0);
	for (int i = 1; i <= ROUND2; i++) { /* the victim runs now */
		tp_seq_fill(buf, sizeof(buf), (uint32_t)i);
		CHECK_EQ_INT(rpmsg_send(&ept, buf, (int)sizeof(buf)), (int)sizeof(buf));
	}
	tp_pump_for(l, 50);
	REQUIRE(tp_ctl_send(l, TP_CMD_HALT) == 0);
	REQUIRE(tp_ctl_expect(l, TP_CMD_HALTED, 1) == 0);
	/* Every buffer came back, the dropped messages' too. */
	do {
		tp_seq_fill(buf, sizeof(buf), (uint32_t)(1 + ROUND2 + n));
		ret = rpmsg_trysend(&ept, buf, (int)sizeof(buf));
	} while (ret == (int)sizeof(buf) && ++n < 4 * VRING_NUM);
	CHECK_EQ_INT(ret, RPMSG_ERR_NO_BUFF);
	CHECK_EQ_INT(n, VRING_NUM);
	REQUIRE(tp_ctl_send(l, (uint32_t)n) == 0);
	CHECK(tp_ctl_recv(l, &w, TP_STEP_MS, 1) == 0 && w == CTL_DONE);
	rpmsg_destroy_ept(&ept);
}

TP_REMOTE(remote_victim, victim_side)

TP_REMOTE(remote_hostile, hostile_side)

static void run_hostile(int host_is_victim)
{
	struct tp_opts o;

	tp_opts_init(&o);
	o.vring_num = VRING_NUM;
	o.host_ns_cb = victim_bind_cb;
	o.remote_ns_cb = victim_bind_cb;
	CHECK_EQ_INT(tp_run_roles(&o, host_is_victim, victim_side, hostile_side, remote_victim,
				  remote_hostile),
		     0);
}

/* A hostile remote writes bad messages and ring lengths; the host is the victim. */
static void test_hostile_remote_host_victim(void)
{
	run_hostile(1);
}

/* A hostile host writes bad messages and descriptor lengths; the remote is the victim. */
static void test_hostile_host_remote_victim(void)
{
	run_hostile(0);
}

/* ---- A ring index out of range: the victim stops the device, never crashes. ---- */

#define CTL_BROKEN 0x4252u

/* Publish one good message, then a message whose ring entry names descriptor 0xFFFF. */
static void break_ring(struct tp_link *l, struct rpmsg_endpoint *ept)
{
	struct vring *vr = &tp_rvdev(l)->svq->vq_ring;
	unsigned int mask = vr->num - 1;
	unsigned char buf[16];

	tp_seq_fill(buf, sizeof(buf), 0);
	CHECK_EQ_INT(rpmsg_send(ept, buf, (int)sizeof(buf)), (int)sizeof(buf));
	CHECK_EQ_INT(rpmsg_send(ept, buf, (int)sizeof(buf)), (int)sizeof(buf));
	if (l->is_host)
		vr->avail->ring[(uint16_t)(vr->avail->idx - 1) & mask] = 0xffff;
	else
		vr->used->ring[(uint16_t)(vr->used->idx - 1) & mask].id = 0xffff;
}

static void broken_victim(struct tp_link *l)
{
	unsigned char buf[8] = {0};
	long long t0;

	memset(&vs, 0, sizeof(vs));
	REQUIRE(rpmsg_create_ept(&vs.ept, tp_rdev(l), "", VICTIM_ADDR, RPMSG_ADDR_ANY, victim_cb,
				 NULL) == RPMSG_SUCCESS);
	REQUIRE(tp_ctl_send(l, TP_CMD_READY) == 0);
	REQUIRE(tp_ctl_expect(l, CTL_BROKEN, 0) == 0);
	tp_log_install();
	CHECK(tp_pump_until(l, &vs.good, 1, TP_STEP_MS) == 0);
	tp_pump_for(l, 50);
	CHECK_EQ_INT(vs.good, 1); /* the message before the bad entry, and nothing else */
	CHECK_EQ_INT(vs.bad_seq, 0);
	CHECK(amplink_rpmsg_virtio_is_peer_gone(tp_rvdev(l)));
	CHECK(tp_log_errors() >= 1);
	t0 = tp_now_ms();
	CHECK_EQ_INT(rpmsg_sendto(&vs.ept, buf, 8, EVIL_ADDR), RPMSG_ERR_DEV_STATE);
	CHECK_EQ_INT(rpmsg_trysendto(&vs.ept, buf, 8, EVIL_ADDR), RPMSG_ERR_DEV_STATE);
	CHECK(tp_now_ms() - t0 < 500);
	tp_pump_for(l, 20); /* later notifications are ignored */
	CHECK_EQ_INT(vs.good, 1);
	tp_ctl_send(l, CTL_DONE);
	rpmsg_destroy_ept(&vs.ept);
}

static void broken_peer(struct tp_link *l)
{
	struct rpmsg_endpoint ept;

	REQUIRE(rpmsg_create_ept(&ept, tp_rdev(l), "", EVIL_ADDR, VICTIM_ADDR, evil_cb, NULL) ==
		RPMSG_SUCCESS);
	REQUIRE(tp_ctl_expect(l, TP_CMD_READY, 0) == 0);
	break_ring(l, &ept);
	REQUIRE(tp_ctl_send(l, CTL_BROKEN) == 0);
	CHECK(tp_ctl_expect(l, CTL_DONE, 1) == 0);
	rpmsg_destroy_ept(&ept);
}

TP_REMOTE(remote_broken_victim, broken_victim)

TP_REMOTE(remote_broken_peer, broken_peer)

static void run_broken(int host_is_victim)
{
	struct tp_opts o;

	tp_opts_init(&o);
	o.vring_num = VRING_NUM;
	CHECK_EQ_INT(tp_run_roles(&o, host_is_victim, broken_victim, broken_peer,
				  remote_broken_victim, remote_broken_peer),
		     0);
}

/* The remote publishes a used entry with descriptor id 0xFFFF. */
static void test_broken_ring_host_victim(void)
{
	run_broken(1);
}

/* The host publishes an avail entry naming descriptor 0xFFFF. */
static void test_broken_ring_remote_victim(void)
{
	run_broken(0);
}

/* ---- Bad messages at volume, interleaved with a good stream, victim running. ---- */

#define MIXED_ROUNDS 1000

/* One round: unknown address, NS of 39 bytes, NS name without NUL, good message @i. */
static void mixed_round(struct rpmsg_endpoint *ept, int i)
{
	unsigned char ns[40], buf[48];

	memset(ns, 'B', 32);
	memset(ns + 32, 0, 8);
	CHECK_EQ_INT(rpmsg_sendto(ept, "z", 1, 0x2000u + (uint32_t)(i % 7)), 1);
	CHECK_EQ_INT(rpmsg_sendto(ept, ns, 39, NS_ADDR), 39);
	CHECK_EQ_INT(rpmsg_sendto(ept, ns, 40, NS_ADDR), 40);
	tp_seq_fill(buf, sizeof(buf), (uint32_t)i);
	CHECK_EQ_INT(rpmsg_sendto(ept, buf, (int)sizeof(buf), VICTIM_ADDR), (int)sizeof(buf));
}

static void mixed_victim(struct tp_link *l)
{
	struct amplink_rpmsg_stats s0, s1;

	memset(&vs, 0, sizeof(vs));
	REQUIRE(rpmsg_create_ept(&vs.ept, tp_rdev(l), "", VICTIM_ADDR, RPMSG_ADDR_ANY, victim_cb,
				 NULL) == RPMSG_SUCCESS);
	s0 = tp_stats(l);
	metal_set_log_handler(NULL); /* 3000 drop lines: silenced, the counters check them */
	REQUIRE(tp_ctl_send(l, TP_CMD_READY) == 0);
	CHECK(tp_pump_until(l, &vs.good, MIXED_ROUNDS, TP_STEP_MS) == 0);
	REQUIRE(tp_ctl_expect(l, CTL_DONE, 1) == 0);
	metal_set_log_handler(metal_default_log_handler);
	s1 = tp_stats(l);
	CHECK_EQ_INT(vs.good, MIXED_ROUNDS);
	CHECK_EQ_INT(vs.bad_seq, 0);
	CHECK_EQ_INT(vs.binds, 0);
	CHECK_EQ_INT(s1.drop_no_ept - s0.drop_no_ept, MIXED_ROUNDS);
	CHECK_EQ_INT(s1.drop_bad_ns - s0.drop_bad_ns, 2 * MIXED_ROUNDS);
	CHECK_EQ_INT(s1.drop_bad_len - s0.drop_bad_len, 0);
	tp_ctl_send(l, CTL_DONE);
	rpmsg_destroy_ept(&vs.ept);
}

static void mixed_peer(struct tp_link *l)
{
	struct rpmsg_endpoint ept;

	REQUIRE(rpmsg_create_ept(&ept, tp_rdev(l), "", EVIL_ADDR, VICTIM_ADDR, evil_cb, NULL) ==
		RPMSG_SUCCESS);
	REQUIRE(tp_ctl_expect(l, TP_CMD_READY, 0) == 0);
	for (int i = 0; i < MIXED_ROUNDS; i++)
		mixed_round(&ept, i);
	REQUIRE(tp_ctl_send(l, CTL_DONE) == 0);
	CHECK(tp_ctl_expect(l, CTL_DONE, 1) == 0);
	rpmsg_destroy_ept(&ept);
}

TP_REMOTE(remote_mixed_victim, mixed_victim)

TP_REMOTE(remote_mixed_peer, mixed_peer)

static void run_mixed(int host_is_victim)
{
	struct tp_opts o;

	tp_opts_init(&o);
	o.vring_num = VRING_NUM;
	o.host_ns_cb = victim_bind_cb;
	o.remote_ns_cb = victim_bind_cb;
	CHECK_EQ_INT(tp_run_roles(&o, host_is_victim, mixed_victim, mixed_peer, remote_mixed_victim,
				  remote_mixed_peer),
		     0);
}

/* 3000 bad messages among 1000 good ones, remote to host, with buffers cycling. */
static void test_mixed_stream_host_victim(void)
{
	run_mixed(1);
}

/* The same, host to remote. */
static void test_mixed_stream_remote_victim(void)
{
	run_mixed(0);
}

int main(void)
{
	if (tp_init() < 0)
		return 2;
	TP_RUN(test_hostile_remote_host_victim);
	TP_RUN(test_hostile_host_remote_victim);
	TP_RUN(test_broken_ring_host_victim);
	TP_RUN(test_broken_ring_remote_victim);
	TP_RUN(test_mixed_stream_host_victim);
	TP_RUN(test_mixed_stream_remote_victim);
	metal_finish();
	return check_summary();
}
