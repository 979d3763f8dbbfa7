/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `amplink detach NAME`: let go of an attached remote without stopping it.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "tool_rproc.h"

static void detach_usage(FILE *f)
{
	fprintf(f, "usage: amplink detach NAME\n"
		   "Detach from the attached remote NAME: it keeps running and can be attached "
		   "again.\n"
		   "exit: 0 done, 2 usage, 3 no such remote, 5 wrong state, 6 no answer\n");
}

int amplink_cmd_detach(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		detach_usage(stdout);
		return AMPLINK_EXIT_OK;
	}
	if (argc != 2 || argv[1][0] == '-' || !tool_name_ok(argv[1])) {
		detach_usage(stderr);
		return AMPLINK_EXIT_USAGE;
	}
	return tool_request(argv[1], "detach", stdout, 5000);
}
