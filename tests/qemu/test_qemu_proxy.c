/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The proxy on real bare-metal firmware: the proxy image (mps2-an386,
 * newlib) runs under QEMU and uses the host's files and console through
 * plain printf/fopen/fread; the host serves a temporary root with
 * amplink_proxy_host in this process. Checks the exact bytes the firmware
 * wrote, that nothing appeared outside the root, the console text, the
 * firmware's own verdict (console and trace), that it closed every file, and
 * a clean stop. Then the same image with nobody serving the proxy: its calls
 * time out (real time, FPGA clock) and it reports the failure in its trace.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <amplink/proxy.h>
#include <amplink/remoteproc.h>
#include <metal/log.h>
#include <metal/sys.h>

#include "check.h"
#include "qemu_session.h"

#define QP_LINES    100
#define QP_HOST_TXT "hello from the host\n"

static struct amplink_proxy_host *qp_host;
static int qp_binds;
static char qp_top[64], qp_root[96], qp_con[96];
static char qp_text[16384];

/* The name-service bind of the session: the proxy client gets the host service. */
static void qp_bind(struct rpmsg_device *rdev, const char *name, uint32_t dest)
{
	if (qp_host && !strcmp(name, AMPLINK_PROXY_SERVICE_NAME) &&
	    amplink_proxy_host_attach(qp_host, rdev, dest) == 0)
		qp_binds++;
}

/* Reads @path whole into qp_text (NUL-terminated). Returns its length or -1. */
static long qp_read(const char *path)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	qp_text[0] = '\0';
	if (!f)
		return -1;
	n = fread(qp_text, 1, sizeof(qp_text) - 1, f);
	fclose(f);
	qp_text[n] = '\0';
	return (long)n;
}

/* The firmware's file, as main.c of the image writes it. Returns its length. */
static size_t qp_expected(char *buf, size_t cap)
{
	size_t len = 0;
	int i;

	for (i = 0; i < QP_LINES; i++)
		len += (size_t)snprintf(buf + len, cap - len,
					"line %03d: written by the firmware through newlib\n", i);
	return len;
}

/* Names in @dir, sorted and joined with spaces, into @out. */
static void qp_list(const char *dir, char *out, size_t cap)
{
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, alphasort), i;
	size_t len = 0;

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.')
			len += (size_t)snprintf(out + len, len < cap ? cap - len : 0, "%s%s",
						len ? " " : "", ents[i]->d_name);
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
}

/* Polls the remote until the console holds @what or @ms pass. Returns 0 or -1. */
static int qp_wait_console(struct qemu_session *s, const char *what, unsigned int ms)
{
	unsigned int waited;

	for (waited = 0; waited < ms; waited += 10) {
		if (amplink_qemu_poll(s->rproc, 10) < 0)
			return -1;
		if (qp_read(qp_con) > 0 && strstr(qp_text, what))
			return 0;
	}
	return -1;
}

static double qp_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int qp_setup(void)
{
	int fd;

	snprintf(qp_top, sizeof(qp_top), "/tmp/amplink-qproxy-XXXXXX");
	if (!mkdtemp(qp_top))
		return -1;
	snprintf(qp_root, sizeof(qp_root), "%s/root", qp_top);
	snprintf(qp_con, sizeof(qp_con), "%s/console.txt", qp_top);
	if (mkdir(qp_root, 0700) != 0)
		return -1;
	snprintf(qp_text, sizeof(qp_text), "%s/hello.txt", qp_root);
	fd = open(qp_text, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, QP_HOST_TXT, strlen(QP_HOST_TXT)) < 0)
		return -1;
	close(fd);
	return 0;
}

static void qp_cleanup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", qp_top);
	if (qp_top[0] && system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", qp_top);
}

static char qp_trace_buf[4096];

static const char *qp_trace(struct qemu_session *s)
{
	if (amplink_qemu_trace(s->rproc, qp_trace_buf, sizeof(qp_trace_buf)) < 0)
		qp_trace_buf[0] = '\0';
	return qp_trace_buf;
}

/* The files the firmware left: exactly its own next to the host's, nothing outside. */
static void qp_check_files(void)
{
	static char want[8192];
	size_t len = qp_expected(want, sizeof(want));
	char path[160], names[256];

	snprintf(path, sizeof(path), "%s/fw-out.txt", qp_root);
	CHECK_EQ_INT(qp_read(path), (long)len);
	CHECK_MEM_EQ(qp_text, want, len);
	qp_list(qp_root, names, sizeof(names));
	CHECK(strcmp(names, "fw-out.txt hello.txt") == 0);
	qp_list(qp_top, names, sizeof(names));
	CHECK(strcmp(names, "console.txt root") == 0);
}

static void test_proxy_firmware(void)
{
	const struct amplink_proxy_stats *st;
	struct qemu_session s;
	double t0;
	int con;

	REQUIRE(qp_setup() == 0);
	con = open(qp_con, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600);
	REQUIRE(con >= 0);
	REQUIRE(amplink_proxy_host_create(qp_root, con, con, -1, &qp_host) == 0);
	qp_binds = 0;
	REQUIRE(qs_create(&s, &qs_cm4, 0) == 0);
	t0 = qp_now_ms();
	CHECK_EQ_INT(amplink_qemu_remote_boot(s.r, qs_image(&qs_cm4, "proxy"), qp_bind), 0);
	CHECK_EQ_INT(qp_wait_console(&s, "proxy-fw: PASS", 15000), 0);
	fprintf(stderr, "boot to PASS: %.0f ms\n", qp_now_ms() - t0);
	fprintf(stderr, "--- console ---\n%s--- trace ---\n%s--- end ---\n", qp_text, qp_trace(&s));
	CHECK_EQ_INT(qp_binds, 1);
	CHECK(strstr(qp_text, "proxy-fw: hello from the firmware through newlib printf\n"));
	CHECK(strstr(qp_text, "proxy-fw: wrote 4900 bytes, read back 4900\n"));
	CHECK(strstr(qp_text, "proxy-fw: host says: " QP_HOST_TXT));
	CHECK(strstr(qp_text, "proxy-fw: entry fw-out.txt (file)\n"));
	CHECK(strstr(qp_text, "proxy-fw: entry hello.txt (file)\n"));
	CHECK(strstr(qp_text, "FAIL") == NULL);
	CHECK(strstr(qp_trace(&s), "proxy-fw: PASS") != NULL);
	CHECK(strstr(qp_trace_buf, "proxy-fw: heap used ") != NULL);
	qp_check_files();
	CHECK_EQ_INT(amplink_proxy_host_open_count(qp_host), 0);
	st = amplink_proxy_host_stats(qp_host);
	CHECK(st->rx_msgs >= 10);
	CHECK_EQ_INT(st->bad, 0);
	/* still alive and serving after the run */
	CHECK(amplink_qemu_poll(s.rproc, 50) >= 0);
	CHECK_EQ_INT(s.rproc->state, RPROC_RUNNING);
	amplink_proxy_host_detach(qp_host);
	CHECK_EQ_INT(qs_stop(&s), 0);
	CHECK(s.rproc->state != RPROC_RUNNING);
	qs_destroy(&s);
	amplink_proxy_host_destroy(qp_host);
	qp_host = NULL;
	close(con);
}

/* Nobody serves the proxy: the firmware's first call times out and it says so. */
static void test_proxy_firmware_unserved(void)
{
	struct qemu_session s;
	unsigned int waited;
	int found = 0;

	REQUIRE(qs_create(&s, &qs_cm4, 0) == 0);
	CHECK_EQ_INT(amplink_qemu_remote_boot(s.r, qs_image(&qs_cm4, "proxy"), NULL), 0);
	for (waited = 0; waited < 12000 && !found; waited += 10) {
		if (amplink_qemu_poll(s.rproc, 10) < 0)
			break;
		found = strstr(qp_trace(&s), "proxy-fw: FAIL printf") != NULL;
	}
	CHECK(found);
	/* the firmware keeps running (heartbeat) while its calls wait */
	CHECK_EQ_INT(s.rproc->state, RPROC_RUNNING);
	CHECK_EQ_INT(qs_stop(&s), 0);
	qs_destroy(&s);
}

int main(void)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;

	params.log_level = METAL_LOG_WARNING;
	metal_init(&params);
	if (system("qemu-system-arm --version >/dev/null 2>&1") != 0) {
		fprintf(stderr, "qemu proxy test: qemu-system-arm not found: skipped\n");
		return 77;
	}
	if (!qs_prerequisites(&qs_cm4) || access(qs_image(&qs_cm4, "proxy"), R_OK) != 0) {
		fprintf(stderr,
			"qemu proxy test: %s or another image missing: run "
			"scripts/build-firmware.sh (needs arm-none-eabi-gcc and newlib)\n",
			qs_image(&qs_cm4, "proxy"));
		return 1;
	}
	RUN(test_proxy_firmware);
	RUN(test_proxy_firmware_unserved);
	qp_cleanup();
	metal_finish();
	return check_summary();
}
