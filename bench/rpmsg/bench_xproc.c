/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * amplink-bench: cross-process figures over the Linux two-process transport.
 * The host forks a remote (amplink_lp_start_remote_fn) that announces two
 * endpoints: "bench-echo" sends every message back to its sender, and
 * "bench-sink" counts messages until a "DONE" marker, then answers with the
 * counts. On the host: round trips (every echo compared with what was sent),
 * one-way streams (copying and zero-copy sends), and concurrent sender
 * threads, each with its own endpoint.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include <metal/utilities.h>
#include <openamp/rpmsg.h>
#include <openamp/rpmsg_virtio.h>
#include <openamp/virtqueue.h>
#include <amplink/config.h>
#include <amplink/rpmsg.h>

#include "bench.h"

#define BENCH_ECHO_NAME	  "bench-echo"
#define BENCH_SINK_NAME	  "bench-sink"
#define BENCH_DONE	  "DONE"
#define BENCH_FILL	  0xa5
#define BENCH_WAIT_MS	  10000
#define BENCH_MAX_THREADS 16

/* ---- The remote process. ---- */

struct bench_remote {
	struct rpmsg_endpoint echo, sink;
	uint32_t counts[2]; /* good, bad since the last DONE */
	int quit;
	int errors;
};

static int bench_echo_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src,
			 void *priv)
{
	struct bench_remote *r = priv;

	if (len == 1 && ((const char *)data)[0] == 'Q')
		r->quit = 1;
	else if (rpmsg_sendto(ept, data, (int)len, src) != (int)len)
		r->errors++;
	return RPMSG_SUCCESS;
}

static int bench_sink_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src,
			 void *priv)
{
	struct bench_remote *r = priv;

	if (len == 4 && memcmp(data, BENCH_DONE, 4) == 0) {
		if (rpmsg_sendto(ept, r->counts, (int)sizeof(r->counts), src) !=
		    (int)sizeof(r->counts))
			r->errors++;
		r->counts[0] = r->counts[1] = 0;
	} else {
		r->counts[len > 0 && ((const unsigned char *)data)[0] == BENCH_FILL ? 0 : 1]++;
	}
	return RPMSG_SUCCESS;
}

/* The remote's body: serve until told to quit. Returns the child's exit status. */
static int bench_remote_main(struct amplink_lp *lp, void *arg)
{
	struct rpmsg_device *rdev = amplink_lp_rpmsg_device(lp);
	struct bench_remote r;
	int ret = 0;

	bench_pin(*(const int *)arg);
	memset(&r, 0, sizeof(r));
	r.echo.priv = &r;
	r.sink.priv = &r;
	if (rpmsg_create_ept(&r.echo, rdev, BENCH_ECHO_NAME, RPMSG_ADDR_ANY, RPMSG_ADDR_ANY,
			     bench_echo_cb, NULL) != RPMSG_SUCCESS ||
	    rpmsg_create_ept(&r.sink, rdev, BENCH_SINK_NAME, RPMSG_ADDR_ANY, RPMSG_ADDR_ANY,
			     bench_sink_cb, NULL) != RPMSG_SUCCESS)
		return 10;
	while (!r.quit && ret >= 0)
		ret = amplink_lp_process(lp, 1000);
	rpmsg_destroy_ept(&r.echo);
	rpmsg_destroy_ept(&r.sink);
	if (ret < 0)
		return 11;
	return r.errors ? 12 : 0;
}

/* ---- The host. ---- */

struct bench_xpair {
	struct amplink_lp *lp;
	pid_t pid;
	int cpu_b;
	struct rpmsg_endpoint echo, sink;
	uint32_t echo_addr, sink_addr;
	int bound; /* bit 0 echo, bit 1 sink announced */
	const unsigned char *expect;
	size_t expect_len;
	int got; /* 1 echo matched, -1 echo wrong */
	uint32_t counts[2];
	int counts_got;
	/* Of the last stream or threads measurement, per message; < 0 = unknown. */
	double kicks_per_msg, waits_per_msg;
};

/* The pair being set up: the name-service callback has no private pointer. */
static struct bench_xpair *bench_xcur;

static void bench_ns_bind(struct rpmsg_device *rdev, const char *name, uint32_t dest)
{
	(void)rdev;
	if (!bench_xcur)
		return;
	if (strcmp(name, BENCH_ECHO_NAME) == 0) {
		bench_xcur->echo_addr = dest;
		bench_xcur->bound |= 1;
	} else if (strcmp(name, BENCH_SINK_NAME) == 0) {
		bench_xcur->sink_addr = dest;
		bench_xcur->bound |= 2;
	}
}

static int bench_host_echo_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src,
			      void *priv)
{
	struct bench_xpair *xp = priv;

	(void)ept;
	(void)src;
	/* A late echo after a failed round trip finds no expectation: wrong. */
	xp->got =
		xp->expect && len == xp->expect_len && memcmp(data, xp->expect, len) == 0 ? 1 : -1;
	return RPMSG_SUCCESS;
}

static int bench_host_sink_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src,
			      void *priv)
{
	struct bench_xpair *xp = priv;

	(void)ept;
	(void)src;
	if (len == sizeof(xp->counts)) {
		memcpy(xp->counts, data, sizeof(xp->counts));
		xp->counts_got = 1;
	} else {
		xp->counts_got = -1;
	}
	return RPMSG_SUCCESS;
}

/* Run the host's event loop until *@flag is non-zero. Returns 0, or -1 (timeout, peer gone). */
static int bench_wait_flag(struct bench_xpair *xp, volatile int *flag)
{
	long long end = bench_now_ns() + BENCH_WAIT_MS * 1000000LL;

	while (!*flag) {
		if (amplink_lp_process(xp->lp, 100) < 0 || bench_now_ns() > end)
			return -1;
	}
	return 0;
}

/* Wait for both announcements and open the host's endpoints. Returns 0 or -1. */
static int bench_xpair_bind(struct bench_xpair *xp)
{
	struct rpmsg_device *rdev = amplink_lp_rpmsg_device(xp->lp);
	long long end = bench_now_ns() + BENCH_WAIT_MS * 1000000LL;

	while (xp->bound != 3) {
		if (amplink_lp_process(xp->lp, 100) < 0 || bench_now_ns() > end)
			return -1;
	}
	xp->echo.priv = xp;
	xp->sink.priv = xp;
	if (rpmsg_create_ept(&xp->echo, rdev, BENCH_ECHO_NAME, RPMSG_ADDR_ANY, xp->echo_addr,
			     bench_host_echo_cb, NULL) != RPMSG_SUCCESS)
		return -1;
	if (rpmsg_create_ept(&xp->sink, rdev, BENCH_SINK_NAME, RPMSG_ADDR_ANY, xp->sink_addr,
			     bench_host_sink_cb, NULL) != RPMSG_SUCCESS) {
		rpmsg_destroy_ept(&xp->echo);
		return -1;
	}
	return 0;
}

/* Our remote did not finish in time: stop it and reap it (no zombie, no hang). */
static void bench_reap_child(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

struct bench_xpair *bench_xpair_open(enum amplink_lp_wait_mode mode, int cpu_b)
{
	struct bench_xpair *xp = calloc(1, sizeof(*xp));
	struct amplink_lp_config cfg, rcfg;

	if (!xp)
		return NULL;
	xp->cpu_b = cpu_b;
	amplink_lp_config_init(&cfg);
	cfg.wait_mode = mode;
	cfg.ns_bind_cb = bench_ns_bind;
	amplink_lp_config_init(&rcfg);
	rcfg.wait_mode = mode;
	bench_xcur = xp;
	if (amplink_lp_host_create(&cfg, &xp->lp) < 0) {
		fprintf(stderr, "amplink-bench: cannot create the shared region\n");
		goto fail;
	}
	fflush(NULL);
	xp->pid = amplink_lp_start_remote_fn(xp->lp, bench_remote_main, &xp->cpu_b, &rcfg);
	if (xp->pid <= 0 || bench_xpair_bind(xp) < 0) {
		fprintf(stderr, "amplink-bench: the remote did not come up\n");
		goto fail;
	}
	bench_xcur = NULL;
	return xp;
fail:
	bench_xcur = NULL;
	amplink_lp_destroy(xp->lp);
	bench_reap_child(xp->pid);
	free(xp);
	return NULL;
}

static struct rpmsg_virtio_device *bench_xpair_rvdev(const struct bench_xpair *xp)
{
	return metal_container_of(amplink_lp_rpmsg_device(xp->lp), struct rpmsg_virtio_device,
				  rdev);
}

int bench_xpair_event_idx(const struct bench_xpair *xp)
{
	struct rpmsg_virtio_device *rvdev = bench_xpair_rvdev(xp);

	return rvdev->vdev && (rvdev->vdev->features & VIRTIO_RING_F_EVENT_IDX) ? 1 : 0;
}

/* The host's counters: notifications its send queue sent, sends that waited. */
struct bench_counts {
	uint32_t kicks; /* wraps at 2^32 */
	uint64_t waits;
};

static void bench_xpair_counts(const struct bench_xpair *xp, struct bench_counts *c)
{
	struct rpmsg_virtio_device *rvdev = bench_xpair_rvdev(xp);
	struct amplink_vq_stats vs;
	struct amplink_rpmsg_stats rs;

	memset(c, 0, sizeof(*c));
	if (amplink_virtqueue_get_stats(rvdev->svq, &vs) == 0)
		c->kicks = vs.kicks;
	if (amplink_rpmsg_virtio_get_stats(rvdev, &rs) == 0)
		c->waits = rs.tx_waits;
}

/* Record the counts per message since @c0 for @msgs messages (unknown without statistics). */
static void bench_xpair_note_counts(struct bench_xpair *xp, const struct bench_counts *c0,
				    long long msgs)
{
	struct bench_counts c;

	xp->kicks_per_msg = xp->waits_per_msg = -1;
	if (!AMPLINK_CFG_STATS || msgs <= 0)
		return;
	bench_xpair_counts(xp, &c);
	xp->kicks_per_msg = (double)(uint32_t)(c.kicks - c0->kicks) / (double)msgs;
	xp->waits_per_msg = (double)(c.waits - c0->waits) / (double)msgs;
}

void bench_xpair_per_msg(const struct bench_xpair *xp, double *kicks, double *waits)
{
	*kicks = xp->kicks_per_msg;
	*waits = xp->waits_per_msg;
}

int bench_xpair_close(struct bench_xpair *xp)
{
	int status = -1, ret = -1;

	if (!xp)
		return 0;
	if (rpmsg_send(&xp->echo, "Q", 1) == 1 &&
	    amplink_lp_wait_remote(xp->lp, BENCH_WAIT_MS, &status) == 0)
		ret = WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
	rpmsg_destroy_ept(&xp->echo);
	rpmsg_destroy_ept(&xp->sink);
	amplink_lp_destroy(xp->lp);
	if (ret < 0) {
		fprintf(stderr, "amplink-bench: the remote ended badly (status 0x%x)\n", status);
		if (status == -1)
			bench_reap_child(xp->pid);
	}
	free(xp);
	return ret;
}

int bench_xpair_rtt(struct bench_xpair *xp, int len, int iters, int max_ms, double *p50,
		    double *p99)
{
	unsigned char buf[RPMSG_BUFFER_SIZE];
	double *t = calloc((size_t)iters, sizeof(*t));
	long long end = bench_now_ns() + (long long)max_ms * 1000000LL, t0;
	int i, n = 0, ret = -1;

	if (!t || len <= 0 || (size_t)len > sizeof(buf))
		goto out;
	xp->expect = buf;
	xp->expect_len = (size_t)len;
	for (i = 0; i < iters; i++) {
		memset(buf, (unsigned char)(i * 7 + 1), (size_t)len);
		xp->got = 0;
		t0 = bench_now_ns();
		if (rpmsg_send(&xp->echo, buf, len) != len || bench_wait_flag(xp, &xp->got) < 0 ||
		    xp->got != 1)
			goto out;
		t[n++] = (double)(bench_now_ns() - t0);
		if (t0 > end)
			break;
	}
	bench_sort(t, (size_t)n);
	*p50 = bench_pct(t, (size_t)n, 50);
	*p99 = bench_pct(t, (size_t)n, 99);
	ret = n > 0 ? 0 : -1;
out:
	xp->expect = NULL;
	free(t);
	return ret;
}

/* Send the DONE marker and wait for the sink's counts. Returns the good count, or -1. */
static long long bench_sink_done(struct bench_xpair *xp)
{
	xp->counts_got = 0;
	if (rpmsg_send(&xp->sink, BENCH_DONE, 4) != 4 || bench_wait_flag(xp, &xp->counts_got) < 0 ||
	    xp->counts_got != 1 || xp->counts[1] != 0)
		return -1;
	return xp->counts[0];
}

/* One zero-copy send: fill the TX buffer in place. Returns @len or a negative value. */
static int bench_send_nocopy(struct rpmsg_endpoint *ept, int len, uint32_t seq)
{
	uint32_t cap = 0;
	unsigned char *p = rpmsg_get_tx_payload_buffer(ept, &cap, 1);

	if (!p || cap < (uint32_t)len)
		return -1;
	p[0] = BENCH_FILL;
	memcpy(p + 4, &seq, sizeof(seq));
	return rpmsg_send_nocopy(ept, p, len);
}

double bench_xpair_stream(struct bench_xpair *xp, int len, bool nocopy, int msgs)
{
	unsigned char buf[RPMSG_BUFFER_SIZE];
	long long t0, dt, got;
	struct bench_counts c0;
	int i, ret;

	xp->kicks_per_msg = xp->waits_per_msg = -1;
	if (len < 8 || (size_t)len > sizeof(buf) || bench_sink_done(xp) < 0)
		return -1;
	memset(buf, BENCH_FILL, sizeof(buf));
	bench_xpair_counts(xp, &c0);
	t0 = bench_now_ns();
	for (i = 0; i < msgs; i++) {
		ret = nocopy ? bench_send_nocopy(&xp->sink, len, (uint32_t)i)
			     : rpmsg_send(&xp->sink, buf, len);
		if (ret != len)
			return -1;
	}
	bench_xpair_note_counts(xp, &c0, msgs);
	got = bench_sink_done(xp);
	dt = bench_now_ns() - t0;
	if (got != msgs)
		return -1;
	return (double)msgs * len / ((double)dt / 1e9) / 1e6;
}

/* One sender thread's work: send until told to stop. */
struct bench_sender {
	pthread_t th;
	struct rpmsg_endpoint ept;
	atomic_int *go; /* 1: start sending, 2: stop */
	long long sent;
	int failed;
};

static void *bench_sender_main(void *arg)
{
	struct bench_sender *s = arg;
	unsigned char buf[16];

	memset(buf, BENCH_FILL, sizeof(buf));
	while (!atomic_load(s->go))
		sched_yield();
	while (atomic_load_explicit(s->go, memory_order_relaxed) == 1) {
		if (rpmsg_send(&s->ept, buf, (int)sizeof(buf)) != (int)sizeof(buf)) {
			s->failed = 1;
			break;
		}
		s->sent++;
	}
	return NULL;
}

/* Start @n senders, each on its own endpoint. Returns how many threads started. */
static unsigned int bench_senders_start(struct bench_xpair *xp, struct bench_sender *s,
					unsigned int n, atomic_int *go)
{
	struct rpmsg_device *rdev = amplink_lp_rpmsg_device(xp->lp);
	unsigned int i;

	for (i = 0; i < n; i++) {
		s[i].go = go;
		s[i].ept.priv = xp;
		if (rpmsg_create_ept(&s[i].ept, rdev, "", RPMSG_ADDR_ANY, xp->sink_addr,
				     bench_host_sink_cb, NULL) != RPMSG_SUCCESS)
			break;
		if (pthread_create(&s[i].th, NULL, bench_sender_main, &s[i]) != 0) {
			rpmsg_destroy_ept(&s[i].ept);
			break;
		}
	}
	return i;
}

double bench_xpair_threads(struct bench_xpair *xp, unsigned int nthreads, int ms)
{
	struct bench_sender s[BENCH_MAX_THREADS];
	struct timespec nap = {ms / 1000, (long)(ms % 1000) * 1000000L};
	atomic_int go = 0;
	unsigned int i, started;
	long long t0, dt, got, sent = 0;
	struct bench_counts c0;
	int failed = 0;

	xp->kicks_per_msg = xp->waits_per_msg = -1;
	if (nthreads == 0 || nthreads > BENCH_MAX_THREADS || ms <= 0 || bench_sink_done(xp) < 0)
		return -1;
	memset(s, 0, sizeof(s));
	started = bench_senders_start(xp, s, nthreads, &go);
	bench_xpair_counts(xp, &c0);
	t0 = bench_now_ns();
	atomic_store(&go, 1);
	while (nanosleep(&nap, &nap) != 0)
		;
	atomic_store(&go, 2);
	for (i = 0; i < started; i++) {
		pthread_join(s[i].th, NULL);
		sent += s[i].sent;
		failed |= s[i].failed;
		rpmsg_destroy_ept(&s[i].ept);
	}
	bench_xpair_note_counts(xp, &c0, sent);
	/* Delivered: the sink counted every message sent, DONE answered after the last. */
	got = bench_sink_done(xp);
	dt = bench_now_ns() - t0;
	if (started != nthreads || failed || sent <= 0 || got != sent)
		return -1;
	return (double)sent / ((double)dt / 1e9);
}
