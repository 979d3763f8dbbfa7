/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `amplink run FIRMWARE [--timeout SEC] [-- ARGS]`: load and start the
 * firmware in the foreground, show its announcements, wait for it to end
 * (or for the timeout / Ctrl-C, then stop it), print its trace and a
 * summary.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <metal/sys.h>

#include "commands.h"
#include "tool_rproc.h"

static volatile sig_atomic_t run_interrupted;

static void run_on_signal(int sig)
{
	(void)sig;
	run_interrupted = 1;
}

static void run_usage(FILE *f)
{
	fprintf(f, "usage: amplink run FIRMWARE [--timeout SEC] [--quiet] [-- ARGS...]\n"
		   "Start FIRMWARE as a remote, wait for it to end, stop it, show its trace.\n"
		   "  --timeout SEC   stop it after SEC seconds (default: wait until it ends)\n"
		   "  --quiet         no announcements and no trace\n"
		   "exit: 0 it ended with code 0 (or was stopped by the timeout), 2 usage,\n"
		   "3 no such file, 4 bad image, 7 it crashed or ended with a non-zero code\n");
}

/* Runs the link until the remote ends or @deadline_ns passes. Returns its state. */
static int run_wait(struct amplink_lpr *r, long long deadline_ns)
{
	int st = RPROC_RUNNING;

	while (st == RPROC_RUNNING && !run_interrupted &&
	       (!deadline_ns || tool_now_ns() < deadline_ns)) {
		struct amplink_lp *lp = amplink_lpr_link(r);

		if (lp)
			amplink_lp_process(lp, 50);
		st = amplink_lpr_check(r);
	}
	return st;
}

static int run_report(struct amplink_lpr *r, int st, long long t0, int quiet)
{
	static char trace[16384];
	struct amplink_lpr_exit ex;
	int code;

	if (st == RPROC_RUNNING)
		amplink_lpr_stop(r);
	amplink_lpr_exit_info(r, &ex);
	if (!quiet && amplink_lpr_trace_read(r, trace, sizeof(trace)) > 0)
		printf("--- trace of the remote ---\n%s--- end of trace ---\n", trace);
	code = ex.signal && !ex.by_us  ? AMPLINK_EXIT_PEER
	       : !ex.signal && ex.code ? AMPLINK_EXIT_PEER
				       : AMPLINK_EXIT_OK;
	printf("remote %s after %.3f s: %s %d%s\n", ex.by_us ? "stopped" : "ended",
	       (double)(tool_now_ns() - t0) / 1e9, ex.signal ? "signal" : "exit code",
	       ex.signal ? ex.signal : ex.code, st == RPROC_ERROR ? " (crashed)" : "");
	return code;
}

int amplink_cmd_run(int argc, char **argv)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;
	struct tool_load_opts o = {0};
	struct amplink_lpr *r;
	char name[TOOL_NAME_MAX + 8];
	long long t0, deadline = 0;
	int i, ret, quiet = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			run_usage(stdout);
			return AMPLINK_EXIT_OK;
		} else if (!strcmp(argv[i], "--timeout") && i + 1 < argc && atof(argv[i + 1]) > 0) {
			deadline = (long long)(atof(argv[++i]) * 1e9);
		} else if (!strcmp(argv[i], "--quiet")) {
			quiet = 1;
		} else if (!strcmp(argv[i], "--")) {
			o.args = &argv[i + 1];
			break;
		} else if (argv[i][0] != '-' && !o.firmware) {
			o.firmware = argv[i];
		} else {
			fprintf(stderr, "amplink run: unexpected argument '%s'\n", argv[i]);
			run_usage(stderr);
			return AMPLINK_EXIT_USAGE;
		}
	}
	if (!o.firmware) {
		run_usage(stderr);
		return AMPLINK_EXIT_USAGE;
	}
	tool_name_from_firmware(o.firmware, name, sizeof(name));
	snprintf(name + strlen(name), sizeof(name) - strlen(name), "-run");
	o.name = tool_name_ok(name) ? name : "run";
	params.log_level = METAL_LOG_ERROR;
	metal_init(&params);
	ret = tool_load(&o, &r);
	if (ret != AMPLINK_EXIT_OK) {
		metal_finish();
		return ret;
	}
	signal(SIGINT, run_on_signal);
	signal(SIGTERM, run_on_signal);
	tool_ept_set_verbose(quiet ? NULL : stdout);
	t0 = tool_now_ns();
	ret = amplink_lpr_start(r);
	if (ret) {
		fprintf(stderr, "amplink: %s: start failed: %s\n", o.firmware,
			amplink_lpr_strerror(ret));
		amplink_lpr_destroy(r);
		metal_finish();
		return tool_exit_for(ret);
	}
	printf("started %s (pid %d)\n", o.firmware, (int)amplink_lpr_pid(r));
	fflush(stdout);
	ret = run_report(r, run_wait(r, deadline ? t0 + deadline : 0), t0, quiet);
	amplink_lpr_destroy(r);
	metal_finish();
	return ret;
}
