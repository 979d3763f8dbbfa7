/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `amplink serve --vhost-user SOCKET`: serve a remote application's services
 * to a Linux VM over vhost-user. Two services are built in: an echo service
 * (address 0x400, "rpmsg-raw": a guest /dev/rpmsgN talks to it) and a console
 * (address 0x401, "rpmsg-tty": a guest /dev/ttyRPMSGN; what the guest writes
 * is printed here and sent back). With --announce they are announced through
 * the name service so the guest kernel creates the devices by itself;
 * otherwise the guest creates channels through /dev/rpmsg_ctrlN.
 *
 * With --proxy-demo the process is also a proxy remote: it creates the
 * "amplink-proxy" client at 0x402 (announced, unless --no-ns: then the guest
 * creates a channel to 0x402 through /dev/rpmsg_ctrlN) and, once a host in
 * the guest binds it (the guest's server sends HELLO through /dev/rpmsgN), runs the proxy example's
 * sequence (examples/proxy_demo_steps.c), checks that a path out of the served directory is refused
 * and reports the result on stderr and in its exit status.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amplink/proxy.h>
#include <amplink/vhost_user.h>
#include <metal/sys.h>
#include <openamp/rpmsg_virtio.h>

#include "commands.h"
#include "proxy_demo_steps.h"

#define SERVE_ECHO_ADDR	   0x400u
#define SERVE_CONSOLE_ADDR 0x401u
#define SERVE_PROXY_ADDR   0x402u /* --proxy-demo's client (announced unless --no-ns) */

struct serve_state {
	bool announce;
	bool quiet;
	struct rpmsg_endpoint echo;
	struct rpmsg_endpoint console;
	bool up;
	unsigned long echoed, echo_drops, console_bytes;
	/* --proxy-demo */
	bool proxy_demo;
	struct amplink_vhost_user *vu;
	struct amplink_proxy_client proxy;
	bool proxy_lost;    /* the guest's driver went: calls give up */
	bool proxy_running; /* the demo is inside a call */
	int proxy_result;   /* 0 not run, 1 passed, -1 failed */
};

static volatile sig_atomic_t serve_stop;

static void serve_on_signal(int sig)
{
	(void)sig;
	serve_stop = 1;
}

/* Echo: every message goes back to its sender unchanged. */
static int serve_echo_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src,
			 void *priv)
{
	struct serve_state *st = priv;

	if (rpmsg_trysendto(ept, data, (int)len, src) < 0)
		st->echo_drops++;
	else
		st->echoed++;
	return RPMSG_SUCCESS;
}

/* Console: print what the guest wrote (one line per message), then send it back. */
static int serve_console_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src,
			    void *priv)
{
	struct serve_state *st = priv;
	const unsigned char *c = data;
	size_t i;

	st->console_bytes += len;
	printf("console: ");
	for (i = 0; i < len; i++)
		printf(c[i] >= 0x20 && c[i] < 0x7f && c[i] != '\\' ? "%c" : "\\x%02x", c[i]);
	printf("\n");
	fflush(stdout);
	(void)rpmsg_trysendto(ept, data, (int)len, src);
	return RPMSG_SUCCESS;
}

/* Wait hook of the proxy client: run the backend's event loop while a call waits. */
static int serve_proxy_wait(void *arg, uint32_t slice_us)
{
	struct serve_state *st = arg;
	int r;

	if (st->proxy_lost || serve_stop)
		return -1;
	r = amplink_vhost_user_poll(st->vu, (int)(slice_us / 1000u) + 1);
	return r < 0 || st->proxy_lost || serve_stop ? -1 : 0;
}

/* Announce the proxy client on a fresh rpmsg device. */
static void serve_proxy_start(struct serve_state *st, struct rpmsg_device *rdev)
{
	int r;

	if (st->proxy_running) /* the previous guest's demo is still unwinding: not now */
		return;
	if (st->proxy.up) /* left from a previous guest: its endpoint is already gone */
		amplink_proxy_client_deinit(&st->proxy);
	st->proxy_lost = false;
	r = amplink_proxy_client_init_at(&st->proxy, rdev, SERVE_PROXY_ADDR, serve_proxy_wait, st);
	fprintf(stderr, "serve: proxy client at 0x%x %s (%d)\n", SERVE_PROXY_ADDR,
		r		   ? "not created"
		: rdev->support_ns ? "announced"
				   : "(not announced)",
		r);
}

/* The demo: the shared sequence (which also checks a path out of the root is refused). */
static void serve_proxy_run(struct serve_state *st)
{
	struct amplink_proxy_client *c = &st->proxy;
	int step;

	st->proxy_running = true;
	fprintf(stderr, "serve: proxy host bound (address 0x%x), running the demo\n",
		(unsigned int)c->ept.dest_addr);
	step = proxy_demo_steps(c);
	st->proxy_result = step == 0 ? 1 : -1;
	proxy_demo_say(c, st->proxy_result > 0 ? "proxy-serve: done PASS\n"
					       : "proxy-serve: done FAIL\n");
	fprintf(stderr, "serve: proxy demo %s (failed step %d, calls %u, timeouts %u, bad %u)\n",
		st->proxy_result > 0 ? "PASS" : "FAIL", step, (unsigned int)c->stats.tx_msgs,
		(unsigned int)c->stats.timeouts, (unsigned int)c->stats.bad);
	st->proxy_running = false;
	if (st->proxy_lost)
		amplink_proxy_client_deinit(c);
}

/* Run the demo once, as soon as a host bound the client. Polling thread, outside callbacks. */
static void serve_proxy_step(struct serve_state *st)
{
	if (st->proxy_demo && st->proxy.up && !st->proxy_lost && st->proxy_result == 0 &&
	    st->proxy.ept.dest_addr != RPMSG_ADDR_ANY)
		serve_proxy_run(st);
}

static void serve_ready(struct rpmsg_device *rdev, void *arg)
{
	struct serve_state *st = arg;
	int r1, r2;

	st->echo.priv = st; /* before the endpoints exist: a message may arrive at once */
	st->console.priv = st;
	r1 = rpmsg_create_ept(&st->echo, rdev, st->announce ? "rpmsg-raw" : "", SERVE_ECHO_ADDR,
			      RPMSG_ADDR_ANY, serve_echo_cb, NULL);
	r2 = rpmsg_create_ept(&st->console, rdev, st->announce ? "rpmsg-tty" : "",
			      SERVE_CONSOLE_ADDR, RPMSG_ADDR_ANY, serve_console_cb, NULL);
	st->up = true;
	if (st->proxy_demo)
		serve_proxy_start(st, rdev);
	if (!st->quiet)
		printf("serve: guest driver up; echo at 0x%x (%d), console at 0x%x (%d)\n",
		       SERVE_ECHO_ADDR, r1, SERVE_CONSOLE_ADDR, r2);
	fflush(stdout);
}

static void serve_gone(struct rpmsg_device *rdev, void *arg)
{
	struct serve_state *st = arg;

	(void)rdev;
	if (!st->up)
		return;
	rpmsg_destroy_ept(&st->echo);
	rpmsg_destroy_ept(&st->console);
	if (st->proxy.up) {
		rpmsg_destroy_ept(&st->proxy.ept); /* a call in flight gives up (wait hook) */
		st->proxy_lost = true;
		if (!st->proxy_running)
			amplink_proxy_client_deinit(&st->proxy);
	}
	st->up = false;
	if (!st->quiet)
		printf("serve: guest gone (echoed %lu, dropped %lu, console bytes %lu)\n",
		       st->echoed, st->echo_drops, st->console_bytes);
	fflush(stdout);
}

static void serve_usage(FILE *out)
{
	fprintf(out, "usage: amplink serve --vhost-user SOCKET [--inband] [--announce] [--no-ns]\n"
		     "                      [--sessions N] [--quiet] [--proxy-demo]\n"
		     "Serves an echo service (address 0x400) and a console (0x401) to a VM's\n"
		     "virtio-rpmsg driver over vhost-user, until SIGINT/SIGTERM or N sessions.\n"
		     "  --inband    offer in-band notifications (kicks and calls as messages)\n"
		     "  --announce  announce the services (the guest kernel creates the devices)\n"
		     "  --no-ns     do not offer the name-service feature\n"
		     "  --proxy-demo  also be a proxy remote: amplink-proxy client at 0x402\n"
		     "              (announced unless --no-ns); once a host in the guest binds\n"
		     "              it, run the proxy demo (exit 1 unless it ran and passed)\n");
}

/* Parse the command line into @cfg/@st. Returns -1 (usage error), 1 (help) or 0. */
static int serve_parse(int argc, char **argv, struct amplink_vhost_user_config *cfg,
		       struct serve_state *st, long *sessions)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
		if (!strcmp(argv[i], "--vhost-user") && i + 1 < argc)
			cfg->socket_path = argv[++i];
		else if (!strcmp(argv[i], "--sessions") && i + 1 < argc)
			*sessions = strtol(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--inband"))
			cfg->inband = true;
		else if (!strcmp(argv[i], "--announce"))
			st->announce = true;
		else if (!strcmp(argv[i], "--no-ns"))
			cfg->device_features &= ~(1ull << VIRTIO_RPMSG_F_NS);
		else if (!strcmp(argv[i], "--quiet"))
			st->quiet = true;
		else if (!strcmp(argv[i], "--proxy-demo"))
			st->proxy_demo = true;
		else
			return -1;
	}
	return cfg->socket_path && *sessions >= 0 ? 0 : -1;
}

/* Run the event loop until a signal or the session count is reached. */
static int serve_loop(struct amplink_vhost_user *vu, struct serve_state *st, long sessions)
{
	struct amplink_vhost_user_stats s;
	int r = 0;

	while (!serve_stop) {
		r = amplink_vhost_user_poll(vu, 200);
		if (r < 0)
			break;
		serve_proxy_step(st);
		amplink_vhost_user_get_stats(vu, &s);
		if (sessions && (long)s.sessions >= sessions && !amplink_vhost_user_rpmsg(vu))
			break;
	}
	amplink_vhost_user_get_stats(vu, &s);
	printf("serve: connections %llu sessions %llu messages %llu rejected %llu kicks %llu "
	       "calls %llu\n",
	       (unsigned long long)s.connections, (unsigned long long)s.sessions,
	       (unsigned long long)s.messages, (unsigned long long)s.rejected,
	       (unsigned long long)s.kicks, (unsigned long long)s.calls);
	if (st->proxy_demo && st->proxy_result <= 0) {
		fprintf(stderr, "serve: proxy demo %s\n",
			st->proxy_result ? "failed" : "never ran");
		return AMPLINK_EXIT_FAILURE;
	}
	return r < 0 ? AMPLINK_EXIT_FAILURE : AMPLINK_EXIT_OK;
}

int amplink_cmd_serve(int argc, char **argv)
{
	struct metal_init_params mp = METAL_INIT_DEFAULTS;
	struct amplink_vhost_user_config cfg;
	struct amplink_vhost_user *vu = NULL;
	static struct serve_state st;
	long sessions = 0;
	int r;

	amplink_vhost_user_config_init(&cfg);
	r = serve_parse(argc, argv, &cfg, &st, &sessions);
	if (r) {
		serve_usage(r > 0 ? stdout : stderr);
		return r > 0 ? AMPLINK_EXIT_OK : AMPLINK_EXIT_USAGE;
	}
	cfg.ops.ready = serve_ready;
	cfg.ops.gone = serve_gone;
	cfg.arg = &st;
	if (metal_init(&mp))
		return AMPLINK_EXIT_FAILURE;
	signal(SIGINT, serve_on_signal);
	signal(SIGTERM, serve_on_signal);
	signal(SIGPIPE, SIG_IGN);
	r = amplink_vhost_user_create(&cfg, &vu);
	if (r) {
		fprintf(stderr, "amplink serve: cannot serve on %s: %s\n", cfg.socket_path,
			strerror(-r));
		metal_finish();
		return AMPLINK_EXIT_FAILURE;
	}
	printf("serve: listening on %s\n", cfg.socket_path);
	fflush(stdout);
	st.vu = vu;
	r = serve_loop(vu, &st, sessions);
	amplink_vhost_user_destroy(vu);
	metal_finish();
	return r;
}
