/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The options `amplink start` and `amplink run` share (FIRMWARE, --qemu,
 * --machine M, --proxy-root DIR, --console FILE, `-- ARGS`) and the checks of
 * their combination, written once for both commands.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "tool_rproc.h"

int tool_remote_opt(struct tool_remote_args *a, int argc, char **argv, int *i)
{
	const char *arg = argv[*i];

	if (!strcmp(arg, "--qemu")) {
		a->machine = a->machine ? a->machine : "mps2-an386";
	} else if (!strcmp(arg, "--machine") && *i + 1 < argc) {
		a->machine = argv[++*i];
	} else if (!strcmp(arg, "--proxy-root") && *i + 1 < argc) {
		a->proxy_root = argv[++*i];
	} else if (!strcmp(arg, "--console") && *i + 1 < argc) {
		a->console = argv[++*i];
	} else if (!strcmp(arg, "--")) {
		a->o.args = &argv[*i + 1];
		*i = argc; /* the rest belongs to the firmware */
	} else if (arg[0] != '-' && !a->o.firmware) {
		a->o.firmware = arg;
	} else {
		return 0;
	}
	return 1;
}

int tool_remote_check(const struct tool_remote_args *a, const char *cmd)
{
	const char *why = NULL;

	if (a->o.firmware && a->machine && a->o.args)
		why = "firmware arguments need a Linux process, not --qemu";
	else if (a->o.firmware && a->console && !a->proxy_root)
		why = "--console needs --proxy-root";
	if (!a->o.firmware || why) {
		if (why)
			fprintf(stderr, "amplink %s: %s\n", cmd, why);
		return AMPLINK_EXIT_USAGE;
	}
	if (a->proxy_root && tool_proxy_check_root(a->proxy_root) != AMPLINK_EXIT_OK)
		return AMPLINK_EXIT_NOENT;
	return -1;
}
