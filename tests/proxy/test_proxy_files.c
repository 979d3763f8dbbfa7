/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Every proxy file and console call over the in-process harness: open,
 * write, read, lseek, fstat, unlink, mkdir, opendir/readdir/closedir, a 10 MB
 * round trip checked by hash (against the file as the host sees it), the
 * console both ways, and a disconnect closing the remote's files.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "proxy_fixture.h"

#define BIG (10u * 1024u * 1024u)

static uint64_t fnv(uint64_t h, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

static void test_basic_calls(void)
{
	struct pf f;
	struct amplink_proxy_stat st;
	char buf[64];
	int fd;

	REQUIRE(pf_setup(&f, false, -1, -1) == 0);
	fd = amplink_proxy_open(
		&f.c, "hello.txt",
		AMPLINK_PROXY_O_WRONLY | AMPLINK_PROXY_O_CREAT | AMPLINK_PROXY_O_TRUNC, 0640);
	CHECK(fd >= 0);
	CHECK_EQ_INT(amplink_proxy_write(&f.c, fd, "hello, proxy", 12), 12);
	CHECK_EQ_INT(amplink_proxy_fstat(&f.c, fd, &st), 0);
	CHECK_EQ_INT((int)st.size, 12);
	CHECK_EQ_INT((int)st.type, AMPLINK_PROXY_T_REG);
	CHECK_EQ_INT((int)st.mode, 0600); /* asked 0640: group/other bits are never given */
	CHECK_EQ_INT(amplink_proxy_close(&f.c, fd), 0);
	CHECK_EQ_INT(amplink_proxy_close(&f.c, fd), -EBADF);
	CHECK(access(pf_path(&f, "hello.txt"), F_OK) == 0);

	fd = amplink_proxy_open(&f.c, "hello.txt", AMPLINK_PROXY_O_RDONLY, 0);
	CHECK(fd >= 0);
	CHECK_EQ_INT((int)amplink_proxy_lseek(&f.c, fd, 7, AMPLINK_PROXY_SEEK_SET), 7);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ_INT(amplink_proxy_read(&f.c, fd, buf, sizeof(buf)), 5);
	CHECK(strcmp(buf, "proxy") == 0);
	CHECK_EQ_INT(amplink_proxy_read(&f.c, fd, buf, sizeof(buf)), 0);
	CHECK_EQ_INT((int)amplink_proxy_lseek(&f.c, fd, -5, AMPLINK_PROXY_SEEK_END), 7);
	CHECK_EQ_INT((int)amplink_proxy_lseek(&f.c, fd, 0, 9), -EINVAL);
	CHECK_EQ_INT(amplink_proxy_write(&f.c, fd, "x", 1), -EBADF); /* read-only */
	CHECK_EQ_INT(amplink_proxy_close(&f.c, fd), 0);

	CHECK_EQ_INT(amplink_proxy_open(&f.c, "missing", AMPLINK_PROXY_O_RDONLY, 0), -ENOENT);
	CHECK_EQ_INT(amplink_proxy_open(&f.c, "hello.txt",
					AMPLINK_PROXY_O_CREAT | AMPLINK_PROXY_O_EXCL, 0600),
		     -EEXIST);
	CHECK_EQ_INT(amplink_proxy_open(&f.c, "hello.txt", 0x100, 0), -EINVAL); /* unknown flag */
	CHECK_EQ_INT(amplink_proxy_mkdir(&f.c, "sub", 0750), 0);
	CHECK_EQ_INT(amplink_proxy_mkdir(&f.c, "sub", 0750), -EEXIST);
	fd = amplink_proxy_open(&f.c, "sub/./inner", AMPLINK_PROXY_O_RDWR | AMPLINK_PROXY_O_CREAT,
				0600);
	CHECK(fd >= 0);
	CHECK_EQ_INT(amplink_proxy_close(&f.c, fd), 0);
	CHECK(access(pf_path(&f, "sub/inner"), F_OK) == 0);
	CHECK_EQ_INT(amplink_proxy_unlink(&f.c, "sub/inner"), 0);
	CHECK(access(pf_path(&f, "sub/inner"), F_OK) != 0);
	CHECK_EQ_INT(amplink_proxy_unlink(&f.c, "sub/inner"), -ENOENT);
	CHECK_EQ_INT(amplink_proxy_host_open_count(f.host), 0);
	pf_teardown(&f);
}

static void test_directories(void)
{
	struct amplink_proxy_dirent de;
	int dd, n = 0, seen = 0, ret;
	struct stat hs;
	struct pf f;

	REQUIRE(pf_setup(&f, false, -1, -1) == 0);
	CHECK_EQ_INT(amplink_proxy_mkdir(&f.c, "d", 0755), 0);
	CHECK(stat(pf_path(&f, "d"), &hs) == 0 && (hs.st_mode & 0777) == 0700); /* user bits only */
	CHECK_EQ_INT(amplink_proxy_close(
			     &f.c, amplink_proxy_open(&f.c, "a.bin", AMPLINK_PROXY_O_CREAT, 0600)),
		     0);
	dd = amplink_proxy_opendir(&f.c, ".");
	CHECK(dd >= 0);
	CHECK_EQ_INT(amplink_proxy_read(&f.c, dd, &de, 4), -EBADF); /* not a file */
	while ((ret = amplink_proxy_readdir(&f.c, dd, &de)) == 1 && n < 10) {
		n++;
		if (!strcmp(de.name, "d") && de.type == AMPLINK_PROXY_T_DIR)
			seen |= 1;
		if (!strcmp(de.name, "a.bin") && de.type == AMPLINK_PROXY_T_REG)
			seen |= 2;
	}
	CHECK_EQ_INT(ret, 0);
	CHECK_EQ_INT(n, 2);
	CHECK_EQ_INT(seen, 3);
	CHECK_EQ_INT(amplink_proxy_closedir(&f.c, dd), 0);
	CHECK_EQ_INT(amplink_proxy_closedir(&f.c, dd), -EBADF);
	CHECK_EQ_INT(amplink_proxy_opendir(&f.c, "a.bin"), -ENOTDIR);
	dd = amplink_proxy_opendir(&f.c, "d");
	CHECK(dd >= 0);
	CHECK_EQ_INT(amplink_proxy_readdir(&f.c, dd, &de), 0);
	CHECK_EQ_INT(amplink_proxy_closedir(&f.c, dd), 0);
	pf_teardown(&f);
}

static void test_big_file(void)
{
	uint8_t *src = malloc(BIG), *back = malloc(BIG);
	uint64_t h_src, h_back, h_disk = 0xcbf29ce484222325ull;
	struct pf f;
	FILE *fp;
	int fd;

	REQUIRE(src && back);
	srand(7);
	for (size_t i = 0; i < BIG; i++)
		src[i] = (uint8_t)rand();
	h_src = fnv(0xcbf29ce484222325ull, src, BIG);
	if (pf_setup(&f, false, -1, -1) != 0) {
		CHECK(0);
		free(src);
		free(back);
		return;
	}
	double t0 = rh_now_ms();
	fd = amplink_proxy_open(&f.c, "big", AMPLINK_PROXY_O_WRONLY | AMPLINK_PROXY_O_CREAT, 0600);
	CHECK(fd >= 0);
	CHECK(amplink_proxy_write(&f.c, fd, src, BIG) == (long)BIG);
	CHECK_EQ_INT(amplink_proxy_close(&f.c, fd), 0);
	double t1 = rh_now_ms();
	fp = fopen(pf_path(&f, "big"), "rb");
	CHECK(fp != NULL);
	if (fp) {
		size_t n;

		while ((n = fread(back, 1, 65536, fp)) > 0)
			h_disk = fnv(h_disk, back, n);
		fclose(fp);
	}
	memset(back, 0, BIG);
	fd = amplink_proxy_open(&f.c, "big", AMPLINK_PROXY_O_RDONLY, 0);
	CHECK(amplink_proxy_read(&f.c, fd, back, BIG) == (long)BIG);
	CHECK_EQ_INT(amplink_proxy_close(&f.c, fd), 0);
	double t2 = rh_now_ms();
	h_back = fnv(0xcbf29ce484222325ull, back, BIG);
	CHECK(h_src == h_disk);
	CHECK(h_src == h_back);
	printf("10 MB: write %.0f ms, read %.0f ms (in-process harness)\n", t1 - t0, t2 - t1);
	pf_teardown(&f);
	free(src);
	free(back);
}

static void test_console(void)
{
	int out[2], in[2];
	char buf[64] = {0};
	struct pf f;

	REQUIRE(pipe(out) == 0 && pipe(in) == 0);
	REQUIRE(pf_setup(&f, false, out[1], in[0]) == 0);
	CHECK_EQ_INT(amplink_proxy_console_write(&f.c, AMPLINK_PROXY_STDOUT, "printed\n", 8), 8);
	CHECK_EQ_INT(amplink_proxy_console_write(&f.c, 7, "x", 1), -EINVAL);
	CHECK_EQ_INT((int)read(out[0], buf, sizeof(buf)), 8);
	CHECK(memcmp(buf, "printed\n", 8) == 0);
	CHECK_EQ_INT((int)write(in[1], "typed", 5), 5);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ_INT(amplink_proxy_console_read(&f.c, buf, sizeof(buf)), 5);
	CHECK(strcmp(buf, "typed") == 0);
	close(in[1]);
	CHECK_EQ_INT(amplink_proxy_console_read(&f.c, buf, sizeof(buf)), 0); /* end of input */
	pf_teardown(&f);
	close(out[0]);
	close(out[1]);
	close(in[0]);
}

static void test_host_api(void)
{
	struct amplink_proxy_host *h = NULL;
	struct pf f;

	CHECK_EQ_INT(amplink_proxy_host_create("/nonexistent/dir", -1, -1, -1, &h), -ENOENT);
	CHECK_EQ_INT(amplink_proxy_host_create(NULL, -1, -1, -1, &h), -EINVAL);
	REQUIRE(pf_setup(&f, false, -1, -1) == 0);
	CHECK_EQ_INT(amplink_proxy_host_attach(f.host, &f.h.host.rvdev.rdev, 1234), -EBUSY);
	CHECK_EQ_INT(amplink_proxy_host_attach(NULL, &f.h.host.rvdev.rdev, 1234), -EINVAL);
	CHECK_EQ_INT(amplink_proxy_host_open_count(NULL), 0);
	CHECK(amplink_proxy_host_stats(f.host) != NULL);
	pf_teardown(&f);
}

static void test_disconnect_closes(void)
{
	struct pf f;

	REQUIRE(pf_setup(&f, false, -1, -1) == 0);
	for (int i = 0; i < 3; i++) {
		char name[16];

		snprintf(name, sizeof(name), "f%d", i);
		CHECK(amplink_proxy_open(&f.c, name, AMPLINK_PROXY_O_CREAT | AMPLINK_PROXY_O_RDWR,
					 0600) >= 0);
	}
	CHECK(amplink_proxy_opendir(&f.c, ".") >= 0);
	CHECK_EQ_INT(amplink_proxy_host_open_count(f.host), 4);
	amplink_proxy_client_deinit(&f.c); /* the endpoint goes: NS destroy */
	rh_pump(&f.h);
	CHECK_EQ_INT(amplink_proxy_host_open_count(f.host), 0);
	/* the remote comes back: the host serves it again */
	CHECK_EQ_INT(
		amplink_proxy_client_init(&f.c, &f.h.remote.rvdev.rdev, f.c.wait, f.c.wait_arg), 0);
	rh_pump(&f.h);
	CHECK(f.c.ept.dest_addr != RPMSG_ADDR_ANY);
	CHECK_EQ_INT(amplink_proxy_open(&f.c, "f1", AMPLINK_PROXY_O_RDONLY, 0), 0);
	CHECK_EQ_INT(amplink_proxy_host_open_count(f.host), 1);
	pf_teardown(&f);
}

int main(void)
{
	RUN(test_basic_calls);
	RUN(test_directories);
	RUN(test_big_file);
	RUN(test_console);
	RUN(test_host_api);
	RUN(test_disconnect_closes);
	return check_summary();
}
