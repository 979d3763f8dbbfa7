/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The host side of the Linux two-process transport: creating the region and
 * the driver-role rpmsg device, starting a remote as a forked child (runs a
 * function) or a forked and exec'd program (fds named in the environment),
 * and waiting for that child. Attaching through a socket: lp_listen.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <metal/alloc.h>
#include <metal/log.h>

#include "lp_private.h"

extern char **environ;

/* In a forked child: the parent's side, kept reachable (never used again). */
static struct amplink_lp *lp_forked_host;

int amplink_lp_host_create(const struct amplink_lp_config *cfg, struct amplink_lp **out)
{
	struct amplink_lp *lp;
	int ret;

	if (!out)
		return -EINVAL;
	lp = lp_side_alloc(VIRTIO_DEV_DRIVER, cfg);
	if (!lp)
		return -EINVAL;
	ret = lp_layout_host(lp,
			     lp->cfg.vring_num ? lp->cfg.vring_num : AMPLINK_LP_DEFAULT_VRING_NUM);
	if (ret < 0)
		goto fail;
	lp->efd[LP_DB_TO_REMOTE] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	lp->efd[LP_DB_TO_HOST] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (lp->efd[0] < 0 || lp->efd[1] < 0) {
		ret = -errno;
		goto fail;
	}
	lp->db_in = &lp->ctrl->db[LP_DB_TO_HOST];
	lp->db_out = &lp->ctrl->db[LP_DB_TO_REMOTE];
	lp->efd_in = lp->efd[LP_DB_TO_HOST];
	lp->efd_out = lp->efd[LP_DB_TO_REMOTE];
	ret = lp_vdev_start(lp);
	if (ret < 0)
		goto fail;
	*out = lp;
	return 0;
fail:
	lp_side_free(lp);
	return ret;
}

int lp_host_can_attach(struct amplink_lp *host)
{
	if (!host || host->role != VIRTIO_DEV_DRIVER)
		return -EINVAL;
	return host->attach != LP_ATTACH_NONE ? -EBUSY : 0;
}

/* A remote is attached: keep its life line (and pid) and watch it. */
void lp_host_attached(struct amplink_lp *host, int life, pid_t pid)
{
	host->lifeline = life;
	host->child = pid;
	host->attach = pid > 0 ? LP_ATTACH_CHILD : LP_ATTACH_SOCKET;
	lp_poll_add(host, life);
}

/* Forked child: become the remote on the inherited fds and run @fn. */
static int lp_child_run(struct amplink_lp *host, int life, amplink_lp_remote_fn fn, void *arg,
			const struct amplink_lp_config *rcfg)
{
	int fds[4] = {host->shm_fd, host->efd[0], host->efd[1], life};
	struct amplink_lp *remote;
	int status;

	/* The parent's side stays as it is in this copy; only its fds are ours now. */
	lp_forked_host = host;
	host->shm_fd = host->efd[0] = host->efd[1] = -1;
	if (host->listen_fd >= 0)
		close(host->listen_fd);
	if (host->poll_fd >= 0)
		close(host->poll_fd);
	remote = lp_side_alloc(VIRTIO_DEV_DEVICE, rcfg);
	if (!remote) {
		for (int i = 0; i < 4; i++)
			close(fds[i]);
		return 127;
	}
	if (lp_remote_build(remote, fds) < 0) {
		lp_side_free(remote);
		return 127;
	}
	status = fn(remote, arg);
	amplink_lp_destroy(remote);
	return status & 0xff;
}

pid_t amplink_lp_start_remote_fn(struct amplink_lp *host, amplink_lp_remote_fn fn, void *arg,
				 const struct amplink_lp_config *remote_cfg)
{
	int sv[2], ret = lp_host_can_attach(host);
	pid_t pid;

	if (ret < 0)
		return ret;
	if (!fn)
		return -EINVAL;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		close(sv[0]);
		close(sv[1]);
		return ret;
	}
	if (pid == 0) {
		close(sv[0]);
		_exit(lp_child_run(host, sv[1], fn, arg, remote_cfg));
	}
	close(sv[1]);
	lp_host_attached(host, sv[0], pid);
	return pid;
}

/* A copy of environ without AMPLINK_LP_ENV_FDS, plus @var. NULL if no memory. */
static char **lp_child_env(char *var)
{
	size_t n = 0, k = 0, plen = strlen(AMPLINK_LP_ENV_FDS);
	char **env;

	while (environ && environ[n])
		n++;
	env = metal_allocate_memory((unsigned int)((n + 2) * sizeof(char *)));
	if (!env)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (strncmp(environ[i], AMPLINK_LP_ENV_FDS, plen) == 0 && environ[i][plen] == '=')
			continue;
		env[k++] = environ[i];
	}
	env[k++] = var;
	env[k] = NULL;
	return env;
}

/* Exec'd child: let the four fds survive exec, then exec. Never returns. */
static void lp_child_exec(const int *fds, const char *path, char *const argv[], char **env)
{
	for (int i = 0; i < 4; i++)
		fcntl(fds[i], F_SETFD, 0);
	execve(path, argv, env);
	_exit(127);
}

pid_t amplink_lp_start_remote_exec(struct amplink_lp *host, const char *path, char *const argv[])
{
	char var[96];
	char **env;
	int sv[2], ret = lp_host_can_attach(host);
	pid_t pid;

	if (ret < 0)
		return ret;
	if (!path || !argv || !argv[0])
		return -EINVAL;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	int fds[4] = {host->shm_fd, host->efd[0], host->efd[1], sv[1]};
	snprintf(var, sizeof(var), "%s=%d,%d,%d,%d", AMPLINK_LP_ENV_FDS, fds[0], fds[1], fds[2],
		 fds[3]);
	env = lp_child_env(var);
	if (!env) {
		ret = -ENOMEM;
		goto out;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		lp_child_exec(fds, path, argv, env);
	ret = pid < 0 ? -errno : pid;
	metal_free_memory(env);
	if (pid > 0) {
		close(sv[1]);
		lp_host_attached(host, sv[0], pid);
		return pid;
	}
out:
	close(sv[0]);
	close(sv[1]);
	return ret;
}

/* Sleep until the child may have exited: its life line hangs up when it does. */
static void lp_host_nap(struct amplink_lp *host, long long left_ns)
{
	struct pollfd p = {.fd = host->lifeline, .events = POLLIN};
	int ms = left_ns > 100000000LL ? 100 : (int)(left_ns / 1000000) + 1;

	if (host->lifeline >= 0 && poll(&p, 1, ms) == 0)
		return;
	usleep(1000); /* hung up already: the exit is imminent */
}

int amplink_lp_wait_remote(struct amplink_lp *host, int timeout_ms, int *status)
{
	long long deadline = lp_deadline_ns(timeout_ms);

	if (!host || host->attach != LP_ATTACH_CHILD)
		return -ECHILD;
	while (!lp_peer_child_exited(host)) {
		long long left = deadline - lp_now_ns();
		if (left <= 0)
			return -ETIMEDOUT;
		lp_host_nap(host, left);
	}
	lp_peer_mark_gone(host);
	if (!host->child_reaped)
		return -ECHILD;
	if (status)
		*status = host->child_status;
	return 0;
}
