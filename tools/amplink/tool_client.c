/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Client side of the supervisor protocol: connect to a remote's control
 * socket, send one request line, copy the answer's body to a stream and
 * return the exit code the supervisor chose.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "commands.h"
#include "tool_rproc.h"

static int tool_connect(const char *name)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char path[TOOL_PATH_MAX];
	int fd;

	if (tool_rt_path(name, ".ctl", path, sizeof(path)) < 0 ||
	    strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* tool_sup_alive() - 1 when a supervisor answers on @name's control socket. */
int tool_sup_alive(const char *name)
{
	int fd = tool_connect(name);

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

/*
 * After a stop or detach the supervisor answers, then closes its socket and
 * exits: wait (bounded) until nobody answers on the name, so that a following
 * start/attach of the same name never races the old supervisor.
 */
static void tool_wait_released(const char *name, int timeout_ms)
{
	long long end = tool_now_ns() + (long long)timeout_ms * 1000000LL;

	while (tool_sup_alive(name) && tool_now_ns() < end)
		usleep(5000);
}

/* Reads the whole answer (up to @timeout_ms of silence) into a malloc'd string. */
static char *tool_read_all(int fd, int timeout_ms, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);

	while (buf) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		ssize_t r;

		if (poll(&p, 1, timeout_ms) <= 0)
			break;
		if (n + 1 >= cap) {
			char *nb = realloc(buf, cap * 2);

			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	if (buf)
		buf[n] = '\0';
	*len = n;
	return buf;
}

/*
 * tool_request() - send @req to remote @name and print the body to @out,
 * the message to stderr when the code is not 0. Returns the exit code
 * (AMPLINK_EXIT_NOENT when no supervisor has that name).
 */
int tool_request(const char *name, const char *req, FILE *out, int timeout_ms)
{
	char *ans, *nl;
	size_t len;
	int fd = tool_connect(name), code;

	if (fd < 0) {
		fprintf(stderr, "amplink: no remote named '%s' (%s)\n", name,
			fd == -ENOENT || fd == -ECONNREFUSED ? "not started" : strerror(-fd));
		return AMPLINK_EXIT_NOENT;
	}
	/* MSG_NOSIGNAL: a supervisor that just died is an error, not a SIGPIPE. */
	if (send(fd, req, strlen(req), MSG_NOSIGNAL) < 0 || send(fd, "\n", 1, MSG_NOSIGNAL) < 0) {
		close(fd);
		fprintf(stderr, "amplink: %s: request failed: %s\n", name, strerror(errno));
		return AMPLINK_EXIT_FAILURE;
	}
	ans = tool_read_all(fd, timeout_ms, &len);
	close(fd);
	if (!ans || len == 0 || !(nl = strchr(ans, '\n'))) {
		free(ans);
		fprintf(stderr, "amplink: %s: the supervisor did not answer\n", name);
		return AMPLINK_EXIT_TIMEOUT;
	}
	*nl = '\0';
	code = atoi(ans);
	fputs(nl + 1, out);
	if (code != 0) {
		const char *msg = strchr(ans, ' ');

		fprintf(stderr, "amplink: %s: %s\n", name, msg ? msg + 1 : "failed");
	}
	free(ans);
	if (code == 0 && (!strcmp(req, "stop") || !strcmp(req, "detach")))
		tool_wait_released(name, timeout_ms);
	return code;
}
