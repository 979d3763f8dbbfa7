/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Real firmware under QEMU (mps2-an386, Cortex-M4) driven by the host's
 * remoteproc: the echo image boots and announces its service, round trips of
 * every size 1..496 with every byte checked, the trace buffer read back,
 * pause/resume, several services, stop and start with a different image (the
 * new image runs), and a faulting or hanging image reported as crashed and
 * recovered.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <amplink/remoteproc.h>
#include <metal/log.h>
#include <metal/sys.h>

#include "check.h"
#include "qemu_session.h"

#define QT_MAX_PAYLOAD 496
#define QT_ROUNDS      2000

static char qt_trace[4096];

/* An ELF for another machine: the RV32 echo image if built, else this test program. */
static const char *qs_rv32_image_or_self(void)
{
	const char *rv = qs_image(&qs_rv32, "echo");

	return access(rv, R_OK) == 0 ? rv : "/proc/self/exe";
}

static const char *qt_trace_read(struct qemu_session *s)
{
	if (amplink_qemu_trace(s->rproc, qt_trace, sizeof(qt_trace)) < 0)
		qt_trace[0] = '\0';
	return qt_trace;
}

static void test_echo_boot_and_ns(void)
{
	struct qs_target t = qs_cm4;
	struct qemu_session s;

	t.boot_stub = 0; /* found next to the firmware by amplink_qemu_remote_boot */
	REQUIRE(qs_create(&s, &t, 0) == 0);
	CHECK_EQ_INT(qs_boot(&s, qs_image(&qs_cm4, "echo")), 0);
	CHECK_EQ_INT(s.rproc->state, RPROC_RUNNING);
	CHECK(strcmp(amplink_remoteproc_state_name(s.rproc), "running") == 0);
	CHECK_EQ_INT(qs_wait_services(&s, 1, 5000), 0);
	CHECK(qs_service(&s, "rpmsg-raw") != NULL);
	CHECK(strstr(qt_trace_read(&s), "amplink echo: up") != NULL);
	CHECK(strstr(qt_trace_read(&s), "amplink echo: host ready") != NULL);
	qs_destroy(&s);
}

static void test_echo_every_size(void)
{
	unsigned char msg[QT_MAX_PAYLOAD];
	struct qemu_session s;
	struct qs_service *svc;
	int len, i, bad = 0;

	REQUIRE(qs_create(&s, &qs_cm4, 0) == 0);
	REQUIRE(qs_boot(&s, qs_image(&qs_cm4, "echo")) == 0);
	REQUIRE(qs_wait_services(&s, 1, 5000) == 0);
	svc = qs_service(&s, "rpmsg-raw");
	REQUIRE(svc != NULL);
	for (len = 1; len <= QT_MAX_PAYLOAD && !bad; len++) {
		for (i = 0; i < len; i++)
			msg[i] = (unsigned char)(len * 7 + i * 13 + (i >> 8));
		if (qs_request(&s, svc, msg, len, 2000) != len ||
		    memcmp(s.reply, msg, (size_t)len) != 0) {
			fprintf(stderr, "echo of %d bytes wrong (got %d)\n", len, s.reply_len);
			bad = 1;
		}
	}
	CHECK_EQ_INT(bad, 0);
	CHECK_EQ_INT(len, QT_MAX_PAYLOAD + 1);
	/* one byte too many is refused by the host, the device still answers */
	CHECK(rpmsg_send(&svc->ept, msg, QT_MAX_PAYLOAD + 1) < 0);
	CHECK_EQ_INT(qs_request(&s, svc, "x", 1, 2000), 1);
	qs_destroy(&s);
}

static int qt_cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static long long qt_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* A figure, not a limit: round trips of 32 bytes through the emulated core. */
static void test_echo_latency(void)
{
	static long long ns[QT_ROUNDS];
	unsigned char msg[32] = {1, 2, 3};
	struct qemu_session s;
	struct qs_service *svc;
	int i, bad = 0;

	REQUIRE(qs_create(&s, &qs_cm4, 0) == 0);
	REQUIRE(qs_boot(&s, qs_image(&qs_cm4, "echo")) == 0);
	REQUIRE(qs_wait_services(&s, 1, 5000) == 0);
	svc = qs_service(&s, "rpmsg-raw");
	REQUIRE(svc != NULL);
	for (i = 0; i < QT_ROUNDS; i++) {
		long long t0 = qt_now_ns();

		msg[0] = (unsigned char)i;
		if (qs_request(&s, svc, msg, sizeof(msg), 2000) != (int)sizeof(msg) ||
		    s.reply[0] != msg[0])
			bad++;
		ns[i] = qt_now_ns() - t0;
	}
	CHECK_EQ_INT(bad, 0);
	qsort(ns, QT_ROUNDS, sizeof(ns[0]), qt_cmp_ll);
	printf("qemu echo 32 B: %d round trips, median %.1f us, p99 %.1f us\n", QT_ROUNDS,
	       ns[QT_ROUNDS / 2] / 1000.0, ns[QT_ROUNDS * 99 / 100] / 1000.0);
	qs_destroy(&s);
}

static void test_pause_resume(void)
{
	struct amplink_qemu_status st;
	struct qemu_session s;
	struct qs_service *svc;

	REQUIRE(qs_create(&s, &qs_cm4, 1000) == 0);
	REQUIRE(qs_boot(&s, qs_image(&qs_cm4, "echo")) == 0);
	REQUIRE(qs_wait_services(&s, 1, 5000) == 0);
	svc = qs_service(&s, "rpmsg-raw");
	REQUIRE(svc != NULL);
	CHECK_EQ_INT(amplink_qemu_pause(s.rproc, 1), 0);
	/* paused longer than the heartbeat limit: no reply, and not a crash */
	CHECK_EQ_INT(qs_request(&s, svc, "ping", 4, 1500), -1);
	CHECK_EQ_INT(amplink_qemu_get_status(s.rproc, &st), 0);
	CHECK_EQ_INT(st.paused, 1);
	CHECK(st.qemu_running && st.qemu_pid > 0);
	CHECK_EQ_INT(amplink_qemu_pause(s.rproc, 0), 0);
	s.reply_len = -1;
	while (s.reply_len < 0 && amplink_qemu_poll(s.rproc, 2000) > 0)
		;
	CHECK_EQ_INT(s.reply_len, 4);
	CHECK_EQ_INT(s.rproc->state, RPROC_RUNNING);
	qs_destroy(&s);
}

static void test_multi_services(struct qemu_session *s)
{
	struct qs_service *up, *sum, *raw;
	unsigned char got[4];

	CHECK_EQ_INT(qs_wait_services(s, 3, 5000), 0);
	raw = qs_service(s, "rpmsg-raw");
	up = qs_service(s, "amplink-upper");
	sum = qs_service(s, "amplink-sum");
	REQUIRE(raw && up && sum);
	CHECK_EQ_INT(qs_request(s, up, "Hello, m4!", 10, 2000), 10);
	CHECK(memcmp(s->reply, "HELLO, M4!", 10) == 0);
	CHECK_EQ_INT(qs_request(s, sum, "\x01\x02\xff", 3, 2000), 4);
	memcpy(got, s->reply, 4);
	CHECK(got[0] == 0x02 && got[1] == 0x01 && got[2] == 0 && got[3] == 0);
	CHECK_EQ_INT(qs_request(s, raw, "abc", 3, 2000), 3);
	CHECK(strstr(qt_trace_read(s), "amplink multi: up") != NULL);
	CHECK(strstr(qt_trace, "amplink echo") == NULL);
}

static void test_stop_then_other_image(void)
{
	struct amplink_qemu_status st;
	struct qemu_session s;

	REQUIRE(qs_create(&s, &qs_cm4, 0) == 0);
	REQUIRE(qs_boot(&s, qs_image(&qs_cm4, "echo")) == 0);
	REQUIRE(qs_wait_services(&s, 1, 5000) == 0);
	CHECK(qs_service(&s, "amplink-upper") == NULL);
	CHECK_EQ_INT(qs_stop(&s), 0);
	CHECK_EQ_INT(amplink_qemu_get_status(s.rproc, &st), 0);
	CHECK_EQ_INT(st.qemu_running, 0);
	CHECK_EQ_INT(s.rproc->state, RPROC_OFFLINE);
	REQUIRE(qs_boot(&s, qs_image(&qs_cm4, "multi")) == 0);
	test_multi_services(&s);
	CHECK_EQ_INT(amplink_qemu_get_status(s.rproc, &st), 0);
	CHECK_EQ_INT(st.starts, 2);
	qs_destroy(&s);
}

/* Sends @cmd to the crash image and expects the crash to be seen and recovered. */
static void qt_crash_and_recover(const char *cmd, unsigned int heartbeat_ms)
{
	struct amplink_qemu_status st;
	struct qemu_session s;
	struct qs_service *svc;
	int ret;

	REQUIRE(qs_create(&s, &qs_cm4, heartbeat_ms) == 0);
	CHECK_EQ_INT(amplink_remoteproc_set_recovery(s.rproc, 1), 0);
	REQUIRE(qs_boot(&s, qs_image(&qs_cm4, "crash")) == 0);
	REQUIRE(qs_wait_services(&s, 1, 5000) == 0);
	svc = qs_service(&s, "rpmsg-raw");
	REQUIRE(svc != NULL);
	CHECK_EQ_INT(qs_request(&s, svc, "before", 6, 2000), 6);
	ret = qs_request(&s, svc, cmd, (int)strlen(cmd), heartbeat_ms * 4 + 2000);
	CHECK_EQ_INT(ret, -RPROC_ENODEV);
	CHECK_EQ_INT(s.rproc->state, RPROC_ERROR);
	CHECK(strcmp(amplink_remoteproc_state_name(s.rproc), "crashed") == 0);
	CHECK_EQ_INT(amplink_qemu_get_status(s.rproc, &st), 0);
	if (strcmp(cmd, "fault") == 0) {
		CHECK_EQ_INT(st.state, AMPLINK_MAILBOX_FAULT);
		CHECK_EQ_INT(st.fault_cause, 3); /* HardFault (escalated UsageFault) */
		CHECK(st.fault_pc >= 0x21000000u && st.fault_pc < 0x21100000u);
	}
	CHECK(strstr(qt_trace_read(&s), "on request") != NULL);
	/* recovery: same firmware, fresh QEMU, rpmsg again */
	CHECK_EQ_INT(qs_recover(&s), 0);
	CHECK_EQ_INT(s.rproc->state, RPROC_RUNNING);
	REQUIRE(qs_wait_services(&s, 1, 5000) == 0);
	svc = qs_service(&s, "rpmsg-raw");
	REQUIRE(svc != NULL);
	CHECK_EQ_INT(qs_request(&s, svc, "after", 5, 2000), 5);
	CHECK(memcmp(s.reply, "after", 5) == 0);
	CHECK(strstr(qt_trace_read(&s), "on request") == NULL); /* a fresh image */
	qs_destroy(&s);
}

static void test_fault_recovered(void)
{
	qt_crash_and_recover("fault", 1000);
}

static void test_hang_recovered(void)
{
	qt_crash_and_recover("hang", 300);
}

static void test_missing_firmware(void)
{
	struct qemu_session s;

	REQUIRE(qs_create(&s, &qs_cm4, 0) == 0);
	CHECK(qs_boot(&s, "/nonexistent/firmware.elf") < 0);
	CHECK(s.rproc->state != RPROC_RUNNING);
	/* an image for another CPU is refused before anything is written */
	CHECK_EQ_INT(qs_boot(&s, qs_rv32_image_or_self()), -AMPLINK_RPROC_ERR_ELF_MACHINE);
	CHECK(s.rproc->state != RPROC_RUNNING);
	/* the session is still usable */
	CHECK_EQ_INT(qs_boot(&s, qs_image(&qs_cm4, "echo")), 0);
	CHECK_EQ_INT(qs_wait_services(&s, 1, 5000), 0);
	qs_destroy(&s);
}

/* QEMU that cannot be run: start fails with a message, nothing is left running. */
static void test_missing_qemu(void)
{
	struct qs_target t = qs_cm4;
	struct amplink_qemu_status st;
	struct qemu_session s;

	t.qemu = "/nonexistent/qemu-system-arm";
	REQUIRE(qs_create(&s, &t, 0) == 0);
	CHECK_EQ_INT(qs_boot(&s, qs_image(&qs_cm4, "echo")), -RPROC_ENODEV);
	CHECK(s.rproc->state != RPROC_RUNNING);
	CHECK_EQ_INT(amplink_qemu_get_status(s.rproc, &st), 0);
	CHECK_EQ_INT(st.qemu_running, 0);
	qs_destroy(&s);
}

int main(void)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;

	params.log_level = METAL_LOG_WARNING;
	metal_init(&params);
	if (!qs_prerequisites(&qs_cm4)) {
		fprintf(stderr, "qemu tests: prerequisites missing (see above)\n");
		return 1;
	}
	remove("qemu-console.log"); /* the guests' UART output of this run */
	RUN(test_echo_boot_and_ns);
	RUN(test_echo_every_size);
	RUN(test_echo_latency);
	RUN(test_pause_resume);
	RUN(test_stop_then_other_image);
	RUN(test_fault_recovered);
	RUN(test_hang_recovered);
	RUN(test_missing_firmware);
	RUN(test_missing_qemu);
	metal_finish();
	return check_summary();
}
