/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The QEMU backend of the supervisor (`amplink start FW --qemu`): the remote
 * is bare-metal firmware on an emulated core run by platforms/qemu
 * (amplink_qemu_remote_*). The parent checks the image and QEMU; the
 * supervisor creates the shared RAM, boots QEMU, polls the mailbox (there is
 * no fd to wait on) and recovers a crashed core when asked to.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <amplink/qemu_rproc.h>
#include <amplink/remoteproc.h>

#include "commands.h"
#include "tool_rproc.h"

#ifndef EM_RISCV
#define EM_RISCV 243
#endif

/*
 * amplink_qemu_poll spins (yields) while it waits, which costs a quarter of a
 * core when the supervisor idles. After this long without a kick the pump
 * looks every TOOL_QEMU_NAP_MS instead; the first kick brings the spin back.
 */
#define TOOL_QEMU_IDLE_NS (200LL * 1000 * 1000)
#define TOOL_QEMU_NAP_MS  2U

/* A board the tool knows how to emulate. */
struct tool_qemu_board {
	const char *name;    /* --machine value */
	const char *qemu;    /* executable */
	const char *machine; /* -M value */
	uint64_t ram_base;   /* guest address of the shared RAM */
	unsigned int em;     /* ELF e_machine of its firmware */
	const char *cpu;     /* for messages */
};

static const struct tool_qemu_board tool_qemu_boards[] = {
	{"mps2-an386", "qemu-system-arm", "mps2-an386", 0x21000000u, EM_ARM, "ARM"},
	{"riscv32-virt", "qemu-system-riscv32", "virt", 0x80000000u, EM_RISCV, "RISC-V"},
};

struct tool_qemu {
	struct amplink_qemu_remote *qr;
	struct amplink_qemu_config cfg;
	const struct tool_qemu_board *board;
	int recovery;
	unsigned int restarts;
	long long last_kick_ns; /* when the remote last kicked */
	char firmware[TOOL_PATH_MAX];
	char console[TOOL_PATH_MAX];
};

static const struct tool_qemu_board *tool_qemu_board(const char *machine)
{
	size_t i;

	for (i = 0; i < sizeof(tool_qemu_boards) / sizeof(tool_qemu_boards[0]); i++) {
		if (!strcmp(tool_qemu_boards[i].name, machine ? machine : "mps2-an386"))
			return &tool_qemu_boards[i];
	}
	return NULL;
}

static int tool_qemu_fail(const char *fw, const char *why, int code)
{
	fprintf(stderr, "amplink: %s: %s\n", fw, why);
	return code;
}

/* Checks the file is a 32-bit ELF for @b's CPU; returns an exit code. */
static int tool_qemu_precheck(const char *fw, const struct tool_qemu_board *b)
{
	Elf32_Ehdr eh;
	struct stat st;
	ssize_t n;
	int fd;

	if (stat(fw, &st) < 0)
		return tool_qemu_fail(fw, errno == ENOENT ? "no such file" : strerror(errno),
				      errno == ENOENT ? AMPLINK_EXIT_NOENT : AMPLINK_EXIT_FAILURE);
	if (!S_ISREG(st.st_mode))
		return tool_qemu_fail(fw, "not a regular file", AMPLINK_EXIT_BADIMAGE);
	fd = open(fw, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return tool_qemu_fail(fw, strerror(errno), AMPLINK_EXIT_FAILURE);
	n = read(fd, &eh, sizeof(eh));
	close(fd);
	if (n < EI_NIDENT || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0)
		return tool_qemu_fail(fw, "not an ELF file", AMPLINK_EXIT_BADIMAGE);
	if (eh.e_ident[EI_CLASS] != ELFCLASS32 || n < (ssize_t)sizeof(eh))
		return tool_qemu_fail(fw, "not a 32-bit ELF file (QEMU runs 32-bit firmware)",
				      AMPLINK_EXIT_BADIMAGE);
	if (eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_machine != b->em) {
		fprintf(stderr,
			"amplink: %s: not %s little-endian firmware (e_machine %u), "
			"--machine %s needs one\n",
			fw, b->cpu, (unsigned)eh.e_machine, b->name);
		return AMPLINK_EXIT_BADIMAGE;
	}
	return AMPLINK_EXIT_OK;
}

/* 1 when @exe is an executable file in $PATH. */
static int tool_qemu_in_path(const char *exe)
{
	const char *path = getenv("PATH"), *p, *end;
	char buf[TOOL_PATH_MAX];

	for (p = path ? path : "/usr/bin:/bin"; *p; p = *end ? end + 1 : end) {
		end = strchr(p, ':');
		if (!end)
			end = p + strlen(p);
		if (snprintf(buf, sizeof(buf), "%.*s/%s", (int)(end - p), p, exe) <
			    (int)sizeof(buf) &&
		    access(buf, X_OK) == 0)
			return 1;
	}
	return 0;
}

/*
 * tool_qemu_load() - check @o (image, board, QEMU) and prepare the backend
 * object; nothing runs until the supervisor calls start. Prints the error.
 * Returns an exit code; on AMPLINK_EXIT_OK *@out is set.
 */
int tool_qemu_load(const struct tool_qemu_opts *o, void **out)
{
	const struct tool_qemu_board *b = tool_qemu_board(o->machine);
	struct tool_qemu *q;
	int ret;

	if (!b) {
		fprintf(stderr, "amplink: unknown --machine '%s' (mps2-an386 or riscv32-virt)\n",
			o->machine);
		return AMPLINK_EXIT_USAGE;
	}
	ret = tool_qemu_precheck(o->firmware, b);
	if (ret != AMPLINK_EXIT_OK)
		return ret;
	if (!tool_qemu_in_path(b->qemu)) {
		fprintf(stderr, "amplink: %s not found in PATH (Debian: apt-get install %s)\n",
			b->qemu, b->em == EM_ARM ? "qemu-system-arm" : "qemu-system-misc");
		return AMPLINK_EXIT_FAILURE;
	}
	q = calloc(1, sizeof(*q));
	if (!q)
		return AMPLINK_EXIT_FAILURE;
	q->board = b;
	q->recovery = o->recovery;
	snprintf(q->firmware, sizeof(q->firmware), "%s", o->firmware);
	q->cfg.qemu = b->qemu;
	q->cfg.machine = b->machine;
	q->cfg.ram_base = b->ram_base;
	if (tool_rt_path(o->name, ".uart", q->console, sizeof(q->console)) == 0)
		q->cfg.console = q->console;
	*out = q;
	return AMPLINK_EXIT_OK;
}

static struct remoteproc *tool_qemu_rproc(void *r)
{
	return amplink_qemu_remote_rproc(((struct tool_qemu *)r)->qr);
}

/* In the supervisor: shared RAM, QEMU, load, run, rpmsg up. */
static int tool_qemu_start(void *r)
{
	struct tool_qemu *q = r;
	int ret = amplink_qemu_remote_create(&q->cfg, q->board->em, &q->qr);

	if (ret)
		return ret;
	if (q->recovery)
		amplink_remoteproc_set_recovery(tool_qemu_rproc(q), 1);
	return amplink_qemu_remote_boot(q->qr, q->firmware, tool_ept_bind);
}

/* The exit code for a remoteproc error of start (RPROC_* / AMPLINK_RPROC_ERR_*). */
static int tool_qemu_exit_for(int err)
{
	int c = -err;

	if ((c >= RPROC_ERR_RSC_TAB_TRUNC && c <= RPROC_ERR_RSC_TAB_NS) ||
	    (c > AMPLINK_RPROC_ERR_STATE && c <= AMPLINK_RPROC_ERR_RSC_NOTIFYID))
		return AMPLINK_EXIT_BADIMAGE;
	if (c == AMPLINK_RPROC_ERR_STATE || c == RPROC_ERR_LOADER_STATE)
		return AMPLINK_EXIT_STATE;
	return AMPLINK_EXIT_FAILURE;
}

static const char *tool_qemu_strerror(int err)
{
	/* the Linux-process backend's names cover every remoteproc code */
	if (err < 0 && -err <= AMPLINK_RPROC_ERR_RSC_NOTIFYID)
		return amplink_lpr_strerror(AMPLINK_LPR_RPROC_ERR(-err));
	return "unknown error";
}

static int tool_qemu_poll_fd(void *r)
{
	(void)r;
	return -1;
}

/* Looks at the mailbox every TOOL_QEMU_NAP_MS for up to @timeout_ms. */
static int tool_qemu_pump_idle(struct remoteproc *rp, unsigned int timeout_ms)
{
	unsigned int waited;
	int ret;

	for (waited = 0;; waited += TOOL_QEMU_NAP_MS) {
		ret = amplink_qemu_poll(rp, 0);
		if (ret != 0 || waited >= timeout_ms)
			return ret;
		usleep(TOOL_QEMU_NAP_MS * 1000U);
	}
}

/*
 * Runs the mailbox for up to @timeout_ms (spinning while the remote is busy,
 * napping while it is idle); sleeps when the core is not running.
 */
static int tool_qemu_pump(void *r, unsigned int timeout_ms)
{
	struct tool_qemu *q = r;
	struct remoteproc *rp = tool_qemu_rproc(q);
	int ret;

	if (!rp || rp->state != RPROC_RUNNING) {
		usleep(timeout_ms * 1000U);
		return -RPROC_ENODEV;
	}
	if (tool_now_ns() - q->last_kick_ns < TOOL_QEMU_IDLE_NS)
		ret = amplink_qemu_poll(rp, timeout_ms);
	else
		ret = tool_qemu_pump_idle(rp, timeout_ms);
	if (ret > 0)
		q->last_kick_ns = tool_now_ns();
	return ret;
}

static int tool_qemu_crashed(void *r)
{
	struct remoteproc *rp = tool_qemu_rproc(r);

	return rp && rp->state == RPROC_ERROR;
}

static int tool_qemu_recover(void *r)
{
	struct tool_qemu *q = r;

	tool_ept_drop_all();
	q->restarts++;
	return amplink_qemu_remote_recover(q->qr);
}

static struct rpmsg_device *tool_qemu_rpmsg(void *r)
{
	return amplink_qemu_remote_rpmsg(((struct tool_qemu *)r)->qr);
}

static const char *tool_qemu_firmware(void *r)
{
	return ((struct tool_qemu *)r)->firmware;
}

static int tool_qemu_pid(void *r)
{
	struct remoteproc *rp = tool_qemu_rproc(r);
	struct amplink_qemu_status st;

	if (!rp || amplink_qemu_get_status(rp, &st) != 0)
		return 0;
	return st.qemu_pid;
}

static unsigned int tool_qemu_restarts(void *r)
{
	return ((struct tool_qemu *)r)->restarts;
}

static const char *tool_qemu_mailbox_name(uint32_t state)
{
	switch (state) {
	case AMPLINK_MAILBOX_BOOT:
		return "boot";
	case AMPLINK_MAILBOX_READY:
		return "ready";
	case AMPLINK_MAILBOX_FAULT:
		return "fault";
	default:
		return "invalid";
	}
}

/* Board, heartbeat, mailbox state and fault, as read from the mailbox now. */
static void tool_qemu_status(void *r, FILE *out, int json)
{
	struct tool_qemu *q = r;
	struct amplink_qemu_status st;
	int fault;

	if (amplink_qemu_get_status(tool_qemu_rproc(q), &st) != 0)
		memset(&st, 0, sizeof(st));
	fault = st.state == AMPLINK_MAILBOX_FAULT;
	if (json) {
		fprintf(out,
			",\"qemu\":{\"machine\":\"%s\",\"running\":%s,\"paused\":%s,"
			"\"heartbeat\":%u,\"mailbox\":\"%s\"",
			q->board->name, st.qemu_running ? "true" : "false",
			st.paused ? "true" : "false", (unsigned)st.heartbeat,
			tool_qemu_mailbox_name(st.state));
		if (fault)
			fprintf(out, ",\"fault_cause\":%u,\"fault_pc\":%u",
				(unsigned)st.fault_cause, (unsigned)st.fault_pc);
		fprintf(out, "}");
		return;
	}
	fprintf(out, "platform:  qemu %s, %s%s, heartbeat %u, mailbox %s\n", q->board->name,
		st.qemu_running ? "running" : "not running", st.paused ? " (paused)" : "",
		(unsigned)st.heartbeat, tool_qemu_mailbox_name(st.state));
	if (fault)
		fprintf(out, "fault:     exception %u at pc 0x%08x\n", (unsigned)st.fault_cause,
			(unsigned)st.fault_pc);
}

static long tool_qemu_trace(void *r, char *buf, size_t len)
{
	return amplink_qemu_trace(tool_qemu_rproc(r), buf, len);
}

static int tool_qemu_stop(void *r)
{
	tool_ept_drop_all();
	return amplink_qemu_remote_stop(((struct tool_qemu *)r)->qr);
}

static void tool_qemu_stopped(void *r, const char *name, FILE *out)
{
	(void)r;
	fprintf(out, "stopped %s (QEMU ended)\n", name);
}

static int tool_qemu_detach(void *r)
{
	(void)r;
	return -EOPNOTSUPP;
}

static void tool_qemu_destroy(void *r)
{
	struct tool_qemu *q = r;

	if (!q)
		return;
	tool_ept_drop_all();
	amplink_qemu_remote_destroy(q->qr);
	free(q);
}

static const struct tool_backend tool_qemu_backend = {
	.kind = "qemu",
	.pump_waits = 1,
	.start = tool_qemu_start,
	.exit_for = tool_qemu_exit_for,
	.strerror = tool_qemu_strerror,
	.poll_fd = tool_qemu_poll_fd,
	.pump = tool_qemu_pump,
	.crashed = tool_qemu_crashed,
	.recover = tool_qemu_recover,
	.rproc = tool_qemu_rproc,
	.rpmsg = tool_qemu_rpmsg,
	.firmware = tool_qemu_firmware,
	.pid = tool_qemu_pid,
	.restarts = tool_qemu_restarts,
	.status = tool_qemu_status,
	.trace = tool_qemu_trace,
	.stop = tool_qemu_stop,
	.stopped = tool_qemu_stopped,
	.detach = tool_qemu_detach,
	.destroy = tool_qemu_destroy,
};

/* tool_be_qemu() - the QEMU backend. Returns a static table. */
const struct tool_backend *tool_be_qemu(void)
{
	return &tool_qemu_backend;
}
