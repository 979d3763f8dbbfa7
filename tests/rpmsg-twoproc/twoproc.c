/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Harness of the two-process RPMsg tests (see twoproc.h): pair start-up and
 * tear-down over the Linux transport, the control socket, pumping, the
 * error-log counter and the payload pattern.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <metal/log.h>
#include <metal/sys.h>
#include <metal/utilities.h>

#include "twoproc.h"

struct tp_remote_ctx {
	tp_body body;
	void *arg;
	int ctl_mine;
	int ctl_theirs;
};

void tp_opts_init(struct tp_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->mode = AMPLINK_LP_WAIT_BLOCKING;
}

long long tp_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Runs in the forked remote. */
static int tp_remote_main(struct amplink_lp *lp, void *arg)
{
	struct tp_remote_ctx *ctx = arg;
	struct tp_link link;
	int ret;

	alarm(TP_ALARM_S);
	close(ctx->ctl_theirs);
	link.lp = lp;
	link.ctl = ctx->ctl_mine;
	link.is_host = 0;
	link.pid = 0;
	ret = ctx->body(&link, ctx->arg);
	fflush(NULL);
	close(link.ctl);
	return ret;
}

int tp_start(struct tp_link *host, const struct tp_opts *o, tp_body body, void *arg)
{
	struct amplink_lp_config cfg, rcfg;
	struct tp_remote_ctx ctx;
	int sv[2], ret;
	pid_t pid;

	memset(host, 0, sizeof(*host));
	amplink_lp_config_init(&cfg);
	amplink_lp_config_init(&rcfg);
	cfg.wait_mode = rcfg.wait_mode = o->mode;
	cfg.vring_num = o->vring_num;
	cfg.ns_bind_cb = o->host_ns_cb;
	rcfg.ns_bind_cb = o->remote_ns_cb;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	ret = amplink_lp_host_create(&cfg, &host->lp);
	if (ret < 0)
		goto fail;
	ctx.body = body;
	ctx.arg = arg;
	ctx.ctl_mine = sv[1];
	ctx.ctl_theirs = sv[0];
	fflush(NULL);
	pid = amplink_lp_start_remote_fn(host->lp, tp_remote_main, &ctx, &rcfg);
	if (pid < 0) {
		ret = (int)pid;
		amplink_lp_destroy(host->lp);
		goto fail;
	}
	close(sv[1]);
	host->ctl = sv[0];
	host->is_host = 1;
	host->pid = pid;
	return 0;
fail:
	close(sv[0]);
	close(sv[1]);
	host->lp = NULL;
	return ret;
}

/* Wait up to TP_STEP_MS for @pid (our child) to exit. Returns 0 or -1. */
static int tp_reap(pid_t pid, int *status)
{
	long long end = tp_now_ms() + TP_STEP_MS;

	do {
		pid_t r = waitpid(pid, status, WNOHANG);
		if (r == pid)
			return 0;
		if (r < 0)
			return -1;
		usleep(2000);
	} while (tp_now_ms() < end);
	return -1;
}

int tp_finish(struct tp_link *host)
{
	int status = 0, ret = -1, waited;

	if (host->pid <= 0)
		waited = -1; /* no remote was started */
	else if (host->reap)
		waited = tp_reap(host->pid, &status);
	else
		waited = amplink_lp_wait_remote(host->lp, TP_STEP_MS, &status);
	if (waited == 0) {
		if (WIFEXITED(status))
			ret = WEXITSTATUS(status);
		else if (WIFSIGNALED(status))
			ret = 128 + WTERMSIG(status);
	} else if (host->pid > 0) {
		fprintf(stderr, "twoproc: remote %d did not exit, killing it\n", (int)host->pid);
		kill(host->pid, SIGKILL);
		if (host->reap)
			waitpid(host->pid, &status, 0);
		else
			amplink_lp_wait_remote(host->lp, TP_STEP_MS, &status);
	}
	amplink_lp_destroy(host->lp);
	close(host->ctl);
	host->lp = NULL;
	return ret;
}

int tp_ctl_send(struct tp_link *l, uint32_t v)
{
	return send(l->ctl, &v, sizeof(v), MSG_NOSIGNAL) == (ssize_t)sizeof(v) ? 0 : -1;
}

/* Read one word if one is (partly) there: 1 read, 0 nothing yet, -1 error/EOF. */
static int tp_ctl_try(struct tp_link *l, uint32_t *v, int timeout_ms)
{
	struct pollfd p = {.fd = l->ctl, .events = POLLIN};
	ssize_t n;

	if (poll(&p, 1, timeout_ms) <= 0)
		return 0;
	n = recv(l->ctl, v, sizeof(*v), MSG_WAITALL);
	return n == (ssize_t)sizeof(*v) ? 1 : -1;
}

int tp_ctl_recv(struct tp_link *l, uint32_t *v, int timeout_ms, int pump)
{
	long long end = tp_now_ms() + timeout_ms;
	int ret;

	do {
		ret = tp_ctl_try(l, v, pump ? 0 : timeout_ms);
		if (ret)
			return ret > 0 ? 0 : -1;
		if (pump && amplink_lp_process(l->lp, 2) < 0)
			pump = 0; /* peer gone: just wait for the word */
	} while (tp_now_ms() < end);
	fprintf(stderr, "twoproc: no control word within %d ms\n", timeout_ms);
	return -1;
}

int tp_ctl_expect(struct tp_link *l, uint32_t want, int pump)
{
	uint32_t v = 0;

	if (tp_ctl_recv(l, &v, TP_STEP_MS, pump) < 0)
		return -1;
	if (v != want) {
		fprintf(stderr, "twoproc: control word 0x%x, expected 0x%x\n", v, want);
		return -1;
	}
	return 0;
}

int tp_pump_until(struct tp_link *l, const volatile int *counter, int target, int timeout_ms)
{
	long long end = tp_now_ms() + timeout_ms;

	while (*counter < target) {
		if (tp_now_ms() > end) {
			fprintf(stderr, "twoproc: %d of %d events within %d ms\n", *counter, target,
				timeout_ms);
			return -1;
		}
		if (amplink_lp_process(l->lp, 5) < 0)
			return *counter < target ? -2 : 0;
	}
	return 0;
}

void tp_pump_for(struct tp_link *l, int ms)
{
	long long end = tp_now_ms() + ms;

	while (tp_now_ms() < end && amplink_lp_process(l->lp, 2) >= 0)
		;
}

int tp_survivor_send(struct rpmsg_endpoint *ept, const void *buf, int len, uint32_t dst,
		     enum amplink_lp_wait_mode mode)
{
	if (mode == AMPLINK_LP_WAIT_BLOCKING)
		return rpmsg_sendto(ept, buf, len, dst);
	return amplink_rpmsg_send_timeout(ept, buf, len, dst, TP_SPIN_SEND_US);
}

struct rpmsg_device *tp_rdev(struct tp_link *l)
{
	return amplink_lp_rpmsg_device(l->lp);
}

struct rpmsg_virtio_device *tp_rvdev(struct tp_link *l)
{
	return metal_container_of(tp_rdev(l), struct rpmsg_virtio_device, rdev);
}

struct amplink_rpmsg_stats tp_stats(struct tp_link *l)
{
	struct amplink_rpmsg_stats s;

	if (amplink_rpmsg_virtio_get_stats(tp_rvdev(l), &s) != RPMSG_SUCCESS)
		memset(&s, 0, sizeof(s));
	return s;
}

static volatile unsigned int tp_log_count;

static void tp_log_handler(enum metal_log_level level, const char *format, ...)
{
	va_list ap;

	if (level <= METAL_LOG_ERROR)
		tp_log_count++;
	fprintf(stderr, "[pid %d log %d] ", (int)getpid(), (int)level);
	va_start(ap, format);
	vfprintf(stderr, format, ap);
	va_end(ap);
}

void tp_log_install(void)
{
	tp_log_count = 0;
	metal_set_log_handler(tp_log_handler);
}

unsigned int tp_log_errors(void)
{
	return tp_log_count;
}

void tp_fill(void *buf, size_t len, uint32_t seed)
{
	unsigned char *p = buf;

	for (size_t i = 0; i < len; i++)
		p[i] = (unsigned char)(seed * 31u + i * 7u + (i >> 8) + 1u);
}

int tp_check(const void *buf, size_t len, uint32_t seed)
{
	const unsigned char *p = buf;

	for (size_t i = 0; i < len; i++)
		if (p[i] != (unsigned char)(seed * 31u + i * 7u + (i >> 8) + 1u))
			return -1;
	return 0;
}

int tp_init(void)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;

	params.log_level = METAL_LOG_WARNING;
	alarm(TP_ALARM_S);
	return metal_init(&params) == 0 ? 0 : -1;
}

int tp_run_roles(const struct tp_opts *o, int host_is_victim, tp_side victim, tp_side peer,
		 tp_body remote_victim, tp_body remote_peer)
{
	struct tp_link host;

	if (tp_start(&host, o, host_is_victim ? remote_peer : remote_victim, NULL) != 0)
		return -1;
	(host_is_victim ? victim : peer)(&host);
	return tp_finish(&host);
}
