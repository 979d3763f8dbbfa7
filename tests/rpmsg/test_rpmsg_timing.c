/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The amplink timed send: it gives up after its timeout, and a buffer coming
 * back wakes it at once (well before its 100 ms safety slice), which shows the
 * wait is event-driven, not sleep-polling. Timing figures are checked, so this
 * program does not run under valgrind.
 */
#define _GNU_SOURCE
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "rpmsg_harness.h"

static void *late_pump_thread(void *arg)
{
	struct rh *h = arg;

	usleep(30 * 1000);
	rh_pump(h);
	return NULL;
}

static void test_timed_send(void)
{
	static struct rh h;
	struct rpmsg_endpoint he, re;
	struct amplink_rpmsg_stats s;
	struct amplink_rpmsg_ept_stats es;
	pthread_t t;
	double t0, dt;

	REQUIRE(rh_init(&h, 16, false, NULL, NULL) == 0);
	REQUIRE(rpmsg_create_ept(&he, &h.host.rvdev.rdev, "", 1024, 1024, rh_nop_cb, NULL) == 0);
	REQUIRE(rpmsg_create_ept(&re, &h.remote.rvdev.rdev, "", 1024, 1024, rh_nop_cb, NULL) == 0);
	CHECK_EQ_INT(rh_exhaust(&he), 16);
	CHECK_EQ_INT(rpmsg_trysend(&he, "f", 1), RPMSG_ERR_NO_BUFF);
	t0 = rh_now_ms();
	CHECK_EQ_INT(amplink_rpmsg_send_timeout(&he, "t", 1, 1024, 50000), RPMSG_ERR_NO_BUFF);
	dt = rh_now_ms() - t0;
	CHECK(dt >= 45.0 && dt < 1000.0);
	CHECK(rpmsg_get_tx_payload_buffer(&he, &(uint32_t){0}, 0) == NULL);
	/* A buffer coming back wakes the waiter at once (the polling slice is 100 ms). */
	pthread_create(&t, NULL, late_pump_thread, &h);
	t0 = rh_now_ms();
	CHECK_EQ_INT(amplink_rpmsg_send_timeout(&he, "w", 1, 1024, 5000000), 1);
	dt = rh_now_ms() - t0;
	pthread_join(t, NULL);
	printf("timed send woken after %.1f ms (buffer returned at ~30 ms)\n", dt);
	CHECK(dt >= 20.0 && dt < 90.0);
	amplink_rpmsg_virtio_get_stats(&h.host.rvdev, &s);
	CHECK_EQ_INT(s.tx_timeouts, 1);
	CHECK_EQ_INT(s.tx_waits, 2);
	amplink_rpmsg_ept_get_stats(&he, &es);
	CHECK_EQ_INT(es.tx_waits, 2);
	rh_pump(&h);
	rpmsg_destroy_ept(&he);
	rpmsg_destroy_ept(&re);
	rh_fini(&h);
}

static atomic_int refusals;

/* A wait hook that cannot wait: the sender falls back to its condition. */
static int refusing_wait_cb(struct rpmsg_device *rdev, uint32_t id)
{
	(void)rdev;
	(void)id;
	atomic_fetch_add(&refusals, 1);
	return RPMSG_EOPNOTSUPP;
}

/* With the platform hook in place, a hook that refuses still ends in an event wake-up. */
static void test_wait_cb_fallback(void)
{
	static struct rh h;
	struct rpmsg_endpoint he, re;
	pthread_t t;
	double t0, dt;

	atomic_store(&refusals, 0);
	REQUIRE(rh_init(&h, 16, false, NULL, NULL) == 0);
	REQUIRE(rpmsg_create_ept(&he, &h.host.rvdev.rdev, "", 1024, 1024, rh_nop_cb, NULL) == 0);
	REQUIRE(rpmsg_create_ept(&re, &h.remote.rvdev.rdev, "", 1024, 1024, rh_nop_cb, NULL) == 0);
	rpmsg_virtio_set_wait_cb(&h.host.rvdev, refusing_wait_cb);
	CHECK_EQ_INT(rh_exhaust(&he), 16);
	pthread_create(&t, NULL, late_pump_thread, &h);
	t0 = rh_now_ms();
	CHECK_EQ_INT(rpmsg_send(&he, "w", 1), 1);
	dt = rh_now_ms() - t0;
	pthread_join(t, NULL);
	printf("refusing wait hook: woken after %.1f ms, hook called %d times\n", dt,
	       atomic_load(&refusals));
	CHECK(dt >= 20.0 && dt < 90.0);
	CHECK(atomic_load(&refusals) >= 1 && atomic_load(&refusals) <= 3);
	rh_pump(&h);
	rpmsg_destroy_ept(&he);
	rpmsg_destroy_ept(&re);
	rh_fini(&h);
}

int main(void)
{
	RUN(test_timed_send);
	RUN(test_wait_cb_fallback);
	return check_summary();
}
