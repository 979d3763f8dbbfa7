/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The remoteproc platform ops of the QEMU backend: the shared RAM as the
 * remote's memory, host-placed vrings and buffers from a pool above the image,
 * the mailbox vendor entry, start (QEMU paused, then "cont"), stop and
 * shutdown (QEMU ends: every start runs a fresh QEMU, so no code translated
 * from an earlier image survives), and notify (the mailbox doorbell).
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <metal/log.h>
#include <openamp/rsc_table_parser.h>

#include "qemu_private.h"

#define QEMU_POOL_ALIGN 64u

uint64_t qemu_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

struct amplink_qemu *amplink_qemu_create(const struct amplink_qemu_config *cfg)
{
	struct amplink_qemu *q = calloc(1, sizeof(*q));

	if (!q)
		return NULL;
	if (cfg)
		q->cfg = *cfg;
	if (!q->cfg.qemu)
		q->cfg.qemu = "qemu-system-arm";
	if (!q->cfg.machine)
		q->cfg.machine = "mps2-an386";
	if (!q->cfg.ram_base)
		q->cfg.ram_base = 0x21000000u;
	if (!q->cfg.pool_offset || q->cfg.pool_offset >= QEMU_RAM_SIZE)
		q->cfg.pool_offset = 0x200000u;
	if (!q->cfg.heartbeat_ms)
		q->cfg.heartbeat_ms = 1000;
	if (!q->cfg.start_ms)
		q->cfg.start_ms = 5000;
	q->qmp_fd = -1;
	q->shm_fd = -1;
	q->exit_status = -1;
	if (qemu_shm_create(q) != 0) {
		free(q);
		return NULL;
	}
	q->ram_pa = (metal_phys_addr_t)q->cfg.ram_base;
	metal_io_init(&q->ram_io, q->ram, &q->ram_pa, QEMU_RAM_SIZE, (unsigned int)-1, 0, NULL);
	return q;
}

void amplink_qemu_destroy(struct amplink_qemu *q)
{
	if (!q)
		return;
	qemu_process_end(q);
	qemu_shm_destroy(q);
	free(q);
}

static struct remoteproc *qemu_rproc_init(struct remoteproc *rproc,
					  const struct remoteproc_ops *ops, void *arg)
{
	struct amplink_qemu *q = arg;

	(void)ops;
	if (!q)
		return NULL;
	rproc->priv = q;
	remoteproc_init_mem(&q->ram_mem, "ram", q->ram_pa, q->ram_pa, QEMU_RAM_SIZE, &q->ram_io);
	remoteproc_add_mem(rproc, &q->ram_mem);
	return rproc;
}

static void qemu_rproc_remove(struct remoteproc *rproc)
{
	qemu_process_end(rproc->priv);
}

/* Only called for memory outside the shared RAM or with no address: allocate. */
static void *qemu_rproc_mmap(struct remoteproc *rproc, metal_phys_addr_t *pa, metal_phys_addr_t *da,
			     size_t size, unsigned int attribute, struct metal_io_region **io)
{
	struct amplink_qemu *q = rproc->priv;
	size_t off = (q->pool_next + QEMU_POOL_ALIGN - 1) & ~(size_t)(QEMU_POOL_ALIGN - 1);

	(void)attribute;
	if (*pa != METAL_BAD_PHYS || *da != METAL_BAD_PHYS)
		return NULL; /* a fixed address the RAM does not hold */
	if (off < q->cfg.pool_offset)
		off = q->cfg.pool_offset;
	if (size > QEMU_RAM_SIZE || off > QEMU_RAM_SIZE - size) {
		metal_err("qemu: shared RAM pool exhausted (%zu bytes asked)", size);
		return NULL;
	}
	q->pool_next = off + size;
	*pa = q->ram_pa + off;
	*da = *pa;
	*io = &q->ram_io;
	return (char *)q->ram + off;
}

static int qemu_rproc_handle_rsc(struct remoteproc *rproc, void *rsc, size_t len)
{
	uint32_t type;

	(void)rproc;
	memcpy(&type, rsc, sizeof(type));
	if (type == AMPLINK_RSC_MAILBOX && len >= sizeof(struct amplink_rsc_mailbox))
		return 0;
	metal_warn("qemu: vendor resource type %u (%zu bytes) ignored", (unsigned)type, len);
	return 0;
}

struct amplink_rsc_mailbox *qemu_find_mailbox(struct remoteproc *rproc)
{
	struct amplink_qemu *q = rproc->priv;
	char *t = rproc->rsc_table, *ram = q->ram;
	struct amplink_rsc_mailbox *mb;
	size_t off;

	if (!t || t < ram || rproc->rsc_len > QEMU_RAM_SIZE ||
	    (size_t)(t - ram) > QEMU_RAM_SIZE - rproc->rsc_len)
		return NULL; /* the table must be the copy in the shared RAM */
	off = amplink_rsc_find(t, rproc->rsc_len, AMPLINK_RSC_MAILBOX, 0);
	if (!off || off % 4u || off + sizeof(*mb) > rproc->rsc_len)
		return NULL;
	mb = (struct amplink_rsc_mailbox *)(t + off);
	if (mb->len < sizeof(*mb) || mb->magic != AMPLINK_MAILBOX_MAGIC)
		return NULL;
	return mb;
}

static int qemu_rproc_start(struct remoteproc *rproc)
{
	struct amplink_qemu *q = rproc->priv;

	if (q->pid > 0)
		qemu_process_end(q);
	if (!q->cfg.boot_stub && strncmp(q->cfg.machine, "mps2", 4) == 0) {
		metal_err("qemu: %s needs the boot stub (boot-%s.elf): none configured",
			  q->cfg.machine, q->cfg.machine);
		return -RPROC_EINVAL;
	}
	q->mb = qemu_find_mailbox(rproc);
	if (!q->mb) {
		metal_err("qemu: the image has no mailbox entry in shared RAM: cannot drive it");
		return -RPROC_EINVAL;
	}
	QEMU_MB(q, to_remote) = 0;
	QEMU_MB(q, to_host) = 0;
	QEMU_MB(q, heartbeat) = 0;
	QEMU_MB(q, state) = AMPLINK_MAILBOX_BOOT;
	q->seen_to_host = 0;
	q->last_hb = 0;
	q->pool_next = q->cfg.pool_offset;
	q->paused = 0;
	q->crashed = 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (qemu_process_spawn(q) != 0)
		return -RPROC_ENODEV;
	q->last_hb_ms = qemu_now_ms();
	if (qemu_qmp_execute(q, "cont") != 0) {
		qemu_process_end(q);
		return -RPROC_ENODEV;
	}
	return 0;
}

static int qemu_rproc_stop(struct remoteproc *rproc)
{
	struct amplink_qemu *q = rproc->priv;

	qemu_process_end(q);
	q->mb = NULL;
	return 0;
}

static int qemu_rproc_notify(struct remoteproc *rproc, uint32_t id)
{
	struct amplink_qemu *q = rproc->priv;
	(void)id;
	if (!q->mb)
		return -RPROC_ENODEV;
	__atomic_thread_fence(__ATOMIC_RELEASE); /* ring contents before the kick */
	QEMU_MB(q, to_remote) = QEMU_MB(q, to_remote) + 1u;
	return 0;
}

static const struct remoteproc_ops qemu_rproc_ops = {
	.init = qemu_rproc_init,
	.remove = qemu_rproc_remove,
	.mmap = qemu_rproc_mmap,
	.handle_rsc = qemu_rproc_handle_rsc,
	.start = qemu_rproc_start,
	.stop = qemu_rproc_stop,
	.shutdown = qemu_rproc_stop,
	.notify = qemu_rproc_notify,
};

const struct remoteproc_ops *amplink_qemu_rproc_ops(void)
{
	return &qemu_rproc_ops;
}
