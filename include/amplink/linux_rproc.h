/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * remoteproc for a remote that is a Linux process. The "firmware" is an ELF
 * executable for Linux that links amplink and carries a ".resource_table"
 * section. The host loads it through the standard remoteproc API (config,
 * load through an image store that reads the file, start, stop, shutdown)
 * with this backend's struct remoteproc_ops: the segments are staged in host
 * memory, carveouts and the trace buffer live in a shared "window" (a memfd
 * mapped at device address AMPLINK_LPR_WINDOW_DA), a copy of the parsed table
 * is put at the start of that window, and start forks and execs the file as
 * the remote of a linux-process link (include/amplink/linux_process.h) whose
 * vrings and buffers the transport lays out. Stop sends SIGTERM, then SIGKILL
 * after a timeout. A remote that dies on its own is reported crashed and can
 * be recovered (restarted with the same firmware). A remote started on its own
 * can be attached by name (it connects to the host's socket) and detached.
 *
 * The remote calls amplink_lp_remote_from_env() at start-up: it attaches to
 * the link, maps the window, finds its table copy and sends metal log output
 * to the RSC_TRACE buffer, which the host reads with amplink_lpr_trace_read().
 *
 * Window layout (device addresses): [DA, DA+64K) header and table copy;
 * [DA+64K, DA+8M) addresses a firmware may name itself (the trace buffer at
 * AMPLINK_LPR_TRACE_DA by convention); [DA+8M, DA+16M) carveouts that ask for
 * FW_RSC_U32_ADDR_ANY. Errors are negative errno values or negated
 * RPROC_* / AMPLINK_RPROC_ERR_* codes; amplink_lpr_strerror() names them.
 */
#ifndef AMPLINK_LINUX_RPROC_H
#define AMPLINK_LINUX_RPROC_H

#include <stddef.h>
#include <sys/types.h>

#include <amplink/linux_process.h>
#include <openamp/remoteproc.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Environment variable naming the window fd of an exec'd remote. */
#define AMPLINK_LPR_ENV_FD "AMPLINK_RPROC_FD"

#define AMPLINK_LPR_WINDOW_DA	0x60000000U
#define AMPLINK_LPR_WINDOW_SIZE (16U << 20)
#define AMPLINK_LPR_TABLE_MAX	(0x10000U - 0x100U)
#define AMPLINK_LPR_FIXED_DA	(AMPLINK_LPR_WINDOW_DA + 0x10000U)
#define AMPLINK_LPR_ANY_DA	(AMPLINK_LPR_WINDOW_DA + (8U << 20))
/* Conventional device address of a firmware's trace buffer. */
#define AMPLINK_LPR_TRACE_DA AMPLINK_LPR_FIXED_DA

/*
 * Errors of the remoteproc core (positive RPROC_* / AMPLINK_RPROC_ERR_* codes)
 * are returned as AMPLINK_LPR_RPROC_ERR(code), apart from negative errnos.
 */
#define AMPLINK_LPR_ERR_BASE	    1000
#define AMPLINK_LPR_RPROC_ERR(c)    (-(AMPLINK_LPR_ERR_BASE + (c)))
#define AMPLINK_LPR_IS_RPROC_ERR(e) ((e) <= -AMPLINK_LPR_ERR_BASE)

/* Default time between SIGTERM and SIGKILL when stopping. */
#define AMPLINK_LPR_STOP_TIMEOUT_MS 2000U

struct amplink_lpr;

/* Options of a remote; fill with amplink_lpr_config_init() first. */
struct amplink_lpr_config {
	/* Remote name: attach socket name and memfd label; NULL = "remote". */
	const char *name;
	/* How the host side waits (see enum amplink_lp_wait_mode). */
	enum amplink_lp_wait_mode wait_mode;
	/* Announcements from the remote that no host endpoint claims; may be NULL. */
	rpmsg_ns_bind_cb ns_bind_cb;
	/* Application data (amplink_lp_priv() of the link, amplink_lpr_priv()). */
	void *priv;
	/* Extra arguments for the firmware (NULL-terminated), or NULL. */
	char *const *args;
	/* Called while a large image is read: @done of @total bytes; may be NULL. */
	void (*progress)(size_t done, size_t total, void *priv);
	/* Called before the link goes away (stop, crash, detach): destroy endpoints. */
	void (*link_down)(struct amplink_lpr *r, void *priv);
	/* SIGTERM to SIGKILL delay in ms; 0 = AMPLINK_LPR_STOP_TIMEOUT_MS. */
	unsigned int stop_timeout_ms;
};

/* How the last remote process ended (amplink_lpr_exit_info). */
struct amplink_lpr_exit {
	int valid;  /* 1 once a process was reaped */
	int code;   /* exit code when !signal */
	int signal; /* the killing signal, or 0 */
	int by_us;  /* 1 when we stopped it */
};

/* amplink_lpr_config_init() - defaults: no name, BLOCKING, no callbacks. */
void amplink_lpr_config_init(struct amplink_lpr_config *cfg);

/*
 * amplink_lpr_create() - a remote in state offline: remoteproc_init with this
 * backend's ops and the shared window. metal_init() must have run. Returns 0
 * and sets *@out, or a negative errno.
 */
int amplink_lpr_create(const struct amplink_lpr_config *cfg, struct amplink_lpr **out);

/*
 * amplink_lpr_load() - remoteproc_config + remoteproc_load of @firmware (an
 * ELF file path), then check the table has one rpmsg vdev with two vrings.
 * Shows progress through cfg.progress for images over 1 MB. Returns 0 or a
 * negative error (amplink_lpr_strerror names it).
 */
int amplink_lpr_load(struct amplink_lpr *r, const char *firmware);

/*
 * amplink_lpr_start() - remoteproc_start: create the link, exec the firmware.
 * Returns 0 or a negative error.
 */
int amplink_lpr_start(struct amplink_lpr *r);

/*
 * amplink_lpr_stop() - remoteproc_stop then remoteproc_shutdown: SIGTERM, wait,
 * SIGKILL after the timeout, reap, tear the link down. Returns 0 or a
 * negative error.
 */
int amplink_lpr_stop(struct amplink_lpr *r);

/*
 * amplink_lpr_check() - look at the remote now (blocks only when the process
 * left the link: up to 2 s for it to exit): a process that ended is reaped;
 * one that exited with 0 moves the remote to offline,
 * any other end (signal, non-zero code, link lost) to crashed. Returns the
 * state (RPROC_RUNNING, RPROC_OFFLINE, RPROC_ERROR, ...).
 */
int amplink_lpr_check(struct amplink_lpr *r);

/*
 * amplink_lpr_set_recovery() / amplink_lpr_recover() - enable crash recovery;
 * restart a crashed remote with the same firmware (link_down runs first).
 * Returns 0 or a negative error.
 */
int amplink_lpr_set_recovery(struct amplink_lpr *r, int enabled);
int amplink_lpr_recover(struct amplink_lpr *r);

/*
 * amplink_lpr_attach() - take charge of a remote started on its own: listen
 * on the default socket of cfg.name and wait up to @timeout_ms for it to
 * connect. Returns 0 (state attached), -ETIMEDOUT or a negative error.
 */
int amplink_lpr_attach(struct amplink_lpr *r, int timeout_ms);

/*
 * amplink_lpr_detach() - let an attached remote go without stopping it (it
 * sees the host leave). Returns 0 or a negative error.
 */
int amplink_lpr_detach(struct amplink_lpr *r);

/* amplink_lpr_destroy() - stop if running, detach if attached, free. NULL ok. */
void amplink_lpr_destroy(struct amplink_lpr *r);

/* Accessors (any thread that owns @r). */
struct remoteproc *amplink_lpr_remoteproc(struct amplink_lpr *r);
struct amplink_lp *amplink_lpr_link(struct amplink_lpr *r); /* NULL when no link */
pid_t amplink_lpr_pid(const struct amplink_lpr *r);	    /* 0 when none */
void *amplink_lpr_priv(const struct amplink_lpr *r);
const char *amplink_lpr_firmware(const struct amplink_lpr *r);
unsigned int amplink_lpr_restarts(const struct amplink_lpr *r);
void amplink_lpr_exit_info(const struct amplink_lpr *r, struct amplink_lpr_exit *out);

/*
 * amplink_lpr_trace_read() - copy the newest bytes of the remote's trace
 * ring (at most @len - 1, NUL-terminated) into @buf. The ring is untrusted:
 * a bad header gives -EPROTO. Returns the byte count, -ENOENT when there is
 * no trace buffer.
 */
long amplink_lpr_trace_read(struct amplink_lpr *r, char *buf, size_t len);

/* amplink_lpr_strerror() - a sentence for an error from this API. */
const char *amplink_lpr_strerror(int err);

/*
 * amplink_lp_remote_from_env() - remote side start-up: attach to the link of
 * the host that exec'd us (amplink_lp_remote_open), map the window named by
 * AMPLINK_LPR_ENV_FD (if set), and send metal log output to the trace buffer
 * of the table copy. Returns 0 and sets *@lp, or a negative errno (-ENOENT:
 * not started by a host).
 */
int amplink_lp_remote_from_env(const struct amplink_lp_config *cfg, struct amplink_lp **lp);

/*
 * amplink_lpr_remote_table() - remote side: the table copy the host put in
 * the window (validated header), or NULL; *@len gets its size.
 */
const struct resource_table *amplink_lpr_remote_table(size_t *len);

/*
 * amplink_lpr_trace_printf() - remote side: append one formatted line to the
 * trace buffer (no-op without one). Thread-safe.
 */
void amplink_lpr_trace_printf(const char *fmt, ...);

#ifdef __cplusplus
}
#endif

#endif /* AMPLINK_LINUX_RPROC_H */
