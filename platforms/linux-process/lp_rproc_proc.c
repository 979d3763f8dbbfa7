/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The process behind a Linux-process remote: start creates the host side of
 * the link (vrings and buffers sized from the table's rpmsg vdev), publishes
 * the table copy, and execs the firmware with the window fd in its
 * environment; stop sends SIGTERM, then SIGKILL after the timeout, reaps the
 * child and tears the link down.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <metal/log.h>

#include "lp_rproc_private.h"

#define LPR_MAX_ARGS 64

/* Builds argv: the firmware path then cfg.args. */
static int lpr_argv(struct amplink_lpr *r, char **argv)
{
	int n = 0;

	argv[n++] = r->fw;
	while (r->cfg.args && r->cfg.args[n - 1]) {
		if (n >= LPR_MAX_ARGS - 1)
			return -E2BIG;
		argv[n] = r->cfg.args[n - 1];
		n++;
	}
	argv[n] = NULL;
	return 0;
}

/* Exec the firmware with the window fd inherited and named in the environment. */
static pid_t lpr_exec(struct amplink_lpr *r)
{
	char *argv[LPR_MAX_ARGS];
	char fdstr[16];
	pid_t pid;
	int ret = lpr_argv(r, argv);

	if (ret)
		return ret;
	snprintf(fdstr, sizeof(fdstr), "%d", r->win_fd);
	if (fcntl(r->win_fd, F_SETFD, 0) < 0 || setenv(AMPLINK_LPR_ENV_FD, fdstr, 1) < 0)
		return -errno;
	pid = amplink_lp_start_remote_exec(r->lp, r->fw, argv);
	unsetenv(AMPLINK_LPR_ENV_FD);
	fcntl(r->win_fd, F_SETFD, FD_CLOEXEC);
	return pid;
}

/*
 * lpr_link_create() - the transport region of @r's remote (named after it,
 * with its wait mode and bind callback), into r->lp. @vring_num 0 keeps the
 * transport's default. Returns 0 or a negative errno.
 */
int lpr_link_create(struct amplink_lpr *r, uint32_t vring_num)
{
	struct amplink_lp_config lc;

	amplink_lp_config_init(&lc);
	lc.name = r->name;
	if (vring_num)
		lc.vring_num = vring_num;
	lc.wait_mode = r->cfg.wait_mode;
	lc.ns_bind_cb = r->cfg.ns_bind_cb;
	lc.priv = r;
	return amplink_lp_host_create(&lc, &r->lp);
}

/*
 * lpr_proc_start() - the remoteproc start op's work. Returns 0 or a negative
 * errno.
 */
int lpr_proc_start(struct amplink_lpr *r)
{
	pid_t pid;
	int ret;

	ret = lpr_publish_table(r);
	if (ret)
		return ret;
	ret = lpr_link_create(r, r->vring_num);
	if (ret)
		return ret;
	pid = lpr_exec(r);
	if (pid < 0) {
		amplink_lp_destroy(r->lp);
		r->lp = NULL;
		return (int)pid;
	}
	r->pid = pid;
	r->stopping = false;
	metal_info("lpr: %s: started %s as pid %d\n", r->name, r->fw, (int)pid);
	return 0;
}

/* lpr_note_exit() - record how the child ended (@status from waitpid). */
void lpr_note_exit(struct amplink_lpr *r, int status)
{
	r->exit.valid = 1;
	r->exit.by_us = r->stopping;
	r->exit.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	r->exit.code = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
}

/* lpr_link_down() - tell the application, then destroy the link. */
void lpr_link_down(struct amplink_lpr *r)
{
	if (!r->lp)
		return;
	if (r->cfg.link_down)
		r->cfg.link_down(r, r->cfg.priv);
	amplink_lp_destroy(r->lp);
	r->lp = NULL;
}

/*
 * lpr_proc_stop() - SIGTERM, wait up to the stop timeout, SIGKILL, reap;
 * then the link goes down. Returns 0 or -ETIMEDOUT (not reaped after KILL).
 */
int lpr_proc_stop(struct amplink_lpr *r)
{
	unsigned int tmo =
		r->cfg.stop_timeout_ms ? r->cfg.stop_timeout_ms : AMPLINK_LPR_STOP_TIMEOUT_MS;
	int status = 0, ret = 0;

	if (r->lp && r->pid > 0) {
		if (amplink_lp_wait_remote(r->lp, 0, &status) == 0) {
			lpr_note_exit(r, status);
		} else {
			r->stopping = true;
			kill(r->pid, SIGTERM);
			ret = amplink_lp_wait_remote(r->lp, (int)tmo, &status);
			if (ret == -ETIMEDOUT) {
				metal_warn("lpr: %s: pid %d ignored SIGTERM for %u ms: SIGKILL\n",
					   r->name, (int)r->pid, tmo);
				kill(r->pid, SIGKILL);
				ret = amplink_lp_wait_remote(r->lp, 5000, &status);
			}
			if (ret == 0)
				lpr_note_exit(r, status);
		}
	}
	lpr_link_down(r);
	r->pid = 0;
	return ret == -ECHILD ? 0 : ret;
}
