/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The newlib system-call layer (src/services/proxy_newlib.c) built on the
 * host under other names (tnl_open, ...) and run over the in-process proxy:
 * console descriptors, flag mapping, descriptor offsets, errno on failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define AMPLINK_PROXY_NEWLIB_NAME(n) tnl##n
#include "services/proxy_newlib.c"

#include "check.h"
#include "proxy_fixture.h"

static void test_syscalls(void)
{
	struct stat st;
	char buf[16] = {0};
	int con[2], fd;
	struct pf f;

	REQUIRE(pipe(con) == 0);
	REQUIRE(pf_setup(&f, false, con[1], -1) == 0);
	CHECK_EQ_INT(tnl_write(1, "early", 5), 5); /* not attached: dropped */
	amplink_proxy_newlib_attach(&f.c);
	fd = tnl_open("nl.txt", O_CREAT | O_WRONLY | O_TRUNC, 0640);
	CHECK(fd >= 3);
	CHECK_EQ_INT(tnl_write(fd, "hello", 5), 5);
	CHECK_EQ_INT(tnl_close(fd), 0);
	CHECK(access(pf_path(&f, "nl.txt"), F_OK) == 0);
	fd = tnl_open("nl.txt", O_RDONLY, 0);
	CHECK(fd >= 3);
	CHECK_EQ_INT(tnl_fstat(fd, &st), 0);
	CHECK_EQ_INT((int)st.st_size, 5);
	CHECK(S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0600); /* 0640 asked, user bits given */
	CHECK_EQ_INT(tnl_lseek(fd, 1, SEEK_SET), 1);
	CHECK_EQ_INT(tnl_read(fd, buf, sizeof(buf)), 4);
	CHECK(strcmp(buf, "ello") == 0);
	CHECK_EQ_INT(tnl_isatty(fd), 0);
	CHECK_EQ_INT(tnl_isatty(1), 1);
	CHECK_EQ_INT(tnl_fstat(1, &st), 0);
	CHECK(S_ISCHR(st.st_mode));
	CHECK_EQ_INT(tnl_close(fd), 0);
	CHECK_EQ_INT(tnl_write(2, "to stderr\n", 10), 10);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ_INT((int)read(con[0], buf, sizeof(buf) - 1), 10);
	CHECK(strcmp(buf, "to stderr\n") == 0);
	errno = 0;
	CHECK_EQ_INT(tnl_open("../x", O_RDONLY, 0), -1);
	CHECK_EQ_INT(errno, EACCES);
	CHECK_EQ_INT(tnl_read(99, buf, 4), -1);
	CHECK_EQ_INT(errno, EBADF);
	CHECK_EQ_INT(tnl_lseek(1, 0, SEEK_SET), -1);
	CHECK_EQ_INT(errno, ESPIPE);
	CHECK_EQ_INT(tnl_lseek(fd, 0, 42), -1);
	amplink_proxy_newlib_attach(NULL);
	CHECK_EQ_INT(tnl_open("nl.txt", O_RDONLY, 0), -1);
	pf_teardown(&f);
	close(con[0]);
	close(con[1]);
}

int main(void)
{
	RUN(test_syscalls);
	return check_summary();
}
