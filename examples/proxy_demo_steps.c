/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The proxy demo's sequence (see proxy_demo_steps.h): write a file on the
 * host, read it back and compare, list the directory, check that a path out
 * of the served directory is refused, say so on the console.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "proxy_demo_steps.h"

const char proxy_demo_text[] = "Written by the remote through the proxy.\n";

void proxy_demo_say(struct amplink_proxy_client *c, const char *msg)
{
	(void)amplink_proxy_console_write(c, AMPLINK_PROXY_STDOUT, msg, strlen(msg));
}

static int proxy_demo_file(struct amplink_proxy_client *c)
{
	size_t len = strlen(proxy_demo_text);
	char back[sizeof(proxy_demo_text)] = {0};
	int fd;

	fd = amplink_proxy_open(
		c, "demo.txt",
		AMPLINK_PROXY_O_WRONLY | AMPLINK_PROXY_O_CREAT | AMPLINK_PROXY_O_TRUNC, 0644);
	if (fd < 0 || amplink_proxy_write(c, fd, proxy_demo_text, len) != (long)len)
		return -1;
	amplink_proxy_close(c, fd);
	fd = amplink_proxy_open(c, "demo.txt", AMPLINK_PROXY_O_RDONLY, 0);
	if (fd < 0 || amplink_proxy_read(c, fd, back, sizeof(back)) != (long)len)
		return -1;
	amplink_proxy_close(c, fd);
	if (strcmp(back, proxy_demo_text) != 0)
		return -1;
	proxy_demo_say(c, "proxy_demo: wrote and read back demo.txt\n");
	return 0;
}

static int proxy_demo_list(struct amplink_proxy_client *c)
{
	struct amplink_proxy_dirent de;
	char line[AMPLINK_PROXY_NAME_MAX + 32];
	int dd = amplink_proxy_opendir(c, ".");

	if (dd < 0)
		return -1;
	proxy_demo_say(c, "proxy_demo: directory:\n");
	while (amplink_proxy_readdir(c, dd, &de) == 1) {
		snprintf(line, sizeof(line), "  %s%s\n", de.name,
			 de.type == AMPLINK_PROXY_T_DIR ? "/" : "");
		proxy_demo_say(c, line);
	}
	return amplink_proxy_closedir(c, dd);
}

/* A file just above the served directory must be refused (EACCES); 0 when it is. */
static int proxy_demo_escape(struct amplink_proxy_client *c)
{
	int fd = amplink_proxy_open(c, "../outside.txt",
				    AMPLINK_PROXY_O_WRONLY | AMPLINK_PROXY_O_CREAT, 0600);

	if (fd >= 0)
		(void)amplink_proxy_close(c, fd);
	return fd == -EACCES ? 0 : -1;
}

int proxy_demo_steps(struct amplink_proxy_client *c)
{
	int step = proxy_demo_file(c) != 0     ? 1
		   : proxy_demo_list(c) != 0   ? 2
		   : proxy_demo_escape(c) != 0 ? 3
					       : 0;

	proxy_demo_say(c, step == 0 ? "proxy_demo: ok\n" : "proxy_demo: FAILED\n");
	return step;
}
