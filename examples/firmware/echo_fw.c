/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * echo_fw: the echo firmware of the Linux-process remoteproc backend. Its
 * .resource_table asks for a trace buffer, a 64 KB carveout and one rpmsg
 * vdev. Started by a host (amplink start / run) it finds its fds in the
 * environment; started on its own (--name NAME) it waits for a host to
 * attach through the socket of NAME and serves again after a detach.
 * It announces three endpoints: "rpmsg-echo" (echoes), "rpmsg-upper" (echoes
 * in upper case) and "rpmsg-count" (answers "rx N" with its message count),
 * and writes what it does to its trace buffer.
 *
 * Options: --name NAME, --lifetime MS (exit 0 after MS ms), --ignore-term
 * (ignore SIGTERM, to exercise the host's SIGKILL), --quiet.
 * Exit: 0 done, 1 usage, 2 could not attach, 3 an endpoint failed.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <amplink/linux_rproc.h>
#include <metal/log.h>
#include <metal/sys.h>
#include <openamp/remoteproc.h>
#include <openamp/virtio.h>

#define FW_VRING_NUM 256U

/* The resource table, laid out flat (no flexible array members). */
struct fw_table {
	uint32_t ver, num, reserved[2];
	uint32_t offset[3];
	struct fw_rsc_trace trace;
	struct fw_rsc_carveout scratch;
	struct {
		uint32_t type, id, notifyid, dfeatures, gfeatures, config_len;
		uint8_t status, num_of_vrings, reserved[2];
		struct fw_rsc_vdev_vring vring[2];
	} vdev;
} __attribute__((packed));

__attribute__((section(".resource_table"), used)) struct fw_table fw_resource_table = {
	.ver = 1,
	.num = 3,
	.offset = {offsetof(struct fw_table, trace), offsetof(struct fw_table, scratch),
		   offsetof(struct fw_table, vdev)},
	.trace = {RSC_TRACE, AMPLINK_LPR_TRACE_DA, 16384, 0, "trace"},
	.scratch = {RSC_CARVEOUT, FW_RSC_U32_ADDR_ANY, FW_RSC_U32_ADDR_ANY, 65536, 0, 0, "scratch"},
	.vdev = {RSC_VDEV,
		 VIRTIO_ID_RPMSG,
		 RSC_NOTIFY_ID_ANY,
		 1U << 0 /* VIRTIO_RPMSG_F_NS */,
		 0,
		 0,
		 0,
		 2,
		 {0, 0},
		 {{FW_RSC_U32_ADDR_ANY, 16, FW_VRING_NUM, RSC_NOTIFY_ID_ANY, 0},
		  {FW_RSC_U32_ADDR_ANY, 16, FW_VRING_NUM, RSC_NOTIFY_ID_ANY, 0}}},
};

enum fw_kind { FW_ECHO, FW_UPPER, FW_COUNT, FW_NKINDS };

static const char *const fw_names[FW_NKINDS] = {"rpmsg-echo", "rpmsg-upper", "rpmsg-count"};
static unsigned long fw_rx[FW_NKINDS];
static int fw_errors;

static int fw_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	enum fw_kind k = (enum fw_kind)(uintptr_t)priv;
	char buf[512];
	size_t i, n = len < sizeof(buf) ? len : sizeof(buf);
	int out = (int)len;
	const void *reply = data;

	if (fw_rx[k]++ == 0)
		amplink_lpr_trace_printf("%s: first message (%zu bytes) from 0x%x", fw_names[k],
					 len, (unsigned)src);
	if (k == FW_UPPER) {
		for (i = 0; i < n; i++)
			buf[i] = (char)toupper(((unsigned char *)data)[i]);
		reply = buf;
		out = (int)n;
	} else if (k == FW_COUNT) {
		out = snprintf(buf, sizeof(buf), "rx %lu",
			       fw_rx[FW_ECHO] + fw_rx[FW_UPPER] + fw_rx[k]);
		reply = buf;
	}
	if (rpmsg_sendto(ept, reply, out, src) != out)
		fw_errors++;
	return RPMSG_SUCCESS;
}

static long long fw_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Serve one host until it leaves (0), the lifetime ends (1) or an error. */
static int fw_serve(struct amplink_lp *lp, long long deadline)
{
	struct rpmsg_endpoint ept[FW_NKINDS];
	int k, ret = 0;

	for (k = 0; k < FW_NKINDS; k++) {
		if (rpmsg_create_ept(&ept[k], amplink_lp_rpmsg_device(lp), fw_names[k],
				     RPMSG_ADDR_ANY, RPMSG_ADDR_ANY, fw_cb,
				     NULL) != RPMSG_SUCCESS) {
			fprintf(stderr, "echo_fw: cannot create endpoint %s\n", fw_names[k]);
			while (--k >= 0)
				rpmsg_destroy_ept(&ept[k]);
			return -1;
		}
		ept[k].priv = (void *)(uintptr_t)k;
	}
	amplink_lpr_trace_printf("echo_fw: pid %d, %d endpoints announced", (int)getpid(),
				 FW_NKINDS);
	for (;;) {
		long long left = deadline ? deadline - fw_now_ms() : 1000;

		if (deadline && left <= 0) {
			ret = 1;
			break;
		}
		if (amplink_lp_process(lp, (int)(left < 100 ? left : 100)) < 0)
			break;
	}
	amplink_lpr_trace_printf("echo_fw: %s after rx echo %lu upper %lu count %lu",
				 ret ? "lifetime over" : "host left", fw_rx[0], fw_rx[1], fw_rx[2]);
	for (k = 0; k < FW_NKINDS; k++)
		rpmsg_destroy_ept(&ept[k]);
	return ret;
}

/* Started on our own: wait for a host to attach to NAME, serve, repeat. */
static int fw_standalone(const char *name, const struct amplink_lp_config *cfg, long long deadline)
{
	char path[256];
	struct amplink_lp *lp;

	if (amplink_lp_default_socket_path(name, path, sizeof(path)) < 0)
		return 2;
	fprintf(stderr, "echo_fw: waiting for a host to attach to '%s' (%s)\n", name, path);
	for (;;) {
		if (deadline && fw_now_ms() >= deadline)
			return 0;
		if (amplink_lp_remote_connect(path, cfg, &lp) < 0) {
			usleep(100000);
			continue;
		}
		fprintf(stderr, "echo_fw: attached to a host\n");
		if (fw_serve(lp, deadline) != 0) {
			amplink_lp_destroy(lp);
			return 0;
		}
		amplink_lp_destroy(lp);
		fprintf(stderr, "echo_fw: host detached, waiting again\n");
	}
}

static void fw_usage(FILE *f)
{
	fprintf(f, "usage: echo_fw [--name NAME] [--lifetime MS] [--ignore-term]\n"
		   "Echo firmware for `amplink start`/`amplink run`; with --name and no host,\n"
		   "waits for `amplink attach NAME`.\n");
}

int main(int argc, char **argv)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;
	struct amplink_lp_config cfg;
	struct amplink_lp *lp;
	const char *name = NULL;
	long long deadline = 0;
	int i, ret;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help")) {
			fw_usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--name") && i + 1 < argc) {
			name = argv[++i];
		} else if (!strcmp(argv[i], "--lifetime") && i + 1 < argc) {
			deadline = fw_now_ms() + atoll(argv[++i]);
		} else if (!strcmp(argv[i], "--ignore-term")) {
			signal(SIGTERM, SIG_IGN);
		} else {
			fw_usage(stderr);
			return 1;
		}
	}
	params.log_level = METAL_LOG_INFO;
	if (metal_init(&params) != 0)
		return 2;
	amplink_lp_config_init(&cfg);
	ret = amplink_lp_remote_from_env(&cfg, &lp);
	if (ret == -ENOENT && name) {
		metal_set_log_level(METAL_LOG_WARNING);
		ret = fw_standalone(name, &cfg, deadline);
		metal_finish();
		return ret;
	}
	if (ret < 0) {
		fprintf(stderr,
			"echo_fw: not started by a host (%s); use --name NAME to wait for "
			"an attach\n",
			strerror(-ret));
		metal_finish();
		return 2;
	}
	ret = fw_serve(lp, deadline);
	amplink_lp_destroy(lp);
	metal_finish();
	return ret < 0 || fw_errors ? 3 : 0;
}
