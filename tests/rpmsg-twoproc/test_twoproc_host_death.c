/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The host process SIGKILLed while its remote waits: the remote survives and
 * returns errors within a bounded time. The test process forks a host, which
 * forks the remote; the remote reports through a pipe it inherited from the
 * test process, which becomes its parent (child subreaper) once the host
 * died. The remote is blocked in rpmsg_send (every buffer in use), in
 * rpmsg_get_tx_payload_buffer, or in amplink_lp_process(lp, -1); afterwards
 * amplink_lp_process returns -EPIPE, sends RPMSG_ERR_DEV_STATE, buffer
 * requests NULL, and it detaches and exits normally. BLOCKING and ADAPTIVE
 * mode; with the argument "poll" in POLL mode (not under valgrind).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <metal/sys.h>

#include "check.h"
#include "twoproc.h"

#define VRING_NUM   8
#define BOUND_MS    3000 /* the survivor must notice within this (after the kill) */
#define HOST_ADDR   0x600u
#define REMOTE_ADDR 0x650u

/* Wait mode of both sides in the current test. */
static enum amplink_lp_wait_mode death_mode = AMPLINK_LP_WAIT_BLOCKING;

static int ignore_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)ept;
	(void)data;
	(void)len;
	(void)src;
	(void)priv;
	return RPMSG_SUCCESS;
}

enum wait_how { WAIT_SEND, WAIT_BUFFER, WAIT_PROCESS };

/* What the remote tells the test process (through a pipe it inherited). */
struct report {
	int32_t stage; /* 1: about to block, 2: done */
	int32_t pid;
	int32_t burst;	   /* sends that fitted before blocking */
	int32_t r_wait;	   /* result of the blocked call */
	int32_t ms;	   /* how long it was blocked */
	int32_t r_process; /* amplink_lp_process(lp, 0) afterwards */
	int32_t r_try;	   /* rpmsg_trysend afterwards */
	int32_t r_buf;	   /* 1 when rpmsg_get_tx_payload_buffer gave NULL afterwards */
};

struct waiter_arg {
	int fd;
	enum wait_how how;
};

/* The blocking call of variant @how. Returns its result (0/1 for the buffer). */
static int32_t remote_block(struct tp_link *l, struct rpmsg_endpoint *ept, enum wait_how how)
{
	unsigned char buf[32] = {0};
	uint32_t cap = 0;
	int ret;

	switch (how) {
	case WAIT_SEND:
		return tp_survivor_send(ept, buf, (int)sizeof(buf), HOST_ADDR, death_mode);
	case WAIT_BUFFER:
		return rpmsg_get_tx_payload_buffer(ept, &cap, 1) == NULL ? 0 : 1;
	default:
		do
			ret = amplink_lp_process(l->lp, -1);
		while (ret >= 0);
		return ret;
	}
}

static int remote_waiter(struct tp_link *l, void *arg)
{
	struct waiter_arg *a = arg;
	struct rpmsg_endpoint ept;
	struct report r;
	unsigned char buf[32] = {0};
	uint32_t cap = 0;
	long long t0;
	int ret;

	memset(&r, 0, sizeof(r));
	r.pid = (int32_t)getpid();
	if (rpmsg_create_ept(&ept, tp_rdev(l), "", REMOTE_ADDR, HOST_ADDR, ignore_cb, NULL))
		return 70;
	if (a->how != WAIT_PROCESS) {
		do
			ret = rpmsg_trysend(&ept, buf, (int)sizeof(buf));
		while (ret == (int)sizeof(buf) && ++r.burst < 100);
	}
	r.stage = 1;
	if (write(a->fd, &r, sizeof(r)) != (ssize_t)sizeof(r))
		return 71;
	t0 = tp_now_ms();
	r.r_wait = remote_block(l, &ept, a->how);
	r.ms = (int32_t)(tp_now_ms() - t0);
	r.r_process = amplink_lp_process(l->lp, 0);
	r.r_try = rpmsg_trysend(&ept, buf, 4);
	r.r_buf = rpmsg_get_tx_payload_buffer(&ept, &cap, 1) == NULL;
	rpmsg_destroy_ept(&ept);
	r.stage = 2;
	return write(a->fd, &r, sizeof(r)) == (ssize_t)sizeof(r) ? 0 : 72;
}

/* The host process: start the remote, then wait to be killed. */
static void host_process(int fd, enum wait_how how)
{
	struct waiter_arg a = {fd, how};
	struct tp_opts o;
	struct tp_link host;

	alarm(TP_ALARM_S);
	tp_opts_init(&o);
	o.mode = death_mode;
	o.vring_num = VRING_NUM;
	if (tp_start(&host, &o, remote_waiter, &a) != 0)
		_exit(1);
	close(fd);
	for (;;)
		pause();
}

static int read_report(int fd, struct report *r)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};

	if (poll(&p, 1, TP_STEP_MS) != 1)
		return -1;
	return read(fd, r, sizeof(*r)) == (ssize_t)sizeof(*r) ? 0 : -1;
}

/* Check the remote's final report. */
static void check_report(const struct report *r, enum wait_how how)
{
	printf("  remote unblocked with %d after %d ms\n", r->r_wait, r->ms);
	CHECK_EQ_INT(r->r_wait, how == WAIT_SEND     ? RPMSG_ERR_DEV_STATE
				: how == WAIT_BUFFER ? 0
						     : -EPIPE);
	CHECK(r->ms < 100 + BOUND_MS);
	CHECK_EQ_INT(r->r_process, -EPIPE);
	CHECK_EQ_INT(r->r_try, RPMSG_ERR_DEV_STATE);
	CHECK_EQ_INT(r->r_buf, 1);
}

static void host_death(enum wait_how how)
{
	struct report r;
	int p[2], status = 0;
	pid_t h, rpid;

	REQUIRE(pipe(p) == 0);
	REQUIRE(prctl(PR_SET_CHILD_SUBREAPER, 1) == 0); /* the orphaned remote comes to us */
	fflush(NULL);
	h = fork();
	if (h == 0) {
		close(p[0]);
		host_process(p[1], how);
	}
	close(p[1]);
	REQUIRE(h > 0);
	if (read_report(p[0], &r) == 0 && r.stage == 1) {
		rpid = (pid_t)r.pid;
		if (how != WAIT_PROCESS)
			CHECK_EQ_INT(r.burst, VRING_NUM);
		usleep(100000); /* let it block */
		kill(h, SIGKILL);
		CHECK_EQ_INT(waitpid(h, &status, 0), h);
		CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
		if (read_report(p[0], &r) == 0 && r.stage == 2) {
			check_report(&r, how);
		} else {
			CHECK(!"the remote reported within the step limit");
			kill(rpid, SIGKILL);
		}
		CHECK_EQ_INT(waitpid(rpid, &status, 0), rpid);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	} else {
		CHECK(0);
		kill(h, SIGKILL);
		waitpid(h, &status, 0);
	}
	close(p[0]);
	prctl(PR_SET_CHILD_SUBREAPER, 0);
}

/* The remote is blocked in rpmsg_send (every buffer in use) when the host dies. */
static void test_host_killed_remote_sending(void)
{
	host_death(WAIT_SEND);
}

/* The remote is blocked in rpmsg_get_tx_payload_buffer when the host dies. */
static void test_host_killed_remote_taking_buffer(void)
{
	host_death(WAIT_BUFFER);
}

/* The remote is blocked in amplink_lp_process(lp, -1) when the host dies. */
static void test_host_killed_remote_processing(void)
{
	host_death(WAIT_PROCESS);
}

/* ADAPTIVE mode. */
static void test_adaptive_host_killed_remote_sending(void)
{
	death_mode = AMPLINK_LP_WAIT_ADAPTIVE;
	host_death(WAIT_SEND);
	death_mode = AMPLINK_LP_WAIT_BLOCKING;
}

static void test_adaptive_host_killed_remote_processing(void)
{
	death_mode = AMPLINK_LP_WAIT_ADAPTIVE;
	host_death(WAIT_PROCESS);
	death_mode = AMPLINK_LP_WAIT_BLOCKING;
}

/* POLL mode (both sides spin). */
static void test_poll_host_killed_remote_sending(void)
{
	death_mode = AMPLINK_LP_WAIT_POLL;
	host_death(WAIT_SEND);
	death_mode = AMPLINK_LP_WAIT_BLOCKING;
}

static void test_poll_host_killed_remote_processing(void)
{
	death_mode = AMPLINK_LP_WAIT_POLL;
	host_death(WAIT_PROCESS);
	death_mode = AMPLINK_LP_WAIT_BLOCKING;
}

int main(int argc, char **argv)
{
	if (tp_init() < 0)
		return 2;
	if (argc > 1 && strcmp(argv[1], "poll") == 0) {
		TP_RUN(test_poll_host_killed_remote_sending);
		TP_RUN(test_poll_host_killed_remote_processing);
	} else {
		TP_RUN(test_host_killed_remote_sending);
		TP_RUN(test_host_killed_remote_taking_buffer);
		TP_RUN(test_host_killed_remote_processing);
		TP_RUN(test_adaptive_host_killed_remote_sending);
		TP_RUN(test_adaptive_host_killed_remote_processing);
	}
	metal_finish();
	return check_summary();
}
