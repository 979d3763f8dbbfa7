/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Linux port of metal_mutex_t: a default (non-recursive) pthread mutex, so
 * that pthread condition variables can wait on it.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <metal/assert.h>
#include <metal/mutex.h>

void metal_mutex_init(metal_mutex_t *mutex)
{
	pthread_mutex_init(&mutex->m, NULL);
}

void metal_mutex_deinit(metal_mutex_t *mutex)
{
	pthread_mutex_destroy(&mutex->m);
}

void metal_mutex_acquire(metal_mutex_t *mutex)
{
	int ret = pthread_mutex_lock(&mutex->m);

	metal_assert(ret == 0);
	(void)ret;
}

void metal_mutex_release(metal_mutex_t *mutex)
{
	pthread_mutex_unlock(&mutex->m);
}

int metal_mutex_try_acquire(metal_mutex_t *mutex)
{
	return pthread_mutex_trylock(&mutex->m) == 0;
}

int metal_mutex_is_acquired(metal_mutex_t *mutex)
{
	if (pthread_mutex_trylock(&mutex->m) != 0)
		return 1;
	pthread_mutex_unlock(&mutex->m);
	return 0;
}
