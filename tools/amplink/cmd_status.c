/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `amplink status [NAME] [--json]`: state, firmware, pid, endpoints and
 * statistics of one remote, or of every remote with a supervisor.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "tool_rproc.h"

static void status_usage(FILE *f)
{
	fprintf(f, "usage: amplink status [NAME] [--json]\n"
		   "Show the state (offline, running, crashed, attached, detached), firmware,\n"
		   "pid, endpoints and message statistics of remote NAME, or of every remote.\n"
		   "  --json   one JSON object per remote (a JSON array without NAME)\n"
		   "exit: 0 done, 2 usage, 3 no such remote\n");
}

/* Every remote with a live supervisor, in directory order. */
static int status_all(int json)
{
	char dir[TOOL_PATH_MAX];
	struct dirent *d;
	int n = 0;
	DIR *dp;

	if (json)
		printf("[");
	if (tool_rt_dir(dir, sizeof(dir)) == 0 && (dp = opendir(dir)) != NULL) {
		while ((d = readdir(dp)) != NULL) {
			size_t l = strlen(d->d_name);
			char name[TOOL_NAME_MAX + 1];

			if (l < 5 || l - 4 > TOOL_NAME_MAX || strcmp(d->d_name + l - 4, ".ctl"))
				continue;
			memcpy(name, d->d_name, l - 4);
			name[l - 4] = '\0';
			if (!tool_name_ok(name) || !tool_sup_alive(name))
				continue;
			if (n++)
				printf(json ? "," : "\n");
			fflush(stdout);
			tool_request(name, json ? "status-json" : "status", stdout, 5000);
		}
		closedir(dp);
	}
	if (json)
		printf("]\n");
	else if (n == 0)
		printf("no remotes\n");
	return AMPLINK_EXIT_OK;
}

int amplink_cmd_status(int argc, char **argv)
{
	const char *name = NULL;
	int i, json = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			status_usage(stdout);
			return AMPLINK_EXIT_OK;
		} else if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else if (argv[i][0] != '-' && !name && tool_name_ok(argv[i])) {
			name = argv[i];
		} else {
			fprintf(stderr, "amplink status: unexpected argument '%s'\n", argv[i]);
			status_usage(stderr);
			return AMPLINK_EXIT_USAGE;
		}
	}
	if (!name)
		return status_all(json);
	return tool_request(name, json ? "status-json" : "status", stdout, 5000);
}
