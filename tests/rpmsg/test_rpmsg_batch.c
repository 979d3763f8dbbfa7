/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The receive dispatcher takes several ring messages under one hold of its
 * lock and delivers them one by one: order across endpoints, device and
 * endpoint counters, an endpoint destroyed (and freed) by a callback in the
 * middle of a batch, holds in the middle of a batch, and the endpoint
 * reference kept between messages and between dispatches (parked), which a
 * destroy from another callback or from outside any callback takes away.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <amplink/rpmsg.h>

#include "check.h"
#include "rpmsg_harness.h"

#define NMSG 48

static uint32_t order[NMSG];	 /* sequence numbers in delivery order */
static uint32_t order_ept[NMSG]; /* ... and the endpoint address that got each */
static int nrx;
static struct rpmsg_endpoint *victim; /* freed when its kill sequence number arrives */
static uint32_t kill_at = 0xFFFFFFFFu;
static int self_destroy_at = -1;
static void *held[NMSG];
static int nheld;

static uint32_t seq_of(const void *data)
{
	uint32_t v;

	memcpy(&v, data, 4);
	return v;
}

static int batch_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	uint32_t s = seq_of(data);

	(void)src;
	(void)priv;
	CHECK_EQ_INT(len, 8);
	if (nrx < NMSG) {
		order[nrx] = s;
		order_ept[nrx] = ept->addr;
		nrx++;
	}
	if (s % 5 == 4 && nheld < NMSG) {
		rpmsg_hold_rx_buffer(ept, data);
		held[nheld++] = data;
	}
	if (s == kill_at && victim) {
		rpmsg_destroy_ept(victim); /* another endpoint, not referenced now */
		free(victim);
		victim = NULL;
	}
	if ((int)s == self_destroy_at)
		rpmsg_destroy_ept(ept); /* its own callback: the dispatcher's reference goes */
	return RPMSG_SUCCESS;
}

/* Send NMSG 8-byte messages (seq, i) to a[i % 3] in one burst, then pump once. */
static void burst(struct rh *h, struct rpmsg_endpoint *he, const uint32_t *a)
{
	uint32_t m[2];
	int i;

	for (i = 0; i < NMSG; i++) {
		m[0] = (uint32_t)i;
		m[1] = (uint32_t)i;
		CHECK_EQ_INT(rpmsg_trysendto(he, m, 8, a[i % 3 == 2 ? 1 : 0]), 8);
	}
	rh_pump(h);
}

static void release_held(struct rpmsg_endpoint *ept)
{
	while (nheld > 0)
		rpmsg_release_rx_buffer(ept, held[--nheld]);
}

/* Order, counters and holds across batches of mixed endpoints. */
static void test_batch_order_and_counts(void)
{
	struct amplink_rpmsg_ept_stats sa, sb;
	struct amplink_rpmsg_stats sd;
	struct rpmsg_endpoint he, ea, eb;
	uint32_t a[2];
	struct rh h;
	int i, round;

	REQUIRE(rh_init(&h, 128, false, NULL, NULL) == 0);
	REQUIRE(rpmsg_create_ept(&he, &h.host.rvdev.rdev, "", 1024, RPMSG_ADDR_ANY, batch_cb,
				 NULL) == 0);
	REQUIRE(rpmsg_create_ept(&ea, &h.remote.rvdev.rdev, "", 2000, RPMSG_ADDR_ANY, batch_cb,
				 NULL) == 0);
	REQUIRE(rpmsg_create_ept(&eb, &h.remote.rvdev.rdev, "", 2001, RPMSG_ADDR_ANY, batch_cb,
				 NULL) == 0);
	a[0] = ea.addr;
	a[1] = eb.addr;
	for (round = 0; round < 3; round++) {
		nrx = 0;
		burst(&h, &he, a);
		CHECK_EQ_INT(nrx, NMSG);
		for (i = 0; i < nrx; i++) {
			CHECK_EQ_INT(order[i], i);
			CHECK_EQ_INT(order_ept[i], i % 3 == 2 ? eb.addr : ea.addr);
		}
		/* Held buffers (every fifth) stay intact while later batches flow. */
		for (i = 0; i < nheld; i++)
			CHECK_EQ_INT(seq_of(held[i]) % 5, 4);
		if (round == 1)
			release_held(&ea);
	}
	CHECK_EQ_INT(ea.dest_addr, he.addr); /* bound by its first message */
	release_held(&ea);
	REQUIRE(amplink_rpmsg_ept_get_stats(&ea, &sa) == RPMSG_SUCCESS);
	REQUIRE(amplink_rpmsg_ept_get_stats(&eb, &sb) == RPMSG_SUCCESS);
	REQUIRE(amplink_rpmsg_virtio_get_stats(&h.remote.rvdev, &sd) == RPMSG_SUCCESS);
	CHECK_EQ_INT(sa.rx_msgs, 3 * 32);
	CHECK_EQ_INT(sb.rx_msgs, 3 * 16);
	CHECK_EQ_INT(sa.rx_bytes, 3 * 32 * 8);
	CHECK_EQ_INT(sd.rx_msgs, 3 * NMSG);
	CHECK_EQ_INT(sd.drop_no_ept, 0);
	/* Every buffer came back: far more than the ring still flows. */
	for (i = 0; i < 10; i++) {
		nrx = 0;
		burst(&h, &he, a);
		CHECK_EQ_INT(nrx, NMSG);
		release_held(&ea);
	}
	rpmsg_destroy_ept(&he);
	rpmsg_destroy_ept(&ea);
	rpmsg_destroy_ept(&eb);
	rh_fini(&h);
}

/*
 * Mid-batch, a callback destroys and frees another endpoint (ASan sees any
 * later touch), then an endpoint destroys itself: the messages after are
 * dropped and counted, the rest delivered in order.
 */
static void test_batch_destroy_mid_batch(void)
{
	struct amplink_rpmsg_stats sd;
	struct rpmsg_endpoint he, ea;
	uint32_t a[2];
	struct rh h;
	int i, expect_b = 0;

	REQUIRE(rh_init(&h, 128, false, NULL, NULL) == 0);
	victim = calloc(1, sizeof(*victim));
	REQUIRE(victim != NULL);
	REQUIRE(rpmsg_create_ept(&he, &h.host.rvdev.rdev, "", 1024, RPMSG_ADDR_ANY, batch_cb,
				 NULL) == 0);
	REQUIRE(rpmsg_create_ept(&ea, &h.remote.rvdev.rdev, "", 2000, RPMSG_ADDR_ANY, batch_cb,
				 NULL) == 0);
	REQUIRE(rpmsg_create_ept(victim, &h.remote.rvdev.rdev, "", 2001, RPMSG_ADDR_ANY, batch_cb,
				 NULL) == 0);
	a[0] = ea.addr;
	a[1] = victim->addr;
	kill_at = 6;	      /* an A message right after B's seq 5 */
	self_destroy_at = 30; /* A destroys itself at seq 30 */
	nrx = 0;
	nheld = 0;
	burst(&h, &he, a);
	for (i = 0; i < NMSG; i++) {
		if (i % 3 == 2 && i < 6)
			expect_b++;
	}
	/* A: seqs not 2 mod 3 up to 30; B: 2 and 5 only. */
	CHECK_EQ_INT(nrx, 21 + expect_b);
	for (i = 1; i < nrx; i++)
		CHECK(order[i] > order[i - 1]);
	CHECK_EQ_INT(order[nrx - 1], 30);
	REQUIRE(amplink_rpmsg_virtio_get_stats(&h.remote.rvdev, &sd) == RPMSG_SUCCESS);
	CHECK_EQ_INT(sd.rx_msgs, (uint64_t)nrx);
	CHECK_EQ_INT(sd.drop_no_ept, NMSG - nrx);
	nheld = 0; /* held buffers of destroyed endpoints are released with the device */
	kill_at = 0xFFFFFFFFu;
	self_destroy_at = -1;
	rpmsg_destroy_ept(&he);
	rh_fini(&h);
}

/*
 * Between dispatches the dispatcher keeps (parks) its reference on the last
 * endpoint: a destroy from outside any callback must still return at once
 * (alarm: a hang fails), a new endpoint at the same address gets the next
 * message, and destroying another endpoint drops the parked reference too.
 */
static void test_parked_reference(void)
{
	struct rpmsg_endpoint he, ea, eb, ec;
	uint32_t m[2] = {100, 0};
	struct rh h;

	alarm(10);
	REQUIRE(rh_init(&h, 64, false, NULL, NULL) == 0);
	REQUIRE(rpmsg_create_ept(&he, &h.host.rvdev.rdev, "", 1024, RPMSG_ADDR_ANY, batch_cb,
				 NULL) == 0);
	REQUIRE(rpmsg_create_ept(&ea, &h.remote.rvdev.rdev, "", 2000, RPMSG_ADDR_ANY, batch_cb,
				 NULL) == 0);
	nrx = 0;
	CHECK_EQ_INT(rpmsg_trysendto(&he, m, 8, 2000), 8);
	rh_pump(&h);
	CHECK_EQ_INT(nrx, 1);
	rpmsg_destroy_ept(&ea); /* its reference is parked: must not wait */
	REQUIRE(rpmsg_create_ept(&eb, &h.remote.rvdev.rdev, "", 2000, RPMSG_ADDR_ANY, batch_cb,
				 NULL) == 0);
	REQUIRE(rpmsg_create_ept(&ec, &h.remote.rvdev.rdev, "", 2001, RPMSG_ADDR_ANY, batch_cb,
				 NULL) == 0);
	CHECK_EQ_INT(rpmsg_trysendto(&he, m, 8, 2000), 8);
	rh_pump(&h);
	CHECK_EQ_INT(nrx, 2);
	rpmsg_destroy_ept(&ec); /* another endpoint leaves: eb's parked reference goes */
	CHECK_EQ_INT(eb.refcnt, 0);
	CHECK_EQ_INT(rpmsg_trysendto(&he, m, 8, 2000), 8);
	CHECK_EQ_INT(rpmsg_trysendto(&he, m, 8, 2001), 8); /* dropped: no endpoint */
	rh_pump(&h);
	CHECK_EQ_INT(nrx, 3);
	rpmsg_destroy_ept(&eb);
	rpmsg_destroy_ept(&he);
	rh_fini(&h);
	alarm(0);
}

int main(void)
{
	RUN(test_batch_order_and_counts);
	RUN(test_batch_destroy_mid_batch);
	RUN(test_parked_reference);
	return check_summary();
}
