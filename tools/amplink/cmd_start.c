/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `amplink start FIRMWARE [--name NAME] [--recovery] [--qemu [--machine M]]
 * [--proxy-root DIR [--console FILE]] [-- ARGS]`: check and load the firmware
 * (errors name the cause), fork a supervisor that starts it (as a Linux
 * process, or on a core emulated by QEMU) and holds it, optionally serving
 * DIR and a console to the remote's proxy, and report when it is running.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <metal/sys.h>

#include "commands.h"
#include "tool_rproc.h"

static void start_usage(FILE *f)
{
	fprintf(f,
		"usage: amplink start FIRMWARE [--name NAME] [--recovery] [--qemu [--machine M]]\n"
		"                     [--proxy-root DIR [--console FILE]] [-- ARGS...]\n"
		"Load FIRMWARE (a Linux ELF executable with a .resource_table), start it as a\n"
		"remote held by a supervisor process, and return once it runs.\n"
		"  --name NAME   name of the remote (default: the file name without extension)\n"
		"  --recovery    restart the remote with the same firmware when it crashes\n"
		"  --qemu        FIRMWARE is bare-metal firmware: run it on a core emulated\n"
		"                by QEMU (default board mps2-an386, a Cortex-M4)\n"
		"  --machine M   the emulated board, mps2-an386 or riscv32-virt (implies --qemu)\n"
		"  --proxy-root DIR  serve DIR (and nothing outside it) to the remote's\n"
		"                \"amplink-proxy\" endpoint: files, directories, console\n"
		"  --console FILE  where the remote's proxy console goes (appended, mode\n"
		"                0600; default <runtime dir>/NAME.console)\n"
		"  -- ARGS       arguments for the firmware (Linux processes only)\n"
		"exit: 0 started, 2 usage, 3 no such file (or DIR), 4 bad image, 5 name in use,\n"
		"1 other\n"
		"(also 1 when this build has no QEMU support or QEMU is not installed)\n");
}

/* Child: start the remote, report on @ready, supervise. */
static int start_child(struct tool_sup *s, int ready)
{
	int ret;

	s->started_ns = tool_now_ns();
	ret = s->be->start(s->r);
	if (ret)
		tool_sup_unlisten(s);
	dprintf(ready, "%d %d %s\n", ret ? s->be->exit_for(ret) : 0, s->be->pid(s->r),
		ret ? s->be->strerror(ret) : "ok");
	close(ready);
	if (ret) {
		s->be->destroy(s->r);
		return AMPLINK_EXIT_FAILURE;
	}
	return tool_sup_run(s);
}

/* Parent: wait for the child's report. */
static int start_parent(struct tool_sup *s, const char *fw, int ready)
{
	char line[256] = "";
	ssize_t n = read(ready, line, sizeof(line) - 1);
	int code = AMPLINK_EXIT_FAILURE, pid = 0, off = 0;

	close(ready);
	if (n > 0) {
		line[n] = '\0';
		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "%d %d %n", &code, &pid, &off) < 2)
			code = AMPLINK_EXIT_FAILURE;
	}
	if (code != AMPLINK_EXIT_OK) {
		fprintf(stderr, "amplink: %s: start failed: %s\n", s->name,
			n > 0 ? line + off : "the supervisor died");
		return code;
	}
	printf("started %s: %s (pid %d)\n", s->name, fw, pid);
	return AMPLINK_EXIT_OK;
}

/* Checks and loads the firmware for the chosen backend; returns an exit code. */
static int start_load(struct tool_sup *s, const struct tool_load_opts *o, const char *machine)
{
	struct amplink_lpr *r = NULL;
	int ret;

	if (!machine) {
		ret = tool_load(o, &r);
		s->be = tool_be_lpr();
		s->r = r;
		return ret;
	}
#ifdef AMPLINK_TOOL_HAVE_QEMU
	{
		struct tool_qemu_opts q = {.firmware = o->firmware,
					   .machine = machine,
					   .name = o->name,
					   .recovery = o->recovery};

		s->be = tool_be_qemu();
		return tool_qemu_load(&q, &s->r);
	}
#else
	fprintf(stderr, "amplink start: --qemu is not built in (the QEMU backend needs "
			"libjansson: apt-get install libjansson-dev, then rebuild)\n");
	return AMPLINK_EXIT_FAILURE;
#endif
}

/* Parses argv into @a. Returns -1 to go on, or the exit code to return. */
static int start_parse(int argc, char **argv, struct tool_remote_args *a)
{
	int i, ret;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			start_usage(stdout);
			return AMPLINK_EXIT_OK;
		} else if (!strcmp(argv[i], "--name") && i + 1 < argc) {
			a->o.name = argv[++i];
		} else if (!strcmp(argv[i], "--recovery")) {
			a->o.recovery = 1;
		} else if (!tool_remote_opt(a, argc, argv, &i)) {
			fprintf(stderr, "amplink start: unexpected argument '%s'\n", argv[i]);
			start_usage(stderr);
			return AMPLINK_EXIT_USAGE;
		}
	}
	ret = tool_remote_check(a, "start");
	if (ret == AMPLINK_EXIT_USAGE)
		start_usage(stderr);
	return ret;
}

/* Loads the firmware and opens the proxy; returns an exit code. */
static int start_prepare(struct tool_sup *s, const struct tool_remote_args *a)
{
	int ret = start_load(s, &a->o, a->machine);

	if (ret == AMPLINK_EXIT_OK && a->proxy_root) {
		ret = tool_proxy_open(s->name, a->proxy_root, a->console);
		if (ret != AMPLINK_EXIT_OK)
			s->be->destroy(s->r);
	}
	return ret;
}

int amplink_cmd_start(int argc, char **argv)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;
	struct tool_remote_args a = {0};
	struct tool_load_opts *o = &a.o;
	static struct tool_sup s;
	char name[TOOL_NAME_MAX + 8];
	int ret, ready;

	ret = start_parse(argc, argv, &a);
	if (ret >= 0)
		return ret;
	if (!o->name) {
		tool_name_from_firmware(o->firmware, name, sizeof(name));
		o->name = name;
	}
	if (!tool_name_ok(o->name)) {
		fprintf(stderr, "amplink start: bad name '%s' (1-32 of A-Z a-z 0-9 . _ -)\n",
			o->name);
		return AMPLINK_EXIT_USAGE;
	}
	snprintf(s.name, sizeof(s.name), "%s", o->name);
	ret = tool_sup_listen(&s);
	if (ret) {
		fprintf(stderr, "amplink: %s: %s\n", s.name,
			ret == -EADDRINUSE ? "a remote of that name exists (amplink stop it first)"
					   : strerror(-ret));
		return ret == -EADDRINUSE ? AMPLINK_EXIT_STATE : AMPLINK_EXIT_FAILURE;
	}
	params.log_level = METAL_LOG_ERROR;
	metal_init(&params);
	ret = start_prepare(&s, &a);
	if (ret != AMPLINK_EXIT_OK) {
		tool_sup_unlisten(&s);
		metal_finish();
		return ret;
	}
	s.recovery = o->recovery;
	ret = tool_daemonize(s.name, &ready);
	if (ret < 0) {
		fprintf(stderr, "amplink: cannot fork the supervisor: %s\n", strerror(-ret));
		return AMPLINK_EXIT_FAILURE;
	}
	if (ret == 0)
		exit(start_child(&s, ready));
	close(s.listen_fd);
	return start_parent(&s, o->firmware, ready);
}
