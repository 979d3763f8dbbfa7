/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The supervisor behind `amplink start` and `amplink attach`: a daemon per
 * remote that owns the remote (its shared memory, link and process),
 * listens on <rt>/<name>.ctl (mode 0600, directory 0700), serves one request
 * per connection, runs the link, notices a process that ended, and restarts
 * a crashed remote when recovery is on. It logs to <rt>/<name>.log.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <metal/log.h>

#include "commands.h"
#include "tool_rproc.h"

#define TOOL_SUP_MAX_RESTARTS 5

static volatile sig_atomic_t tool_sup_term;

static void tool_sup_on_term(int sig)
{
	(void)sig;
	tool_sup_term = 1;
}

/*
 * tool_sup_listen() - bind and listen on the control socket of s->name.
 * Returns 0, -EADDRINUSE when a live supervisor has the name, or -errno.
 */
int tool_sup_listen(struct tool_sup *s)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char path[TOOL_PATH_MAX], *slash;
	int fd;

	if (tool_rt_path(s->name, ".ctl", path, sizeof(path)) < 0 ||
	    strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	if (tool_sup_alive(s->name))
		return -EADDRINUSE;
	slash = strrchr(path, '/');
	*slash = '\0';
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return -errno;
	*slash = '/';
	unlink(path); /* stale: nobody answered */
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || chmod(path, 0600) < 0 ||
	    listen(fd, 8) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	s->listen_fd = fd;
	return 0;
}

/* tool_sup_unlisten() - close and remove the control socket. */
void tool_sup_unlisten(struct tool_sup *s)
{
	char path[TOOL_PATH_MAX];

	if (s->listen_fd >= 0)
		close(s->listen_fd);
	s->listen_fd = -1;
	if (tool_rt_path(s->name, ".ctl", path, sizeof(path)) == 0)
		unlink(path);
}

/* Reads one request line (bounded, 2 s) and answers it. */
static void tool_sup_serve_one(struct tool_sup *s, int c)
{
	char req[256];
	size_t n = 0;
	char *body = NULL;
	size_t blen = 0;
	FILE *out;
	int code = 0;

	while (n < sizeof(req) - 1) {
		struct pollfd p = {.fd = c, .events = POLLIN};
		ssize_t r;

		if (poll(&p, 1, 2000) <= 0)
			break;
		r = read(c, req + n, 1);
		if (r <= 0 || req[n] == '\n')
			break;
		n++;
	}
	req[n] = '\0';
	out = open_memstream(&body, &blen);
	if (!out)
		return;
	tool_sup_handle(s, req, out, &code);
	fclose(out);
	if (dprintf(c, "%s", body) < 0)
		metal_warn("supervisor: answer lost: %s", strerror(errno));
	free(body);
}

/* Look at the remote; restart it when it crashed and recovery is on. */
static void tool_sup_check(struct tool_sup *s)
{
	if (!s->be->crashed(s->r))
		return;
	tool_proxy_detach(); /* its files close now, not at recovery or stop */
	if (!s->recovery)
		return;
	if (s->crashes >= TOOL_SUP_MAX_RESTARTS)
		return;
	s->crashes++;
	fprintf(stderr, "supervisor: %s crashed, recovering (%u)\n", s->name, s->crashes);
	tool_ept_reset_first();
	s->first_msg_ns = 0;
	s->started_ns = tool_now_ns();
	if (s->be->recover(s->r) != 0)
		fprintf(stderr, "supervisor: %s: recovery failed\n", s->name);
}

/*
 * One turn of the loop: wait for a request or the link, then handle them.
 * A backend with an fd is polled together with the control socket; one
 * whose pump waits by itself gets a look at the socket, then 10 ms of pump.
 */
static void tool_sup_turn(struct tool_sup *s)
{
	struct pollfd p[2] = {{.fd = s->listen_fd, .events = POLLIN}, {.fd = -1}};
	int c, fd = s->be->poll_fd(s->r);

	if (fd >= 0) {
		p[1].fd = fd;
		p[1].events = POLLIN;
	}
	if (poll(p, 2, s->be->pump_waits ? 0 : 100) < 0)
		return;
	/* Also on a timeout: notifications rung before the poll fd existed wrote nothing. */
	if (fd >= 0 || s->be->pump_waits)
		s->be->pump(s->r, s->be->pump_waits ? 10 : 0);
	if (!s->first_msg_ns && tool_ept_first_ns())
		s->first_msg_ns = tool_ept_first_ns();
	tool_sup_check(s);
	if (p[0].revents & POLLIN) {
		c = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (c >= 0) {
			tool_sup_serve_one(s, c);
			close(c);
		}
	}
}

/*
 * tool_sup_run() - serve until a stop/detach request or SIGTERM/SIGINT; then
 * stop (or let go of) the remote and remove the socket. Returns an exit code.
 */
int tool_sup_run(struct tool_sup *s)
{
	signal(SIGTERM, tool_sup_on_term);
	signal(SIGINT, tool_sup_on_term);
	signal(SIGPIPE, SIG_IGN);
	while (!s->quit && !tool_sup_term)
		tool_sup_turn(s);
	s->be->destroy(s->r);
	s->r = NULL;
	tool_proxy_close();
	tool_sup_unlisten(s);
	fprintf(stderr, "supervisor: %s: done\n", s->name);
	return AMPLINK_EXIT_OK;
}

/*
 * tool_daemonize() - fork the supervisor: the child starts a new session,
 * sends stdio to <rt>/<name>.log and returns 0 with *@ready_fd the write end
 * of a pipe to report readiness on; the parent returns the pid with
 * *@ready_fd the read end. Returns -errno on failure.
 */
int tool_daemonize(const char *name, int *ready_fd)
{
	char log[TOOL_PATH_MAX];
	int p[2], fd;
	pid_t pid;

	if (tool_rt_path(name, ".log", log, sizeof(log)) < 0 || pipe2(p, O_CLOEXEC) < 0)
		return -EINVAL;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid > 0) {
		close(p[1]);
		*ready_fd = p[0];
		return (int)pid;
	}
	close(p[0]);
	setsid();
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, 0);
		close(fd);
	}
	fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	setvbuf(stderr, NULL, _IOLBF, 0);
	*ready_fd = p[1];
	return 0;
}
