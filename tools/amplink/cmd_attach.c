/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `amplink attach NAME [--timeout SEC]`: take charge of a remote that was
 * started on its own and waits under NAME (it connects to the transport's
 * socket for NAME); a supervisor then holds it like a started one.
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

static void attach_usage(FILE *f)
{
	fprintf(f, "usage: amplink attach NAME [--timeout SEC]\n"
		   "Attach to a remote started on its own that waits for a host under NAME\n"
		   "(e.g. `echo_fw --name NAME`), and hold it in a supervisor.\n"
		   "  --timeout SEC   how long to wait for it to connect (default 10)\n"
		   "exit: 0 attached, 2 usage, 5 name in use, 6 it did not connect in time, 1 "
		   "other\n");
}

static int attach_child(struct tool_sup *s, int ready, int timeout_ms)
{
	struct amplink_lpr_config cfg;
	struct amplink_lpr *r = NULL;
	int ret;

	amplink_lpr_config_init(&cfg);
	cfg.name = s->name;
	cfg.ns_bind_cb = tool_ept_bind;
	cfg.link_down = tool_ept_down;
	s->started_ns = tool_now_ns();
	ret = amplink_lpr_create(&cfg, &r);
	if (!ret) {
		ret = amplink_lpr_attach(r, timeout_ms);
		if (ret)
			amplink_lpr_destroy(r);
	}
	s->be = tool_be_lpr();
	s->r = r;
	if (ret)
		tool_sup_unlisten(s);
	dprintf(ready, "%d %s\n", ret ? tool_exit_for(ret) : 0,
		ret == -ETIMEDOUT ? "no remote connected in time" : amplink_lpr_strerror(ret));
	close(ready);
	if (ret)
		return AMPLINK_EXIT_FAILURE;
	return tool_sup_run(s);
}

static int attach_parent(const char *name, int ready)
{
	char line[256] = "";
	ssize_t n = read(ready, line, sizeof(line) - 1);
	int code = AMPLINK_EXIT_FAILURE, off = 0;

	close(ready);
	if (n > 0) {
		line[n] = '\0';
		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "%d %n", &code, &off) < 1)
			code = AMPLINK_EXIT_FAILURE;
	}
	if (code != AMPLINK_EXIT_OK) {
		fprintf(stderr, "amplink: %s: attach failed: %s\n", name,
			n > 0 ? line + off : "the supervisor died");
		return code;
	}
	printf("attached %s\n", name);
	return AMPLINK_EXIT_OK;
}

int amplink_cmd_attach(int argc, char **argv)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;
	static struct tool_sup s;
	const char *name = NULL;
	long timeout = 10;
	int i, ret, ready;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			attach_usage(stdout);
			return AMPLINK_EXIT_OK;
		} else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
			timeout = atol(argv[++i]);
			if (timeout <= 0 || timeout > 3600) {
				fprintf(stderr,
					"amplink attach: --timeout wants 1..3600 seconds\n");
				return AMPLINK_EXIT_USAGE;
			}
		} else if (argv[i][0] != '-' && !name && tool_name_ok(argv[i])) {
			name = argv[i];
		} else {
			fprintf(stderr, "amplink attach: bad argument '%s'\n", argv[i]);
			attach_usage(stderr);
			return AMPLINK_EXIT_USAGE;
		}
	}
	if (!name) {
		attach_usage(stderr);
		return AMPLINK_EXIT_USAGE;
	}
	snprintf(s.name, sizeof(s.name), "%s", name);
	ret = tool_sup_listen(&s);
	if (ret) {
		fprintf(stderr, "amplink: %s: %s\n", name,
			ret == -EADDRINUSE ? "a remote of that name is already held"
					   : strerror(-ret));
		return ret == -EADDRINUSE ? AMPLINK_EXIT_STATE : AMPLINK_EXIT_FAILURE;
	}
	ret = tool_daemonize(name, &ready);
	if (ret < 0) {
		tool_sup_unlisten(&s);
		return AMPLINK_EXIT_FAILURE;
	}
	if (ret == 0) {
		params.log_level = METAL_LOG_WARNING;
		metal_init(&params);
		exit(attach_child(&s, ready, (int)timeout * 1000));
	}
	close(s.listen_fd);
	return attach_parent(name, ready);
}
