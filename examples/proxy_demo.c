/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Proxy services example (a remote of the Linux two-process transport): it
 * uses the host's files and console through the proxy client. It writes a
 * file, reads it back and compares, lists the directory, and prints each step
 * through the host's console. Exit status 0 when every step worked.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <amplink/linux_process.h>
#include <amplink/proxy.h>
#include <metal/sys.h>

static const char demo_text[] = "Written by the remote through the proxy.\n";

/* Wait hook: run this side's receive path while a call waits. */
static int demo_wait(void *arg, uint32_t slice_us)
{
	int ret = amplink_lp_process(arg, (int)(slice_us / 1000u) + 1);

	return ret < 0 ? ret : 0;
}

/* Print a line on the host's console. */
static void demo_say(struct amplink_proxy_client *c, const char *msg)
{
	(void)amplink_proxy_console_write(c, AMPLINK_PROXY_STDOUT, msg, strlen(msg));
}

static int demo_file(struct amplink_proxy_client *c)
{
	char back[sizeof(demo_text)] = {0};
	int fd;

	fd = amplink_proxy_open(
		c, "demo.txt",
		AMPLINK_PROXY_O_WRONLY | AMPLINK_PROXY_O_CREAT | AMPLINK_PROXY_O_TRUNC, 0644);
	if (fd < 0 ||
	    amplink_proxy_write(c, fd, demo_text, strlen(demo_text)) != (long)strlen(demo_text))
		return -1;
	amplink_proxy_close(c, fd);
	fd = amplink_proxy_open(c, "demo.txt", AMPLINK_PROXY_O_RDONLY, 0);
	if (fd < 0 || amplink_proxy_read(c, fd, back, sizeof(back)) != (long)strlen(demo_text))
		return -1;
	amplink_proxy_close(c, fd);
	if (strcmp(back, demo_text) != 0)
		return -1;
	demo_say(c, "proxy_demo: wrote and read back demo.txt\n");
	return 0;
}

static int demo_list(struct amplink_proxy_client *c)
{
	struct amplink_proxy_dirent de;
	char line[AMPLINK_PROXY_NAME_MAX + 32];
	int dd = amplink_proxy_opendir(c, ".");

	if (dd < 0)
		return -1;
	demo_say(c, "proxy_demo: directory:\n");
	while (amplink_proxy_readdir(c, dd, &de) == 1) {
		snprintf(line, sizeof(line), "  %s%s\n", de.name,
			 de.type == AMPLINK_PROXY_T_DIR ? "/" : "");
		demo_say(c, line);
	}
	return amplink_proxy_closedir(c, dd);
}

static int demo_run(struct amplink_lp *lp)
{
	struct amplink_proxy_client c;
	int ret;

	if (amplink_proxy_client_init(&c, amplink_lp_rpmsg_device(lp), demo_wait, lp) != 0)
		return 2;
	ret = demo_file(&c) == 0 && demo_list(&c) == 0 ? 0 : 3;
	demo_say(&c, ret == 0 ? "proxy_demo: ok\n" : "proxy_demo: FAILED\n");
	amplink_proxy_client_deinit(&c);
	return ret;
}

int main(int argc, char **argv)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;
	struct amplink_lp_config cfg;
	struct amplink_lp *lp;
	int ret;

	if (argc != 1 && !(argc == 3 && strcmp(argv[1], "--connect") == 0)) {
		fprintf(stderr,
			"usage: proxy_demo [--connect SOCKET]\n"
			"A remote that uses the host's files and console (amplink-proxy).\n");
		return 1;
	}
	amplink_lp_config_init(&cfg);
	params.log_level = METAL_LOG_WARNING;
	if (metal_init(&params) != 0)
		return 2;
	ret = argc == 3 ? amplink_lp_remote_connect(argv[2], &cfg, &lp)
			: amplink_lp_remote_open(&cfg, &lp);
	if (ret < 0) {
		fprintf(stderr, "proxy_demo: cannot attach: %s\n", strerror(-ret));
		metal_finish();
		return 2;
	}
	ret = demo_run(lp);
	amplink_lp_destroy(lp);
	metal_finish();
	return ret;
}
