/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A remote core emulated by QEMU, driven through remoteproc: the mailbox
 * resource entry shared by the firmware and the host (doorbells, heartbeat,
 * fault report: QEMU has no interrupt line towards the host), and the host's
 * remoteproc backend that starts QEMU paused with its RAM in a shared file,
 * loads the firmware into that RAM and controls the core through QMP.
 * The mailbox part is freestanding; the backend is Linux only.
 */
#ifndef AMPLINK_QEMU_RPROC_H
#define AMPLINK_QEMU_RPROC_H

#include <stdint.h>
#include <openamp/remoteproc.h>
#include <openamp/rpmsg.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ==== Mailbox resource entry (firmware and host) ======================== */

#define AMPLINK_RSC_MAILBOX   (RSC_VENDOR_START + 0x4d) /* vendor entry type */
#define AMPLINK_MAILBOX_MAGIC 0x584f424dU		/* "MBOX" */

/* What the remote last wrote in amplink_rsc_mailbox.state. */
enum amplink_mailbox_state {
	AMPLINK_MAILBOX_BOOT = 0,  /* loaded, not yet running the runtime */
	AMPLINK_MAILBOX_READY = 1, /* runtime up, serving */
	AMPLINK_MAILBOX_FAULT = 2, /* faulted: fault_cause/fault_pc tell where */
};

/*
 * The entry: the host increments to_remote to kick the remote, the remote
 * increments to_host to kick the host and heartbeat while it runs. Each side
 * only writes its own words. len is the whole entry's size.
 */
METAL_PACKED_BEGIN
struct amplink_rsc_mailbox {
	uint32_t type;	      /* AMPLINK_RSC_MAILBOX */
	uint32_t len;	      /* sizeof(struct amplink_rsc_mailbox) */
	uint32_t magic;	      /* AMPLINK_MAILBOX_MAGIC */
	uint32_t to_remote;   /* host -> remote doorbell (host writes) */
	uint32_t to_host;     /* remote -> host doorbell (remote writes) */
	uint32_t heartbeat;   /* remote's liveness counter (remote writes) */
	uint32_t state;	      /* enum amplink_mailbox_state (remote writes) */
	uint32_t fault_cause; /* exception number of the fault (remote writes) */
	uint32_t fault_pc;    /* PC of the faulting instruction, 0 = unknown */
	uint32_t reserved[3];
} METAL_PACKED_END;

/* ==== Host backend (Linux) ============================================== */

/* How to run the emulated core. NULL / 0 members take the defaults. */
struct amplink_qemu_config {
	const char *qemu;	   /* executable, default "qemu-system-arm" (PATH) */
	const char *machine;	   /* -M value, default "mps2-an386" */
	const char *boot_stub;	   /* ELF loaded at reset (-kernel); mps2 needs one */
	const char *console;	   /* file receiving the guest's UART, NULL = discard */
	uint64_t ram_base;	   /* guest address of the shared RAM, default 0x21000000 */
	uint64_t pool_offset;	   /* where host-placed vrings/buffers start in it, 2 MiB */
	unsigned int heartbeat_ms; /* silence that counts as a crash, default 1000 */
	unsigned int start_ms;	   /* time QEMU gets to open its QMP socket, default 5000 */
};

struct amplink_qemu;

/* Where amplink_qemu_poll found the remote. */
struct amplink_qemu_status {
	int qemu_running;     /* QEMU process alive */
	int qemu_pid;	      /* its process id, 0 when none */
	int paused;	      /* stopped through QMP */
	int exit_status;      /* wait status once QEMU exited, else -1 */
	uint32_t heartbeat;   /* last value read */
	uint32_t state;	      /* enum amplink_mailbox_state */
	uint32_t fault_cause; /* valid when state is AMPLINK_MAILBOX_FAULT */
	uint32_t fault_pc;
	unsigned int starts; /* QEMU processes started so far */
};

/**
 * amplink_qemu_create - set up the shared RAM of one emulated core
 * @cfg: configuration (copied; strings must stay valid while in use)
 *
 * Creates and maps a 16 MiB file in /dev/shm (unlinked by amplink_qemu_destroy).
 * Nothing runs yet: pass the result as the priv argument of remoteproc_init
 * with amplink_qemu_rproc_ops(). Returns the backend or NULL (logged).
 */
struct amplink_qemu *amplink_qemu_create(const struct amplink_qemu_config *cfg);

/**
 * amplink_qemu_destroy - end QEMU if it runs, unmap and remove the shared RAM
 * @q: backend from amplink_qemu_create (NULL is ignored); call after remoteproc_remove
 */
void amplink_qemu_destroy(struct amplink_qemu *q);

/**
 * amplink_qemu_rproc_ops - the remoteproc platform ops of the QEMU backend
 *
 * start spawns QEMU paused (-S) with the shared RAM and a QMP socket, then
 * resumes it ("cont"); stop and shutdown end it ("quit", then SIGKILL);
 * notify rings the mailbox. Returns a static table.
 */
const struct remoteproc_ops *amplink_qemu_rproc_ops(void);

/**
 * amplink_qemu_poll - deliver the remote's kicks and watch that it lives
 * @rproc: remoteproc created with amplink_qemu_rproc_ops
 * @timeout_ms: how long to wait for a kick (0 = just look)
 *
 * Spins (with short sleeps) on the mailbox until the remote kicks, then calls
 * remoteproc_get_notification for every vring. Checks QEMU is alive, the
 * remote did not report a fault and its heartbeat moves (unless paused); on a
 * crash calls amplink_remoteproc_crashed once. Call from one thread.
 * Returns 1 (kick delivered), 0 (timeout), or -RPROC_ENODEV (crashed / not running).
 */
int amplink_qemu_poll(struct remoteproc *rproc, unsigned int timeout_ms);

/**
 * amplink_qemu_pause - pause (@pause != 0) or resume the core through QMP
 * @rproc: a running remote
 *
 * The heartbeat check is suspended while paused. Returns 0 or -RPROC_ENODEV.
 */
int amplink_qemu_pause(struct remoteproc *rproc, int pause);

/**
 * amplink_qemu_get_status - what the backend knows about the remote
 * @rproc: remoteproc created with amplink_qemu_rproc_ops; @st: filled in
 *
 * Reads the mailbox; does not wait. Returns 0 or -RPROC_EINVAL.
 */
int amplink_qemu_get_status(struct remoteproc *rproc, struct amplink_qemu_status *st);

/**
 * amplink_qemu_trace - copy the remote's trace buffer (RSC_TRACE entry)
 * @rproc: remoteproc with a loaded resource table
 * @buf: destination, @size: its size (the copy is always NUL-terminated)
 *
 * Returns the number of bytes copied (without the NUL), or -RPROC_ENODEV when
 * the image has no trace buffer in shared RAM.
 */
int amplink_qemu_trace(struct remoteproc *rproc, char *buf, size_t size);

/* An image store reading an ELF file through mmap: open/close/load for remoteproc_load. */
struct amplink_qemu_store {
	void *map;
	size_t len;
};

/**
 * amplink_qemu_store_ops - image_store_ops over a struct amplink_qemu_store
 *
 * open maps the file named by the path read-only; close unmaps it. Returns a
 * static table.
 */
const struct image_store_ops *amplink_qemu_store_ops(void);

/* ---- One remote as one object (backend + remoteproc + rpmsg) ----------- */

struct amplink_qemu_remote;
struct rpmsg_device;

/**
 * amplink_qemu_remote_create - backend and remoteproc for one emulated core
 * @cfg: as for amplink_qemu_create; @machine: expected ELF e_machine (40 = ARM,
 * 243 = RISC-V, 0 = any); @out: the new object
 *
 * Returns 0 or -RPROC_ENOMEM (logged).
 */
int amplink_qemu_remote_create(const struct amplink_qemu_config *cfg, unsigned int machine,
			       struct amplink_qemu_remote **out);

/**
 * amplink_qemu_remote_boot - load @firmware, start it and bring up rpmsg
 * @r: the remote (whatever ran before is stopped first)
 * @firmware: ELF file path; @ns_bind: called for every service the remote
 *            announces (create the host endpoint there), may be NULL
 *
 * Announcements arrive while amplink_qemu_poll runs. On an mps2 board with
 * no boot stub configured, boot-<machine>.elf next to @firmware is used.
 * May sleep. Returns 0 or the negative error of the failing step (loader
 * errors are exact).
 */
int amplink_qemu_remote_boot(struct amplink_qemu_remote *r, const char *firmware,
			     rpmsg_ns_bind_cb ns_bind);

/**
 * amplink_qemu_remote_recover - after a crash: rpmsg down (endpoints unbound),
 * amplink_remoteproc_recover (same firmware, fresh QEMU), rpmsg up again.
 * Recovery must be enabled (amplink_remoteproc_set_recovery). Returns 0 or a
 * negative error.
 */
int amplink_qemu_remote_recover(struct amplink_qemu_remote *r);

/**
 * amplink_qemu_remote_stop - rpmsg down (endpoints unbound), QEMU ended,
 * remoteproc offline. Returns 0 or a negative error.
 */
int amplink_qemu_remote_stop(struct amplink_qemu_remote *r);

/* The remoteproc inside @r (for amplink_qemu_poll, state, trace), or NULL. */
struct remoteproc *amplink_qemu_remote_rproc(struct amplink_qemu_remote *r);

/* The rpmsg device while the remote is up, else NULL. */
struct rpmsg_device *amplink_qemu_remote_rpmsg(struct amplink_qemu_remote *r);

/* amplink_qemu_remote_destroy - stop and free everything (NULL is ignored). */
void amplink_qemu_remote_destroy(struct amplink_qemu_remote *r);

#ifdef __cplusplus
}
#endif

#endif /* AMPLINK_QEMU_RPROC_H */
