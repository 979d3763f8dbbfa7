/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `amplink bench`: run the benchmark program amplink-bench (bench/rpmsg/),
 * which is installed next to this tool (and linked next to it in the build
 * tree). The tool finds it in the directory of its own executable and execs
 * it with the same options, so both print the same table or JSON and exit
 * with the same codes; the benchmark stays one program with its own forks
 * and threads, and the tool links none of it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"

#define BENCH_PROGRAM "amplink-bench"

/*
 * Write "<directory of this executable>/amplink-bench" into @buf.
 * Returns 0, or -1 (the executable's path cannot be read or is too long).
 */
static int bench_program_path(char *buf, size_t len)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n <= 0)
		return -1;
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	if ((size_t)snprintf(buf, len, "%s/%s", self, BENCH_PROGRAM) >= len)
		return -1;
	return 0;
}

int amplink_cmd_bench(int argc, char **argv)
{
	char path[PATH_MAX + sizeof(BENCH_PROGRAM) + 1];

	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
		printf("amplink bench: runs %s (installed next to amplink) with the same "
		       "options.\n\n",
		       BENCH_PROGRAM);
	if (bench_program_path(path, sizeof(path)) < 0) {
		fprintf(stderr, "amplink bench: cannot find this program's directory "
				"(/proc/self/exe)\n");
		return AMPLINK_EXIT_FAILURE;
	}
	if (access(path, X_OK) != 0) {
		fprintf(stderr,
			"amplink bench: %s: %s (build the amplink-bench target, or install "
			"it next to amplink)\n",
			path, strerror(errno));
		return AMPLINK_EXIT_NOENT;
	}
	fflush(NULL);
	argv[0] = path;
	execv(path, argv);
	fprintf(stderr, "amplink bench: cannot run %s: %s\n", path, strerror(errno));
	return AMPLINK_EXIT_FAILURE;
}
