/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internals of the QEMU remoteproc backend: the backend's state and the
 * functions its files share (shared RAM file, QEMU process, QMP client,
 * liveness watch).
 */
#ifndef AMPLINK_QEMU_PRIVATE_H
#define AMPLINK_QEMU_PRIVATE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <amplink/qemu_rproc.h>
#include <metal/io.h>
#include <openamp/remoteproc.h>

#define QEMU_RAM_SIZE 0x01000000u /* the boards' shared RAM is exactly 16 MiB */

struct amplink_qemu {
	struct amplink_qemu_config cfg;
	char shm_path[64]; /* the path QEMU opens: /proc/self/fd/<shm_fd> */
	int shm_fd;	   /* the shared RAM file (already unlinked) */
	char qmp_path[108];
	void *ram; /* the mapped file: guest cfg.ram_base .. + QEMU_RAM_SIZE */
	metal_phys_addr_t ram_pa;
	struct metal_io_region ram_io;
	struct remoteproc_mem ram_mem;
	size_t pool_next; /* bump allocator for host-placed vrings and buffers */
	pid_t pid;	  /* QEMU, or 0 */
	int exit_status;  /* wait status once reaped, else -1 */
	int qmp_fd;	  /* QMP socket, or -1 */
	char qmp_buf[4096];
	size_t qmp_have;
	int paused;
	int crashed; /* a crash was reported since the last start */
	unsigned int starts;
	struct amplink_rsc_mailbox *mb; /* in the loaded resource table, or NULL */
	uint32_t seen_to_host;
	uint32_t last_hb;
	uint64_t last_hb_ms;
};

/* One word of the mailbox, read or written as the volatile word it is. */
#define QEMU_MB(q, field)                                                                          \
	(*(volatile uint32_t *)((char *)(q)->mb + offsetof(struct amplink_rsc_mailbox, field)))

/* Milliseconds of CLOCK_MONOTONIC. */
uint64_t qemu_now_ms(void);

/* Creates, sizes, maps and unlinks the RAM file. Returns 0 or -RPROC_ENOMEM (logged). */
int qemu_shm_create(struct amplink_qemu *q);
/* Unmaps and closes the file. */
void qemu_shm_destroy(struct amplink_qemu *q);

/* Starts QEMU paused (-S) with the shared RAM and a QMP socket. Returns 0 or -RPROC_ENODEV. */
int qemu_process_spawn(struct amplink_qemu *q);
/* Reaps QEMU if it exited. Returns 1 while it runs, 0 once gone. */
int qemu_process_alive(struct amplink_qemu *q);
/* Ends QEMU: QMP quit, then SIGKILL after a grace period; reaps it. */
void qemu_process_end(struct amplink_qemu *q);

/* Connects to the QMP socket (retrying until cfg.start_ms) and negotiates. Returns 0 or -1. */
int qemu_qmp_connect(struct amplink_qemu *q);
/* Runs one argument-less QMP command and waits for its reply. Returns 0 or -1 (logged). */
int qemu_qmp_execute(struct amplink_qemu *q, const char *command);
/* Closes the QMP socket. */
void qemu_qmp_close(struct amplink_qemu *q);

/* The mailbox entry of the loaded table, checked to lie in the shared RAM, or NULL. */
struct amplink_rsc_mailbox *qemu_find_mailbox(struct remoteproc *rproc);

#endif
