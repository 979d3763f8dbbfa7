/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rproc_demo: the host side of the amplink demo. It starts the echo
 * firmware through remoteproc (remoteproc_config/load/start on the
 * Linux-process backend), binds an endpoint to each endpoint the remote
 * announces, exchanges messages on all of them, measures echo round trips,
 * prints the remote's trace log, stops it, and prints a summary.
 *
 * Usage: rproc_demo ECHO_FW [--rounds N]
 * Exit: 0 everything worked, 1 usage, 2 the remote failed to start or answer.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <amplink/linux_rproc.h>
#include <amplink/remoteproc.h>
#include <metal/sys.h>

#define DEMO_EPTS 8

struct demo_ept {
	struct rpmsg_endpoint ept;
	char name[RPMSG_NAME_SIZE];
	char reply[512];
	int reply_len;
};

static struct demo_ept demo_epts[DEMO_EPTS];
static int demo_n;
static long long demo_t0, demo_first_ns, demo_first_reply_ns;
static unsigned long demo_tx, demo_rx;

static long long demo_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int demo_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	struct demo_ept *e = priv;

	(void)ept;
	(void)src;
	e->reply_len = (int)(len < sizeof(e->reply) - 1 ? len : sizeof(e->reply) - 1);
	memcpy(e->reply, data, (size_t)e->reply_len);
	e->reply[e->reply_len] = '\0';
	if (!demo_rx++)
		demo_first_reply_ns = demo_now();
	return RPMSG_SUCCESS;
}

static void demo_bind(struct rpmsg_device *rdev, const char *name, uint32_t dest)
{
	struct demo_ept *e;

	if (demo_n == DEMO_EPTS)
		return;
	e = &demo_epts[demo_n];
	snprintf(e->name, sizeof(e->name), "%s", name);
	if (rpmsg_create_ept(&e->ept, rdev, e->name, RPMSG_ADDR_ANY, dest, demo_cb, NULL))
		return;
	e->ept.priv = e;
	demo_n++;
	if (!demo_first_ns)
		demo_first_ns = demo_now();
	printf("  remote announced %-12s at 0x%x -> host endpoint 0x%x\n", name, (unsigned)dest,
	       (unsigned)e->ept.addr);
}

static void demo_down(struct amplink_lpr *r, void *priv)
{
	(void)r;
	(void)priv;
	while (demo_n > 0)
		rpmsg_destroy_ept(&demo_epts[--demo_n].ept);
}

/* Send @msg on @e and run the link until the answer is back (5 s). */
static int demo_exchange(struct amplink_lpr *r, struct demo_ept *e, const void *msg, int len)
{
	long long end = demo_now() + 5000000000LL;

	e->reply_len = -1;
	if (rpmsg_send(&e->ept, msg, len) != len)
		return -1;
	demo_tx++;
	while (e->reply_len < 0 && demo_now() < end)
		if (amplink_lp_process(amplink_lpr_link(r), 100) < 0)
			return -1;
	return e->reply_len;
}

static int demo_cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/* @rounds echoes of 64 bytes; prints min/median/p99. Returns the median in ns or -1. */
static long long demo_rounds(struct amplink_lpr *r, int rounds)
{
	long long *t = calloc((size_t)rounds, sizeof(long long)), med;
	char msg[64];
	int i;

	if (!t)
		return -1;
	memset(msg, 'x', sizeof(msg));
	for (i = 0; i < rounds; i++) {
		long long t1 = demo_now();

		if (demo_exchange(r, &demo_epts[0], msg, sizeof(msg)) != (int)sizeof(msg)) {
			free(t);
			return -1;
		}
		t[i] = demo_now() - t1;
	}
	qsort(t, (size_t)rounds, sizeof(long long), demo_cmp);
	med = t[rounds / 2];
	printf("  %d echoes of 64 bytes: min %.1f us, median %.1f us, p99 %.1f us\n", rounds,
	       t[0] / 1e3, med / 1e3, t[(rounds * 99) / 100] / 1e3);
	free(t);
	return med;
}

static int demo_start(struct amplink_lpr *r, const char *fw)
{
	long long end;
	int ret = amplink_lpr_load(r, fw);

	if (ret) {
		fprintf(stderr, "rproc_demo: %s: %s\n", fw, amplink_lpr_strerror(ret));
		return -1;
	}
	printf("  loaded %s: resource table %zu bytes\n", fw, amplink_lpr_remoteproc(r)->rsc_len);
	demo_t0 = demo_now();
	ret = amplink_lpr_start(r);
	if (ret) {
		fprintf(stderr, "rproc_demo: start failed: %s\n", amplink_lpr_strerror(ret));
		return -1;
	}
	printf("  started pid %d, state %s\n", (int)amplink_lpr_pid(r),
	       amplink_remoteproc_state_name(amplink_lpr_remoteproc(r)));
	end = demo_now() + 10000000000LL;
	while (demo_n < 3 && demo_now() < end)
		amplink_lp_process(amplink_lpr_link(r), 100);
	return demo_n >= 3 ? 0 : -1;
}

static int demo_talk(struct amplink_lpr *r)
{
	static const char *const msgs[] = {"hello, remote", "make me loud", "how many?"};
	int i;

	for (i = 0; i < demo_n && i < 3; i++) {
		if (demo_exchange(r, &demo_epts[i], msgs[i], (int)strlen(msgs[i])) < 0)
			return -1;
		printf("  %-12s sent \"%s\", got \"%s\"\n", demo_epts[i].name, msgs[i],
		       demo_epts[i].reply);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;
	struct amplink_lpr_config cfg;
	struct amplink_lpr_exit ex;
	struct amplink_lpr *r;
	static char trace[16384];
	long long med = -1;
	int rounds = 1000, ok;

	if (argc < 2 || argv[1][0] == '-') {
		fprintf(argc < 2 ? stderr : stdout, "usage: rproc_demo ECHO_FW [--rounds N]\n");
		return argc < 2;
	}
	if (argc == 4 && !strcmp(argv[2], "--rounds"))
		rounds = atoi(argv[3]) > 0 ? atoi(argv[3]) : 1;
	params.log_level = METAL_LOG_ERROR;
	metal_init(&params);
	amplink_lpr_config_init(&cfg);
	cfg.name = "rproc-demo";
	cfg.ns_bind_cb = demo_bind;
	cfg.link_down = demo_down;
	if (amplink_lpr_create(&cfg, &r))
		return 2;
	printf("[1] start the echo firmware through remoteproc\n");
	ok = demo_start(r, argv[1]) == 0;
	printf("[2] talk on every endpoint the remote announced\n");
	ok = ok && demo_talk(r) == 0;
	if (ok)
		med = demo_rounds(r, rounds);
	ok = ok && med >= 0;
	printf("[3] the remote's trace log (RSC_TRACE ring)\n");
	if (amplink_lpr_trace_read(r, trace, sizeof(trace)) > 0)
		printf("%s", trace);
	printf("[4] stop it\n");
	amplink_lpr_stop(r);
	amplink_lpr_exit_info(r, &ex);
	printf("  stopped: %s %d, state %s\n", ex.signal ? "signal" : "exit code",
	       ex.signal ? ex.signal : ex.code,
	       amplink_remoteproc_state_name(amplink_lpr_remoteproc(r)));
	printf("summary: %s; start to first announcement %.2f ms, to first echo %.2f ms; %d "
	       "endpoints; %lu messages sent, %lu received; echo median %.1f us\n",
	       ok ? "ok" : "FAILED", demo_first_ns ? (demo_first_ns - demo_t0) / 1e6 : -1.0,
	       demo_first_reply_ns ? (demo_first_reply_ns - demo_t0) / 1e6 : -1.0, 3, demo_tx,
	       demo_rx, med / 1e3);
	amplink_lpr_destroy(r);
	metal_finish();
	return ok ? 0 : 2;
}
