/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * amplink-bench: the floors every transport figure is compared with, taken
 * in the same run on the same CPUs. spin_rtt: one cache line bounced between
 * two processes that spin on it, always on two different CPUs (what a
 * polling transport cannot beat);
 * eventfd_rtt: a kernel wake-up each way through two eventfds (what a
 * sleeping transport cannot beat); memcpy: copying the same messages into a
 * ring of buffer-sized slots (what a copying stream cannot beat).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sched.h>

#include <metal/cpu.h>

#include "bench.h"

/* Spins between sched_yield() calls (as the transport's POLL mode): lets a CPU we share run. */
#define BENCH_SPINS_PER_YIELD 256U
/* How long a side waits for the other before it gives up (ns). */
#define BENCH_FLOOR_STALL_NS (2LL * 1000 * 1000 * 1000)

/* The shared cache line: each side writes its own word, the other spins on it. */
struct bench_line {
	_Alignas(64) _Atomic uint32_t ping;
	_Atomic uint32_t pong;
	_Atomic int32_t stop;
};

/* Spin until *@w == @want, a stop request, or a stall. Returns 0 or -1. */
static int bench_spin_for(_Atomic uint32_t *w, uint32_t want, _Atomic int32_t *stop)
{
	unsigned int n = 0;
	long long t0 = 0;

	while (atomic_load_explicit(w, memory_order_acquire) != want) {
		metal_cpu_yield();
		if (++n % BENCH_SPINS_PER_YIELD != 0)
			continue;
		sched_yield();
		if (atomic_load(stop))
			return -1;
		if (!t0)
			t0 = bench_now_ns();
		else if (bench_now_ns() - t0 > BENCH_FLOOR_STALL_NS)
			return -1;
	}
	return 0;
}

/* Child of the spin floor: answer every ping until told to stop. */
static void bench_spin_child(struct bench_line *l, int cpu)
{
	uint32_t seq = 1;

	bench_pin(cpu);
	for (;;) {
		if (bench_spin_for(&l->ping, seq, &l->stop) < 0)
			_exit(0);
		atomic_store_explicit(&l->pong, seq, memory_order_release);
		seq++;
	}
}

/* Wait for a child and check it exited normally. Returns 0 or -1. */
static int bench_reap(pid_t pid)
{
	int status = 0;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Run @iters timed trips (bounded by @max_ms); fill @t with each one. Returns trips done. */
static int bench_spin_trips(struct bench_line *l, double *t, int iters, int max_ms)
{
	long long end = bench_now_ns() + (long long)max_ms * 1000000LL, t0;
	int i;

	for (i = 0; i < iters; i++) {
		uint32_t seq = (uint32_t)i + 1U;
		t0 = bench_now_ns();
		atomic_store_explicit(&l->ping, seq, memory_order_release);
		if (bench_spin_for(&l->pong, seq, &l->stop) < 0)
			break;
		t[i] = (double)(bench_now_ns() - t0);
		if (t0 > end)
			break;
	}
	return i;
}

/*
 * Not pinned by the user: pick the first two CPUs we may run on, so that the
 * two spinners never share one (the floor is the best case). *@saved gets
 * the current mask to restore afterwards. Returns 1 if it picked two CPUs.
 */
static int bench_spin_cpus(int *cpu_a, int *cpu_b, cpu_set_t *saved)
{
	int c, n = 0;

	if (*cpu_a >= 0 || *cpu_b >= 0 || sched_getaffinity(0, sizeof(*saved), saved) != 0)
		return 0;
	for (c = 0; c < CPU_SETSIZE && n < 2; c++) {
		if (!CPU_ISSET(c, saved))
			continue;
		if (n++ == 0)
			*cpu_a = c;
		else
			*cpu_b = c;
	}
	if (n == 2)
		return 1;
	*cpu_a = *cpu_b = -1;
	return 0;
}

double bench_spin_rtt(int iters, int max_ms, int cpu_a, int cpu_b)
{
	cpu_set_t saved;
	int restore = bench_spin_cpus(&cpu_a, &cpu_b, &saved);
	struct bench_line *l =
		mmap(NULL, sizeof(*l), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	double *t = calloc((size_t)iters, sizeof(*t)), res = -1;
	pid_t pid;
	int n;

	if (l == MAP_FAILED || !t)
		goto out;
	memset(l, 0, sizeof(*l));
	pid = fork();
	if (pid == 0)
		bench_spin_child(l, cpu_b);
	if (pid < 0)
		goto out;
	bench_pin(cpu_a);
	n = bench_spin_trips(l, t, iters, max_ms);
	atomic_store(&l->stop, 1);
	if (bench_reap(pid) == 0 && n > 0)
		res = bench_median(t, (size_t)n);
out:
	if (restore)
		sched_setaffinity(0, sizeof(saved), &saved);
	free(t);
	if (l != MAP_FAILED)
		munmap(l, sizeof(*l));
	return res;
}

/* Child of the eventfd floor: read one, write the other, until EOF-like failure. */
static void bench_efd_child(int in, int out, int cpu)
{
	uint64_t v;

	bench_pin(cpu);
	for (;;) {
		if (read(in, &v, sizeof(v)) != (ssize_t)sizeof(v))
			_exit(1);
		if (v >= 1000000000ULL) /* the stop value */
			_exit(0);
		v = 1;
		if (write(out, &v, sizeof(v)) != (ssize_t)sizeof(v))
			_exit(1);
	}
}

/* Timed eventfd trips; fill @t. Returns trips done, or -1 on an I/O error. */
static int bench_efd_trips(int to, int from, double *t, int iters, int max_ms)
{
	long long end = bench_now_ns() + (long long)max_ms * 1000000LL, t0;
	uint64_t v;
	int i;

	for (i = 0; i < iters; i++) {
		v = 1;
		t0 = bench_now_ns();
		if (write(to, &v, sizeof(v)) != (ssize_t)sizeof(v) ||
		    read(from, &v, sizeof(v)) != (ssize_t)sizeof(v))
			return -1;
		t[i] = (double)(bench_now_ns() - t0);
		if (t0 > end)
			return i + 1;
	}
	return i;
}

double bench_eventfd_rtt(int iters, int max_ms, int cpu_a, int cpu_b)
{
	int to = eventfd(0, EFD_CLOEXEC), from = eventfd(0, EFD_CLOEXEC), n;
	double *t = calloc((size_t)iters, sizeof(*t)), res = -1;
	uint64_t stop = 1000000000ULL;
	pid_t pid = -1;

	if (to < 0 || from < 0 || !t)
		goto out;
	pid = fork();
	if (pid == 0)
		bench_efd_child(to, from, cpu_b);
	if (pid < 0)
		goto out;
	bench_pin(cpu_a);
	n = bench_efd_trips(to, from, t, iters, max_ms);
	if (write(to, &stop, sizeof(stop)) != (ssize_t)sizeof(stop))
		kill(pid, SIGKILL);
	if (bench_reap(pid) == 0 && n > 0)
		res = bench_median(t, (size_t)n);
out:
	free(t);
	if (to >= 0)
		close(to);
	if (from >= 0)
		close(from);
	return res;
}

double bench_memcpy_mbps(size_t msg_len, unsigned int slots, size_t total_bytes)
{
	enum { SLOT = 512 };
	unsigned char *ring = calloc(slots, SLOT), src[SLOT];
	volatile unsigned char sink = 0;
	size_t msgs = total_bytes / msg_len, i;
	long long t0, dt;

	if (!ring || msg_len > SLOT || msgs == 0) {
		free(ring);
		return -1;
	}
	memset(src, 0x5a, sizeof(src));
	t0 = bench_now_ns();
	for (i = 0; i < msgs; i++) {
		unsigned char *dst = ring + (i % slots) * SLOT;
		src[0] = (unsigned char)i;
		memcpy(dst, src, msg_len);
		/* The compiler may not drop or merge the copies. */
		__asm__ volatile("" : : "r"(dst) : "memory");
	}
	dt = bench_now_ns() - t0;
	sink = ring[(msgs - 1) % slots * SLOT];
	(void)sink;
	free(ring);
	return (double)(msgs * msg_len) / ((double)(dt > 0 ? dt : 1) / 1e9) / 1e6;
}
