/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Tests of metal mutexes, spinlocks and conditions with threads: mutual
 * exclusion under contention, try/is_acquired, wait/signal/broadcast, and
 * amplink_condition_timedwait both timing out and being woken.
 */
#include <pthread.h>
#include <metal/condition.h>
#include <metal/errno.h>
#include <metal/mutex.h>
#include <metal/spinlock.h>
#include <metal/sleep.h>
#include <metal/time.h>
#include "check.h"

#define THREADS 4
#define ROUNDS	20000

static metal_mutex_t mutex;
static struct metal_spinlock slock = METAL_SPINLOCK_INIT;
static long counter_m;
static long counter_s;

static void *contend(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < ROUNDS; i++) {
		metal_mutex_acquire(&mutex);
		counter_m++;
		metal_mutex_release(&mutex);
		metal_spinlock_acquire(&slock);
		counter_s++;
		metal_spinlock_release(&slock);
	}
	return NULL;
}

static void test_exclusion(void)
{
	pthread_t t[THREADS];
	int i;

	metal_mutex_init(&mutex);
	metal_spinlock_init(&slock);
	for (i = 0; i < THREADS; i++)
		REQUIRE(pthread_create(&t[i], NULL, contend, NULL) == 0);
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	CHECK_EQ_INT(counter_m, THREADS * ROUNDS);
	CHECK_EQ_INT(counter_s, THREADS * ROUNDS);
	metal_mutex_deinit(&mutex);
}

static void *try_other(void *arg)
{
	return (void *)(long)metal_mutex_try_acquire(arg);
}

static void test_try(void)
{
	metal_mutex_t m;
	pthread_t t;
	void *ret;

	metal_mutex_init(&m);
	CHECK(!metal_mutex_is_acquired(&m));
	CHECK(metal_mutex_try_acquire(&m));
	CHECK(metal_mutex_is_acquired(&m));
	REQUIRE(pthread_create(&t, NULL, try_other, &m) == 0);
	pthread_join(t, &ret);
	CHECK(ret == NULL);
	metal_mutex_release(&m);
	CHECK(!metal_mutex_is_acquired(&m));
	metal_mutex_acquire(&m);
	CHECK(metal_mutex_is_acquired(&m));
	metal_mutex_release(&m);
	metal_mutex_deinit(&m);
}

/* A little queue of "ready" flags guarded by mutex + condition. */
static struct metal_condition cond;
static int ready;
static int woken;

static void *waiter(void *arg)
{
	(void)arg;
	metal_mutex_acquire(&mutex);
	while (!ready)
		metal_condition_wait(&cond, &mutex);
	woken++;
	metal_mutex_release(&mutex);
	return NULL;
}

static void test_condition(void)
{
	pthread_t t[THREADS];
	int i;

	metal_mutex_init(&mutex);
	metal_condition_init(&cond);
	ready = 0;
	woken = 0;
	for (i = 0; i < THREADS; i++)
		REQUIRE(pthread_create(&t[i], NULL, waiter, NULL) == 0);
	metal_sleep_usec(20000);
	metal_mutex_acquire(&mutex);
	CHECK_EQ_INT(woken, 0);
	ready = 1;
	CHECK_EQ_INT(metal_condition_broadcast(&cond), 0);
	metal_mutex_release(&mutex);
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	CHECK_EQ_INT(woken, THREADS);

	/* signal wakes one waiter */
	ready = 0;
	REQUIRE(pthread_create(&t[0], NULL, waiter, NULL) == 0);
	metal_sleep_usec(10000);
	metal_mutex_acquire(&mutex);
	ready = 1;
	CHECK_EQ_INT(metal_condition_signal(&cond), 0);
	metal_mutex_release(&mutex);
	pthread_join(t[0], NULL);
	CHECK_EQ_INT(woken, THREADS + 1);
	metal_mutex_deinit(&mutex);
}

static void *late_signal(void *arg)
{
	(void)arg;
	metal_sleep_usec(30000);
	metal_mutex_acquire(&mutex);
	ready = 1;
	metal_condition_signal(&cond);
	metal_mutex_release(&mutex);
	return NULL;
}

static void test_timedwait(void)
{
	unsigned long long t0, t1;
	pthread_t t;
	int ret = 0;

	metal_mutex_init(&mutex);
	metal_condition_init(&cond);
	metal_mutex_acquire(&mutex);
	t0 = metal_get_timestamp();
	CHECK_EQ_INT(amplink_condition_timedwait(&cond, &mutex, 50000), -ETIMEDOUT);
	t1 = metal_get_timestamp();
	CHECK(t1 - t0 >= 50000000ULL);
	CHECK(t1 - t0 < 5000000000ULL);
	CHECK(metal_mutex_is_acquired(&mutex)); /* re-acquired on timeout */

	ready = 0;
	REQUIRE(pthread_create(&t, NULL, late_signal, NULL) == 0);
	t0 = metal_get_timestamp();
	while (!ready && ret == 0)
		ret = amplink_condition_timedwait(&cond, &mutex, 10000000);
	t1 = metal_get_timestamp();
	CHECK_EQ_INT(ret, 0);
	CHECK(ready);
	CHECK(t1 - t0 < 5000000000ULL); /* woken, long before the 10 s timeout */
	metal_mutex_release(&mutex);
	pthread_join(t, NULL);
	metal_mutex_deinit(&mutex);
}

int main(void)
{
	RUN(test_exclusion);
	RUN(test_try);
	RUN(test_condition);
	RUN(test_timedwait);
	return check_summary();
}
