/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The QEMU process of the backend: started paused (-S) with the board's RAM
 * backed by the shared file, a QMP socket and the boot stub, its console
 * redirected to a file; reaped when it exits; ended with QMP "quit" and, if it
 * does not leave in time, SIGKILL.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <metal/log.h>

#include "qemu_private.h"

#define QEMU_ARGS_MAX 40

static void qemu_child(const struct amplink_qemu *q, char **argv)
{
	int fd = open("/dev/null", O_RDWR);

	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		if (!q->cfg.console)
			dup2(fd, 2);
	}
	if (q->cfg.console) {
		int log = open(q->cfg.console, O_WRONLY | O_CREAT | O_APPEND, 0600);

		if (log >= 0)
			dup2(log, 2);
	}
	fcntl(q->shm_fd, F_SETFD, 0); /* QEMU opens the RAM file as /proc/self/fd/N */
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL); /* a host that dies takes its spinning core along */
	execvp(argv[0], argv);
	_exit(127);
}

static void qemu_build_args(struct amplink_qemu *q, char **argv, char bufs[4][256])
{
	int n = 0;

	snprintf(bufs[0], sizeof(bufs[0]), "unix:%s,server=on,wait=off", q->qmp_path);
	snprintf(bufs[1], sizeof(bufs[1]),
		 "memory-backend-file,id=amplinkram,size=16M,mem-path=%s,share=on", q->shm_path);
	snprintf(bufs[2], sizeof(bufs[2]), "file:%s", q->cfg.console ? q->cfg.console : "");
	argv[n++] = (char *)q->cfg.qemu;
	argv[n++] = "-M";
	argv[n++] = (char *)q->cfg.machine;
	argv[n++] = "-m";
	argv[n++] = "16M";
	argv[n++] = "-nodefaults";
	argv[n++] = "-display";
	argv[n++] = "none";
	argv[n++] = "-net";
	argv[n++] = "none";
	argv[n++] = "-S";
	argv[n++] = "-qmp";
	argv[n++] = bufs[0];
	argv[n++] = "-object";
	argv[n++] = bufs[1];
	argv[n++] = "-machine";
	argv[n++] = "memory-backend=amplinkram";
	argv[n++] = "-serial";
	argv[n++] = q->cfg.console ? bufs[2] : "null";
	if (q->cfg.boot_stub) {
		argv[n++] = "-kernel";
		argv[n++] = (char *)q->cfg.boot_stub;
	} else {
		argv[n++] = "-bios"; /* riscv virt: reset jumps to the start of RAM */
		argv[n++] = "none";
	}
	argv[n] = NULL;
}

int qemu_process_spawn(struct amplink_qemu *q)
{
	char bufs[4][256];
	char *argv[QEMU_ARGS_MAX];
	pid_t pid;

	snprintf(q->qmp_path, sizeof(q->qmp_path), "/dev/shm/amplink-qemu-%d-%d.qmp", (int)getpid(),
		 q->shm_fd);
	unlink(q->qmp_path);
	qemu_build_args(q, argv, bufs);
	pid = fork();
	if (pid < 0) {
		metal_err("qemu: fork failed: %s", strerror(errno));
		return -RPROC_ENODEV;
	}
	if (pid == 0)
		qemu_child(q, argv);
	q->pid = pid;
	q->exit_status = -1;
	q->starts++;
	if (qemu_qmp_connect(q) != 0) {
		if (!qemu_process_alive(q) && WIFEXITED(q->exit_status) &&
		    WEXITSTATUS(q->exit_status) == 127)
			metal_err("qemu: cannot run '%s' (not installed?)", q->cfg.qemu);
		else
			metal_err("qemu: '%s' did not open its QMP socket", q->cfg.qemu);
		qemu_process_end(q);
		return -RPROC_ENODEV;
	}
	return 0;
}

int qemu_process_alive(struct amplink_qemu *q)
{
	int status;

	if (q->pid <= 0)
		return 0;
	if (waitpid(q->pid, &status, WNOHANG) == q->pid) {
		q->exit_status = status;
		q->pid = 0;
		return 0;
	}
	return 1;
}

void qemu_process_end(struct amplink_qemu *q)
{
	uint64_t deadline = qemu_now_ms() + 2000;
	struct timespec ts = {0, 5 * 1000 * 1000};

	if (q->pid > 0 && q->qmp_fd >= 0)
		qemu_qmp_execute(q, "quit");
	while (qemu_process_alive(q) && qemu_now_ms() < deadline)
		nanosleep(&ts, NULL);
	if (q->pid > 0) {
		kill(q->pid, SIGKILL);
		waitpid(q->pid, &q->exit_status, 0);
		q->pid = 0;
	}
	qemu_qmp_close(q);
	unlink(q->qmp_path);
}
