/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The proxy host inside the supervisor (`amplink start --proxy-root DIR`):
 * one amplink_proxy_host serving DIR to the remote, attached when the remote
 * announces "amplink-proxy", detached (every file of the remote closed) when
 * the remote crashes, stops or its link goes down, and re-attached on the
 * next announcement. The remote's console goes to a file (--console FILE,
 * default <rt>/<name>.console, mode 0600). Everything runs in the
 * supervisor's single thread: the host's callbacks run from the backend's
 * pump. One remote per tool process, so the state is static.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <amplink/proxy.h>

#include "commands.h"
#include "tool_rproc.h"

static struct {
	struct amplink_proxy_host *host;
	char root[PATH_MAX];
	char console[PATH_MAX];
	int console_fd;
	unsigned int attaches;
	uint32_t dest; /* the remote's proxy endpoint while attached */
} tool_px = {.console_fd = -1};

/*
 * tool_proxy_check_root() - @root must exist and be a directory. Prints the
 * reason otherwise. Returns AMPLINK_EXIT_OK or AMPLINK_EXIT_NOENT.
 */
int tool_proxy_check_root(const char *root)
{
	struct stat st;

	if (stat(root, &st) < 0) {
		fprintf(stderr, "amplink start: --proxy-root %s: %s\n", root,
			errno == ENOENT ? "no such directory" : strerror(errno));
		return AMPLINK_EXIT_NOENT;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "amplink start: --proxy-root %s: not a directory\n", root);
		return AMPLINK_EXIT_NOENT;
	}
	return AMPLINK_EXIT_OK;
}

/* Open the console file (appending, 0600); the remote process never inherits it. */
static int tool_proxy_console_open(const char *name, const char *console)
{
	char path[PATH_MAX];
	int fd;

	if (console && !strcmp(console, TOOL_PROXY_STDOUT)) {
		/* our own output, shared (same offset): nothing of it is overwritten */
		snprintf(tool_px.console, sizeof(tool_px.console), "(standard output)");
		fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
		if (fd < 0)
			return -errno;
		tool_px.console_fd = fd;
		return 0;
	}
	if (console)
		snprintf(tool_px.console, sizeof(tool_px.console), "%s", console);
	else if (tool_rt_path(name, ".console", tool_px.console, sizeof(tool_px.console)) < 0)
		return -ENAMETOOLONG;
	fd = open(tool_px.console, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	tool_px.console_fd = fd;
	if (tool_px.console[0] != '/' &&
	    realpath(tool_px.console, path)) /* status shows it whole */
		snprintf(tool_px.console, sizeof(tool_px.console), "%s", path);
	return 0;
}

/*
 * tool_proxy_open() - create the proxy host for @root (checked by
 * tool_proxy_check_root) with the console of remote @name in @console (NULL =
 * the default file, TOOL_PROXY_STDOUT = this process's standard output). Call before the supervisor
 * forks. Prints the error. Returns an exit code.
 */
int tool_proxy_open(const char *name, const char *root, const char *console)
{
	int ret;

	if (!realpath(root, tool_px.root))
		snprintf(tool_px.root, sizeof(tool_px.root), "%s", root);
	ret = tool_proxy_console_open(name, console);
	if (ret < 0) {
		fprintf(stderr, "amplink start: console %s: %s\n",
			tool_px.console[0] ? tool_px.console : "file", strerror(-ret));
		return AMPLINK_EXIT_FAILURE;
	}
	ret = amplink_proxy_host_create(tool_px.root, tool_px.console_fd, tool_px.console_fd, -1,
					&tool_px.host);
	if (ret < 0) {
		fprintf(stderr, "amplink start: --proxy-root %s: %s\n", root, strerror(-ret));
		tool_proxy_close();
		return ret == -ENOENT || ret == -ENOTDIR ? AMPLINK_EXIT_NOENT
							 : AMPLINK_EXIT_FAILURE;
	}
	return AMPLINK_EXIT_OK;
}

/*
 * tool_proxy_bind() - ns_bind hook: when the proxy is on and @name is the
 * proxy service, serve the root to the endpoint at @dest on @rdev (a stale
 * attachment is dropped first). Returns 1 when it claimed the announcement,
 * 0 when it is not the proxy's.
 */
int tool_proxy_bind(struct rpmsg_device *rdev, const char *name, uint32_t dest)
{
	int ret;

	if (!tool_px.host || strcmp(name, AMPLINK_PROXY_SERVICE_NAME) != 0)
		return 0;
	tool_proxy_detach();
	ret = amplink_proxy_host_attach(tool_px.host, rdev, dest);
	if (ret < 0) {
		fprintf(stderr, "supervisor: proxy: cannot serve the remote at 0x%x (error %d)\n",
			(unsigned)dest, ret);
		return 1;
	}
	tool_px.attaches++;
	tool_px.dest = dest;
	fprintf(stderr, "supervisor: proxy: serving %s to the remote (endpoint 0x%x)\n",
		tool_px.root, (unsigned)dest);
	return 1;
}

/*
 * tool_proxy_detach() - the remote went (crash, stop, link down): stop
 * serving it and close every file it held. Safe when not attached.
 */
void tool_proxy_detach(void)
{
	int n;

	if (!tool_px.host || !amplink_proxy_host_attached(tool_px.host))
		return;
	n = amplink_proxy_host_open_count(tool_px.host);
	amplink_proxy_host_detach(tool_px.host);
	fprintf(stderr, "supervisor: proxy: remote gone, %d file(s) closed\n", n);
}

/* tool_proxy_close() - detach, destroy the host, close the console. */
void tool_proxy_close(void)
{
	tool_proxy_detach();
	amplink_proxy_host_destroy(tool_px.host);
	tool_px.host = NULL;
	if (tool_px.console_fd >= 0)
		close(tool_px.console_fd);
	tool_px.console_fd = -1;
}

/*
 * tool_proxy_status() - the proxy line (text) or a ,"proxy":{...} member
 * (JSON); nothing when the proxy is off. Counters are since the last attach.
 */
void tool_proxy_status(FILE *out, int json)
{
	const struct amplink_proxy_stats *st;
	bool up;

	if (!tool_px.host)
		return;
	st = amplink_proxy_host_stats(tool_px.host);
	up = amplink_proxy_host_attached(tool_px.host);
	if (json) {
		fprintf(out, ",\"proxy\":{\"root\":");
		tool_json_str(out, tool_px.root);
		fprintf(out, ",\"console\":");
		tool_json_str(out, tool_px.console);
		fprintf(out,
			",\"attached\":%s,\"attaches\":%u,\"open_files\":%d,\"requests\":%u,"
			"\"replies\":%u,\"bad\":%u}",
			up ? "true" : "false", tool_px.attaches,
			amplink_proxy_host_open_count(tool_px.host), (unsigned)st->rx_msgs,
			(unsigned)st->tx_msgs, (unsigned)st->bad);
		return;
	}
	fprintf(out, "proxy:     %s, %s", tool_px.root, up ? "attached" : "not attached");
	if (up)
		fprintf(out, " (remote 0x%x)", (unsigned)tool_px.dest);
	fprintf(out, ", %d open file(s), requests %u, bad %u, attaches %u\n",
		amplink_proxy_host_open_count(tool_px.host), (unsigned)st->rx_msgs,
		(unsigned)st->bad, tool_px.attaches);
	fprintf(out, "console:   %s\n", tool_px.console);
}
