/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Attaching an unrelated remote, host side: a UNIX stream socket in a
 * private directory (0700; the socket itself 0600), one client accepted if
 * it runs as our user, the region and eventfds handed over with SCM_RIGHTS,
 * and the connection kept as the life line. Nothing listens on a network.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <metal/log.h>

#include "lp_private.h"

/* Bind @fd to @path; a stale socket file (nobody listening) is replaced. */
static int lp_bind(int fd, const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct stat st;
	int probe, busy;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		return 0;
	if (errno != EADDRINUSE)
		return -errno;
	if (lstat(path, &st) < 0 || !S_ISSOCK(st.st_mode))
		return -EADDRINUSE;
	probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (probe < 0)
		return -errno;
	busy = connect(probe, (struct sockaddr *)&sa, sizeof(sa)) == 0 || errno != ECONNREFUSED;
	close(probe);
	if (busy)
		return -EADDRINUSE;
	unlink(path);
	return bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 ? 0 : -errno;
}

int amplink_lp_listen(struct amplink_lp *host, const char *sock_path)
{
	char path[sizeof(host->sock_path)];
	int fd, ret = lp_host_can_attach(host);

	if (ret < 0)
		return ret;
	if (host->listen_fd >= 0)
		return -EBUSY;
	if (sock_path) {
		if (strlen(sock_path) >= sizeof(path))
			return -ENAMETOOLONG;
		snprintf(path, sizeof(path), "%s", sock_path);
	} else {
		ret = amplink_lp_default_socket_path(host->name, path, sizeof(path));
		if (ret < 0)
			return ret;
	}
	ret = lp_socket_make_dir(path);
	if (ret < 0)
		return ret;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	ret = lp_bind(fd, path);
	if (ret == 0 && chmod(path, 0600) < 0)
		ret = -errno;
	if (ret == 0 && listen(fd, 4) < 0)
		ret = -errno;
	if (ret < 0) {
		close(fd);
		return ret;
	}
	host->listen_fd = fd;
	snprintf(host->sock_path, sizeof(host->sock_path), "%s", path);
	return 0;
}

const char *amplink_lp_socket_path(const struct amplink_lp *host)
{
	return host && host->listen_fd >= 0 ? host->sock_path : NULL;
}

/* Hand the region and eventfds to a connected remote of our own user. */
static int lp_host_greet(struct amplink_lp *host, int c)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int fds[3] = {host->shm_fd, host->efd[0], host->efd[1]};

	if (getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 || cred.uid != geteuid()) {
		metal_err("amplink-lp: %s: refused a client of another user\n", host->name);
		return -EPERM;
	}
	return lp_socket_send_fds(c, fds, 3);
}

int amplink_lp_accept(struct amplink_lp *host, int timeout_ms)
{
	long long deadline = lp_deadline_ns(timeout_ms);
	struct pollfd p;
	int c, ret = lp_host_can_attach(host);

	if (ret < 0)
		return ret;
	if (host->listen_fd < 0)
		return -EINVAL;
	for (;;) {
		long long left = deadline - lp_now_ns();
		p = (struct pollfd){.fd = host->listen_fd, .events = POLLIN};
		ret = poll(&p, 1, timeout_ms < 0 ? -1 : (int)((left + 999999) / 1000000));
		if (ret < 0 && errno != EINTR)
			return -errno;
		if (ret == 0 && lp_now_ns() >= deadline)
			return -ETIMEDOUT;
		if (ret <= 0)
			continue;
		c = accept4(host->listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0)
			continue;
		if (lp_host_greet(host, c) == 0)
			break;
		close(c);
	}
	close(host->listen_fd);
	host->listen_fd = -1;
	unlink(host->sock_path);
	lp_host_attached(host, c, 0);
	return 0;
}
