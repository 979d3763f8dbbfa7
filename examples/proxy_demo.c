/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Proxy services example (a remote of the Linux two-process transport): it
 * uses the host's files and console through the proxy client. It writes a
 * file, reads it back and compares, lists the directory, and prints each step
 * through the host's console (the sequence is proxy_demo_steps.c, shared with
 * `amplink serve --proxy-demo`). Exit status 0 when every step worked.
 *
 * It is also a firmware for `amplink start proxy_demo --proxy-root DIR`: its
 * .resource_table asks for a trace buffer and one rpmsg vdev. With --stay it
 * then keeps demo.txt open and runs until the host stops it or goes away.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <amplink/linux_process.h>
#include <amplink/linux_rproc.h>
#include <amplink/proxy.h>
#include <metal/sys.h>
#include <openamp/remoteproc.h>
#include <openamp/virtio.h>

#include "proxy_demo_steps.h"

/* The firmware's resource table (read by a remoteproc host such as amplink). */
struct demo_table {
	uint32_t ver, num, reserved[2];
	uint32_t offset[2];
	struct fw_rsc_trace trace;
	struct { /* struct fw_rsc_vdev, flat: it ends in a flexible array */
		uint32_t type, id, notifyid, dfeatures, gfeatures, config_len;
		uint8_t status, num_of_vrings, reserved[2];
		struct fw_rsc_vdev_vring vring[2];
	} vdev;
} __attribute__((packed));

#define DEMO_VRING(n)                                                                              \
	{                                                                                          \
		FW_RSC_U32_ADDR_ANY, 16, (n), RSC_NOTIFY_ID_ANY, 0                                 \
	}

__attribute__((section(".resource_table"), used)) struct demo_table demo_resource_table = {
	.ver = 1,
	.num = 2,
	.offset = {offsetof(struct demo_table, trace), offsetof(struct demo_table, vdev)},
	.trace = {RSC_TRACE, AMPLINK_LPR_TRACE_DA, 4096, 0, "trace"},
	.vdev = {.type = RSC_VDEV,
		 .id = VIRTIO_ID_RPMSG,
		 .notifyid = RSC_NOTIFY_ID_ANY,
		 .dfeatures = 1U << 0 /* VIRTIO_RPMSG_F_NS */,
		 .num_of_vrings = 2,
		 .vring = {DEMO_VRING(64), DEMO_VRING(64)}},
};

/* Wait hook: run this side's receive path while a call waits. */
static int demo_wait(void *arg, uint32_t slice_us)
{
	int ret = amplink_lp_process(arg, (int)(slice_us / 1000u) + 1);

	return ret < 0 ? ret : 0;
}

/* --stay: keep demo.txt open (the host shows one open file) until the link ends. */
static void demo_hold(struct amplink_proxy_client *c, struct amplink_lp *lp)
{
	int fd = amplink_proxy_open(c, "demo.txt", AMPLINK_PROXY_O_RDONLY, 0);

	proxy_demo_say(c, fd >= 0 ? "proxy_demo: holding demo.txt open until stopped\n"
				  : "proxy_demo: cannot reopen demo.txt\n");
	while (amplink_lp_process(lp, 1000) >= 0)
		;
	if (fd >= 0)
		(void)amplink_proxy_close(c, fd);
}

static int demo_run(struct amplink_lp *lp, bool stay)
{
	struct amplink_proxy_client c;
	int ret;

	if (amplink_proxy_client_init(&c, amplink_lp_rpmsg_device(lp), demo_wait, lp) != 0)
		return 2;
	ret = proxy_demo_steps(&c) == 0 ? 0 : 3; /* prints "proxy_demo: ok" or "FAILED" */
	if (stay)
		demo_hold(&c, lp);
	amplink_proxy_client_deinit(&c);
	return ret;
}

int main(int argc, char **argv)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;
	struct amplink_lp_config cfg;
	struct amplink_lp *lp;
	const char *sock = NULL;
	bool stay = false;
	int i, ret;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--connect") && i + 1 < argc) {
			sock = argv[++i];
		} else if (!strcmp(argv[i], "--stay")) {
			stay = true;
		} else {
			fprintf(stderr,
				"usage: proxy_demo [--connect SOCKET] [--stay]\n"
				"A remote that uses the host's files and console (amplink-proxy);\n"
				"also a firmware for amplink start --proxy-root DIR. --stay: then\n"
				"keep demo.txt open until stopped.\n");
			return 1;
		}
	}
	amplink_lp_config_init(&cfg);
	params.log_level = METAL_LOG_WARNING;
	if (metal_init(&params) != 0)
		return 2;
	/* exec'd by a host (a remoteproc one maps its window too), or --connect */
	ret = sock ? amplink_lp_remote_connect(sock, &cfg, &lp)
		   : amplink_lp_remote_from_env(&cfg, &lp);
	if (ret < 0) {
		fprintf(stderr, "proxy_demo: cannot attach: %s\n", strerror(-ret));
		metal_finish();
		return 2;
	}
	ret = demo_run(lp, stay);
	amplink_lp_destroy(lp);
	metal_finish();
	return ret;
}
