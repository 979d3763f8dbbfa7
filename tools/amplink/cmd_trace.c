/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `amplink trace NAME`: print the remote's trace log (its RSC_TRACE ring).
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "tool_rproc.h"

static void trace_usage(FILE *f)
{
	fprintf(f, "usage: amplink trace NAME\n"
		   "Print the newest part of the trace log the remote NAME wrote to its trace "
		   "buffer.\n"
		   "exit: 0 done, 2 usage, 3 no such remote, 5 wrong state, 6 no answer\n");
}

int amplink_cmd_trace(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		trace_usage(stdout);
		return AMPLINK_EXIT_OK;
	}
	if (argc != 2 || argv[1][0] == '-' || !tool_name_ok(argv[1])) {
		trace_usage(stderr);
		return AMPLINK_EXIT_USAGE;
	}
	return tool_request(argv[1], "trace", stdout, 5000);
}
