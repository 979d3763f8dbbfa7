/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The name service across two processes, both ways: the remote announces and
 * the host's ns_bind_cb opens an endpoint to it; the remote announces a name
 * the host already has an endpoint for (created with dest ANY), which binds
 * it without calling ns_bind_cb; the host announces and the remote's
 * ns_bind_cb creates an endpoint from inside the callback; each announcement
 * carries the announcing endpoint's address; an endpoint with dest ANY is
 * bound by the first message; destroying an announced endpoint calls the
 * unbind callback of the endpoint bound to it on the other side. A peer
 * that spoofs CREATE / DESTROY for a bound name at another address neither
 * rebinds nor unbinds it; the DESTROY of a service no endpoint is bound to
 * reaches the device's ns_unbind_cb.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <metal/sys.h>

#include "check.h"
#include "twoproc.h"

#define MAX_BINDS 8

/* What happened to one endpoint. */
struct ept_log {
	volatile int rx;
	uint32_t last_src;
	char last[16];
	volatile int unbound;
	int reply; /* answer each message with rpmsg_send */
};

/* This process's name-service observations (each process has its own copy). */
static struct {
	volatile int binds;
	char bind_name[MAX_BINDS][RPMSG_NAME_SIZE];
	uint32_t bind_addr[MAX_BINDS];
	struct rpmsg_endpoint a, b, c;
	struct ept_log la, lb, lc;
	volatile int c_created;
	volatile int dev_unbinds; /* rdev->ns_unbind_cb: a service nobody bound went away */
	char dev_unbind_name[RPMSG_NAME_SIZE];
	uint32_t dev_unbind_addr;
} ns;

static void dev_unbind_cb(struct rpmsg_device *rdev, const char *name, uint32_t dest)
{
	(void)rdev;
	snprintf(ns.dev_unbind_name, RPMSG_NAME_SIZE, "%s", name);
	ns.dev_unbind_addr = dest;
	ns.dev_unbinds++;
}

static int log_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	struct ept_log *lg = priv;

	lg->last_src = src;
	memset(lg->last, 0, sizeof(lg->last));
	memcpy(lg->last, data, len < sizeof(lg->last) - 1 ? len : sizeof(lg->last) - 1);
	lg->rx++;
	if (lg->reply && rpmsg_send(ept, "reply", 5) != 5)
		lg->rx = -1000;
	return RPMSG_SUCCESS;
}

static void log_unbind(struct rpmsg_endpoint *ept)
{
	((struct ept_log *)ept->priv)->unbound++;
}

/* Create @ept logging into @lg. Returns the rpmsg result. */
static int ept_open(struct tp_link *l, struct rpmsg_endpoint *ept, struct ept_log *lg,
		    const char *name, uint32_t dest)
{
	int ret;

	memset(lg, 0, sizeof(*lg));
	ept->priv = lg;
	ret = rpmsg_create_ept(ept, tp_rdev(l), name, RPMSG_ADDR_ANY, dest, log_cb, log_unbind);
	ept->priv = lg;
	return ret;
}

static void record_bind(const char *name, uint32_t dest)
{
	if (ns.binds < MAX_BINDS) {
		snprintf(ns.bind_name[ns.binds], RPMSG_NAME_SIZE, "%s", name);
		ns.bind_addr[ns.binds] = dest;
	}
	ns.binds++;
}

static void host_bind_cb(struct rpmsg_device *rdev, const char *name, uint32_t dest)
{
	(void)rdev;
	record_bind(name, dest);
}

/* The remote opens an endpoint to "svc-h" from inside its bind callback. */
static void remote_bind_cb(struct rpmsg_device *rdev, const char *name, uint32_t dest)
{
	record_bind(name, dest);
	if (strcmp(name, "svc-h") == 0) {
		memset(&ns.lc, 0, sizeof(ns.lc));
		ns.c.priv = &ns.lc;
		if (rpmsg_create_ept(&ns.c, rdev, name, RPMSG_ADDR_ANY, dest, log_cb, log_unbind) ==
		    RPMSG_SUCCESS)
			ns.c_created = 1;
		ns.c.priv = &ns.lc;
	}
}

/* Wait until @addr (an endpoint's dest_addr) is no longer ANY. */
static int pump_bound(struct tp_link *l, const volatile uint32_t *addr)
{
	long long end = tp_now_ms() + TP_STEP_MS;

	while (*addr == RPMSG_ADDR_ANY && tp_now_ms() < end)
		tp_pump_for(l, 2);
	return *addr == RPMSG_ADDR_ANY ? -1 : 0;
}

static int remote_side(struct tp_link *l, void *arg)
{
	uint32_t w = 0;

	(void)arg;
	TP_CHILD_BEGIN();
	memset(&ns, 0, sizeof(ns));
	/* 1. Announce "svc-r"; the host's client binds us by writing first. */
	if (ept_open(l, &ns.a, &ns.la, "svc-r", RPMSG_ADDR_ANY) != RPMSG_SUCCESS)
		return 50;
	ns.la.reply = 1;
	CHECK(!is_rpmsg_ept_ready(&ns.a));
	tp_ctl_send(l, ns.a.addr);
	CHECK(tp_ctl_recv(l, &w, TP_STEP_MS, 1) == 0);
	CHECK_EQ_INT(ns.la.rx, 1);
	CHECK_EQ_INT(ns.a.dest_addr, w);
	CHECK(is_rpmsg_ept_ready(&ns.a));
	/* 2. The host announced "svc-p" (our ns_bind_cb); we announce it back. */
	CHECK(tp_ctl_recv(l, &w, TP_STEP_MS, 1) == 0);
	CHECK(tp_pump_until(l, &ns.binds, 1, TP_STEP_MS) == 0);
	CHECK(strcmp(ns.bind_name[0], "svc-p") == 0);
	CHECK_EQ_INT(ns.bind_addr[0], w);
	if (ept_open(l, &ns.b, &ns.lb, "svc-p", RPMSG_ADDR_ANY) != RPMSG_SUCCESS)
		return 51;
	ns.lb.reply = 1;
	tp_ctl_send(l, ns.b.addr);
	CHECK(tp_pump_until(l, &ns.lb.rx, 1, TP_STEP_MS) == 0);
	CHECK_EQ_INT(ns.b.dest_addr, w); /* first sender = the host's pre-created endpoint */
	/* 3. The host announces "svc-h": our callback opened an endpoint to it. */
	CHECK(tp_ctl_recv(l, &w, TP_STEP_MS, 1) == 0);
	CHECK(tp_pump_until(l, &ns.c_created, 1, TP_STEP_MS) == 0);
	CHECK_EQ_INT(ns.binds, 2);
	CHECK(strcmp(ns.bind_name[1], "svc-h") == 0);
	CHECK_EQ_INT(ns.bind_addr[1], w);
	CHECK_EQ_INT(ns.c.dest_addr, w);
	CHECK_EQ_INT(rpmsg_send(&ns.c, "hello", 5), 5);
	CHECK(tp_pump_until(l, &ns.lc.rx, 1, TP_STEP_MS) == 0);
	CHECK(strcmp(ns.lc.last, "back") == 0 && ns.lc.last_src == w);
	/* 4. We withdraw "svc-r" and "svc-p"; the host withdraws "svc-h". */
	rpmsg_destroy_ept(&ns.a);
	rpmsg_destroy_ept(&ns.b);
	tp_ctl_send(l, 4);
	CHECK(tp_ctl_recv(l, &w, TP_STEP_MS, 1) == 0);
	CHECK(tp_pump_until(l, &ns.lc.unbound, 1, TP_STEP_MS) == 0);
	CHECK_EQ_INT(ns.la.unbound + ns.lb.unbound, 0);
	CHECK_EQ_INT(ns.binds, 2);
	rpmsg_destroy_ept(&ns.c);
	tp_ctl_send(l, 5);
	return TP_CHILD_STATUS();
}

static void host_side(struct tp_link *l)
{
	uint32_t w = 0;

	memset(&ns, 0, sizeof(ns));
	CHECK(tp_rdev(l)->support_ns);
	/* 1. The remote announces "svc-r": ns_bind_cb, then our client talks first. */
	REQUIRE(tp_ctl_recv(l, &w, TP_STEP_MS, 1) == 0);
	REQUIRE(tp_pump_until(l, &ns.binds, 1, TP_STEP_MS) == 0);
	CHECK(strcmp(ns.bind_name[0], "svc-r") == 0);
	CHECK_EQ_INT(ns.bind_addr[0], w);
	REQUIRE(ept_open(l, &ns.a, &ns.la, "svc-r", w) == RPMSG_SUCCESS);
	CHECK(is_rpmsg_ept_ready(&ns.a));
	CHECK_EQ_INT(rpmsg_send(&ns.a, "ping", 4), 4);
	CHECK(tp_pump_until(l, &ns.la.rx, 1, TP_STEP_MS) == 0);
	CHECK(strcmp(ns.la.last, "reply") == 0 && ns.la.last_src == w);
	tp_ctl_send(l, ns.a.addr);
	/* 2. Pre-created "svc-p" (dest ANY, announced); the remote's announcement binds it. */
	REQUIRE(ept_open(l, &ns.b, &ns.lb, "svc-p", RPMSG_ADDR_ANY) == RPMSG_SUCCESS);
	CHECK(!is_rpmsg_ept_ready(&ns.b));
	tp_ctl_send(l, ns.b.addr);
	REQUIRE(tp_ctl_recv(l, &w, TP_STEP_MS, 1) == 0);
	CHECK(pump_bound(l, &ns.b.dest_addr) == 0);
	CHECK_EQ_INT(ns.b.dest_addr, w);
	CHECK_EQ_INT(ns.binds, 1); /* ns_bind_cb not called for a waiting endpoint */
	CHECK_EQ_INT(rpmsg_send(&ns.b, "hi-p", 4), 4);
	CHECK(tp_pump_until(l, &ns.lb.rx, 1, TP_STEP_MS) == 0);
	CHECK_EQ_INT(ns.lb.last_src, w);
	/* 3. We announce "svc-h"; the remote writes first, we answer the first sender. */
	REQUIRE(ept_open(l, &ns.c, &ns.lc, "svc-h", RPMSG_ADDR_ANY) == RPMSG_SUCCESS);
	tp_ctl_send(l, ns.c.addr);
	CHECK(tp_pump_until(l, &ns.lc.rx, 1, TP_STEP_MS) == 0);
	CHECK(strcmp(ns.lc.last, "hello") == 0);
	CHECK_EQ_INT(ns.c.dest_addr, ns.lc.last_src);
	CHECK(is_rpmsg_ept_ready(&ns.c));
	CHECK_EQ_INT(rpmsg_send(&ns.c, "back", 4), 4);
	/* 4. The remote withdrew both its services: both our endpoints are unbound. */
	CHECK(tp_ctl_expect(l, 4, 1) == 0);
	CHECK(tp_pump_until(l, &ns.la.unbound, 1, TP_STEP_MS) == 0);
	CHECK(tp_pump_until(l, &ns.lb.unbound, 1, TP_STEP_MS) == 0);
	CHECK_EQ_INT(ns.lc.unbound, 0);
	rpmsg_destroy_ept(&ns.c);
	tp_ctl_send(l, 4);
	CHECK(tp_ctl_expect(l, 5, 1) == 0);
	CHECK_EQ_INT(ns.la.unbound, 1);
	CHECK_EQ_INT(ns.lb.unbound, 1);
	CHECK_EQ_INT(ns.binds, 1);
	rpmsg_destroy_ept(&ns.a);
	rpmsg_destroy_ept(&ns.b);
}

static void run_ns(enum amplink_lp_wait_mode mode)
{
	struct tp_opts o;
	struct tp_link host;

	tp_opts_init(&o);
	o.mode = mode;
	o.host_ns_cb = host_bind_cb;
	o.remote_ns_cb = remote_bind_cb;
	REQUIRE(tp_start(&host, &o, remote_side, NULL) == 0);
	host_side(&host);
	CHECK_EQ_INT(tp_finish(&host), 0);
}

static void test_ns_both_ways_blocking(void)
{
	run_ns(AMPLINK_LP_WAIT_BLOCKING);
}

static void test_ns_both_ways_adaptive(void)
{
	run_ns(AMPLINK_LP_WAIT_ADAPTIVE);
}

/* ---- Spoofed name-service messages from the peer. ---- */

#define CTL_SPOOF 0x5350u

/* Send a raw NS message (40 bytes, little-endian) to the peer's address 53. */
static int ns_raw(struct rpmsg_endpoint *ept, const char *name, uint32_t addr, uint32_t flags)
{
	unsigned char m[40];

	memset(m, 0, sizeof(m));
	memcpy(m, name, strlen(name));
	for (int i = 0; i < 4; i++) {
		m[32 + i] = (unsigned char)(addr >> (8 * i));
		m[36 + i] = (unsigned char)(flags >> (8 * i));
	}
	return rpmsg_sendto(ept, m, (int)sizeof(m), 53);
}

/*
 * The victim's "svc-s" is bound to the peer's real "svc-s" at A. A CREATE for
 * the same name at another address B must not rebind it (ns_bind_cb sees a
 * second instance), a DESTROY at B must not unbind it; a DESTROY at A does.
 */
static void spoof_victim(struct tp_link *l)
{
	uint32_t a = 0;

	memset(&ns, 0, sizeof(ns));
	tp_rdev(l)->ns_unbind_cb = dev_unbind_cb;
	REQUIRE(ept_open(l, &ns.a, &ns.la, "svc-s", RPMSG_ADDR_ANY) == RPMSG_SUCCESS);
	REQUIRE(tp_ctl_send(l, ns.a.addr) == 0);
	REQUIRE(tp_ctl_recv(l, &a, TP_STEP_MS, 1) == 0);
	CHECK(pump_bound(l, &ns.a.dest_addr) == 0);
	CHECK_EQ_INT(ns.a.dest_addr, a);
	REQUIRE(tp_ctl_send(l, CTL_SPOOF) == 0);
	REQUIRE(tp_ctl_expect(l, CTL_SPOOF + 1, 1) == 0); /* CREATE and DESTROY at B sent */
	tp_pump_for(l, 50);
	CHECK_EQ_INT(ns.a.dest_addr, a);
	CHECK_EQ_INT(ns.la.unbound, 0);
	CHECK_EQ_INT(ns.binds, 1);
	CHECK(strcmp(ns.bind_name[0], "svc-s") == 0 && ns.bind_addr[0] == a + 100);
	/* The DESTROY at B names no bound endpoint: the device's ns_unbind_cb hears it. */
	CHECK_EQ_INT(ns.dev_unbinds, 1);
	CHECK(strcmp(ns.dev_unbind_name, "svc-s") == 0 && ns.dev_unbind_addr == a + 100);
	REQUIRE(tp_ctl_send(l, CTL_SPOOF + 2) == 0);
	REQUIRE(tp_ctl_expect(l, CTL_SPOOF + 3, 1) == 0); /* DESTROY at A sent */
	CHECK(tp_pump_until(l, &ns.la.unbound, 1, TP_STEP_MS) == 0);
	CHECK_EQ_INT(ns.dev_unbinds, 1);
	rpmsg_destroy_ept(&ns.a);
	tp_ctl_send(l, CTL_SPOOF + 4);
}

static void spoof_peer(struct tp_link *l)
{
	uint32_t v = 0;

	memset(&ns, 0, sizeof(ns));
	REQUIRE(tp_ctl_recv(l, &v, TP_STEP_MS, 1) == 0);
	REQUIRE(ept_open(l, &ns.b, &ns.lb, "svc-s", RPMSG_ADDR_ANY) == RPMSG_SUCCESS);
	REQUIRE(tp_ctl_send(l, ns.b.addr) == 0);
	REQUIRE(tp_ctl_expect(l, CTL_SPOOF, 1) == 0);
	CHECK_EQ_INT(ns_raw(&ns.b, "svc-s", ns.b.addr + 100, 0), 40);
	CHECK_EQ_INT(ns_raw(&ns.b, "svc-s", ns.b.addr + 100, 1), 40);
	REQUIRE(tp_ctl_send(l, CTL_SPOOF + 1) == 0);
	REQUIRE(tp_ctl_expect(l, CTL_SPOOF + 2, 1) == 0);
	CHECK_EQ_INT(ns_raw(&ns.b, "svc-s", ns.b.addr, 1), 40);
	REQUIRE(tp_ctl_send(l, CTL_SPOOF + 3) == 0);
	CHECK(tp_ctl_expect(l, CTL_SPOOF + 4, 1) == 0);
	rpmsg_destroy_ept(&ns.b);
}

TP_REMOTE(remote_spoof_victim, spoof_victim)

TP_REMOTE(remote_spoof_peer, spoof_peer)

static void run_spoof(int host_is_victim)
{
	struct tp_opts o;

	tp_opts_init(&o);
	o.host_ns_cb = host_bind_cb;
	o.remote_ns_cb = remote_bind_cb;
	CHECK_EQ_INT(tp_run_roles(&o, host_is_victim, spoof_victim, spoof_peer, remote_spoof_victim,
				  remote_spoof_peer),
		     0);
}

/* The remote spoofs CREATE/DESTROY for the host's bound endpoint. */
static void test_ns_spoofed_by_remote(void)
{
	run_spoof(1);
}

/* The host spoofs CREATE/DESTROY for the remote's bound endpoint. */
static void test_ns_spoofed_by_host(void)
{
	run_spoof(0);
}

int main(void)
{
	if (tp_init() < 0)
		return 2;
	TP_RUN(test_ns_both_ways_blocking);
	TP_RUN(test_ns_both_ways_adaptive);
	TP_RUN(test_ns_spoofed_by_remote);
	TP_RUN(test_ns_spoofed_by_host);
	metal_finish();
	return check_summary();
}
