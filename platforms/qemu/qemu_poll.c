/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The host's side of the mailbox at run time: waiting for the remote's kicks
 * and delivering them to the vrings, the liveness watch (QEMU exited, the
 * remote reported a fault, its heartbeat stopped) that reports a crash to
 * remoteproc, pause/resume through QMP, the status, and the trace buffer.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <metal/log.h>
#include <amplink/remoteproc.h>
#include <openamp/rsc_table_parser.h>

#include "qemu_private.h"

#define QEMU_POLL_SPINS 4096 /* yields before the poll starts to sleep */

static void qemu_crashed(struct remoteproc *rproc, struct amplink_qemu *q, const char *why)
{
	q->crashed = 1;
	metal_err("qemu: remote crashed: %s", why);
	amplink_remoteproc_crashed(rproc);
}

/* Returns 0 while the remote looks alive, -RPROC_ENODEV once it crashed. */
static int qemu_check_alive(struct remoteproc *rproc, struct amplink_qemu *q)
{
	uint64_t now = qemu_now_ms();
	uint32_t hb;

	if (!qemu_process_alive(q)) {
		qemu_crashed(rproc, q, "QEMU exited");
		return -RPROC_ENODEV;
	}
	if (QEMU_MB(q, state) == AMPLINK_MAILBOX_FAULT) {
		metal_err("qemu: remote fault: exception %u at pc 0x%08x",
			  (unsigned)QEMU_MB(q, fault_cause), (unsigned)QEMU_MB(q, fault_pc));
		qemu_crashed(rproc, q, "fault reported");
		return -RPROC_ENODEV;
	}
	hb = QEMU_MB(q, heartbeat);
	if (hb != q->last_hb || q->paused) {
		q->last_hb = hb;
		q->last_hb_ms = now;
	} else if (now - q->last_hb_ms > q->cfg.heartbeat_ms) {
		qemu_crashed(rproc, q, "heartbeat stopped");
		return -RPROC_ENODEV;
	}
	return 0;
}

int amplink_qemu_poll(struct remoteproc *rproc, unsigned int timeout_ms)
{
	struct amplink_qemu *q = rproc ? rproc->priv : NULL;
	struct timespec nap = {0, 20 * 1000};
	uint64_t deadline;
	unsigned int spins;

	if (!q || !q->mb || q->crashed)
		return -RPROC_ENODEV;
	deadline = qemu_now_ms() + timeout_ms;
	for (spins = 0;; spins++) {
		uint32_t v = __atomic_load_n(&QEMU_MB(q, to_host), __ATOMIC_ACQUIRE);

		if (v != q->seen_to_host) {
			q->seen_to_host = v;
			remoteproc_get_notification(rproc, RSC_NOTIFY_ID_ANY);
			return 1;
		}
		if ((spins & 255u) == 0 && qemu_check_alive(rproc, q) != 0)
			return -RPROC_ENODEV;
		if (qemu_now_ms() >= deadline)
			return 0;
		if (spins < QEMU_POLL_SPINS)
			sched_yield();
		else
			nanosleep(&nap, NULL);
	}
}

int amplink_qemu_pause(struct remoteproc *rproc, int pause)
{
	struct amplink_qemu *q = rproc ? rproc->priv : NULL;

	if (!q || q->pid <= 0 || qemu_qmp_execute(q, pause ? "stop" : "cont") != 0)
		return -RPROC_ENODEV;
	q->paused = pause != 0;
	q->last_hb_ms = qemu_now_ms();
	return 0;
}

int amplink_qemu_get_status(struct remoteproc *rproc, struct amplink_qemu_status *st)
{
	struct amplink_qemu *q = rproc ? rproc->priv : NULL;

	if (!q || !st)
		return -RPROC_EINVAL;
	memset(st, 0, sizeof(*st));
	st->qemu_running = qemu_process_alive(q);
	st->qemu_pid = q->pid > 0 ? (int)q->pid : 0;
	st->paused = q->paused;
	st->exit_status = q->exit_status;
	st->starts = q->starts;
	if (q->mb) {
		st->heartbeat = QEMU_MB(q, heartbeat);
		st->state = QEMU_MB(q, state);
		st->fault_cause = QEMU_MB(q, fault_cause);
		st->fault_pc = QEMU_MB(q, fault_pc);
	}
	return 0;
}

int amplink_qemu_trace(struct remoteproc *rproc, char *buf, size_t size)
{
	struct amplink_qemu *q = rproc ? rproc->priv : NULL;
	const struct fw_rsc_trace *t;
	const char *src;
	size_t off, n;

	if (!q || !buf || !size || !q->mb)
		return -RPROC_ENODEV;
	off = amplink_rsc_find(rproc->rsc_table, rproc->rsc_len, RSC_TRACE, 0);
	if (!off)
		return -RPROC_ENODEV;
	t = (const struct fw_rsc_trace *)((const char *)rproc->rsc_table + off);
	src = metal_io_phys_to_virt(&q->ram_io, t->da);
	if (!src || t->len > QEMU_RAM_SIZE ||
	    !metal_io_phys_to_virt(&q->ram_io, t->da + t->len - 1)) {
		metal_err("qemu: trace buffer at 0x%x (%u bytes) outside shared RAM",
			  (unsigned)t->da, (unsigned)t->len);
		return -RPROC_ENODEV;
	}
	n = strnlen(src, t->len < size - 1 ? t->len : size - 1);
	memcpy(buf, src, n);
	buf[n] = '\0';
	return (int)n;
}
