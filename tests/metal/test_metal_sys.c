/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Tests of metal_init/metal_finish (reference counting, as an ordinary user),
 * the version, allocation, monotonic time and sleep.
 */
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <metal/alloc.h>
#include <metal/assert.h>
#include <metal/cache.h>
#include <metal/cpu.h>
#include <metal/device.h>
#include <metal/errno.h>
#include <metal/sleep.h>
#include <metal/sys.h>
#include <metal/time.h>
#include <metal/version.h>
#include "check.h"

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

int main(void)
{
	RUN(test_init_finish);
	RUN(test_version);
	RUN(test_alloc);
	RUN(test_time_sleep);
	return check_summary();
}
