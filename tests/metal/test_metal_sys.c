/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Tests of metal_init/metal_finish (reference counting, as an ordinary user),
 * the version, allocation, monotonic time and sleep.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <metal/alloc.h>
#include <metal/assert.h>
#include <metal/cache.h>
#include <metal/cpu.h>
#include <metal/device.h>
#include <metal/errno.h>
#include <metal/irq.h>
#include <metal/shmem.h>
#include <metal/sleep.h>
#include <metal/sys.h>
#include <metal/time.h>
#include <metal/version.h>
#include "check.h"

static int irq_count(int irq, void *arg)
{
	uint64_t v;

	(void)arg;
	return read(irq, &v, sizeof(v)) == sizeof(v) ? METAL_IRQ_HANDLED : METAL_IRQ_NOT_HANDLED;
}

static void test_init_finish(void)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;
	struct metal_bus *bus;

	/* Whatever user runs the tests (root or not), init needs nothing special. */
	CHECK_EQ_INT(metal_init(&params), 0);
	CHECK_EQ_INT(amplink_metal_common.ref_count, 1);
	CHECK_EQ_INT(metal_init(NULL), 0);
	CHECK_EQ_INT(amplink_metal_common.ref_count, 2);
	CHECK_EQ_INT(metal_bus_find("generic", &bus), 0);
	metal_finish();
	CHECK_EQ_INT(metal_bus_find("generic", &bus), 0); /* still one reference */
	metal_finish();
	CHECK_EQ_INT(amplink_metal_common.ref_count, 0);
	CHECK_EQ_INT(metal_bus_find("generic", &bus), -ENOENT);
	metal_finish(); /* unbalanced: ignored */
	CHECK_EQ_INT(amplink_metal_common.ref_count, 0);
	/* And again after a full cycle. */
	CHECK_EQ_INT(metal_init(&params), 0);
	metal_finish();
}

static void test_version(void)
{
	CHECK_EQ_INT(metal_ver_major(), 1);
	CHECK_EQ_INT(metal_ver_minor(), 10);
	CHECK_EQ_INT(metal_ver_patch(), 0);
	CHECK(strcmp(metal_ver(), "1.10.0") == 0);
}

static void test_alloc(void)
{
	unsigned char *p = metal_allocate_memory(100);

	REQUIRE(p != NULL);
	memset(p, 1, 100);
	metal_cache_flush(p, 100);
	metal_cache_invalidate(p, 100);
	metal_free_memory(p);
	metal_free_memory(NULL);
}

static void test_time_sleep(void)
{
	unsigned long long t0 = metal_get_timestamp(), t1, t2;
	int i;

	CHECK(t0 > 0);
	for (i = 0; i < 1000; i++)
		metal_cpu_yield();
	t1 = metal_get_timestamp();
	CHECK(t1 >= t0);
	CHECK_EQ_INT(metal_sleep_usec(10000), 0);
	t2 = metal_get_timestamp();
	CHECK(t2 - t1 >= 10000000ULL);
	CHECK(t2 - t1 < 2000000000ULL);
	CHECK_EQ_INT(metal_sleep_usec(0), 0);
	metal_assert(t2 >= t1);
}

/* What an application does first: init, shared memory, an irq. 0 = fine. */
static int unprivileged_steps(void)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;
	struct metal_io_region *io;
	char name[64];
	uint64_t one = 1;
	int fd, ret = 0;

	if (metal_init(&params) != 0)
		return 2;
	snprintf(name, sizeof(name), "amplink-sys-%d", (int)getpid());
	if (metal_shmem_open(name, 4096, &io) != 0)
		return 3;
	metal_io_write32(io, 0, 1);
	metal_io_finish(io);
	shm_unlink(name);
	fd = eventfd(0, EFD_NONBLOCK);
	if (fd < 0 || metal_irq_register(fd, irq_count, NULL) != 0)
		return 4;
	if (write(fd, &one, sizeof(one)) != sizeof(one) || amplink_irq_dispatch(1000) != 1)
		ret = 5;
	metal_irq_unregister(fd);
	close(fd);
	metal_finish();
	return ret;
}

static void test_unprivileged(void)
{
	int status = -1;
	pid_t pid;

	pid = fork();
	REQUIRE(pid >= 0);
	if (pid == 0) {
		/* As root, drop to "nobody" first; otherwise we already are a user. */
		if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
			_exit(1);
		_exit(unprivileged_steps());
	}
	REQUIRE(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status));
	CHECK_EQ_INT(WEXITSTATUS(status), 0);
}

int main(void)
{
	RUN(test_init_finish);
	RUN(test_unprivileged);
	RUN(test_version);
	RUN(test_alloc);
	RUN(test_time_sleep);
	return check_summary();
}
