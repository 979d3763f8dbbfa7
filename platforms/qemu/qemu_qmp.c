/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A minimal QMP client: connects to QEMU's socket, reads the greeting, enters
 * command mode, runs argument-less commands (cont, stop, system_reset, quit)
 * and waits for their reply, skipping asynchronous events. Messages are JSON
 * objects one per line, parsed with libjansson.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>
#include <metal/log.h>

#include "qemu_private.h"

#define QMP_REPLY_MS 3000

/* Reads one message (a line) into a jansson object. Returns it or NULL. */
static json_t *qmp_read(struct amplink_qemu *q, uint64_t deadline)
{
	for (;;) {
		char *nl = memchr(q->qmp_buf, '\n', q->qmp_have);
		struct pollfd pfd = {q->qmp_fd, POLLIN, 0};
		uint64_t now = qemu_now_ms();
		ssize_t n;

		if (nl) {
			size_t len = (size_t)(nl - q->qmp_buf) + 1;
			json_t *msg = json_loadb(q->qmp_buf, len, 0, NULL);

			memmove(q->qmp_buf, q->qmp_buf + len, q->qmp_have - len);
			q->qmp_have -= len;
			if (msg && json_is_object(msg))
				return msg;
			json_decref(msg);
			continue;
		}
		if (q->qmp_have == sizeof(q->qmp_buf)) {
			metal_err("qemu: QMP message longer than %zu bytes", sizeof(q->qmp_buf));
			return NULL;
		}
		if (now >= deadline || poll(&pfd, 1, (int)(deadline - now)) <= 0)
			return NULL;
		n = read(q->qmp_fd, q->qmp_buf + q->qmp_have, sizeof(q->qmp_buf) - q->qmp_have);
		if (n <= 0)
			return NULL;
		q->qmp_have += (size_t)n;
	}
}

static int qmp_send(struct amplink_qemu *q, const char *command)
{
	json_t *cmd = json_pack("{s:s}", "execute", command);
	char *text = cmd ? json_dumps(cmd, JSON_COMPACT) : NULL;
	int ret = -1;

	if (text) {
		size_t len = strlen(text);

		text[len] = '\n'; /* replaces the NUL: written with its length */
		/* MSG_NOSIGNAL: a QEMU that died must be an error here, not a SIGPIPE. */
		ret = send(q->qmp_fd, text, len + 1, MSG_NOSIGNAL) == (ssize_t)(len + 1) ? 0 : -1;
		free(text);
	}
	json_decref(cmd);
	return ret;
}

int qemu_qmp_execute(struct amplink_qemu *q, const char *command)
{
	uint64_t deadline = qemu_now_ms() + QMP_REPLY_MS;
	json_t *msg;

	if (q->qmp_fd < 0 || qmp_send(q, command) != 0) {
		metal_err("qemu: QMP %s: not connected", command);
		return -1;
	}
	while ((msg = qmp_read(q, deadline)) != NULL) {
		int done = json_object_get(msg, "return") != NULL;
		int failed = json_object_get(msg, "error") != NULL;

		json_decref(msg);
		if (done)
			return 0;
		if (failed) {
			metal_err("qemu: QMP %s refused", command);
			return -1;
		}
	}
	/* "quit" may close the socket before its reply arrives */
	if (strcmp(command, "quit") != 0)
		metal_err("qemu: QMP %s: no reply", command);
	return -1;
}

static int qmp_try_connect(struct amplink_qemu *q)
{
	struct sockaddr_un sa;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", q->qmp_path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int qemu_qmp_connect(struct amplink_qemu *q)
{
	uint64_t deadline = qemu_now_ms() + q->cfg.start_ms;
	struct timespec ts = {0, 10 * 1000 * 1000};
	json_t *greeting;

	q->qmp_have = 0;
	while ((q->qmp_fd = qmp_try_connect(q)) < 0) {
		if (!qemu_process_alive(q) || qemu_now_ms() >= deadline)
			return -1;
		nanosleep(&ts, NULL);
	}
	unlink(q->qmp_path); /* connected: the name is no longer needed */
	greeting = qmp_read(q, qemu_now_ms() + QMP_REPLY_MS);
	if (!greeting || !json_object_get(greeting, "QMP")) {
		json_decref(greeting);
		metal_err("qemu: no QMP greeting");
		return -1;
	}
	json_decref(greeting);
	return qemu_qmp_execute(q, "qmp_capabilities");
}

void qemu_qmp_close(struct amplink_qemu *q)
{
	if (q->qmp_fd >= 0)
		close(q->qmp_fd);
	q->qmp_fd = -1;
	q->qmp_have = 0;
}
