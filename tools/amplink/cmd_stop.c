/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `amplink stop NAME`: stop a remote (SIGTERM, then SIGKILL after 2 s) and end its supervisor.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "tool_rproc.h"

static void stop_usage(FILE *f)
{
	fprintf(f, "usage: amplink stop NAME\n"
		   "Stop the remote NAME (SIGTERM, SIGKILL after 2 s) and end its supervisor.\n"
		   "exit: 0 done, 2 usage, 3 no such remote, 5 wrong state, 6 no answer\n");
}

int amplink_cmd_stop(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		stop_usage(stdout);
		return AMPLINK_EXIT_OK;
	}
	if (argc != 2 || argv[1][0] == '-' || !tool_name_ok(argv[1])) {
		stop_usage(stderr);
		return AMPLINK_EXIT_USAGE;
	}
	return tool_request(argv[1], "stop", stdout, 10000);
}
