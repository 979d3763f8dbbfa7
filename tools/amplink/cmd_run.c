/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `amplink run FIRMWARE [--timeout SEC] [--qemu [--machine M]]
 * [--proxy-root DIR [--console FILE]] [-- ARGS]`: load and start the firmware
 * in the foreground (as a Linux process, or on a core emulated by QEMU
 * through the supervisor's QEMU backend), optionally serving DIR and a
 * console to its proxy, show its announcements, wait for it to end or crash
 * (or for the timeout / Ctrl-C, then stop it), print its trace and a summary.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
	fprintf(f, "usage: amplink run FIRMWARE [--timeout SEC] [--quiet] [--qemu [--machine M]]\n"
		   "                   [--proxy-root DIR [--console FILE]] [-- ARGS...]\n"
		   "Start FIRMWARE as a remote, wait for it to end, stop it, show its trace.\n"
		   "  --timeout SEC   stop it after SEC seconds (default: wait until it ends)\n"
		   "  --quiet         no announcements and no trace\n"
		   "  --qemu          FIRMWARE is bare-metal firmware: run it on a core emulated\n"
		   "                  by QEMU (default board mps2-an386, a Cortex-M4); it runs\n"
		   "                  until the timeout, Ctrl-C or a crash\n"
		   "  --machine M     the emulated board, mps2-an386 or riscv32-virt (implies "
		   "--qemu)\n"
		   "  --proxy-root DIR  serve DIR (and nothing outside it) to the remote's\n"
		   "                  \"amplink-proxy\" endpoint: files, directories, console\n"
		   "  --console FILE  where the remote's proxy console goes (appended;\n"
		   "                  default: this command's standard output)\n"
		   "exit: 0 it ended with code 0 (or was stopped by the timeout), 2 usage,\n"
		   "3 no such file (or DIR), 4 bad image, 7 it crashed or ended with a non-zero "
		   "code,\n"
		   "1 other (also when this build has no QEMU support or QEMU is not installed)\n");
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

/* Runs @o as a Linux process in the foreground; returns an exit code. */
static int run_process(const struct tool_load_opts *o, long long deadline, int quiet)
{
	struct amplink_lpr *r;
	long long t0;
	int ret = tool_load(o, &r);

	if (ret != AMPLINK_EXIT_OK)
		return ret;
	t0 = tool_now_ns();
	ret = amplink_lpr_start(r);
	if (ret) {
		fprintf(stderr, "amplink: %s: start failed: %s\n", o->firmware,
			amplink_lpr_strerror(ret));
		amplink_lpr_destroy(r);
		return tool_exit_for(ret);
	}
	printf("started %s (pid %d)\n", o->firmware, (int)amplink_lpr_pid(r));
	fflush(stdout);
	ret = run_report(r, run_wait(r, deadline ? t0 + deadline : 0), t0, quiet);
	amplink_lpr_destroy(r);
	return ret;
}

#ifdef AMPLINK_TOOL_HAVE_QEMU
/*
 * Runs @o on an emulated core through the QEMU backend of the supervisor,
 * pumped here in the foreground, until the timeout, a signal or a crash;
 * then stops it, prints its trace and a summary. Returns an exit code.
 */
static int run_qemu(const struct tool_load_opts *o, const char *machine, long long deadline,
		    int quiet)
{
	const struct tool_qemu_opts q = {
		.firmware = o->firmware, .machine = machine, .name = o->name};
	const struct tool_backend *be = tool_be_qemu();
	static char trace[16384];
	char console[TOOL_PATH_MAX];
	long long t0;
	void *r;
	int ret = tool_qemu_load(&q, &r), crashed;

	if (ret != AMPLINK_EXIT_OK)
		return ret;
	/* QEMU's UART log goes to the runtime directory, which may not exist yet */
	if (tool_rt_dir(console, sizeof(console)) == 0 && mkdir(console, 0700) < 0 &&
	    errno != EEXIST)
		fprintf(stderr, "amplink: %s: %s\n", console, strerror(errno));
	signal(SIGPIPE, SIG_IGN); /* a QEMU that died must not end us on the QMP socket */
	t0 = tool_now_ns();
	ret = be->start(r);
	if (ret) {
		fprintf(stderr, "amplink: %s: start failed: %s\n", o->firmware, be->strerror(ret));
		be->destroy(r);
		return be->exit_for(ret);
	}
	printf("started %s on qemu %s (pid %d)\n", o->firmware, machine, be->pid(r));
	fflush(stdout);
	while (!run_interrupted && !be->crashed(r) && (!deadline || tool_now_ns() < t0 + deadline))
		be->pump(r, 50);
	crashed = be->crashed(r);
	if (!quiet && be->trace(r, trace, sizeof(trace)) > 0)
		printf("--- trace of the remote ---\n%s--- end of trace ---\n", trace);
	if (!crashed)
		be->stop(r);
	printf("remote %s after %.3f s\n", crashed ? "crashed" : "stopped",
	       (double)(tool_now_ns() - t0) / 1e9);
	be->destroy(r);
	if (tool_rt_path(o->name, ".uart", console, sizeof(console)) == 0)
		unlink(console); /* the UART log: everything in it is in the trace */
	return crashed ? AMPLINK_EXIT_PEER : AMPLINK_EXIT_OK;
}
#endif

/* The command line of `amplink run`. */
struct run_args {
	struct tool_remote_args r;
	long long timeout_ns;
	int quiet;
};

/* Parses argv into @a. Returns -1 to go on, or the exit code to return. */
static int run_parse(int argc, char **argv, struct run_args *a)
{
	int i, ret;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			run_usage(stdout);
			return AMPLINK_EXIT_OK;
		} else if (!strcmp(argv[i], "--timeout") && i + 1 < argc && atof(argv[i + 1]) > 0) {
			a->timeout_ns = (long long)(atof(argv[++i]) * 1e9);
		} else if (!strcmp(argv[i], "--quiet")) {
			a->quiet = 1;
		} else if (!tool_remote_opt(&a->r, argc, argv, &i)) {
			fprintf(stderr, "amplink run: unexpected argument '%s'\n", argv[i]);
			run_usage(stderr);
			return AMPLINK_EXIT_USAGE;
		}
	}
	ret = tool_remote_check(&a->r, "run");
	if (ret == AMPLINK_EXIT_USAGE)
		run_usage(stderr);
#ifndef AMPLINK_TOOL_HAVE_QEMU
	if (ret < 0 && a->r.machine) {
		fprintf(stderr, "amplink run: --qemu is not built in (the QEMU backend needs "
				"libjansson: apt-get install libjansson-dev, then rebuild)\n");
		return AMPLINK_EXIT_FAILURE;
	}
#endif
	return ret;
}

/* Runs the remote of @a with the proxy served when asked. Returns an exit code. */
static int run_remote(const struct run_args *a)
{
	int ret = AMPLINK_EXIT_OK;

	/* The proxy console defaults to our own output (the run is in the foreground). */
	if (a->r.proxy_root)
		ret = tool_proxy_open(a->r.o.name, a->r.proxy_root,
				      a->r.console ? a->r.console : TOOL_PROXY_STDOUT);
	if (ret != AMPLINK_EXIT_OK)
		return ret;
#ifdef AMPLINK_TOOL_HAVE_QEMU
	if (a->r.machine)
		ret = run_qemu(&a->r.o, a->r.machine, a->timeout_ns, a->quiet);
	else
#endif
		ret = run_process(&a->r.o, a->timeout_ns, a->quiet);
	tool_proxy_close();
	return ret;
}

int amplink_cmd_run(int argc, char **argv)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;
	struct run_args a = {0};
	char name[TOOL_NAME_MAX + 8];
	int ret = run_parse(argc, argv, &a);

	if (ret >= 0)
		return ret;
	tool_name_from_firmware(a.r.o.firmware, name, sizeof(name));
	snprintf(name + strlen(name), sizeof(name) - strlen(name), "-run");
	a.r.o.name = tool_name_ok(name) ? name : "run";
	params.log_level = METAL_LOG_ERROR;
	metal_init(&params);
	signal(SIGINT, run_on_signal);
	signal(SIGTERM, run_on_signal);
	tool_ept_set_verbose(a.quiet ? NULL : stdout);
	ret = run_remote(&a);
	metal_finish();
	return ret;
}
