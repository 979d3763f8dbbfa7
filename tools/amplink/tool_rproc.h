/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared code of the remoteproc subcommands of the `amplink` tool: the
 * runtime directory, the supervisor that holds a started remote and its
 * control-socket protocol, the host endpoints bound to the remote's
 * announcements, loading with exact error messages, and echo round trips.
 * The supervisor reaches its remote only through a struct tool_backend: the
 * Linux-process backend (tool_be_lpr.c) and the QEMU one (tool_be_qemu.c).
 * With --proxy-root it also serves a directory and the console to the
 * remote's "amplink-proxy" endpoint (tool_proxy.c).
 *
 * Control protocol: the client connects to <rt>/<name>.ctl, sends one
 * request line ("status", "status-json", "stop", "trace", "detach",
 * "ping SIZE COUNT ENDPOINT"); the supervisor answers a first line
 * "<exit-code> <message>" and then the body, and closes.
 */
#ifndef AMPLINK_TOOL_RPROC_H
#define AMPLINK_TOOL_RPROC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <amplink/linux_rproc.h>
#include <openamp/rpmsg.h>

#define TOOL_NAME_MAX 32
#define TOOL_MAX_EPTS 16
#define TOOL_PATH_MAX 512

/* tool_rt.c: runtime directory and names */
int tool_rt_path(const char *name, const char *suffix, char *buf, size_t len);
int tool_name_ok(const char *name);
int tool_rt_dir(char *buf, size_t len);
void tool_name_from_firmware(const char *fw, char *name, size_t len);
long long tool_now_ns(void);

/* tool_client.c: one request to a supervisor */
int tool_request(const char *name, const char *req, FILE *out, int timeout_ms);
int tool_sup_alive(const char *name);

/* tool_ept.c: host endpoints bound to the remote's announcements */
struct tool_ept {
	struct rpmsg_endpoint ept;
	char name[RPMSG_NAME_SIZE];
	int used;
	/* a waiting round trip (ping) */
	void *wait_buf;
	size_t wait_cap;
	size_t wait_len;
	int wait_done;
};
void tool_ept_bind(struct rpmsg_device *rdev, const char *name, uint32_t dest);
void tool_ept_down(struct amplink_lpr *r, void *priv);
void tool_ept_drop_all(void);
struct tool_ept *tool_ept_find(const char *name);
struct tool_ept *tool_ept_at(int i);
int tool_ept_count(void);
long long tool_ept_first_ns(void);
void tool_ept_reset_first(void);
void tool_ept_set_verbose(FILE *f);

/* tool_proxy.c: the proxy host serving a directory to the remote (start --proxy-root) */
int tool_proxy_check_root(const char *root);
#define TOOL_PROXY_STDOUT "-" /* tool_proxy_open's console: our standard output */
int tool_proxy_open(const char *name, const char *root, const char *console);
int tool_proxy_bind(struct rpmsg_device *rdev, const char *name, uint32_t dest);
void tool_proxy_detach(void);
void tool_proxy_close(void);
void tool_proxy_status(FILE *out, int json);

/* tool_load.c: create + load with exact messages; returns an exit code */
struct tool_load_opts {
	const char *name;
	const char *firmware;
	char *const *args;
	int recovery;
};
int tool_load(const struct tool_load_opts *o, struct amplink_lpr **out);

/* tool_args.c: the options `start` and `run` share */
struct tool_remote_args {
	struct tool_load_opts o;
	const char *machine;	/* --qemu / --machine M (NULL: a Linux process) */
	const char *proxy_root; /* --proxy-root DIR */
	const char *console;	/* --console FILE */
};
/* Takes argv[*i] (and its value) when it is one of them. Returns 1 if taken, else 0. */
int tool_remote_opt(struct tool_remote_args *a, int argc, char **argv, int *i);
/*
 * Checks their combination (FIRMWARE given, no ARGS with --qemu, --console
 * only with --proxy-root: else the cause on stderr for `amplink @cmd`, and
 * AMPLINK_EXIT_USAGE, the caller prints its usage) and that the proxy root
 * is a directory (AMPLINK_EXIT_NOENT). Returns -1 to go on, or that exit code.
 */
int tool_remote_check(const struct tool_remote_args *a, const char *cmd);
int tool_exit_for(int err);

/* tool_ping.c: echo round trips on a bound endpoint */
struct tool_ping_result {
	unsigned int done;
	unsigned int errors;
	double min_us, median_us, p99_us, max_us, mean_us;
};
/* Runs the link for up to @timeout_ms; negative = the link is lost. */
typedef int (*tool_pump_fn)(void *ctx, unsigned int timeout_ms);
int tool_ping(tool_pump_fn pump, void *ctx, struct tool_ept *e, size_t size, unsigned int count,
	      struct tool_ping_result *res);
void tool_ping_print(FILE *out, const char *name, size_t size, const struct tool_ping_result *res);

/*
 * What the supervisor needs from a backend. Every op takes the backend's
 * object (tool_sup.r) and runs in the supervisor's single thread.
 */
struct remoteproc;
struct tool_backend {
	const char *kind;	  /* "process" or "qemu" */
	int pump_waits;		  /* 1: pump() waits itself (no fd to poll) */
	int (*start)(void *r);	  /* in the supervisor: run the remote; 0 or -err */
	int (*exit_for)(int err); /* exit code for an error of start() */
	const char *(*strerror)(int err);
	int (*poll_fd)(void *r); /* fd readable when the link has work, or -1 */
	tool_pump_fn pump;	 /* deliver the remote's messages */
	int (*crashed)(void *r); /* 1 when the remote crashed (after pump) */
	int (*recover)(void *r); /* restart a crashed remote; 0 or -err */
	struct remoteproc *(*rproc)(void *r);
	struct rpmsg_device *(*rpmsg)(void *r); /* NULL while the link is down */
	const char *(*firmware)(void *r);	/* "" when attached */
	int (*pid)(void *r);			/* process holding the remote, 0 = none */
	unsigned int (*restarts)(void *r);
	void (*status)(void *r, FILE *out, int json);	       /* backend-specific lines */
	long (*trace)(void *r, char *buf, size_t len);	       /* bytes or -err */
	int (*stop)(void *r);				       /* 0 or -EOPNOTSUPP (attached) */
	void (*stopped)(void *r, const char *name, FILE *out); /* the "stopped" line */
	int (*detach)(void *r);				       /* 0 or -err (not attached) */
	void (*destroy)(void *r);			       /* stop if needed, free */
};

/* tool_be_lpr.c: the Linux-process backend; r is a struct amplink_lpr. */
const struct tool_backend *tool_be_lpr(void);

/* tool_be_qemu.c: the QEMU backend (AMPLINK_TOOL_HAVE_QEMU builds only). */
struct tool_qemu_opts {
	const char *firmware;
	const char *machine; /* "mps2-an386" (default) or "riscv32-virt" */
	const char *name;
	int recovery;
};
int tool_qemu_load(const struct tool_qemu_opts *o, void **out);
const struct tool_backend *tool_be_qemu(void);

/* tool_sup.c / tool_sup_req.c: the supervisor */
struct tool_sup {
	const struct tool_backend *be;
	void *r; /* the backend's object */
	char name[TOOL_NAME_MAX + 1];
	int listen_fd;
	int recovery;
	int quit;
	long long started_ns;
	long long first_msg_ns;
	unsigned int crashes;
};
int tool_sup_listen(struct tool_sup *s);
void tool_sup_unlisten(struct tool_sup *s);
int tool_sup_run(struct tool_sup *s);
int tool_sup_handle(struct tool_sup *s, const char *req, FILE *out, int *code);
void tool_sup_status(struct tool_sup *s, FILE *out, int json);
int tool_daemonize(const char *name, int *ready_fd);
void tool_json_str(FILE *out, const char *s);

#endif
