/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The runtime directory of the amplink tool ($XDG_RUNTIME_DIR/amplink or
 * /tmp/amplink-<uid>, mode 0700, shared with the transport's attach
 * sockets), the paths of a remote's control socket and log, remote names.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tool_rproc.h"

/*
 * tool_rt_path() - <rt>/<name><suffix>, where <rt> is the directory of the
 * transport's default socket path (created 0700 when needed by the caller
 * that binds). Returns 0 or -ENAMETOOLONG.
 */
int tool_rt_path(const char *name, const char *suffix, char *buf, size_t len)
{
	char sock[TOOL_PATH_MAX];
	char *slash;
	int n;

	if (amplink_lp_default_socket_path(name, sock, sizeof(sock)) < 0)
		return -ENAMETOOLONG;
	slash = strrchr(sock, '/');
	if (!slash)
		return -EINVAL;
	*slash = '\0';
	n = snprintf(buf, len, "%s/%s%s", sock, name, suffix);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* tool_name_ok() - 1 when @name is 1..32 of [A-Za-z0-9._-], not starting with '.'. */
int tool_name_ok(const char *name)
{
	size_t i, n = strlen(name);

	if (n == 0 || n > TOOL_NAME_MAX || name[0] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (!isalnum(c) && c != '.' && c != '_' && c != '-')
			return 0;
	}
	return 1;
}

/* tool_name_from_firmware() - default name: the file name without its extension. */
void tool_name_from_firmware(const char *fw, char *name, size_t len)
{
	const char *b = strrchr(fw, '/');
	char *dot;

	snprintf(name, len, "%s", b ? b + 1 : fw);
	dot = strchr(name, '.');
	if (dot && dot != name)
		*dot = '\0';
}

/* tool_now_ns() - CLOCK_MONOTONIC in nanoseconds. */
long long tool_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* tool_rt_dir() - the runtime directory itself. Returns 0 or -ENAMETOOLONG. */
int tool_rt_dir(char *buf, size_t len)
{
	char *slash;

	if (tool_rt_path("x", "", buf, len) < 0)
		return -ENAMETOOLONG;
	slash = strrchr(buf, '/');
	*slash = '\0';
	return 0;
}
