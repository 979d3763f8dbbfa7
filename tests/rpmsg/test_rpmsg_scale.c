/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Endpoint lookup at scale: AMPLINK_CFG_MAX_ENDPOINTS dynamic endpoints plus
 * fixed-address ones on the remote, every one reachable, the table limit
 * enforced, and a stream to the last endpoint of a full table delivered whole.
 * How fast lookup is at scale is a benchmark figure (amplink-bench, key
 * "endpoints"), never a pass/fail on time here.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "rpmsg_harness.h"

#define NEPT   AMPLINK_CFG_MAX_ENDPOINTS
#define ROUNDS 2000

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

/* Sends ROUNDS messages from the host to remote address @dst; returns those accepted. */
static int stream(struct rh *h, struct rpmsg_endpoint *he, uint32_t dst)
{
	int i, sent = 0;

	for (i = 0; i < ROUNDS; i++) {
		if (rpmsg_sendto(he, "0123456789abcdef", 16, dst) == 16)
			sent++;
		if ((i & 7) == 7)
			rh_pump(h);
	}
	rh_pump(h);
	return sent;
}

static void test_many_endpoints(void)
{
	static struct rh h;
	struct rpmsg_endpoint *epts = calloc(NEPT + 1, sizeof(*epts));
	struct rpmsg_endpoint he, fixed[4], extra;
	int i;

	hits = calloc(NEPT, sizeof(*hits));
	REQUIRE(epts && hits);
	REQUIRE(rh_init(&h, 64, false, NULL, NULL) == 0);
	REQUIRE(rpmsg_create_ept(&he, &h.host.rvdev.rdev, "", 1024, RPMSG_ADDR_ANY, hit_cb, NULL) ==
		0);
	REQUIRE(rpmsg_create_ept(&epts[0], &h.remote.rvdev.rdev, "", RPMSG_ADDR_ANY, 1024, hit_cb,
				 NULL) == 0);
	CHECK_EQ_INT(stream(&h, &he, 1024), ROUNDS);
	CHECK_EQ_INT(hits[0], ROUNDS);
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
	/* The last slot of a full table receives a whole stream. */
	CHECK_EQ_INT(stream(&h, &he, 1024 + NEPT - 1), ROUNDS);
	CHECK_EQ_INT(hits[NEPT - 1], ROUNDS);
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
