/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Smoke test of the Linux two-process transport: a forked remote echoes
 * every payload size 1..496 (each byte checked) in each wait mode; an idle
 * pair in BLOCKING and ADAPTIVE mode uses ~0% CPU; an unrelated process
 * attaches through the UNIX socket (0600 in a 0700 directory) and an exec'd
 * one through inherited fds; killing the remote makes the host's blocked
 * send return an error instead of hanging.
 *
 * The same binary is the exec'd remote: "--remote-connect PATH" or
 * "--remote-env".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>

#include <amplink/linux_process.h>
#include <openamp/rpmsg_virtio.h>
#include <metal/irq.h>
#include <metal/sys.h>
#include <openamp/rpmsg.h>

#include "check.h"

#define ECHO_NAME   "lp-smoke-echo"
#define MAX_PAYLOAD 496
#define WAIT_MS	    10000

static char self_path[PATH_MAX];

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static long long cpu_us(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000LL +
	       ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

/* ---- The remote: echoes, and answers the control words of the tests. ---- */

struct echo_state {
	struct rpmsg_endpoint ept;
	int quit;
	int errors;
	long long cpu0;
};

static int echo_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	struct echo_state *st = priv;
	long long used;

	(void)src;
	if (len == 4 && memcmp(data, "quit", 4) == 0) {
		st->quit = 1;
	} else if (len == 4 && memcmp(data, "idle", 4) == 0) {
		st->cpu0 = cpu_us();
	} else if (len == 6 && memcmp(data, "report", 6) == 0) {
		used = cpu_us() - st->cpu0;
		if (rpmsg_send(ept, &used, sizeof(used)) != (int)sizeof(used))
			st->errors++;
	} else if (rpmsg_send(ept, data, (int)len) != (int)len) {
		st->errors++;
	}
	return RPMSG_SUCCESS;
}

static int echo_remote(struct amplink_lp *lp, void *arg)
{
	struct echo_state st;
	int ret;

	(void)arg;
	memset(&st, 0, sizeof(st));
	st.ept.priv = &st;
	if (rpmsg_create_ept(&st.ept, amplink_lp_rpmsg_device(lp), ECHO_NAME, RPMSG_ADDR_ANY,
			     RPMSG_ADDR_ANY, echo_cb, NULL) != RPMSG_SUCCESS)
		return 10;
	st.ept.priv = &st;
	while (!st.quit) {
		ret = amplink_lp_process(lp, 1000);
		if (ret < 0)
			return 11;
	}
	rpmsg_destroy_ept(&st.ept);
	return st.errors ? 12 : 0;
}

/* ---- The host side. ---- */

static struct {
	struct rpmsg_endpoint ept;
	uint32_t remote_addr;
	int bound;
	int got;
	size_t reply_len;
	unsigned char reply[512];
} hs;

static void host_ns_bind(struct rpmsg_device *rdev, const char *name, uint32_t dest)
{
	(void)rdev;
	if (strcmp(name, ECHO_NAME) == 0) {
		hs.remote_addr = dest;
		hs.bound = 1;
	}
}

static int host_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)ept;
	(void)src;
	(void)priv;
	hs.reply_len = len;
	memcpy(hs.reply, data, len < sizeof(hs.reply) ? len : sizeof(hs.reply));
	hs.got++;
	return RPMSG_SUCCESS;
}

/* Process events until *flag is set. Returns 0, or -1 on timeout/peer gone. */
static int wait_flag(struct amplink_lp *lp, int *flag, int timeout_ms)
{
	long long end = now_us() + timeout_ms * 1000LL;

	while (!*flag) {
		if (now_us() > end || amplink_lp_process(lp, 50) < 0)
			return -1;
	}
	return 0;
}

static void host_config(struct amplink_lp_config *cfg, enum amplink_lp_wait_mode mode)
{
	amplink_lp_config_init(cfg);
	cfg->wait_mode = mode;
	cfg->ns_bind_cb = host_ns_bind;
	memset(&hs, 0, sizeof(hs));
}

/* Wait for the remote's announcement and open our endpoint to it. */
static int host_bind(struct amplink_lp *host)
{
	if (wait_flag(host, &hs.bound, WAIT_MS) < 0)
		return -1;
	return rpmsg_create_ept(&hs.ept, amplink_lp_rpmsg_device(host), ECHO_NAME, RPMSG_ADDR_ANY,
				hs.remote_addr, host_cb, NULL);
}

/* Send @len bytes of a pattern and check the echo. Returns 0 or -1. */
static int echo_one(struct amplink_lp *host, int len)
{
	unsigned char buf[MAX_PAYLOAD];

	for (int i = 0; i < len; i++)
		buf[i] = (unsigned char)(len * 7 + i * 13 + 1);
	hs.got = 0;
	if (rpmsg_send(&hs.ept, buf, len) != len || wait_flag(host, &hs.got, WAIT_MS) < 0)
		return -1;
	if (hs.got != 1 || hs.reply_len != (size_t)len || memcmp(hs.reply, buf, (size_t)len) != 0)
		return -1;
	return 0;
}

static int echo_all_sizes(struct amplink_lp *host)
{
	int errors = 0;

	for (int len = 1; len <= MAX_PAYLOAD; len++)
		errors += echo_one(host, len) < 0;
	return errors;
}

/* Tell the remote to finish, reap it, tear down. Returns the child's status. */
static int host_finish(struct amplink_lp *host)
{
	int status = -1;

	if (rpmsg_send(&hs.ept, "quit", 4) != 4)
		CHECK(0);
	CHECK_EQ_INT(amplink_lp_wait_remote(host, WAIT_MS, &status), 0);
	rpmsg_destroy_ept(&hs.ept);
	amplink_lp_destroy(host);
	return status;
}

/* Bit number of VIRTIO_RING_F_EVENT_IDX (the standard gives only the mask). */
#define VIRTIO_EVENT_IDX_BIT 29

static void echo_in_mode(enum amplink_lp_wait_mode mode)
{
	struct amplink_lp_config cfg, rcfg;
	struct amplink_lp *host = NULL;
	int status;

	host_config(&cfg, mode);
	amplink_lp_config_init(&rcfg);
	rcfg.wait_mode = mode;
	REQUIRE(amplink_lp_host_create(&cfg, &host) == 0);
	REQUIRE(amplink_lp_start_remote_fn(host, echo_remote, NULL, &rcfg) > 0);
	REQUIRE(host_bind(host) == 0);
	/* The region offers EVENT_IDX (when compiled in) and the host accepts it. */
	CHECK_EQ_INT(virtio_has_feature(metal_container_of(amplink_lp_rpmsg_device(host),
							   struct rpmsg_virtio_device, rdev)
						->vdev,
					VIRTIO_EVENT_IDX_BIT),
		     AMPLINK_CFG_EVENT_IDX);
	CHECK_EQ_INT(echo_all_sizes(host), 0);
	status = host_finish(host);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_echo_blocking(void)
{
	echo_in_mode(AMPLINK_LP_WAIT_BLOCKING);
}

static void test_echo_poll(void)
{
	echo_in_mode(AMPLINK_LP_WAIT_POLL);
}

static void test_echo_adaptive(void)
{
	echo_in_mode(AMPLINK_LP_WAIT_ADAPTIVE);
}

/* An idle pair: both sides sleep for ~0.5 s; each measures its CPU time. */
static void idle_in_mode(enum amplink_lp_wait_mode mode)
{
	struct amplink_lp_config cfg, rcfg;
	struct amplink_lp *host = NULL;
	long long t0, c0, host_cpu, remote_cpu = -1;

	host_config(&cfg, mode);
	amplink_lp_config_init(&rcfg);
	rcfg.wait_mode = mode;
	REQUIRE(amplink_lp_host_create(&cfg, &host) == 0);
	REQUIRE(amplink_lp_start_remote_fn(host, echo_remote, NULL, &rcfg) > 0);
	REQUIRE(host_bind(host) == 0);
	REQUIRE(rpmsg_send(&hs.ept, "idle", 4) == 4);
	t0 = now_us();
	c0 = cpu_us();
	while (now_us() - t0 < 500000)
		CHECK(amplink_lp_process(host, (int)((500000 - (now_us() - t0)) / 1000) + 1) >= 0);
	host_cpu = cpu_us() - c0;
	hs.got = 0;
	REQUIRE(rpmsg_send(&hs.ept, "report", 6) == 6);
	REQUIRE(wait_flag(host, &hs.got, WAIT_MS) == 0);
	if (hs.reply_len == sizeof(remote_cpu))
		memcpy(&remote_cpu, hs.reply, sizeof(remote_cpu));
	printf("  idle 0.5 s, mode %d: host %lld us CPU, remote %lld us CPU\n", (int)mode, host_cpu,
	       remote_cpu);
	/* Generous: 10% of the interval (valgrind and a loaded machine included). */
	CHECK(host_cpu < 50000);
	CHECK(remote_cpu >= 0 && remote_cpu < 50000);
	host_finish(host);
}

static void test_idle_blocking(void)
{
	idle_in_mode(AMPLINK_LP_WAIT_BLOCKING);
}

static void test_idle_adaptive(void)
{
	idle_in_mode(AMPLINK_LP_WAIT_ADAPTIVE);
}

/* An unrelated process (exec'd, no inherited fds) attaches through the socket. */
static void test_socket_attach(void)
{
	struct amplink_lp_config cfg;
	struct amplink_lp *host = NULL;
	char dir[PATH_MAX];
	const char *path;
	struct stat st;
	int status = -1;
	pid_t pid;

	host_config(&cfg, AMPLINK_LP_WAIT_BLOCKING);
	REQUIRE(amplink_lp_host_create(&cfg, &host) == 0);
	REQUIRE(amplink_lp_listen(host, NULL) == 0);
	path = amplink_lp_socket_path(host);
	REQUIRE(path != NULL);
	REQUIRE(stat(path, &st) == 0);
	CHECK(S_ISSOCK(st.st_mode));
	CHECK_EQ_INT(st.st_mode & 0777, 0600);
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	REQUIRE(stat(dir, &st) == 0);
	CHECK_EQ_INT(st.st_mode & 0777, 0700);
	CHECK_EQ_INT(st.st_uid, geteuid());
	/* A second host cannot take the same live socket. */
	CHECK_EQ_INT(amplink_lp_listen(host, path), -EBUSY);

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		execl(self_path, self_path, "--remote-connect", path, (char *)NULL);
		_exit(127);
	}
	REQUIRE(pid > 0);
	CHECK_EQ_INT(amplink_lp_accept(host, WAIT_MS), 0);
	CHECK(access(path, F_OK) != 0); /* unlinked once a remote is attached */
	if (host_bind(host) == 0) {
		CHECK_EQ_INT(echo_one(host, 1), 0);
		CHECK_EQ_INT(echo_one(host, 123), 0);
		CHECK_EQ_INT(echo_one(host, MAX_PAYLOAD), 0);
		CHECK_EQ_INT(rpmsg_send(&hs.ept, "quit", 4), 4);
		rpmsg_destroy_ept(&hs.ept);
	} else {
		CHECK(0);
		kill(pid, SIGKILL);
	}
	CHECK_EQ_INT(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	amplink_lp_destroy(host);
}

/* A program exec'd by the host finds its fds in the environment. */
static void test_exec_attach(void)
{
	struct amplink_lp_config cfg;
	struct amplink_lp *host = NULL;
	char *argv[] = {self_path, "--remote-env", NULL};
	int status;

	host_config(&cfg, AMPLINK_LP_WAIT_ADAPTIVE);
	REQUIRE(amplink_lp_host_create(&cfg, &host) == 0);
	REQUIRE(amplink_lp_start_remote_exec(host, self_path, argv) > 0);
	CHECK_EQ_INT(amplink_lp_start_remote_exec(host, self_path, argv), -EBUSY);
	REQUIRE(host_bind(host) == 0);
	CHECK_EQ_INT(echo_one(host, 1), 0);
	CHECK_EQ_INT(echo_one(host, MAX_PAYLOAD), 0);
	status = host_finish(host);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static int dying_remote(struct amplink_lp *lp, void *arg)
{
	(void)lp;
	(void)arg;
	usleep(300000);
	raise(SIGKILL);
	return 0;
}

/* The remote never consumes and then dies: the blocked send must fail. */
static void test_remote_killed(void)
{
	struct amplink_lp_config cfg;
	struct amplink_lp *host = NULL;
	struct rpmsg_endpoint ept;
	char buf[16] = "0123456789abcde";
	long long t0, elapsed;
	int ret = 0, sent = 0, status = 0;

	host_config(&cfg, AMPLINK_LP_WAIT_BLOCKING);
	REQUIRE(amplink_lp_host_create(&cfg, &host) == 0);
	REQUIRE(rpmsg_create_ept(&ept, amplink_lp_rpmsg_device(host), "", RPMSG_ADDR_ANY, 1024,
				 host_cb, NULL) == RPMSG_SUCCESS);
	REQUIRE(amplink_lp_start_remote_fn(host, dying_remote, NULL, NULL) > 0);
	t0 = now_us();
	while (sent < 100000) {
		ret = rpmsg_send(&ept, buf, sizeof(buf));
		if (ret < 0)
			break;
		sent++;
	}
	elapsed = now_us() - t0;
	printf("  %d sends, then %d after %lld ms\n", sent, ret, elapsed / 1000);
	CHECK(ret < 0);
	CHECK(sent > 0);
	CHECK(elapsed < 5000000);
	CHECK_EQ_INT(amplink_lp_peer_alive(host), 0);
	CHECK_EQ_INT(amplink_lp_process(host, 0), -EPIPE);
	CHECK(rpmsg_trysend(&ept, buf, sizeof(buf)) < 0);
	CHECK_EQ_INT(amplink_lp_wait_remote(host, WAIT_MS, &status), 0);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	rpmsg_destroy_ept(&ept);
	amplink_lp_destroy(host);
}

/* ---- An event thread runs the loop while the main thread floods. ---- */

#define FLOOD_MSGS 3000

static struct {
	struct amplink_lp *host;
	atomic_int stop;
	atomic_int replies;
	atomic_int bad;
} flood;

static int flood_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	uint32_t seq;

	(void)ept;
	(void)src;
	(void)priv;
	memcpy(&seq, data, sizeof(seq));
	/* Replies come back in order, each carrying its sequence number and pattern. */
	if (len < sizeof(seq) || seq != (uint32_t)atomic_load(&flood.replies) ||
	    len != 4 + seq % 400 ||
	    (len > 4 && ((unsigned char *)data)[len - 1] != (unsigned char)seq))
		atomic_fetch_add(&flood.bad, 1);
	atomic_fetch_add(&flood.replies, 1);
	return RPMSG_SUCCESS;
}

static void *flood_loop(void *arg)
{
	(void)arg;
	while (!atomic_load(&flood.stop)) {
		if (amplink_lp_process(flood.host, 50) < 0)
			break;
	}
	return NULL;
}

/* Sends faster than the echo comes back: the sender waits for buffers. */
static void test_threads_flood(void)
{
	struct amplink_lp_config cfg;
	unsigned char buf[MAX_PAYLOAD];
	pthread_t th;
	long long end;
	int status = -1, sent = 0;

	host_config(&cfg, AMPLINK_LP_WAIT_BLOCKING);
	memset(&flood, 0, sizeof(flood));
	REQUIRE(amplink_lp_host_create(&cfg, &flood.host) == 0);
	REQUIRE(amplink_lp_start_remote_fn(flood.host, echo_remote, NULL, NULL) > 0);
	REQUIRE(wait_flag(flood.host, &hs.bound, WAIT_MS) == 0);
	REQUIRE(rpmsg_create_ept(&hs.ept, amplink_lp_rpmsg_device(flood.host), ECHO_NAME,
				 RPMSG_ADDR_ANY, hs.remote_addr, flood_cb, NULL) == RPMSG_SUCCESS);
	REQUIRE(pthread_create(&th, NULL, flood_loop, NULL) == 0);
	for (uint32_t seq = 0; seq < FLOOD_MSGS; seq++) {
		int len = 4 + (int)(seq % 400);
		memcpy(buf, &seq, sizeof(seq));
		memset(buf + 4, (int)(seq & 0xff), (size_t)len - 4);
		if (rpmsg_send(&hs.ept, buf, len) != len)
			break;
		sent++;
	}
	end = now_us() + WAIT_MS * 1000LL;
	while (atomic_load(&flood.replies) < sent && now_us() < end)
		usleep(1000);
	atomic_store(&flood.stop, 1);
	pthread_join(th, NULL);
	CHECK_EQ_INT(sent, FLOOD_MSGS);
	CHECK_EQ_INT(atomic_load(&flood.replies), FLOOD_MSGS);
	CHECK_EQ_INT(atomic_load(&flood.bad), 0);
	status = host_finish(flood.host);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static int irq_gone;

static int lp_irq_handler(int irq, void *arg)
{
	(void)irq;
	if (amplink_lp_process(arg, 0) < 0)
		irq_gone = 1;
	return METAL_IRQ_HANDLED;
}

/* Run the metal event loop until *flag is set. Returns 0 or -1 (timeout). */
static int dispatch_until(int *flag)
{
	long long end = now_us() + WAIT_MS * 1000LL;

	while (!*flag && now_us() < end)
		amplink_irq_dispatch(100);
	return *flag ? 0 : -1;
}

/* The application's own loop: the poll fd registered with metal_irq_register. */
static void test_poll_fd_irq(void)
{
	struct amplink_lp_config cfg;
	struct amplink_lp *host = NULL;
	int fd, status = -1;

	host_config(&cfg, AMPLINK_LP_WAIT_BLOCKING);
	irq_gone = 0;
	REQUIRE(amplink_lp_host_create(&cfg, &host) == 0);
	fd = amplink_lp_poll_fd(host);
	REQUIRE(fd >= 0);
	CHECK_EQ_INT(amplink_lp_poll_fd(host), fd);
	REQUIRE(metal_irq_register(fd, lp_irq_handler, host) == 0);
	REQUIRE(amplink_lp_start_remote_fn(host, echo_remote, NULL, NULL) > 0);
	REQUIRE(dispatch_until(&hs.bound) == 0);
	REQUIRE(rpmsg_create_ept(&hs.ept, amplink_lp_rpmsg_device(host), ECHO_NAME, RPMSG_ADDR_ANY,
				 hs.remote_addr, host_cb, NULL) == RPMSG_SUCCESS);
	for (int len = 1; len <= MAX_PAYLOAD; len += 99) {
		unsigned char buf[MAX_PAYLOAD];
		memset(buf, len, (size_t)len);
		hs.got = 0;
		CHECK_EQ_INT(rpmsg_send(&hs.ept, buf, len), len);
		CHECK_EQ_INT(dispatch_until(&hs.got), 0);
		CHECK(hs.reply_len == (size_t)len && memcmp(hs.reply, buf, (size_t)len) == 0);
	}
	/* The remote leaves: the poll fd reports it, process() returns -EPIPE. */
	CHECK_EQ_INT(rpmsg_send(&hs.ept, "quit", 4), 4);
	CHECK_EQ_INT(dispatch_until(&irq_gone), 0);
	metal_irq_unregister(fd);
	CHECK_EQ_INT(amplink_lp_wait_remote(host, WAIT_MS, &status), 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	rpmsg_destroy_ept(&hs.ept);
	amplink_lp_destroy(host);
}

/* Remote that reports, through a pipe, how its event loop ended. */
static int watching_remote(struct amplink_lp *lp, void *arg)
{
	int fd = *(int *)arg, ret;
	char c;

	while ((ret = amplink_lp_process(lp, -1)) >= 0)
		;
	c = ret == -EPIPE ? 'P' : 'X';
	return write(fd, &c, 1) == 1 ? 0 : 1;
}

/* The host process dies: its remote's event loop ends with -EPIPE. */
static void test_host_killed(void)
{
	struct pollfd p;
	int pipefd[2], status = 0;
	char c = 0;
	pid_t pid;

	REQUIRE(pipe(pipefd) == 0);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		struct amplink_lp *host;
		close(pipefd[0]);
		if (amplink_lp_host_create(NULL, &host) < 0 ||
		    amplink_lp_start_remote_fn(host, watching_remote, &pipefd[1], NULL) < 0)
			_exit(1);
		close(pipefd[1]);
		usleep(200000);
		raise(SIGKILL);
	}
	close(pipefd[1]);
	REQUIRE(pid > 0);
	p = (struct pollfd){.fd = pipefd[0], .events = POLLIN};
	CHECK_EQ_INT(poll(&p, 1, WAIT_MS), 1);
	if (p.revents & (POLLIN | POLLHUP))
		CHECK_EQ_INT(read(pipefd[0], &c, 1), 1);
	CHECK_EQ_INT(c, 'P');
	close(pipefd[0]);
	kill(pid, SIGKILL); /* dead already, unless the host got stuck */
	CHECK_EQ_INT(waitpid(pid, &status, 0), pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

static int remote_main(int by_socket, const char *path)
{
	struct amplink_lp *lp = NULL;
	int ret;

	ret = by_socket ? amplink_lp_remote_connect(path, NULL, &lp)
			: amplink_lp_remote_open(NULL, &lp);
	if (ret < 0) {
		fprintf(stderr, "remote: attach failed: %d\n", ret);
		return 20;
	}
	ret = echo_remote(lp, NULL);
	amplink_lp_destroy(lp);
	return ret;
}

int main(int argc, char **argv)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;
	ssize_t n = readlink("/proc/self/exe", self_path, sizeof(self_path) - 1);
	int ret;

	if (n <= 0)
		return 2;
	self_path[n] = '\0';
	params.log_level = METAL_LOG_WARNING;
	if (metal_init(&params) != 0)
		return 2;
	if (argc == 3 && strcmp(argv[1], "--remote-connect") == 0) {
		ret = remote_main(1, argv[2]);
	} else if (argc == 2 && strcmp(argv[1], "--remote-env") == 0) {
		ret = remote_main(0, NULL);
	} else {
		RUN(test_echo_blocking);
		RUN(test_echo_poll);
		RUN(test_echo_adaptive);
		RUN(test_idle_blocking);
		RUN(test_idle_adaptive);
		RUN(test_socket_attach);
		RUN(test_exec_attach);
		RUN(test_remote_killed);
		RUN(test_threads_flood);
		RUN(test_poll_fd_irq);
		RUN(test_host_killed);
		ret = check_summary();
	}
	metal_finish();
	return ret;
}
