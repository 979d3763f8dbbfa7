/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ping_host: the host side of the amplink demo. It creates the shared
 * region, starts echo_remote (or waits for one to attach through a UNIX
 * socket with --listen), waits for its "rpmsg-raw" announcement, then sends
 * every payload size 1..496 (--rounds times), checks every echoed byte and
 * prints the error count and round-trip figures.
 *
 * Shows: amplink_lp_host_create, starting or accepting a remote, binding to
 * an announced service from the name-service callback, rpmsg_send, waiting
 * for the answer with amplink_lp_process.
 *
 * Exit: 0 no errors, 1 usage, 2 setup failed, 3 some echo was wrong or
 * missing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <amplink/linux_process.h>
#include <metal/sys.h>
#include <openamp/rpmsg.h>

#define MAX_PAYLOAD 496
#define TIMEOUT_MS  5000

static struct {
	uint32_t remote_addr;
	int bound;
	int got;
	size_t len;
	unsigned char data[512];
} ping;

static void ns_bind(struct rpmsg_device *rdev, const char *name, uint32_t dest)
{
	(void)rdev;
	if (strcmp(name, "rpmsg-raw") == 0) {
		ping.remote_addr = dest;
		ping.bound = 1;
	}
}

static int ping_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)ept;
	(void)src;
	(void)priv;
	ping.len = len;
	memcpy(ping.data, data, len < sizeof(ping.data) ? len : sizeof(ping.data));
	ping.got = 1;
	return RPMSG_SUCCESS;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Run the event loop until *flag is set. Returns 0, or -1 on timeout or peer gone. */
static int wait_for(struct amplink_lp *lp, int *flag)
{
	long long end = now_ns() + TIMEOUT_MS * 1000000LL;

	while (!*flag) {
		if (now_ns() > end || amplink_lp_process(lp, 100) < 0)
			return -1;
	}
	return 0;
}

/* One round trip of @len bytes; returns its time in ns, or -1 on any error. */
static long long ping_once(struct amplink_lp *lp, struct rpmsg_endpoint *ept, int len)
{
	unsigned char buf[MAX_PAYLOAD];
	long long t0;

	for (int i = 0; i < len; i++)
		buf[i] = (unsigned char)(len + i * 31);
	ping.got = 0;
	t0 = now_ns();
	if (rpmsg_send(ept, buf, len) != len || wait_for(lp, &ping.got) < 0)
		return -1;
	t0 = now_ns() - t0;
	if (ping.len != (size_t)len || memcmp(ping.data, buf, (size_t)len) != 0)
		return -1;
	return t0;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/* Send every size @rounds times; print the figures. Returns the error count. */
static int ping_all(struct amplink_lp *lp, struct rpmsg_endpoint *ept, int rounds)
{
	int total = rounds * MAX_PAYLOAD, n = 0, errors = 0;
	long long *rtt = calloc((size_t)total, sizeof(*rtt)), sum = 0, t0 = now_ns(), wall;

	if (!rtt)
		return total;
	for (int r = 0; r < rounds; r++) {
		for (int len = 1; len <= MAX_PAYLOAD; len++) {
			long long t = ping_once(lp, ept, len);
			if (t < 0) {
				errors++;
				continue;
			}
			rtt[n++] = t;
			sum += t;
		}
	}
	wall = now_ns() - t0;
	printf("ping_host: %d messages (sizes 1..%d x %d), %d errors\n", total, MAX_PAYLOAD, rounds,
	       errors);
	if (n > 0) {
		qsort(rtt, (size_t)n, sizeof(*rtt), cmp_ll);
		printf("ping_host: round trip us: min %.1f median %.1f mean %.1f p99 %.1f max "
		       "%.1f; "
		       "%.0f round trips/s\n",
		       rtt[0] / 1e3, rtt[n / 2] / 1e3, sum / 1e3 / n, rtt[(n * 99) / 100] / 1e3,
		       rtt[n - 1] / 1e3, n / (wall / 1e9));
	}
	free(rtt);
	return errors;
}

struct opts {
	const char *remote;
	const char *listen;
	int do_listen;
	int rounds;
	enum amplink_lp_wait_mode mode;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ping_host [--remote PATH | --listen [SOCKET]] [--mode "
		"blocking|poll|adaptive]\n"
		"                 [--rounds N]\n"
		"Starts echo_remote (default: the one beside this program) or, with --listen,\n"
		"waits for 'echo_remote --connect SOCKET'; sends sizes 1..%d N times (default 1),\n"
		"checks every byte, prints errors and round-trip times.\n",
		MAX_PAYLOAD);
}

static int parse(int argc, char **argv, struct opts *o)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--remote") == 0 && v) {
			o->remote = argv[++i];
		} else if (strcmp(a, "--listen") == 0) {
			o->do_listen = 1;
			if (v && v[0] != '-')
				o->listen = argv[++i];
		} else if (strcmp(a, "--rounds") == 0 && v && atoi(v) > 0) {
			o->rounds = atoi(argv[++i]);
		} else if (strcmp(a, "--mode") == 0 && v) {
			i++;
			if (strcmp(v, "blocking") == 0)
				o->mode = AMPLINK_LP_WAIT_BLOCKING;
			else if (strcmp(v, "poll") == 0)
				o->mode = AMPLINK_LP_WAIT_POLL;
			else if (strcmp(v, "adaptive") == 0)
				o->mode = AMPLINK_LP_WAIT_ADAPTIVE;
			else
				return -1;
		} else {
			return -1;
		}
	}
	return 0;
}

/* Start the remote or accept one. Returns the child's pid, 0 (accepted), or -1. */
static pid_t attach_remote(struct amplink_lp *lp, const struct opts *o)
{
	static char path[PATH_MAX];
	char mode[16];
	pid_t pid;

	if (o->do_listen) {
		if (amplink_lp_listen(lp, o->listen) < 0)
			return -1;
		printf("ping_host: waiting for: echo_remote --connect %s\n",
		       amplink_lp_socket_path(lp));
		fflush(stdout);
		return amplink_lp_accept(lp, 60000) == 0 ? 0 : -1;
	}
	if (o->remote) {
		snprintf(path, sizeof(path), "%s", o->remote);
	} else {
		ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 16);
		if (n <= 0)
			return -1;
		path[n] = '\0';
		strcpy(strrchr(path, '/') + 1, "echo_remote");
	}
	snprintf(mode, sizeof(mode), "%s",
		 o->mode == AMPLINK_LP_WAIT_POLL       ? "poll"
		 : o->mode == AMPLINK_LP_WAIT_ADAPTIVE ? "adaptive"
						       : "blocking");
	char *argv[] = {path, "--mode", mode, NULL};
	pid = amplink_lp_start_remote_exec(lp, path, argv);
	return pid > 0 ? pid : -1;
}

int main(int argc, char **argv)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;
	struct opts o = {.rounds = 1, .mode = AMPLINK_LP_WAIT_BLOCKING};
	struct amplink_lp_config cfg;
	struct rpmsg_endpoint ept;
	struct amplink_lp *lp;
	int errors = 0, status = 0;
	pid_t pid;

	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	if (parse(argc, argv, &o) < 0) {
		usage(stderr);
		return 1;
	}
	params.log_level = METAL_LOG_WARNING;
	if (metal_init(&params) != 0)
		return 2;
	amplink_lp_config_init(&cfg);
	cfg.wait_mode = o.mode;
	cfg.ns_bind_cb = ns_bind;
	if (amplink_lp_host_create(&cfg, &lp) < 0) {
		fprintf(stderr, "ping_host: cannot create the shared region\n");
		return 2;
	}
	pid = attach_remote(lp, &o);
	if (pid < 0 || wait_for(lp, &ping.bound) < 0 ||
	    rpmsg_create_ept(&ept, amplink_lp_rpmsg_device(lp), "rpmsg-raw", RPMSG_ADDR_ANY,
			     ping.remote_addr, ping_cb, NULL) != RPMSG_SUCCESS) {
		fprintf(stderr, "ping_host: no echo_remote came up\n");
		amplink_lp_destroy(lp);
		metal_finish();
		return 2;
	}
	errors = ping_all(lp, &ept, o.rounds);
	rpmsg_destroy_ept(&ept);
	/* Leaving makes the remote's event loop end; then reap it. */
	amplink_lp_destroy(lp);
	if (pid > 0 &&
	    (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
		fprintf(stderr, "ping_host: echo_remote ended badly (status 0x%x)\n", status);
		errors++;
	}
	metal_finish();
	return errors ? 3 : 0;
}
