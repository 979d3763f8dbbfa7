/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Harness of the two-process RPMsg tests: a host and a forked remote joined
 * by the Linux transport (platforms/linux-process), plus a control socket
 * between the two processes so that each step of a test happens at a known
 * moment (one side sends, then tells the other to look). Also: pumping the
 * link until a condition holds, an error-log counter, the device statistics,
 * and the watchdog alarm every process arms.
 */
#ifndef TWOPROC_H
#define TWOPROC_H

#include <stdint.h>
#include <sys/types.h>

#include <amplink/linux_process.h>
#include <amplink/rpmsg.h>
#include <openamp/rpmsg.h>
#include <openamp/rpmsg_virtio.h>

/* Limits: one step of a test, one process (watchdog alarm), in ms / s. */
#define TP_STEP_MS 8000
#define TP_ALARM_S 20
#define TP_PAYLOAD 496 /* payload bytes of a 512-byte buffer */

/* One side of a link as the tests see it. */
struct tp_link {
	struct amplink_lp *lp;
	int ctl;     /* control socket to the other process */
	int is_host; /* 1 on the host */
	pid_t pid;   /* host: the remote's pid */
	int reap;    /* host: reap the remote with waitpid (attached by socket) */
};

/* Body of the remote process; returns its exit status. */
typedef int (*tp_body)(struct tp_link *remote, void *arg);

/* Options of a pair; fill with tp_opts_init(). */
struct tp_opts {
	enum amplink_lp_wait_mode mode; /* both sides */
	unsigned int vring_num;		/* 0 = transport default */
	rpmsg_ns_bind_cb host_ns_cb;
	rpmsg_ns_bind_cb remote_ns_cb;
};

/* tp_opts_init() - BLOCKING, default vring size, no NS callbacks. */
void tp_opts_init(struct tp_opts *o);

/*
 * tp_start() - create the host, fork the remote running @body(@arg) with the
 * control socket, fill @host. Returns 0 or a negative errno.
 */
int tp_start(struct tp_link *host, const struct tp_opts *o, tp_body body, void *arg);

/*
 * tp_start_exec() - as tp_start, but the remote is this program exec'd
 * afresh ("--tp-remote BODY MODE CTLFD [SOCKET]", see tp_exec_remote_main):
 * with @by_socket it is an unrelated process that attaches through the
 * host's UNIX socket, otherwise it finds the inherited fds in the
 * environment (amplink_lp_start_remote_exec). Returns 0 or a negative errno.
 */
int tp_start_exec(struct tp_link *host, const struct tp_opts *o, int by_socket, const char *body);

/*
 * tp_exec_remote_main() - the exec'd remote: attach, run the body that
 * @lookup finds by name, detach. Returns the exit status, or -1 when argv
 * is not a remote's command line.
 */
int tp_exec_remote_main(int argc, char **argv, tp_body (*lookup)(const char *name));

/*
 * tp_finish() - wait up to TP_STEP_MS for the remote to exit, destroy the
 * host. Returns the remote's exit status, 128+signal if it was killed, or -1.
 */
int tp_finish(struct tp_link *host);

/* One side of a two-sided test, run on the host or (wrapped by TP_REMOTE) in the remote. */
typedef void (*tp_side)(struct tp_link *l);

/*
 * tp_run_roles() - run a test whose two sides can swap places: @victim on the
 * host and the remote body @remote_peer in the forked remote when
 * @host_is_victim, else @peer on the host and @remote_victim in the remote.
 * Returns what tp_finish returns (0: the remote passed), or -1 when the pair
 * did not start.
 */
int tp_run_roles(const struct tp_opts *o, int host_is_victim, tp_side victim, tp_side peer,
		 tp_body remote_victim, tp_body remote_peer);

/* tp_ctl_send() - send one word to the other process. Returns 0 or -1. */
int tp_ctl_send(struct tp_link *l, uint32_t v);

/*
 * tp_ctl_recv() - wait up to @timeout_ms for a word from the other process;
 * with @pump, run the rpmsg receive path meanwhile. Returns 0 or -1.
 */
int tp_ctl_recv(struct tp_link *l, uint32_t *v, int timeout_ms, int pump);

/* tp_ctl_expect() - tp_ctl_recv and compare with @want. Returns 0 or -1. */
int tp_ctl_expect(struct tp_link *l, uint32_t want, int pump);

/*
 * tp_pump_until() - run the receive path until *@counter >= @target or
 * @timeout_ms pass. Returns 0, -1 on timeout, or -2 when the peer is gone.
 */
int tp_pump_until(struct tp_link *l, const volatile int *counter, int target, int timeout_ms);

/* tp_pump_for() - run the receive path for @ms milliseconds. */
void tp_pump_for(struct tp_link *l, int ms);

/* Limit of tp_survivor_send outside BLOCKING mode (fails fast if a death goes unseen). */
#define TP_SPIN_SEND_US 5000000u

/*
 * tp_survivor_send() - the blocking send of a side whose peer may die: the
 * standard rpmsg_sendto (15 s limit) in BLOCKING @mode, otherwise
 * amplink_rpmsg_send_timeout with TP_SPIN_SEND_US. Returns as they do.
 */
int tp_survivor_send(struct rpmsg_endpoint *ept, const void *buf, int len, uint32_t dst,
		     enum amplink_lp_wait_mode mode);

/* tp_rdev() / tp_rvdev() - the rpmsg device of a side. */
struct rpmsg_device *tp_rdev(struct tp_link *l);
struct rpmsg_virtio_device *tp_rvdev(struct tp_link *l);

/* tp_stats() - the device counters of a side (zeroed on error). */
struct amplink_rpmsg_stats tp_stats(struct tp_link *l);

/* tp_log_install() - count error-level log lines (and print them). */
void tp_log_install(void);

/* tp_log_errors() - error-level lines logged since tp_log_install(). */
unsigned int tp_log_errors(void);

/* tp_now_ms() - monotonic milliseconds. */
long long tp_now_ms(void);

/* tp_fill() / tp_check() - a payload pattern derived from @seed. */
void tp_fill(void *buf, size_t len, uint32_t seed);
int tp_check(const void *buf, size_t len, uint32_t seed);

/*
 * tp_init() - metal_init (warnings and errors logged) and the watchdog alarm.
 * Returns 0 or -1.
 */
int tp_init(void);

/* The responder: an echo endpoint and a counting sink, driven by control words. */
#define TP_ECHO_ADDR  0x800u	  /* echoes every message back to its source */
#define TP_SINK_ADDR  0x801u	  /* checks sequence-numbered messages (tp_seq_fill) */
#define TP_CMD_READY  0x52454459u /* responder -> tester: endpoints exist */
#define TP_CMD_HALT   0x48u	  /* stop running the receive path ... */
#define TP_CMD_HALTED 0x68u	  /* ... acknowledged: nothing is consumed now */
#define TP_CMD_RUN    0x52u	  /* run the receive path again */
#define TP_CMD_COUNT  0x43u	  /* reply: sink messages, sink errors, echo errors */
#define TP_CMD_QUIT   0x51u	  /* destroy the endpoints and return */

/*
 * tp_responder() - serve the echo and sink endpoints on @l until TP_CMD_QUIT
 * (sends TP_CMD_READY first). Returns 0, or non-zero on an error (a failed
 * echo, a bad sink message, a lost control socket).
 */
int tp_responder(struct tp_link *l);

/* tp_remote_responder() - tp_responder() as a remote body (@arg unused). Returns its result. */
int tp_remote_responder(struct tp_link *l, void *arg);

/* tp_seq_fill() - a sink message: u32 @seq, then the pattern of @seq. */
void tp_seq_fill(void *buf, size_t len, uint32_t seq);

/* tp_seq_check() - 0 when @buf (>= 4 bytes) is message @seq of length @len. */
int tp_seq_check(const void *buf, size_t len, uint32_t seq);

/* tp_run() - arm the watchdog, then run one test function. */
#define TP_RUN(fn)                                                                                 \
	do {                                                                                       \
		alarm(TP_ALARM_S);                                                                 \
		RUN(fn);                                                                           \
	} while (0)

/* In a forked remote: start counting this process's own failures. */
#define TP_CHILD_BEGIN() (check_failures = 0, check_count = 0)
/* In a forked remote: the exit status that reports its failures. */
#define TP_CHILD_STATUS() (check_failures ? 1 : 0)

/*
 * TP_REMOTE(name, side) - define the remote body (tp_body) @name: it counts
 * the forked remote's own failures, runs @side(link) (its result, if any, is
 * ignored) and returns 1 if a check failed there, else 0. File scope, no ';'.
 */
#define TP_REMOTE(name, side)                                                                      \
	static int name(struct tp_link *l, void *arg)                                              \
	{                                                                                          \
		(void)arg;                                                                         \
		TP_CHILD_BEGIN();                                                                  \
		(void)side(l);                                                                     \
		return TP_CHILD_STATUS();                                                          \
	}

#endif /* TWOPROC_H */
