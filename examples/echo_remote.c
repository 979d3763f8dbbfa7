/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * echo_remote: the remote side of the amplink demo. It attaches to a host
 * (by inherited fds when the host started it, or through the host's UNIX
 * socket with --connect), announces an "rpmsg-raw" endpoint through the
 * name service, and sends every message it receives back to its sender,
 * until the host goes away.
 *
 * Shows: amplink_lp_remote_open / amplink_lp_remote_connect, announcing an
 * endpoint, echoing from the receive callback, an event loop on
 * amplink_lp_process.
 *
 * Exit: 0 the host left after a clean session, 1 usage, 2 could not attach,
 * 3 an echo failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <amplink/linux_process.h>
#include <metal/sys.h>
#include <openamp/rpmsg.h>

static int echo_errors;

static int echo_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)priv;
	/* The endpoint's destination is its first sender; answer whoever sent this one. */
	if (rpmsg_sendto(ept, data, (int)len, src) != (int)len)
		echo_errors++;
	return RPMSG_SUCCESS;
}

static int parse_mode(const char *s, enum amplink_lp_wait_mode *mode)
{
	if (strcmp(s, "blocking") == 0)
		*mode = AMPLINK_LP_WAIT_BLOCKING;
	else if (strcmp(s, "poll") == 0)
		*mode = AMPLINK_LP_WAIT_POLL;
	else if (strcmp(s, "adaptive") == 0)
		*mode = AMPLINK_LP_WAIT_ADAPTIVE;
	else
		return -1;
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: echo_remote [--connect SOCKET] [--mode blocking|poll|adaptive]\n"
		   "Echoes every message on an announced \"rpmsg-raw\" endpoint until the host\n"
		   "leaves. Without --connect it uses the fds of the host that started it.\n");
}

static int run(struct amplink_lp *lp)
{
	struct rpmsg_endpoint ept;
	int ret;

	ret = rpmsg_create_ept(&ept, amplink_lp_rpmsg_device(lp), "rpmsg-raw", RPMSG_ADDR_ANY,
			       RPMSG_ADDR_ANY, echo_cb, NULL);
	if (ret != RPMSG_SUCCESS) {
		fprintf(stderr, "echo_remote: cannot create endpoint: %d\n", ret);
		return 2;
	}
	/* Serve until the host goes away (-EPIPE). */
	while ((ret = amplink_lp_process(lp, -1)) >= 0)
		;
	rpmsg_destroy_ept(&ept);
	return echo_errors ? 3 : 0;
}

int main(int argc, char **argv)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;
	struct amplink_lp_config cfg;
	struct amplink_lp *lp;
	const char *sock = NULL;
	int ret;

	amplink_lp_config_init(&cfg);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--connect") == 0 && i + 1 < argc) {
			sock = argv[++i];
		} else if (strcmp(argv[i], "--mode") == 0 && i + 1 < argc &&
			   parse_mode(argv[i + 1], &cfg.wait_mode) == 0) {
			i++;
		} else {
			usage(stderr);
			return 1;
		}
	}
	params.log_level = METAL_LOG_WARNING;
	if (metal_init(&params) != 0)
		return 2;
	ret = sock ? amplink_lp_remote_connect(sock, &cfg, &lp) : amplink_lp_remote_open(&cfg, &lp);
	if (ret < 0) {
		fprintf(stderr, "echo_remote: cannot attach (%s): %s\n",
			sock ? sock : "no " AMPLINK_LP_ENV_FDS, strerror(-ret));
		metal_finish();
		return 2;
	}
	ret = run(lp);
	amplink_lp_destroy(lp);
	metal_finish();
	return ret;
}
