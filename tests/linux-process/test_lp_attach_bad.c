/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The remote side of the Linux two-process transport refuses a region it
 * cannot trust: each case copies a real host's region into a fresh memfd,
 * breaks one thing (unsealed file, control block, resource table, vring
 * geometry, host already gone) and checks that attaching fails with the
 * right error and no crash. The unbroken copy is accepted (positive
 * control). Malformed AMPLINK_LP_FDS values are refused too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <amplink/linux_process.h>
#include <metal/sys.h>
#include <openamp/remoteproc.h>

#include "check.h"
#include "lp_private.h"

static uint8_t *good; /* copy of a real host's region */
static size_t good_size;

/* The parts of the copy a case may break. */
static struct lp_ctrl *ctrl_of(uint8_t *r)
{
	return (struct lp_ctrl *)r;
}

static struct resource_table *rsc_of(uint8_t *r)
{
	return (struct resource_table *)(r + LP_CTRL_SIZE);
}

static struct fw_rsc_vdev *vdev_of(uint8_t *r)
{
	struct resource_table *rt = rsc_of(r);

	return (struct fw_rsc_vdev *)((uint8_t *)rt + rt->offset[0]);
}

/* Attach to @region (sealed or not) through the environment. Returns the result. */
static int try_attach(const uint8_t *region, size_t size, int seal)
{
	struct amplink_lp *lp = NULL;
	char env[64];
	int m, sv[2], e1, e2, ret;

	m = memfd_create("lp-bad", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (m < 0 || ftruncate(m, (off_t)size) < 0 || pwrite(m, region, size, 0) != (ssize_t)size)
		return -999;
	if (seal && fcntl(m, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW) < 0)
		return -999;
	e1 = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	e2 = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (e1 < 0 || e2 < 0 || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -999;
	snprintf(env, sizeof(env), "%d,%d,%d,%d", m, e1, e2, sv[1]);
	setenv(AMPLINK_LP_ENV_FDS, env, 1);
	ret = amplink_lp_remote_open(NULL, &lp);
	CHECK(getenv(AMPLINK_LP_ENV_FDS) == NULL);
	if (ret == 0)
		amplink_lp_destroy(lp);
	close(sv[0]);
	return ret;
}

typedef void (*breaker)(uint8_t *r, size_t size);

static void brk_magic(uint8_t *r, size_t size)
{
	(void)size;
	ctrl_of(r)->magic ^= 1;
}

static void brk_version(uint8_t *r, size_t size)
{
	(void)size;
	ctrl_of(r)->version = LP_VERSION + 1;
}

static void brk_region_size(uint8_t *r, size_t size)
{
	ctrl_of(r)->region_size = (uint32_t)size + 4096;
}

static void brk_rsc_offset(uint8_t *r, size_t size)
{
	ctrl_of(r)->rsc_offset = (uint32_t)size - 64;
}

static void brk_rsc_offset_ctrl(uint8_t *r, size_t size)
{
	(void)size;
	ctrl_of(r)->rsc_offset = 0;
}

static void brk_rsc_size(uint8_t *r, size_t size)
{
	(void)size;
	ctrl_of(r)->rsc_size = LP_RSC_SIZE + 4;
}

static void brk_rsc_ver(uint8_t *r, size_t size)
{
	(void)size;
	rsc_of(r)->ver = 2;
}

static void brk_rsc_num(uint8_t *r, size_t size)
{
	(void)size;
	rsc_of(r)->num = 100000;
}

static void brk_rsc_entry_offset(uint8_t *r, size_t size)
{
	(void)size;
	rsc_of(r)->offset[0] = 4000;
}

static void brk_vdev_type(uint8_t *r, size_t size)
{
	(void)size;
	vdev_of(r)->type = RSC_CARVEOUT;
}

static void brk_vdev_id(uint8_t *r, size_t size)
{
	(void)size;
	vdev_of(r)->id = 3;
}

static void brk_vdev_nrings(uint8_t *r, size_t size)
{
	(void)size;
	vdev_of(r)->num_of_vrings = 3;
}

static void brk_vdev_config_len(uint8_t *r, size_t size)
{
	(void)size;
	vdev_of(r)->config_len = 0xFFFFFFF0U;
}

static void brk_vring_num(uint8_t *r, size_t size)
{
	(void)size;
	vdev_of(r)->vring[0].num = 100;
}

static void brk_vring_num_huge(uint8_t *r, size_t size)
{
	(void)size;
	vdev_of(r)->vring[1].num = 1U << 20;
}

static void brk_vring_align(uint8_t *r, size_t size)
{
	(void)size;
	vdev_of(r)->vring[0].align = 3;
}

static void brk_vring_da_end(uint8_t *r, size_t size)
{
	vdev_of(r)->vring[1].da = (uint32_t)size - 4096;
}

static void brk_vring_da_wrap(uint8_t *r, size_t size)
{
	(void)size;
	vdev_of(r)->vring[1].da = 0xFFFFF000U;
}

static void brk_vring_overlap(uint8_t *r, size_t size)
{
	(void)size;
	vdev_of(r)->vring[1].da = vdev_of(r)->vring[0].da;
}

static void brk_vring_over_ctrl(uint8_t *r, size_t size)
{
	(void)size;
	vdev_of(r)->vring[0].da = 0;
}

static void brk_vring_notifyid(uint8_t *r, size_t size)
{
	(void)size;
	vdev_of(r)->vring[1].notifyid = vdev_of(r)->vring[0].notifyid;
}

static void brk_host_gone(uint8_t *r, size_t size)
{
	(void)size;
	atomic_store(&ctrl_of(r)->host_state, LP_STATE_GONE);
}

static const struct {
	const char *name;
	breaker fn;
	int expect;
} cases[] = {
	{"magic", brk_magic, -EPROTO},
	{"version", brk_version, -EPROTO},
	{"region_size", brk_region_size, -EPROTO},
	{"rsc_offset past end", brk_rsc_offset, -EPROTO},
	{"rsc_offset over ctrl", brk_rsc_offset_ctrl, -EPROTO},
	{"rsc_size", brk_rsc_size, -EPROTO},
	{"table version", brk_rsc_ver, -EPROTO},
	{"table num", brk_rsc_num, -EPROTO},
	{"entry offset", brk_rsc_entry_offset, -EPROTO},
	{"vdev type", brk_vdev_type, -EPROTO},
	{"vdev id", brk_vdev_id, -EPROTO},
	{"vdev vrings", brk_vdev_nrings, -EPROTO},
	{"vdev config_len", brk_vdev_config_len, -EPROTO},
	{"vring num", brk_vring_num, -EPROTO},
	{"vring num huge", brk_vring_num_huge, -EPROTO},
	{"vring align", brk_vring_align, -EPROTO},
	{"vring past end", brk_vring_da_end, -EPROTO},
	{"vring da wraps", brk_vring_da_wrap, -EPROTO},
	{"vrings overlap", brk_vring_overlap, -EPROTO},
	{"vring over ctrl", brk_vring_over_ctrl, -EPROTO},
	{"vring notifyids", brk_vring_notifyid, -EPROTO},
	{"host gone", brk_host_gone, -EPIPE},
};

static void test_good_copy_accepted(void)
{
	CHECK_EQ_INT(try_attach(good, good_size, 1), 0);
}

static void test_unsealed_refused(void)
{
	CHECK_EQ_INT(try_attach(good, good_size, 0), -EPROTO);
}

static void test_broken_regions_refused(void)
{
	uint8_t *copy = malloc(good_size);

	REQUIRE(copy != NULL);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ret;
		memcpy(copy, good, good_size);
		cases[i].fn(copy, good_size);
		ret = try_attach(copy, good_size, 1);
		if (ret != cases[i].expect)
			fprintf(stderr, "case \"%s\": got %d, want %d\n", cases[i].name, ret,
				cases[i].expect);
		CHECK_EQ_INT(ret, cases[i].expect);
	}
	free(copy);
}

static void test_bad_env_refused(void)
{
	struct amplink_lp *lp = NULL;
	static const char *const bad[] = {"",	     "1,2,3",	 "1,2,3,4,5",  "a,b,c,d",
					  "0,0,1,2", "-1,0,1,2", "0,1,2,99999"};

	unsetenv(AMPLINK_LP_ENV_FDS);
	CHECK_EQ_INT(amplink_lp_remote_open(NULL, &lp), -ENOENT);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setenv(AMPLINK_LP_ENV_FDS, bad[i], 1);
		CHECK_EQ_INT(amplink_lp_remote_open(NULL, &lp), -EINVAL);
	}
	/* Well formed but not open. */
	setenv(AMPLINK_LP_ENV_FDS, "1000,1001,1002,1003", 1);
	CHECK_EQ_INT(amplink_lp_remote_open(NULL, &lp), -EBADF);
	CHECK(lp == NULL);
}

static void test_bad_names_refused(void)
{
	struct amplink_lp_config cfg;
	struct amplink_lp *lp = NULL;
	char path[128];

	amplink_lp_config_init(&cfg);
	cfg.name = "../etc";
	CHECK_EQ_INT(amplink_lp_host_create(&cfg, &lp), -EINVAL);
	cfg.name = "a/b";
	CHECK_EQ_INT(amplink_lp_host_create(&cfg, &lp), -EINVAL);
	cfg.name = "ok";
	cfg.vring_num = 100;
	CHECK_EQ_INT(amplink_lp_host_create(&cfg, &lp), -EINVAL);
	CHECK_EQ_INT(amplink_lp_default_socket_path("x y", path, sizeof(path)), -EINVAL);
	CHECK_EQ_INT(amplink_lp_default_socket_path("ok", path, 8), -ENAMETOOLONG);
	CHECK_EQ_INT(amplink_lp_default_socket_path(NULL, path, sizeof(path)), 0);
	CHECK(strstr(path, "amplink-") != NULL);
}

int main(void)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;
	struct amplink_lp *host = NULL;

	/* Every refusal logs one line: keep the output to the failures. */
	params.log_level = METAL_LOG_CRITICAL;
	if (metal_init(&params) != 0 || amplink_lp_host_create(NULL, &host) < 0)
		return 2;
	good_size = host->shm_size;
	good = malloc(good_size);
	if (!good)
		return 2;
	memcpy(good, metal_io_virt(host->io, 0), good_size);
	RUN(test_good_copy_accepted);
	RUN(test_unsealed_refused);
	RUN(test_broken_regions_refused);
	RUN(test_bad_env_refused);
	RUN(test_bad_names_refused);
	free(good);
	amplink_lp_destroy(host);
	metal_finish();
	return check_summary();
}
