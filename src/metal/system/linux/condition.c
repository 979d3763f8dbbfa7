/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Linux port of metal conditions: pthread condition variables timed on
 * CLOCK_MONOTONIC, so a wall-clock change cannot stretch a timeout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <time.h>
#include <metal/condition.h>

void metal_condition_init(struct metal_condition *cv)
{
	pthread_condattr_t attr;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&cv->cond, &attr);
	pthread_condattr_destroy(&attr);
}

int metal_condition_wait(struct metal_condition *cv, metal_mutex_t *m)
{
	return -pthread_cond_wait(&cv->cond, &m->m);
}

int metal_condition_signal(struct metal_condition *cv)
{
	return -pthread_cond_signal(&cv->cond);
}

int metal_condition_broadcast(struct metal_condition *cv)
{
	return -pthread_cond_broadcast(&cv->cond);
}

int amplink_condition_timedwait(struct metal_condition *cv, metal_mutex_t *m,
				unsigned int timeout_us)
{
	struct timespec deadline;
	int ret;

	if (clock_gettime(CLOCK_MONOTONIC, &deadline) != 0)
		return -errno;
	deadline.tv_sec += (time_t)(timeout_us / 1000000U);
	deadline.tv_nsec += (long)(timeout_us % 1000000U) * 1000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	ret = pthread_cond_timedwait(&cv->cond, &m->m, &deadline);
	return ret == ETIMEDOUT ? -ETIMEDOUT : -ret;
}
