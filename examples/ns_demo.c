/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ns_demo: endpoints appearing and disappearing, seen by the other side
 * through the name service. The host forks a remote that creates services
 * "svc-a", "svc-b", "svc-c", removes "svc-b", adds "svc-d" and finally
 * removes the rest. The host opens an endpoint for each announced service
 * (from its ns_bind_cb), greets it, and reports when it goes away (the
 * endpoint's unbind callback).
 *
 * Shows: ns_bind_cb, an unbind callback, rpmsg_create_ept on an announced
 * address, rpmsg_destroy_ept announcing NS DESTROY, amplink_lp_start_remote_fn.
 *
 * Exit: 0 the host saw 4 services appear and 4 disappear, 1 usage, 2 setup
 * failed, 3 something was missed.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <amplink/linux_process.h>
#include <metal/sys.h>
#include <openamp/rpmsg.h>

#define MAX_SVC 8

/* ---- Remote: services come and go. ---- */

static int remote_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)priv;
	printf("remote: %s (%u) got \"%.*s\" from %u\n", ept->name, ept->addr, (int)len,
	       (const char *)data, src);
	fflush(stdout);
	return RPMSG_SUCCESS;
}

/* Run the remote's event loop for @ms milliseconds. */
static void remote_pause(struct amplink_lp *lp, int ms)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		amplink_lp_process(lp, 20);
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < ms);
}

static int remote_main(struct amplink_lp *lp, void *arg)
{
	static const char *const names[] = {"svc-a", "svc-b", "svc-c", "svc-d"};
	struct rpmsg_device *rdev = amplink_lp_rpmsg_device(lp);
	struct rpmsg_endpoint ept[4];

	(void)arg;
	for (int i = 0; i < 3; i++) {
		if (rpmsg_create_ept(&ept[i], rdev, names[i], RPMSG_ADDR_ANY, RPMSG_ADDR_ANY,
				     remote_cb, NULL) != RPMSG_SUCCESS)
			return 2;
		remote_pause(lp, 50);
	}
	rpmsg_destroy_ept(&ept[1]);
	remote_pause(lp, 50);
	if (rpmsg_create_ept(&ept[3], rdev, names[3], RPMSG_ADDR_ANY, RPMSG_ADDR_ANY, remote_cb,
			     NULL) != RPMSG_SUCCESS)
		return 2;
	remote_pause(lp, 50);
	rpmsg_destroy_ept(&ept[0]);
	rpmsg_destroy_ept(&ept[2]);
	rpmsg_destroy_ept(&ept[3]);
	remote_pause(lp, 50);
	return 0;
}

/* ---- Host: follows the announcements. ---- */

static struct {
	struct rpmsg_endpoint ept[MAX_SVC];
	int used[MAX_SVC];
	int appeared;
	int disappeared;
} host;

static int host_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)ept;
	(void)data;
	(void)len;
	(void)src;
	(void)priv;
	return RPMSG_SUCCESS;
}

static void host_unbind(struct rpmsg_endpoint *ept)
{
	printf("host: service \"%s\" at %u disappeared\n", ept->name, ept->dest_addr);
	fflush(stdout);
	host.disappeared++;
}

static void host_ns_bind(struct rpmsg_device *rdev, const char *name, uint32_t dest)
{
	char hello[48];

	for (int i = 0; i < MAX_SVC; i++) {
		if (host.used[i])
			continue;
		if (rpmsg_create_ept(&host.ept[i], rdev, name, RPMSG_ADDR_ANY, dest, host_cb,
				     host_unbind) != RPMSG_SUCCESS)
			return;
		host.used[i] = 1;
		host.appeared++;
		printf("host: service \"%s\" appeared at %u\n", name, dest);
		fflush(stdout);
		snprintf(hello, sizeof(hello), "hello %s", name);
		rpmsg_send(&host.ept[i], hello, (int)strlen(hello));
		return;
	}
}

int main(int argc, char **argv)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;
	struct amplink_lp_config cfg;
	struct amplink_lp *lp;
	int status = -1, ok;

	if (argc > 1) {
		FILE *f = strcmp(argv[1], "--help") == 0 ? stdout : stderr;
		fprintf(f, "usage: ns_demo\nForks a remote whose services come and go; the host "
			   "follows them through the name service.\n");
		return f == stdout ? 0 : 1;
	}
	params.log_level = METAL_LOG_WARNING;
	if (metal_init(&params) != 0)
		return 2;
	amplink_lp_config_init(&cfg);
	cfg.ns_bind_cb = host_ns_bind;
	if (amplink_lp_host_create(&cfg, &lp) < 0 ||
	    amplink_lp_start_remote_fn(lp, remote_main, NULL, NULL) < 0) {
		fprintf(stderr, "ns_demo: setup failed\n");
		return 2;
	}
	/* Follow the remote until it leaves. */
	while (amplink_lp_process(lp, 1000) >= 0)
		;
	amplink_lp_wait_remote(lp, 5000, &status);
	for (int i = 0; i < MAX_SVC; i++) {
		if (host.used[i])
			rpmsg_destroy_ept(&host.ept[i]);
	}
	amplink_lp_destroy(lp);
	metal_finish();
	ok = host.appeared == 4 && host.disappeared == 4 && status == 0;
	printf("ns_demo: %d appeared, %d disappeared: %s\n", host.appeared, host.disappeared,
	       ok ? "ok" : "MISSED SOME");
	return ok ? 0 : 3;
}
