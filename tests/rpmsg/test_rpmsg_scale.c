/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Endpoint lookup at scale: AMPLINK_CFG_MAX_ENDPOINTS dynamic endpoints plus
 * fixed-address ones on the remote, every one reachable, the table limit
 * enforced, and the in-process message rate with 1024 endpoints compared to
 * one (the lookup is a direct index: the figure should be ~1.0). The rates
 * are printed; the check on them is generous because the machine is shared,
 * so this program does not run under valgrind.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "rpmsg_harness.h"

#define NEPT   AMPLINK_CFG_MAX_ENDPOINTS
#define ROUNDS 20000

static unsigned int *hits;

static int hit_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)data;
	(void)len;
	(void)src;
	(void)priv;
	hits[ept->addr - RPMSG_RESERVED_ADDRESSES]++;
	return 0;
}

/* Messages per second from the host to remote address @dst. */
static double rate(struct rh *h, struct rpmsg_endpoint *he, uint32_t dst)
{
	double t0 = rh_now_ms(), dt;
	int i;

	for (i = 0; i < ROUNDS; i++) {
		if (rpmsg_sendto(he, "0123456789abcdef", 16, dst) != 16)
			return 0;
		if ((i & 7) == 7)
			rh_pump(h);
	}
	rh_pump(h);
	dt = rh_now_ms() - t0;
	return ROUNDS / (dt / 1000.0);
}

static void test_many_endpoints(void)
{
	static struct rh h;
	struct rpmsg_endpoint *epts = calloc(NEPT + 1, sizeof(*epts));
	struct rpmsg_endpoint he, fixed[4], extra;
	double r1 = 0, rn = 0, x;
	int i, k;

	hits = calloc(NEPT, sizeof(*hits));
	REQUIRE(epts && hits);
	REQUIRE(rh_init(&h, 64, false, NULL, NULL) == 0);
	REQUIRE(rpmsg_create_ept(&he, &h.host.rvdev.rdev, "", 1024, RPMSG_ADDR_ANY, hit_cb, NULL) ==
		0);
	REQUIRE(rpmsg_create_ept(&epts[0], &h.remote.rvdev.rdev, "", RPMSG_ADDR_ANY, 1024, hit_cb,
				 NULL) == 0);
	/* Best of three, with one endpoint. */
	for (k = 0; k < 3; k++) {
		x = rate(&h, &he, 1024);
		r1 = x > r1 ? x : r1;
	}
	for (i = 1; i < NEPT; i++)
		CHECK_EQ_INT(rpmsg_create_ept(&epts[i], &h.remote.rvdev.rdev, "", RPMSG_ADDR_ANY,
					      1024, hit_cb, NULL),
			     0);
	CHECK_EQ_INT(epts[NEPT - 1].addr, 1024 + NEPT - 1);
	/* The direct table is full: no dynamic address left. */
	CHECK_EQ_INT(rpmsg_create_ept(&extra, &h.remote.rvdev.rdev, "", RPMSG_ADDR_ANY, 1024,
				      hit_cb, NULL),
		     RPMSG_ERR_ADDR);
	/* Fixed addresses outside the table still work. */
	for (i = 0; i < 4; i++)
		CHECK_EQ_INT(rpmsg_create_ept(&fixed[i], &h.remote.rvdev.rdev, "",
					      (uint32_t)(100 + i), 1024, hit_cb, NULL),
			     0);
	for (k = 0; k < 3; k++) {
		x = rate(&h, &he, 1024 + NEPT - 1);
		rn = x > rn ? x : rn;
	}
	printf("rate with 1 endpoint: %.0f msg/s, with %d: %.0f msg/s (ratio %.3f)\n", r1, NEPT, rn,
	       r1 > 0 ? rn / r1 : 0.0);
	CHECK(r1 > 0 && rn > 0);
	CHECK(rn >= 0.5 * r1);
	/* Every endpoint is reachable. */
	memset(hits, 0, NEPT * sizeof(*hits));
	for (i = 0; i < NEPT; i++) {
		CHECK_EQ_INT(rpmsg_sendto(&he, "x", 1, 1024 + (uint32_t)i), 1);
		if ((i & 7) == 7)
			rh_pump(&h);
	}
	rh_pump(&h);
	for (i = 0; i < NEPT; i++) {
		if (hits[i] != 1) {
			CHECK_EQ_INT(hits[i], 1);
			break;
		}
	}
	for (i = 0; i < NEPT; i++)
		rpmsg_destroy_ept(&epts[i]);
	for (i = 0; i < 4; i++)
		rpmsg_destroy_ept(&fixed[i]);
	rpmsg_destroy_ept(&he);
	rh_fini(&h);
	free(epts);
	free(hits);
}

int main(void)
{
	RUN(test_many_endpoints);
	return check_summary();
}
