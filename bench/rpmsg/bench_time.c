/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * amplink-bench: the clock, sorting and percentiles of samples, and pinning
 * a thread to one CPU.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>

#include "bench.h"

long long bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void bench_sort(double *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), bench_cmp_double);
}

double bench_pct(const double *sorted, size_t n, double pct)
{
	size_t i;

	if (n == 0)
		return 0;
	i = (size_t)((double)(n - 1) * pct / 100.0 + 0.5);
	return sorted[i < n ? i : n - 1];
}

double bench_median(double *v, size_t n)
{
	if (n == 0)
		return 0;
	bench_sort(v, n);
	if (n % 2)
		return v[n / 2];
	return (v[n / 2 - 1] + v[n / 2]) / 2;
}

int bench_pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return 0;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) != 0)
		return -errno;
	return 0;
}
