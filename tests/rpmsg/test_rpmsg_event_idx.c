/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RPMsg over a device that offers VIRTIO_RING_F_EVENT_IDX: the host accepts
 * it, both sides see it, a burst of messages sent while the peer has not run
 * costs one notification instead of one per message, and bursts in both
 * directions across many ring laps arrive complete and in order (no
 * notification is suppressed that was needed). Control: the same burst
 * without the feature notifies per message.
 */
#include <string.h>

#include "check.h"
#include "rpmsg_harness.h"

#define EI_RING	 16u
#define EI_BURST 10

/* Counts messages and checks their sequence bytes. */
struct ei_counter {
	unsigned int got;
	unsigned int bad;
	unsigned char next;
};

static int ei_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	struct ei_counter *c = priv;

	(void)ept;
	(void)src;
	if (len != 1 || ((const unsigned char *)data)[0] != c->next)
		c->bad++;
	c->next++;
	c->got++;
	return RPMSG_SUCCESS;
}

/* Send @n one-byte messages numbered from *@seq. Returns how many went out. */
static int ei_burst(struct rpmsg_endpoint *ept, int n, unsigned char *seq)
{
	int i, sent = 0;

	for (i = 0; i < n; i++) {
		if (rpmsg_trysend(ept, seq, 1) != 1)
			break;
		(*seq)++;
		sent++;
	}
	return sent;
}

/* Kicks the host sends for one burst of EI_BURST messages before the peer runs. */
static unsigned int ei_burst_kicks(bool event_idx)
{
	static struct rh h;
	struct rpmsg_endpoint he, re;
	struct ei_counter hc = {0, 0, 0}, rc = {0, 0, 0};
	unsigned char seq = 0;
	unsigned int k0, kicks;

	rh_ring_features = event_idx ? VIRTIO_RING_F_EVENT_IDX : 0;
	if (rh_init(&h, EI_RING, false, NULL, NULL) != 0) {
		rh_ring_features = 0;
		CHECK(0);
		return 0;
	}
	rh_ring_features = 0;
	CHECK_EQ_INT((h.host.vdev->features & VIRTIO_RING_F_EVENT_IDX) != 0, event_idx);
	CHECK_EQ_INT((h.remote.vdev->features & VIRTIO_RING_F_EVENT_IDX) != 0, event_idx);
	CHECK_EQ_INT(rpmsg_create_ept(&he, &h.host.rvdev.rdev, "", 1024, 1025, ei_cb, NULL), 0);
	he.priv = &hc;
	CHECK_EQ_INT(rpmsg_create_ept(&re, &h.remote.rvdev.rdev, "", 1025, 1024, ei_cb, NULL), 0);
	re.priv = &rc;
	rh_pump(&h);
	k0 = atomic_load(&h.host.kicks_sent);
	CHECK_EQ_INT(ei_burst(&he, EI_BURST, &seq), EI_BURST);
	kicks = atomic_load(&h.host.kicks_sent) - k0;
	rh_pump(&h);
	CHECK_EQ_INT(rc.got, EI_BURST);
	CHECK_EQ_INT(rc.bad + hc.got, 0);
	rpmsg_destroy_ept(&he);
	rpmsg_destroy_ept(&re);
	rh_fini(&h);
	return kicks;
}

static void test_burst_notifies_once(void)
{
	CHECK_EQ_INT(ei_burst_kicks(true), 1);
	CHECK_EQ_INT(ei_burst_kicks(false), EI_BURST);
}

/* Bursts both ways over many laps of the ring: nothing lost, nothing out of order. */
static void test_laps_both_ways(void)
{
	static struct rh h;
	struct rpmsg_endpoint he, re;
	struct ei_counter hc = {0, 0, 0}, rc = {0, 0, 0};
	unsigned char hseq = 0, rseq = 0;
	unsigned int sent_h = 0, sent_r = 0;
	int round;

	rh_ring_features = VIRTIO_RING_F_EVENT_IDX;
	REQUIRE(rh_init(&h, EI_RING, false, NULL, NULL) == 0);
	rh_ring_features = 0;
	REQUIRE(rpmsg_create_ept(&he, &h.host.rvdev.rdev, "", 1024, 1025, ei_cb, NULL) == 0);
	he.priv = &hc;
	REQUIRE(rpmsg_create_ept(&re, &h.remote.rvdev.rdev, "", 1025, 1024, ei_cb, NULL) == 0);
	re.priv = &rc;
	for (round = 0; round < 300; round++) {
		int n = 1 + round % 7;

		sent_h += (unsigned int)ei_burst(&he, n, &hseq);
		sent_r += (unsigned int)ei_burst(&re, n, &rseq);
		rh_pump(&h);
		/* Every message sent so far has arrived: no needed kick was suppressed. */
		CHECK_EQ_INT(rc.got, sent_h);
		CHECK_EQ_INT(hc.got, sent_r);
	}
	CHECK(sent_h >= 300 * 4 / 2 && sent_r >= 300 * 4 / 2);
	CHECK_EQ_INT(hc.bad + rc.bad, 0);
	CHECK(!amplink_rpmsg_virtio_is_peer_gone(&h.host.rvdev));
	CHECK(!amplink_rpmsg_virtio_is_peer_gone(&h.remote.rvdev));
	rpmsg_destroy_ept(&he);
	rpmsg_destroy_ept(&re);
	rh_fini(&h);
}

int main(void)
{
	RUN(test_burst_notifies_once);
	RUN(test_laps_both_ways);
	return check_summary();
}
