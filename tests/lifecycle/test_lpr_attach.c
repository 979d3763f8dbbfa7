/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Attach and detach: echo_fw (path in argv[1]) started on its own with
 * --name waits for a host; the host attaches by name, messages flow, it
 * detaches (the remote keeps running), attaches again, detaches; stop is
 * refused for an attached remote; a remote that dies while attached is
 * reported crashed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <amplink/remoteproc.h>
#include <metal/sys.h>

#include "check.h"
#include "lpr_test.h"

static char lt_name[64];

static pid_t lt_spawn(const char *fw)
{
	pid_t pid = fork();

	if (pid == 0) {
		execl(fw, fw, "--name", lt_name, "--lifetime", "60000", (char *)NULL);
		_exit(127);
	}
	return pid;
}

static struct amplink_lpr *lt_attach(void)
{
	struct amplink_lpr_config cfg;
	struct amplink_lpr *r = NULL;

	amplink_lpr_config_init(&cfg);
	cfg.name = lt_name;
	cfg.ns_bind_cb = lt_bind;
	cfg.link_down = lt_down;
	CHECK(amplink_lpr_create(&cfg, &r) == 0);
	if (!r)
		exit(check_summary());
	CHECK_EQ_INT(amplink_lpr_attach(r, 30000), 0);
	return r;
}

static void lt_session(pid_t fw_pid, const char *msg)
{
	struct amplink_lpr *r = lt_attach();

	CHECK(!strcmp(amplink_remoteproc_state_name(amplink_lpr_remoteproc(r)), "attached"));
	REQUIRE(lt_wait_epts(r, 3));
	CHECK(lt_echo(r, "rpmsg-echo", msg, msg));
	CHECK_EQ_INT(amplink_lpr_stop(r), -EOPNOTSUPP);
	CHECK_EQ_INT(amplink_lpr_detach(r), 0);
	CHECK(!strcmp(amplink_remoteproc_state_name(amplink_lpr_remoteproc(r)), "detached"));
	CHECK(lt_count() == 0);
	amplink_lpr_destroy(r);
	CHECK_EQ_INT(kill(fw_pid, 0), 0); /* still running */
}

static void lt_crash_while_attached(pid_t fw_pid)
{
	struct amplink_lpr *r = lt_attach();
	long long end = lt_ms() + 20000;
	int st = RPROC_RUNNING, status;

	REQUIRE(lt_wait_epts(r, 3));
	kill(fw_pid, SIGKILL);
	CHECK_EQ_INT(waitpid(fw_pid, &status, 0), fw_pid);
	while (st == RPROC_RUNNING && lt_ms() < end) {
		amplink_lp_process(amplink_lpr_link(r), 20);
		st = amplink_lpr_check(r);
	}
	CHECK_EQ_INT(st, RPROC_ERROR);
	CHECK_EQ_INT(amplink_lpr_detach(r), 0);
	amplink_lpr_destroy(r);
}

int main(int argc, char **argv)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: %s ECHO_FW\n", argv[0]);
		return 2;
	}
	snprintf(lt_name, sizeof(lt_name), "lt-attach-%d", (int)getpid());
	params.log_level = METAL_LOG_CRITICAL;
	if (metal_init(&params) != 0)
		return 1;
	signal(SIGPIPE, SIG_IGN);
	pid = lt_spawn(argv[1]);
	if (pid <= 0)
		return 1;
	lt_session(pid, "first host");
	lt_session(pid, "second host");
	lt_crash_while_attached(pid);
	metal_finish();
	return check_summary();
}
