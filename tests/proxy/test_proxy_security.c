/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The host file service refuses every way out of its root, with openat2 and
 * with the O_NOFOLLOW walk: "..", absolute paths, symlinks leading out (to a
 * directory or a file outside, relative or absolute, as a middle or a last
 * component), NUL bytes, very long paths and names; follows symlinks that
 * stay inside with openat2 only (the walk refuses them all); bounds the open
 * files per remote; rejects request bodies whose lengths do not fit their
 * opcode.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
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

/* Whether this kernel (or valgrind, which lacks it) runs openat2. */
static bool have_openat2(void)
{
	struct open_how how = {.flags = O_PATH | O_CLOEXEC};
	long fd = syscall(SYS_openat2, AT_FDCWD, ".", &how, sizeof(how));

	if (fd < 0)
		return false;
	close((int)fd);
	return true;
}

/* Open @path read-only and check it holds @want; 0 or the open's error. */
static int read_is(struct pf *f, const char *path, const char *want)
{
	char buf[32] = {0};
	int fd = amplink_proxy_open(&f->c, path, AMPLINK_PROXY_O_RDONLY, 0);

	if (fd < 0)
		return fd;
	CHECK_EQ_INT((int)amplink_proxy_read(&f->c, fd, buf, sizeof(buf) - 1), (int)strlen(want));
	CHECK(strcmp(buf, want) == 0);
	CHECK_EQ_INT(amplink_proxy_close(&f->c, fd), 0);
	return 0;
}

/* Host-side tree: data.txt, sub/f, inside and outside symlinks; @out outside the root. */
static void symlink_tree(struct pf *f, const char *out)
{
	char target[600];
	FILE *fp;

	REQUIRE(mkdir(pf_path(f, "sub"), 0700) == 0);
	REQUIRE((fp = fopen(pf_path(f, "data.txt"), "w")) != NULL);
	fputs("inside\n", fp);
	fclose(fp);
	REQUIRE((fp = fopen(pf_path(f, "sub/f"), "w")) != NULL);
	fputs("sub\n", fp);
	fclose(fp);
	REQUIRE((fp = fopen(pf_path(f, out), "w")) != NULL); /* "../name": beside the root */
	fputs("outside\n", fp);
	fclose(fp);
	REQUIRE(symlink("data.txt", pf_path(f, "ln_file")) == 0);
	REQUIRE(symlink("../data.txt", pf_path(f, "sub/ln_up")) == 0);
	REQUIRE(symlink("sub", pf_path(f, "ln_dir")) == 0);
	REQUIRE(symlink("..", pf_path(f, "sub/ln_root")) == 0);
	REQUIRE(symlink("..", pf_path(f, "ln_parent")) == 0);
	REQUIRE(symlink(out, pf_path(f, "ln_rel_out")) == 0);
	snprintf(target, sizeof(target), "../%s", out);
	REQUIRE(symlink(target, pf_path(f, "sub/ln_rel_out")) == 0);
	snprintf(target, sizeof(target), "%s", pf_path(f, "data.txt"));
	REQUIRE(symlink(target, pf_path(f, "ln_abs_in")) == 0);
	REQUIRE(symlink("/etc/passwd", pf_path(f, "ln_abs_out")) == 0);
	snprintf(target, sizeof(target), "%s-new", out);
	REQUIRE(symlink(target, pf_path(f, "ln_new_out")) == 0);
}

/*
 * Symlinks: with openat2 one that stays inside the root is followed (as the
 * last or a middle component, crossing directories); with the walk every
 * symlink is refused. Either way one leading out (relative "../" or
 * absolute) is refused with EACCES, as is any absolute one (the kernel's
 * RESOLVE_BENEATH rule), and nothing is created outside.
 */
static void symlinks(bool walk)
{
	int inside;
	char out[64], out_new[80];
	struct pf f;
	int fd;

	if (!walk && !have_openat2()) {
		printf("  (no openat2 here: the openat2 case walks too)\n");
		walk = true;
	}
	inside = walk ? -EACCES : 0;
	snprintf(out, sizeof(out), "../proxy-out-%d", (int)getpid());
	REQUIRE(pf_setup(&f, walk, -1, -1) == 0);
	symlink_tree(&f, out);
	/* inside */
	CHECK_EQ_INT(read_is(&f, "ln_file", "inside\n"), inside);
	CHECK_EQ_INT(read_is(&f, "sub/ln_up", "inside\n"), inside);
	CHECK_EQ_INT(read_is(&f, "ln_dir/f", "sub\n"), inside);
	CHECK_EQ_INT(read_is(&f, "sub/ln_root/ln_dir/f", "sub\n"), inside);
	fd = amplink_proxy_opendir(&f.c, "ln_dir");
	CHECK(walk ? fd == -EACCES : fd >= 0);
	if (fd >= 0)
		CHECK_EQ_INT(amplink_proxy_closedir(&f.c, fd), 0);
	fd = amplink_proxy_open(&f.c, "ln_dir/new", AMPLINK_PROXY_O_WRONLY | AMPLINK_PROXY_O_CREAT,
				0600);
	CHECK(walk ? fd == -EACCES : fd >= 0);
	if (fd >= 0)
		CHECK_EQ_INT(amplink_proxy_close(&f.c, fd), 0);
	CHECK_EQ_INT(access(pf_path(&f, "sub/new"), F_OK) == 0, !walk);
	/* outside: relative and absolute, last and middle component, creating */
	CHECK_EQ_INT(read_is(&f, "ln_rel_out", "outside\n"), -EACCES);
	CHECK_EQ_INT(read_is(&f, "sub/ln_rel_out", "outside\n"), -EACCES);
	CHECK_EQ_INT(read_is(&f, "ln_abs_out", ""), -EACCES);
	CHECK_EQ_INT(read_is(&f, "ln_abs_in", "inside\n"), -EACCES);
	CHECK_EQ_INT(read_is(&f, "ln_parent/x", ""), -EACCES);
	CHECK_EQ_INT(amplink_proxy_opendir(&f.c, "ln_parent"), -EACCES);
	CHECK_EQ_INT(amplink_proxy_open(&f.c, "ln_new_out",
					AMPLINK_PROXY_O_WRONLY | AMPLINK_PROXY_O_CREAT, 0600),
		     -EACCES);
	snprintf(out_new, sizeof(out_new), "%s-new", out);
	CHECK(access(pf_path(&f, out_new), F_OK) != 0);
	CHECK_EQ_INT(amplink_proxy_mkdir(&f.c, "sub/ln_root/ln_parent/escape", 0700), -EACCES);
	CHECK(access(pf_path(&f, "../escape"), F_OK) != 0);
	/* unlink removes the link, never its target */
	CHECK_EQ_INT(amplink_proxy_unlink(&f.c, "ln_rel_out"), 0);
	CHECK(access(pf_path(&f, out), F_OK) == 0);
	CHECK(amplink_proxy_host_stats(f.host)->bad == 0);
	unlink(pf_path(&f, out));
	pf_teardown(&f);
}

static void test_symlinks_openat2(void)
{
	symlinks(false);
}

static void test_symlinks_walk(void)
{
	symlinks(true);
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
	RUN(test_symlinks_openat2);
	RUN(test_symlinks_walk);
	RUN(test_open_file_bound);
	RUN(test_bad_lengths);
	return check_summary();
}
