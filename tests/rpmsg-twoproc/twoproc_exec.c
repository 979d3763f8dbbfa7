/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Two-process pairs whose remote is a fresh program rather than a fork: the
 * test binary exec'd again with "--tp-remote BODY MODE CTLFD [SOCKET]". It
 * attaches either as an unrelated process through the host's UNIX socket
 * (amplink_lp_listen / amplink_lp_accept / amplink_lp_remote_connect) or
 * through the fds inherited from amplink_lp_start_remote_exec
 * (amplink_lp_remote_open). The control socket's remote end is inherited.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "twoproc.h"

/* Fork and exec @argv[0] with @argv. Returns the pid or a negative errno. */
static pid_t tp_spawn(char *const argv[])
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	return pid < 0 ? -errno : pid;
}

/* Start the remote of @host: through the socket, or by amplink_lp_start_remote_exec. */
static int tp_exec_attach(struct tp_link *host, int by_socket, char **argv)
{
	const char *path;
	pid_t pid;
	int ret;

	if (!by_socket) {
		pid = amplink_lp_start_remote_exec(host->lp, argv[0], argv);
		if (pid < 0)
			return (int)pid;
		host->pid = pid;
		return 0;
	}
	ret = amplink_lp_listen(host->lp, NULL);
	path = amplink_lp_socket_path(host->lp);
	if (ret < 0 || !path)
		return ret < 0 ? ret : -EINVAL;
	argv[5] = (char *)path;
	pid = tp_spawn(argv);
	if (pid < 0)
		return (int)pid;
	host->pid = pid;
	host->reap = 1;
	return amplink_lp_accept(host->lp, TP_STEP_MS);
}

int tp_start_exec(struct tp_link *host, const struct tp_opts *o, int by_socket, const char *body)
{
	struct amplink_lp_config cfg;
	char self[PATH_MAX], mode[16], fd[16];
	char *argv[7] = {self, "--tp-remote", (char *)body, mode, fd, NULL, NULL};
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	int sv[2], ret;

	memset(host, 0, sizeof(*host));
	if (n <= 0)
		return -ENOENT;
	self[n] = '\0';
	amplink_lp_config_init(&cfg);
	cfg.wait_mode = o->mode;
	cfg.vring_num = o->vring_num;
	cfg.ns_bind_cb = o->host_ns_cb;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) /* sv[1] survives exec */
		return -errno;
	fcntl(sv[0], F_SETFD, FD_CLOEXEC);
	snprintf(mode, sizeof(mode), "%d", (int)o->mode);
	snprintf(fd, sizeof(fd), "%d", sv[1]);
	host->ctl = sv[0];
	host->is_host = 1;
	ret = amplink_lp_host_create(&cfg, &host->lp);
	if (ret < 0) {
		close(sv[0]);
		close(sv[1]);
		return ret;
	}
	ret = tp_exec_attach(host, by_socket, argv);
	close(sv[1]);
	if (ret < 0)
		tp_finish(host); /* reaps or kills a started child, closes everything */
	return ret;
}

int tp_exec_remote_main(int argc, char **argv, tp_body (*lookup)(const char *name))
{
	struct amplink_lp_config cfg;
	struct tp_link link;
	tp_body body;
	int ret;

	if (argc < 5 || strcmp(argv[1], "--tp-remote") != 0)
		return -1;
	body = lookup(argv[2]);
	if (!body)
		return 21;
	amplink_lp_config_init(&cfg);
	cfg.wait_mode = (enum amplink_lp_wait_mode)atoi(argv[3]);
	memset(&link, 0, sizeof(link));
	link.ctl = atoi(argv[4]);
	ret = argc > 5 ? amplink_lp_remote_connect(argv[5], &cfg, &link.lp)
		       : amplink_lp_remote_open(&cfg, &link.lp);
	if (ret < 0) {
		fprintf(stderr, "twoproc: exec'd remote could not attach: %d\n", ret);
		close(link.ctl);
		return 22;
	}
	ret = body(&link, NULL);
	fflush(NULL);
	amplink_lp_destroy(link.lp);
	close(link.ctl);
	return ret;
}
