/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Lifecycle of a remote that is a Linux process (echo_fw, path in argv[1]):
 * load errors (missing, not ELF, no table), start -> three announced
 * endpoints and echoes on each, the trace ring, SIGKILL -> crashed ->
 * recovery restarts it and messages flow again, a firmware that exits by
 * itself goes offline, stop escalates to SIGKILL when SIGTERM is ignored.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <amplink/remoteproc.h>
#include <metal/sys.h>

#include "check.h"
#include "lpr_test.h"

static const char *fw;
static char *lt_self;

static struct amplink_lpr *lt_new(const char *name, char *const *args)
{
	struct amplink_lpr_config cfg;
	struct amplink_lpr *r = NULL;

	amplink_lpr_config_init(&cfg);
	cfg.name = name;
	cfg.args = args;
	cfg.ns_bind_cb = lt_bind;
	cfg.link_down = lt_down;
	cfg.stop_timeout_ms = 500;
	CHECK(amplink_lpr_create(&cfg, &r) == 0);
	if (!r)
		exit(check_summary());
	return r;
}

static void test_load_errors(void)
{
	struct amplink_lpr *r = lt_new("lt-err", NULL);
	char path[] = "/tmp/lt-notelf-XXXXXX";
	int fd = mkstemp(path);

	CHECK_EQ_INT(amplink_lpr_load(r, "/nonexistent/fw"), -ENOENT);
	REQUIRE(fd >= 0);
	CHECK(write(fd, "hello, not an ELF file\n", 23) == 23);
	fchmod(fd, 0700);
	close(fd);
	CHECK_EQ_INT(amplink_lpr_load(r, path), AMPLINK_LPR_RPROC_ERR(AMPLINK_RPROC_ERR_ELF_MAGIC));
	unlink(path);
	/* This test program is ELF but has no .resource_table. */
	CHECK_EQ_INT(amplink_lpr_load(r, lt_self), -ENODATA);
	CHECK(strstr(amplink_lpr_strerror(-ENODATA), "resource_table") != NULL);
	amplink_lpr_destroy(r);
}

static void test_start_echo_trace(struct amplink_lpr *r)
{
	static char trace[16384];

	REQUIRE(amplink_lpr_load(r, fw) == 0);
	REQUIRE(amplink_lpr_start(r) == 0);
	CHECK(amplink_lpr_pid(r) > 0);
	CHECK(!strcmp(amplink_remoteproc_state_name(amplink_lpr_remoteproc(r)), "running"));
	REQUIRE(lt_wait_epts(r, 3));
	CHECK(lt_echo(r, "rpmsg-echo", "hello", "hello"));
	CHECK(lt_echo(r, "rpmsg-upper", "hello", "HELLO"));
	CHECK(lt_echo(r, "rpmsg-count", "?", "rx 3"));
	CHECK(amplink_lpr_trace_read(r, trace, sizeof(trace)) > 0);
	CHECK(strstr(trace, "3 endpoints announced") != NULL);
	CHECK(strstr(trace, "rpmsg-upper: first message") != NULL);
	CHECK_EQ_INT(amplink_lpr_check(r), RPROC_RUNNING);
}

static void test_crash_recover(struct amplink_lpr *r)
{
	struct amplink_lpr_exit ex;
	pid_t old = amplink_lpr_pid(r);
	long long end = lt_ms() + 20000;
	int st = RPROC_RUNNING;

	REQUIRE(amplink_lpr_set_recovery(r, 1) == 0);
	REQUIRE(kill(old, SIGKILL) == 0);
	while (st == RPROC_RUNNING && lt_ms() < end) {
		if (amplink_lpr_link(r))
			amplink_lp_process(amplink_lpr_link(r), 20);
		st = amplink_lpr_check(r);
	}
	CHECK_EQ_INT(st, RPROC_ERROR);
	CHECK(!strcmp(amplink_remoteproc_state_name(amplink_lpr_remoteproc(r)), "crashed"));
	amplink_lpr_exit_info(r, &ex);
	CHECK(ex.valid && ex.signal == SIGKILL && !ex.by_us);
	REQUIRE(amplink_lpr_recover(r) == 0);
	CHECK(amplink_lpr_pid(r) > 0 && amplink_lpr_pid(r) != old);
	CHECK_EQ_INT(amplink_lpr_restarts(r), 1);
	REQUIRE(lt_wait_epts(r, 3));
	CHECK(lt_echo(r, "rpmsg-echo", "again", "again"));
}

static void test_stop(struct amplink_lpr *r)
{
	struct amplink_lpr_exit ex;

	CHECK_EQ_INT(amplink_lpr_stop(r), 0);
	amplink_lpr_exit_info(r, &ex);
	CHECK(ex.valid && ex.by_us && ex.signal == SIGTERM);
	CHECK_EQ_INT(amplink_lpr_check(r), RPROC_OFFLINE);
	CHECK(amplink_lpr_link(r) == NULL);
	CHECK_EQ_INT(amplink_lpr_pid(r), 0);
}

static void test_exit_by_itself(void)
{
	char *args[] = {"--lifetime", "300", NULL};
	struct amplink_lpr *r = lt_new("lt-exit", args);
	struct amplink_lpr_exit ex;
	long long end = lt_ms() + 20000;
	int st = RPROC_RUNNING;

	REQUIRE(amplink_lpr_load(r, fw) == 0);
	REQUIRE(amplink_lpr_start(r) == 0);
	while (st == RPROC_RUNNING && lt_ms() < end) {
		if (amplink_lpr_link(r))
			amplink_lp_process(amplink_lpr_link(r), 20);
		st = amplink_lpr_check(r);
	}
	CHECK_EQ_INT(st, RPROC_OFFLINE);
	amplink_lpr_exit_info(r, &ex);
	CHECK(ex.valid && ex.code == 0 && ex.signal == 0 && !ex.by_us);
	amplink_lpr_destroy(r);
}

static void test_sigkill_escalation(void)
{
	char *args[] = {"--ignore-term", NULL};
	struct amplink_lpr *r = lt_new("lt-kill", args);
	struct amplink_lpr_exit ex;
	long long t0;

	REQUIRE(amplink_lpr_load(r, fw) == 0);
	REQUIRE(amplink_lpr_start(r) == 0);
	REQUIRE(lt_wait_epts(r, 3));
	t0 = lt_ms();
	CHECK_EQ_INT(amplink_lpr_stop(r), 0);
	amplink_lpr_exit_info(r, &ex);
	CHECK(ex.valid && ex.signal == SIGKILL && ex.by_us);
	CHECK(lt_ms() - t0 >= 450);
	amplink_lpr_destroy(r);
}

int main(int argc, char **argv)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;
	struct amplink_lpr *r;

	if (argc < 2) {
		fprintf(stderr, "usage: %s ECHO_FW\n", argv[0]);
		return 2;
	}
	fw = argv[1];
	lt_self = argv[0];
	params.log_level = METAL_LOG_CRITICAL;
	if (metal_init(&params) != 0)
		return 1;
	signal(SIGPIPE, SIG_IGN);
	RUN(test_load_errors);
	r = lt_new("lt-main", NULL);
	test_start_echo_trace(r);
	test_crash_recover(r);
	test_stop(r);
	amplink_lpr_destroy(r);
	RUN(test_exit_by_itself);
	RUN(test_sigkill_escalation);
	metal_finish();
	return check_summary();
}
