/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Tests of shared memory on Linux: registered regions found first, the same
 * POSIX name in two processes (fork) mapping the same memory with mode 0600,
 * amplink_shmem_create / amplink_shmem_map_fd across fork, and bad input.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <metal/errno.h>
#include <metal/shmem.h>
#include <metal/sys.h>
#include "check.h"

static char name[64];

/* Child: map name, check the parent's word, write an answer, exit. */
static int child_named(void)
{
	struct metal_io_region *io;

	if (metal_shmem_open(name, 4096, &io) != 0)
		return 2;
	if (metal_io_read32(io, 0) != 0x11223344u)
		return 3;
	metal_io_write32(io, 4, 0x55667788u);
	metal_io_finish(io);
	return 0;
}

static int wait_child(pid_t pid)
{
	int status = 0;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void test_named_across_fork(void)
{
	struct metal_io_region *io;
	char path[96];
	struct stat st;
	pid_t pid;

	snprintf(name, sizeof(name), "amplink-test-%d", (int)getpid());
	snprintf(path, sizeof(path), "/%s", name);
	shm_unlink(path);
	REQUIRE(metal_init(NULL) == 0);
	REQUIRE(metal_shmem_open(name, 4096, &io) == 0);
	CHECK_EQ_INT(metal_io_region_size(io), 4096);
	CHECK_EQ_INT(metal_io_phys(io, 16), 16);
	CHECK_EQ_INT(metal_io_read32(io, 4), 0); /* new object is zeroed */
	metal_io_write32(io, 0, 0x11223344u);
	pid = fork();
	REQUIRE(pid >= 0);
	if (pid == 0)
		_exit(child_named());
	CHECK_EQ_INT(wait_child(pid), 0);
	CHECK_EQ_INT(metal_io_read32(io, 4), 0x55667788u);
	/* Mode 0600, and a leading '/' names the same object. */
	{
		int fd = shm_open(path, O_RDONLY, 0);

		REQUIRE(fd >= 0);
		CHECK(fstat(fd, &st) == 0);
		CHECK_EQ_INT(st.st_mode & 0777, 0600);
		CHECK(st.st_size >= 4096);
		close(fd);
	}
	{
		struct metal_io_region *io2;

		REQUIRE(metal_shmem_open(path, 4096, &io2) == 0);
		CHECK_EQ_INT(metal_io_read32(io2, 4), 0x55667788u);
		amplink_shmem_close(io2);
	}
	metal_io_finish(io);
	shm_unlink(path);
	metal_finish();
}

static void test_bad_names(void)
{
	struct metal_io_region *io;

	CHECK_EQ_INT(metal_shmem_open("a/b", 4096, &io), -EINVAL);
	CHECK_EQ_INT(metal_shmem_open("/", 4096, &io), -EINVAL);
	CHECK_EQ_INT(metal_shmem_open("", 4096, &io), -EINVAL);
	CHECK_EQ_INT(metal_shmem_open(NULL, 4096, &io), -EINVAL);
	CHECK_EQ_INT(metal_shmem_open("amplink-zero", 0, &io), -EINVAL);
}

static void test_registered(void)
{
	static uint8_t mem[128];
	static metal_phys_addr_t phys = 0x1000;
	static struct metal_generic_shmem shm = {.name = "amplink-static"};
	static struct metal_generic_shmem dup = {.name = "amplink-static"};
	struct metal_io_region *io = NULL;

	metal_io_init(&shm.io, mem, &phys, sizeof(mem), (unsigned int)-1, 0, NULL);
	CHECK_EQ_INT(metal_shmem_register_generic(&shm), 0);
	CHECK_EQ_INT(metal_shmem_register_generic(&dup), -EEXIST);
	CHECK_EQ_INT(metal_shmem_register_generic(NULL), -EINVAL);
	CHECK_EQ_INT(metal_shmem_open("amplink-static", 64, &io), 0);
	CHECK(io == &shm.io);
	CHECK_EQ_INT(metal_shmem_open_generic("amplink-static", 256, &io), -ENOMEM);
	CHECK_EQ_INT(metal_shmem_open("amplink-static", 256, &io), -ENOMEM);
	CHECK_EQ_INT(metal_shmem_open_generic("amplink-none", 16, &io), -ENOENT);
}

static void test_memfd_across_fork(void)
{
	struct metal_io_region *io;
	struct stat st;
	pid_t pid;
	int fd = -1;

	REQUIRE(amplink_shmem_create("amplink-test", 8192, &fd, &io) == 0);
	CHECK(fd >= 0);
	CHECK(fstat(fd, &st) == 0);
	CHECK_EQ_INT(st.st_mode & 0777, 0600);
	CHECK_EQ_INT(st.st_size, 8192);
	CHECK_EQ_INT(metal_io_phys(io, 8191), 8191);
	CHECK(metal_io_phys(io, 8192) == METAL_BAD_PHYS);
	metal_io_write64(io, 8184, 0xfeedfacecafebeefULL);
	pid = fork();
	REQUIRE(pid >= 0);
	if (pid == 0) {
		/* A separate mapping of the inherited fd sees the same memory. */
		struct metal_io_region *cio;
		int bad;

		if (amplink_shmem_map_fd(fd, 8192, &cio) != 0)
			_exit(2);
		bad = metal_io_read64(cio, 8184) != 0xfeedfacecafebeefULL;
		metal_io_write8(cio, 0, 0x42);
		amplink_shmem_close(cio);
		_exit(bad ? 3 : 0);
	}
	CHECK_EQ_INT(wait_child(pid), 0);
	CHECK_EQ_INT(metal_io_read8(io, 0), 0x42);
	{
		struct metal_io_region *io2;

		CHECK_EQ_INT(amplink_shmem_map_fd(fd, 8193, &io2), -EINVAL); /* too small */
		CHECK_EQ_INT(amplink_shmem_map_fd(-1, 8192, &io2), -EINVAL);
		CHECK_EQ_INT(amplink_shmem_map_fd(fd, 0, &io2), -EINVAL);
		CHECK_EQ_INT(amplink_shmem_map_fd(fd, 4096, &io2), 0); /* a prefix is fine */
		CHECK_EQ_INT(metal_io_read8(io2, 0), 0x42);
		amplink_shmem_close(io2);
	}
	CHECK_EQ_INT(amplink_shmem_create("x", 0, &fd, &io), -EINVAL);
	amplink_shmem_close(io);
	close(fd);
}

int main(void)
{
	RUN(test_named_across_fork);
	RUN(test_bad_names);
	RUN(test_registered);
	RUN(test_memfd_across_fork);
	return check_summary();
}
