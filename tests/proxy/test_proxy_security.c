/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The host file service refuses every way out of its root, with openat2 and
 * with the O_NOFOLLOW walk: "..", absolute paths, symlinks (to a directory or
 * a file outside, as a middle or a last component), NUL bytes, very long
 * paths and names; bounds the open files per remote; rejects request bodies
 * whose lengths do not fit their opcode.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "proxy_fixture.h"

/* An OPEN request with raw path bytes (may hold NULs). */
static int raw_open(struct pf *f, const void *path, uint32_t n)
{
	uint8_t a[8];

	amplink_proxy_put32(a, AMPLINK_PROXY_O_RDONLY);
	amplink_proxy_put32(a + 4, 0);
	return amplink_proxy_call(&f->c, AMPLINK_PROXY_OP_OPEN, a, sizeof(a), path, n, NULL, 0,
				  NULL);
}

static void escapes(bool walk)
{
	static char longp[AMPLINK_PROXY_MAX_PATH + 2], longname[300];
	struct pf f;
	int fd;

	REQUIRE(pf_setup(&f, walk, -1, -1) == 0);
	REQUIRE(mkdir(pf_path(&f, "in"), 0700) == 0);
	REQUIRE(symlink("/tmp", pf_path(&f, "out")) == 0);
	REQUIRE(symlink("/etc/passwd", pf_path(&f, "pw")) == 0);
	REQUIRE(symlink("..", pf_path(&f, "in/up")) == 0);
	CHECK_EQ_INT(amplink_proxy_open(&f.c, "../x", AMPLINK_PROXY_O_RDONLY, 0), -EACCES);
	CHECK_EQ_INT(amplink_proxy_open(&f.c, "in/../../x", AMPLINK_PROXY_O_RDONLY, 0), -EACCES);
	CHECK_EQ_INT(amplink_proxy_open(&f.c, "..", AMPLINK_PROXY_O_RDONLY, 0), -EACCES);
	CHECK_EQ_INT(amplink_proxy_opendir(&f.c, ".."), -EACCES);
	CHECK_EQ_INT(amplink_proxy_open(&f.c, "/etc/passwd", AMPLINK_PROXY_O_RDONLY, 0), -EACCES);
	CHECK_EQ_INT(amplink_proxy_mkdir(&f.c, "/tmp/proxy-escape", 0700), -EACCES);
	CHECK_EQ_INT(amplink_proxy_unlink(&f.c, "../victim"), -EACCES);
	/* symlinks out of the root, as a middle and as the last component */
	CHECK_EQ_INT(amplink_proxy_open(&f.c, "out/x",
					AMPLINK_PROXY_O_WRONLY | AMPLINK_PROXY_O_CREAT, 0600),
		     -EACCES);
	CHECK_EQ_INT(amplink_proxy_opendir(&f.c, "out"), -EACCES);
	CHECK_EQ_INT(amplink_proxy_open(&f.c, "pw", AMPLINK_PROXY_O_RDONLY, 0), -EACCES);
	CHECK_EQ_INT(amplink_proxy_open(&f.c, "in/up/pw", AMPLINK_PROXY_O_RDONLY, 0), -EACCES);
	CHECK_EQ_INT(amplink_proxy_mkdir(&f.c, "out/newdir", 0700), -EACCES);
	CHECK(access("/tmp/newdir", F_OK) != 0);
	/* NUL bytes, empty, too long */
	CHECK_EQ_INT(raw_open(&f, "in\0/../../etc/passwd", 20), -EINVAL);
	CHECK_EQ_INT(raw_open(&f, "a\0", 2), -EINVAL);
	memset(longp, 'a', sizeof(longp) - 1);
	CHECK_EQ_INT(amplink_proxy_open(&f.c, longp, AMPLINK_PROXY_O_RDONLY, 0), -EINVAL);
	CHECK_EQ_INT(raw_open(&f, longp, AMPLINK_PROXY_MAX_PATH + 1), -EINVAL);
	memset(longname, 'b', sizeof(longname) - 1);
	CHECK_EQ_INT(amplink_proxy_open(&f.c, longname, AMPLINK_PROXY_O_RDONLY, 0), -EINVAL);
	/* a FIFO in the tree is refused at once, never waited on */
	REQUIRE(mkfifo(pf_path(&f, "fifo"), 0600) == 0);
	CHECK_EQ_INT(amplink_proxy_open(&f.c, "fifo", AMPLINK_PROXY_O_RDONLY, 0), -EACCES);
	/* writing one without a reader: ENXIO from the kernel, EIO on the wire */
	CHECK_EQ_INT(amplink_proxy_open(&f.c, "fifo", AMPLINK_PROXY_O_WRONLY, 0), -EIO);
	/* a legal path still works, "." and "//" included */
	fd = amplink_proxy_open(&f.c, "./in//ok", AMPLINK_PROXY_O_CREAT | AMPLINK_PROXY_O_RDWR,
				0600);
	CHECK(fd >= 0);
	CHECK_EQ_INT(amplink_proxy_close(&f.c, fd), 0);
	CHECK(access(pf_path(&f, "in/ok"), F_OK) == 0);
	CHECK(amplink_proxy_host_stats(f.host)->bad == 0);
	pf_teardown(&f);
}

static void test_escapes_openat2(void)
{
	escapes(false);
}

static void test_escapes_walk(void)
{
	escapes(true);
}

static void test_open_file_bound(void)
{
	int fds[AMPLINK_PROXY_HOST_MAX_FILES];
	struct pf f;

	REQUIRE(pf_setup(&f, false, -1, -1) == 0);
	for (unsigned int i = 0; i < AMPLINK_PROXY_HOST_MAX_FILES; i++) {
		fds[i] = amplink_proxy_open(&f.c, "f", AMPLINK_PROXY_O_CREAT | AMPLINK_PROXY_O_RDWR,
					    0600);
		CHECK(fds[i] >= 0);
	}
	CHECK_EQ_INT(amplink_proxy_open(&f.c, "f", AMPLINK_PROXY_O_RDONLY, 0), -EMFILE);
	CHECK_EQ_INT(amplink_proxy_opendir(&f.c, "."), -EMFILE);
	CHECK_EQ_INT(amplink_proxy_close(&f.c, fds[3]), 0);
	fds[3] = amplink_proxy_opendir(&f.c, ".");
	CHECK(fds[3] >= 0);
	CHECK_EQ_INT(amplink_proxy_host_open_count(f.host), (int)AMPLINK_PROXY_HOST_MAX_FILES);
	CHECK_EQ_INT(amplink_proxy_close(&f.c, fds[3]), -EBADF); /* a directory, not a file */
	CHECK_EQ_INT(amplink_proxy_close(&f.c, 999), -EBADF);
	CHECK_EQ_INT(amplink_proxy_close(&f.c, -1), -EBADF);
	pf_teardown(&f);
}

static void test_bad_lengths(void)
{
	uint8_t body[32] = {0};
	struct pf f;

	REQUIRE(pf_setup(&f, false, -1, -1) == 0);
	CHECK_EQ_INT(amplink_proxy_close(
			     &f.c, amplink_proxy_open(&f.c, "f", AMPLINK_PROXY_O_CREAT, 0600)),
		     0);
	CHECK_EQ_INT(
		amplink_proxy_call(&f.c, AMPLINK_PROXY_OP_CLOSE, body, 3, NULL, 0, NULL, 0, NULL),
		-EINVAL);
	CHECK_EQ_INT(
		amplink_proxy_call(&f.c, AMPLINK_PROXY_OP_CLOSE, body, 5, NULL, 0, NULL, 0, NULL),
		-EINVAL);
	CHECK_EQ_INT(
		amplink_proxy_call(&f.c, AMPLINK_PROXY_OP_READ, body, 4, NULL, 0, NULL, 0, NULL),
		-EINVAL);
	CHECK_EQ_INT(
		amplink_proxy_call(&f.c, AMPLINK_PROXY_OP_WRITE, body, 2, NULL, 0, NULL, 0, NULL),
		-EINVAL);
	CHECK_EQ_INT(
		amplink_proxy_call(&f.c, AMPLINK_PROXY_OP_LSEEK, body, 15, NULL, 0, NULL, 0, NULL),
		-EINVAL);
	CHECK_EQ_INT(
		amplink_proxy_call(&f.c, AMPLINK_PROXY_OP_OPEN, body, 8, NULL, 0, NULL, 0, NULL),
		-EINVAL);
	CHECK_EQ_INT(
		amplink_proxy_call(&f.c, AMPLINK_PROXY_OP_MKDIR, body, 4, NULL, 0, NULL, 0, NULL),
		-EINVAL);
	CHECK_EQ_INT(amplink_proxy_call(&f.c, AMPLINK_PROXY_OP_CONSOLE_READ, body, 4, NULL, 0, NULL,
					0, NULL),
		     -EINVAL);
	CHECK_EQ_INT(amplink_proxy_open(&f.c, "f", AMPLINK_PROXY_O_RDONLY, 0), 0);
	amplink_proxy_put32(body, 0);
	amplink_proxy_put32(body + 4, 1u << 30); /* READ of 1 GiB in one request */
	CHECK_EQ_INT(
		amplink_proxy_call(&f.c, AMPLINK_PROXY_OP_READ, body, 8, NULL, 0, NULL, 0, NULL),
		-EINVAL);
	CHECK_EQ_INT(amplink_proxy_host_open_count(f.host), 1);
	pf_teardown(&f);
}

int main(void)
{
	RUN(test_escapes_openat2);
	RUN(test_escapes_walk);
	RUN(test_open_file_bound);
	RUN(test_bad_lengths);
	return check_summary();
}
