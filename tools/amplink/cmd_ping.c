/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `amplink ping NAME [--size BYTES] [--count N] [--endpoint EPT]`: echo
 * round trips between the remote's supervisor and the remote, checked byte
 * for byte, with min / median / p99 / max.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amplink/config.h>

#include "commands.h"
#include "tool_rproc.h"

#define PING_MAX_SIZE (AMPLINK_CFG_BUFFER_SIZE - 16)

static void ping_usage(FILE *f)
{
	fprintf(f,
		"usage: amplink ping NAME [--size BYTES] [--count N] [--endpoint EPT]\n"
		"Echo round trips to remote NAME on endpoint EPT (default rpmsg-echo):\n"
		"  --size BYTES   payload size, 1..%d (default 64)\n"
		"  --count N      round trips, 1..1000000 (default 100)\n"
		"exit: 0 all echoes came back intact, 2 usage, 3 no such remote,\n"
		"5 no endpoint (remote not running), 6 timeout, 7 an echo was wrong or lost\n",
		PING_MAX_SIZE);
}

static int ping_num(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int amplink_cmd_ping(int argc, char **argv)
{
	const char *name = NULL, *ept = "-";
	long size = 64, count = 100;
	char req[128];
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			ping_usage(stdout);
			return AMPLINK_EXIT_OK;
		} else if (!strcmp(argv[i], "--size") && i + 1 < argc &&
			   !ping_num(argv[i + 1], 1, PING_MAX_SIZE, &size)) {
			i++;
		} else if (!strcmp(argv[i], "--count") && i + 1 < argc &&
			   !ping_num(argv[i + 1], 1, 1000000, &count)) {
			i++;
		} else if (!strcmp(argv[i], "--endpoint") && i + 1 < argc &&
			   strlen(argv[i + 1]) < RPMSG_NAME_SIZE && !strchr(argv[i + 1], ' ')) {
			ept = argv[++i];
		} else if (argv[i][0] != '-' && !name && tool_name_ok(argv[i])) {
			name = argv[i];
		} else {
			fprintf(stderr, "amplink ping: bad argument '%s'\n", argv[i]);
			ping_usage(stderr);
			return AMPLINK_EXIT_USAGE;
		}
	}
	if (!name) {
		ping_usage(stderr);
		return AMPLINK_EXIT_USAGE;
	}
	snprintf(req, sizeof(req), "ping %ld %ld %s", size, count, ept);
	return tool_request(name, req, stdout, 30000);
}
