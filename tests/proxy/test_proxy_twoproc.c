/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The proxy over the Linux two-process transport: a forked remote runs the
 * file calls (every call once, a 10 MB round trip checked by hash on both sides, an escape
 * refused, files left open when it leaves: the host closes them), and the
 * example remote examples/proxy_demo.c, exec'd, writes, reads back, lists and
 * prints through the console the test captures.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <amplink/linux_process.h>
#include <amplink/proxy.h>
#include <metal/sys.h>

#include "check.h"

#define MID (10u * 1024u * 1024u)

static struct amplink_proxy_host *ph;
static const char *demo_path;

static uint64_t fnv(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

static void host_bind(struct rpmsg_device *rdev, const char *name, uint32_t dest)
{
	if (!strcmp(name, AMPLINK_PROXY_SERVICE_NAME))
		amplink_proxy_host_attach(ph, rdev, dest);
}

static int remote_wait(void *arg, uint32_t slice_us)
{
	int ret = amplink_lp_process(arg, (int)(slice_us / 1000u) + 1);

	return ret < 0 ? ret : 0;
}

/* fstat, close, mkdir, unlink and a directory listing. Returns 1 when all worked. */
static int remote_other_calls(struct amplink_proxy_client *c, int fd)
{
	struct amplink_proxy_dirent de;
	struct amplink_proxy_stat st;
	int ok, dd, n = 0, tfd;

	ok = amplink_proxy_fstat(c, fd, &st) == 0 && st.size == MID &&
	     st.type == AMPLINK_PROXY_T_REG;
	ok = ok && amplink_proxy_close(c, fd) == 0;
	ok = ok && amplink_proxy_mkdir(c, "sub", 0700) == 0;
	tfd = amplink_proxy_open(c, "sub/t", AMPLINK_PROXY_O_CREAT | AMPLINK_PROXY_O_WRONLY, 0600);
	ok = ok && tfd >= 0 && amplink_proxy_close(c, tfd) == 0;
	dd = amplink_proxy_opendir(c, "sub");
	while (ok && dd >= 0 && amplink_proxy_readdir(c, dd, &de) == 1)
		n += !strcmp(de.name, "t");
	ok = ok && n == 1 && amplink_proxy_closedir(c, dd) == 0;
	ok = ok && amplink_proxy_unlink(c, "sub/t") == 0;
	return ok && amplink_proxy_open(c, "sub/t", AMPLINK_PROXY_O_RDONLY, 0) == -ENOENT;
}

/* The forked remote: returns 0 when every step worked. */
static int remote_body(struct amplink_lp *lp, void *arg)
{
	static struct amplink_proxy_client c; /* never deinit: the remote leaves abruptly */
	uint8_t *buf = malloc(MID), *back = malloc(MID);
	int fd, ok = buf && back;

	(void)arg;
	if (!ok || amplink_proxy_client_init(&c, amplink_lp_rpmsg_device(lp), remote_wait, lp))
		return 10;
	for (size_t i = 0; i < MID; i++)
		buf[i] = (uint8_t)(i * 7 + (i >> 11));
	fd = amplink_proxy_open(&c, "mid", AMPLINK_PROXY_O_RDWR | AMPLINK_PROXY_O_CREAT, 0600);
	ok = ok && fd >= 0 && amplink_proxy_write(&c, fd, buf, MID) == (long)MID;
	ok = ok && amplink_proxy_lseek(&c, fd, 0, AMPLINK_PROXY_SEEK_SET) == 0;
	ok = ok && amplink_proxy_read(&c, fd, back, MID) == (long)MID;
	ok = ok && fnv(buf, MID) == fnv(back, MID);
	ok = ok && amplink_proxy_open(&c, "../escape", AMPLINK_PROXY_O_RDONLY, 0) == -EACCES;
	ok = ok && remote_other_calls(&c, fd);
	/* leave a file and a directory open: the host must close them */
	ok = ok && amplink_proxy_open(&c, "mid", AMPLINK_PROXY_O_RDONLY, 0) >= 0;
	ok = ok && amplink_proxy_opendir(&c, ".") >= 0;
	ok = ok && amplink_proxy_console_write(&c, AMPLINK_PROXY_STDOUT, "left\n", 5) == 5;
	free(buf);
	free(back);
	return ok ? 0 : 11;
}

/* Serve until the remote leaves; returns its exit code (or -1) and the peak open count. */
static int serve(struct amplink_lp *host, int *peak)
{
	int st = 0, ret;

	*peak = 0;
	for (int i = 0; i < 30000; i++) {
		ret = amplink_lp_process(host, 10);
		if (amplink_proxy_host_open_count(ph) > *peak)
			*peak = amplink_proxy_host_open_count(ph);
		if (ret == -EPIPE)
			break;
	}
	amplink_proxy_host_detach(ph); /* the remote left: close its files */
	ret = amplink_lp_wait_remote(host, 10000, &st);
	if (ret != 0 || !WIFEXITED(st)) {
		fprintf(stderr, "remote: wait %d, status 0x%x\n", ret, st);
		return -1;
	}
	return WEXITSTATUS(st);
}

/* Host, temporary root and console pipe. */
static int setup(struct amplink_lp **host, char *root, int con[2])
{
	struct amplink_lp_config cfg;

	amplink_lp_config_init(&cfg);
	cfg.ns_bind_cb = host_bind;
	strcpy(root, "/tmp/proxy2p.XXXXXX");
	if (!mkdtemp(root) || pipe2(con, O_NONBLOCK) != 0)
		return -1;
	if (amplink_proxy_host_create(root, con[1], con[1], -1, &ph) != 0)
		return -1;
	return amplink_lp_host_create(&cfg, host) == 0 ? 0 : -1;
}

static void teardown(struct amplink_lp *host, const char *root, int con[2])
{
	char cmd[96];

	amplink_lp_destroy(host);
	amplink_proxy_host_destroy(ph);
	ph = NULL;
	close(con[0]);
	close(con[1]);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", root);
}

static void test_forked_remote(void)
{
	char root[32], out[256] = {0}, path[64];
	struct amplink_lp *host;
	int con[2], peak;
	uint8_t *disk = malloc(MID);
	FILE *fp;

	REQUIRE(disk && setup(&host, root, con) == 0);
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(amplink_lp_start_remote_fn(host, remote_body, NULL, NULL) > 0);
	CHECK_EQ_INT(serve(host, &peak), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("forked remote (10 MB written and read back, every call): %.0f ms\n",
	       (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	CHECK_EQ_INT(peak, 2); /* "mid" and "." left open */
	CHECK_EQ_INT(amplink_proxy_host_open_count(ph), 0);
	CHECK(read(con[0], out, sizeof(out) - 1) == 5 && !strcmp(out, "left\n"));
	snprintf(path, sizeof(path), "%s/mid", root);
	fp = fopen(path, "rb");
	CHECK(fp && fread(disk, 1, MID, fp) == MID);
	if (fp)
		fclose(fp);
	for (size_t i = 0; i < MID; i++)
		if (disk[i] != (uint8_t)(i * 7 + (i >> 11))) {
			CHECK(0);
			break;
		}
	free(disk);
	teardown(host, root, con);
}

static void test_demo_example(void)
{
	char root[32], out[2048] = {0}, path[64];
	char *argv[] = {(char *)demo_path, NULL};
	struct amplink_lp *host;
	int con[2], peak;
	ssize_t n;

	REQUIRE(setup(&host, root, con) == 0);
	snprintf(path, sizeof(path), "%s/already-here", root);
	close(open(path, O_CREAT | O_WRONLY, 0600));
	CHECK(amplink_lp_start_remote_exec(host, demo_path, argv) > 0);
	CHECK_EQ_INT(serve(host, &peak), 0);
	n = read(con[0], out, sizeof(out) - 1);
	CHECK(n > 0);
	printf("%s", out);
	CHECK(strstr(out, "wrote and read back demo.txt") != NULL);
	CHECK(strstr(out, "  demo.txt\n") != NULL);
	CHECK(strstr(out, "  already-here\n") != NULL);
	CHECK(strstr(out, "proxy_demo: ok\n") != NULL);
	snprintf(path, sizeof(path), "%s/demo.txt", root);
	CHECK(access(path, R_OK) == 0);
	teardown(host, root, con);
}

int main(int argc, char **argv)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;

	if (argc != 2)
		return 2;
	demo_path = argv[1];
	params.log_level = METAL_LOG_WARNING;
	if (metal_init(&params) != 0)
		return 2;
	alarm(60);
	RUN(test_forked_remote);
	RUN(test_demo_example);
	metal_finish();
	return check_summary();
}
