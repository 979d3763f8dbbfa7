/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Linux-process backend of the supervisor: the remote is a Linux program
 * held by amplink_lpr (platforms/linux-process), its link an amplink_lp whose
 * event fd the supervisor polls. Each op forwards to amplink_lpr_*.
 */
#include <errno.h>
#include <stdio.h>

#include "tool_rproc.h"

static int tool_lpr_start(void *r)
{
	return amplink_lpr_start(r);
}

static const char *tool_lpr_strerror(int err)
{
	return amplink_lpr_strerror(err);
}

static int tool_lpr_poll_fd(void *r)
{
	struct amplink_lp *lp = amplink_lpr_link(r);

	return lp ? amplink_lp_poll_fd(lp) : -1;
}

static int tool_lpr_pump(void *r, unsigned int timeout_ms)
{
	struct amplink_lp *lp = amplink_lpr_link(r);

	return lp ? amplink_lp_process(lp, (int)timeout_ms) : -EPIPE;
}

static int tool_lpr_crashed(void *r)
{
	return amplink_lpr_check(r) == RPROC_ERROR;
}

static int tool_lpr_recover(void *r)
{
	return amplink_lpr_recover(r);
}

static struct remoteproc *tool_lpr_rproc(void *r)
{
	return amplink_lpr_remoteproc(r);
}

static struct rpmsg_device *tool_lpr_rpmsg(void *r)
{
	struct amplink_lp *lp = amplink_lpr_link(r);

	return lp ? amplink_lp_rpmsg_device(lp) : NULL;
}

static const char *tool_lpr_firmware(void *r)
{
	return amplink_lpr_firmware(r);
}

static int tool_lpr_pid(void *r)
{
	return (int)amplink_lpr_pid(r);
}

static unsigned int tool_lpr_restarts(void *r)
{
	return amplink_lpr_restarts(r);
}

/* The last exit of the process, when there was one. */
static void tool_lpr_status(void *r, FILE *out, int json)
{
	struct amplink_lpr_exit ex;

	amplink_lpr_exit_info(r, &ex);
	if (!ex.valid)
		return;
	if (json)
		fprintf(out, ",\"last_exit\":{\"code\":%d,\"signal\":%d,\"by_host\":%s}", ex.code,
			ex.signal, ex.by_us ? "true" : "false");
	else
		fprintf(out, "last exit: %s %d%s\n", ex.signal ? "signal" : "code",
			ex.signal ? ex.signal : ex.code, ex.by_us ? " (stopped by the host)" : "");
}

static long tool_lpr_trace(void *r, char *buf, size_t len)
{
	return amplink_lpr_trace_read(r, buf, len);
}

static int tool_lpr_stop(void *r)
{
	return amplink_lpr_stop(r);
}

static void tool_lpr_stopped(void *r, const char *name, FILE *out)
{
	struct amplink_lpr_exit ex;

	amplink_lpr_exit_info(r, &ex);
	if (ex.valid)
		fprintf(out, "stopped %s: %s %d%s\n", name, ex.signal ? "signal" : "exit code",
			ex.signal ? ex.signal : ex.code, ex.by_us ? "" : " (had ended by itself)");
	else
		fprintf(out, "stopped %s\n", name);
}

static int tool_lpr_detach(void *r)
{
	return amplink_lpr_detach(r);
}

static void tool_lpr_destroy(void *r)
{
	amplink_lpr_destroy(r);
}

static const struct tool_backend tool_lpr_backend = {
	.kind = "process",
	.pump_waits = 0,
	.start = tool_lpr_start,
	.exit_for = tool_exit_for,
	.strerror = tool_lpr_strerror,
	.poll_fd = tool_lpr_poll_fd,
	.pump = tool_lpr_pump,
	.crashed = tool_lpr_crashed,
	.recover = tool_lpr_recover,
	.rproc = tool_lpr_rproc,
	.rpmsg = tool_lpr_rpmsg,
	.firmware = tool_lpr_firmware,
	.pid = tool_lpr_pid,
	.restarts = tool_lpr_restarts,
	.status = tool_lpr_status,
	.trace = tool_lpr_trace,
	.stop = tool_lpr_stop,
	.stopped = tool_lpr_stopped,
	.detach = tool_lpr_detach,
	.destroy = tool_lpr_destroy,
};

/* tool_be_lpr() - the Linux-process backend. Returns a static table. */
const struct tool_backend *tool_be_lpr(void)
{
	return &tool_lpr_backend;
}
