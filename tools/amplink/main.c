/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `amplink`: start, stop, inspect and talk to remote processors, in the
 * vocabulary of Linux's remoteproc sysfs. This file only dispatches to the
 * subcommands that this build has (cmd_<name>.c).
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"

struct amplink_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct amplink_command commands[] = {
#ifdef AMPLINK_HAVE_CMD_START
	{"start", amplink_cmd_start, "load a firmware and start it as a remote"},
#endif
#ifdef AMPLINK_HAVE_CMD_STOP
	{"stop", amplink_cmd_stop, "stop a running remote"},
#endif
#ifdef AMPLINK_HAVE_CMD_STATUS
	{"status", amplink_cmd_status, "show the state of one or every remote"},
#endif
#ifdef AMPLINK_HAVE_CMD_TRACE
	{"trace", amplink_cmd_trace, "print a remote's trace log"},
#endif
#ifdef AMPLINK_HAVE_CMD_ATTACH
	{"attach", amplink_cmd_attach, "attach to a remote that is already running"},
#endif
#ifdef AMPLINK_HAVE_CMD_DETACH
	{"detach", amplink_cmd_detach, "detach from a remote, leaving it running"},
#endif
#ifdef AMPLINK_HAVE_CMD_PING
	{"ping", amplink_cmd_ping, "echo round trips to a remote, with latency figures"},
#endif
#ifdef AMPLINK_HAVE_CMD_RUN
	{"run", amplink_cmd_run, "start a firmware, wait for it to finish, stop it"},
#endif
#ifdef AMPLINK_HAVE_CMD_SERVE
	{"serve", amplink_cmd_serve, "serve a remote's services to a Linux VM (vhost-user)"},
#endif
#ifdef AMPLINK_HAVE_CMD_BENCH
	{"bench", amplink_cmd_bench, "measure latency, throughput and footprint"},
#endif
};

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: amplink COMMAND [ARGS...]   (amplink COMMAND --help for details)\n\n"
		     "commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nexit codes: 0 ok, 1 failure, 2 usage, 3 no such file or remote,\n"
		     "4 bad firmware image, 5 wrong state, 6 timeout, 7 remote crashed\n");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return AMPLINK_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return AMPLINK_EXIT_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	}
	fprintf(stderr, "amplink: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return AMPLINK_EXIT_USAGE;
}
