/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Doorbells of the Linux two-process transport: ringing the peer and waiting
 * for it in the three wait modes. A doorbell is a sequence counter in shared
 * memory; the ringer increments it and makes a syscall only when the waiter
 * announced it may sleep (futex wake) or asked for an eventfd (one write per
 * batch: fd_pending stays set until the waiter drains the eventfd).
 *
 * Ordering: the ringer's "seq++" and the waiter's "sleepers++" are
 * sequentially consistent, and each side reads the other's word after
 * writing its own, so at least one of them sees the other: either the ringer
 * sees a sleeper and wakes it, or the waiter sees the new seq (and FUTEX_WAIT
 * itself refuses to sleep when seq no longer holds the value it saw). The
 * same argument covers fd_pending: the waiter reads the eventfd before it
 * clears fd_pending, then looks at seq.
 *
 * The peer can scribble on these words; the worst it achieves is a missed
 * wake-up, which the bounded sleep slices turn into a delay.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <metal/cpu.h>

#include "lp_private.h"

/* Longest sleep before the peer's liveness is checked again. */
#define LP_SLICE_NS (100LL * 1000 * 1000)
/* Longest spin before the peer's liveness is checked again. */
#define LP_SPIN_CHECK_NS (10LL * 1000 * 1000)
/* Spins between clock reads, and between sched_yield() calls. */
#define LP_SPINS_PER_CLOCK 256U
#define LP_SPINS_PER_YIELD 256U

/* lp_now_ns() - CLOCK_MONOTONIC in nanoseconds. */
long long lp_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* lp_deadline_ns() - the absolute time @timeout_ms from now (-1: never). */
long long lp_deadline_ns(int timeout_ms)
{
	if (timeout_ms < 0)
		return LLONG_MAX;
	return lp_now_ns() + (long long)timeout_ms * 1000000LL;
}

static void lp_futex_wait(_Atomic uint32_t *word, uint32_t seen, long long ns)
{
	struct timespec ts = {.tv_sec = ns / 1000000000LL, .tv_nsec = ns % 1000000000LL};

	/* Shared (not PRIVATE) futex: the word lives in a MAP_SHARED region. */
	syscall(SYS_futex, (uint32_t *)word, FUTEX_WAIT, seen, &ts, NULL, 0);
}

static void lp_futex_wake(_Atomic uint32_t *word)
{
	syscall(SYS_futex, (uint32_t *)word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

/*
 * lp_doorbell_ring() - wake the peer: bump its doorbell, then wake a sleeper
 * and write its eventfd if it needs that. Any thread, never blocks.
 */
void lp_doorbell_ring(struct amplink_lp *lp)
{
	struct lp_doorbell *db = lp->db_out;
	uint64_t one = 1;

	atomic_fetch_add(&db->seq, 1);
	if (atomic_load(&db->sleepers) != 0)
		lp_futex_wake(&db->seq);
	if (atomic_load(&db->fd_armed) != 0 && atomic_exchange(&db->fd_pending, 1) == 0) {
		if (write(lp->efd_out, &one, sizeof(one)) < 0 && errno != EAGAIN)
			atomic_store(&db->fd_pending, 0);
	}
}

/*
 * lp_doorbell_drain_fd() - consume the eventfd so that the poll fd stops
 * being readable; call before looking at the doorbell's seq.
 */
void lp_doorbell_drain_fd(struct amplink_lp *lp)
{
	uint64_t val;

	while (read(lp->efd_in, &val, sizeof(val)) == (ssize_t)sizeof(val))
		;
	atomic_store(&lp->db_in->fd_pending, 0);
}

/* lp_doorbell_arm_fd() - ask the peer to write our eventfd when it rings. Returns 0. */
int lp_doorbell_arm_fd(struct amplink_lp *lp)
{
	atomic_store(&lp->db_in->fd_armed, 1);
	return 0;
}

static int lp_rang(struct amplink_lp *lp, uint32_t seen)
{
	return atomic_load(&lp->db_in->seq) != seen;
}

/* Spin until the doorbell moves past @seen or @end. Returns 1, 0 (time) or -EPIPE. */
static int lp_spin(struct amplink_lp *lp, uint32_t seen, long long end)
{
	long long check = lp_now_ns() + LP_SPIN_CHECK_NS;
	unsigned int n = 0;

	for (;;) {
		if (lp_rang(lp, seen))
			return 1;
		metal_cpu_yield();
		if (++n % LP_SPINS_PER_CLOCK != 0)
			continue;
		/* Let a peer that shares our core run (machines with fewer cores than spinners). */
		if (n % LP_SPINS_PER_YIELD == 0)
			sched_yield();
		long long t = lp_now_ns();
		if (t >= end)
			return 0;
		if (t >= check) {
			if (!lp_peer_check(lp))
				return -EPIPE;
			check = t + LP_SPIN_CHECK_NS;
		}
	}
}

/* Sleep until the doorbell moves past @seen or @deadline. Returns 1, 0 or -EPIPE. */
static int lp_sleep(struct amplink_lp *lp, uint32_t seen, long long deadline)
{
	struct lp_doorbell *db = lp->db_in;
	int ret;

	atomic_fetch_add(&db->sleepers, 1);
	for (;;) {
		if (lp_rang(lp, seen)) {
			ret = 1;
			break;
		}
		long long left = deadline - lp_now_ns();
		if (left <= 0) {
			ret = 0;
			break;
		}
		lp_futex_wait(&db->seq, seen, left < LP_SLICE_NS ? left : LP_SLICE_NS);
		if (lp_rang(lp, seen)) {
			ret = 1;
			break;
		}
		if (!lp_peer_check(lp)) {
			ret = -EPIPE;
			break;
		}
	}
	atomic_fetch_sub(&db->sleepers, 1);
	return ret;
}

/*
 * Note our CPU on the doorbell we wait on; tell whether the peer last waited
 * on the same CPU. If it did, it cannot be running while we are, so
 * spinning only delays it: it gets the CPU when we yield or sleep.
 */
static int lp_peer_shares_cpu(struct amplink_lp *lp)
{
	int cpu = sched_getcpu();

	if (cpu < 0)
		return 0;
	atomic_store_explicit(&lp->db_in->cpu, (uint32_t)cpu + 1U, memory_order_relaxed);
	return atomic_load_explicit(&lp->db_out->cpu, memory_order_relaxed) == (uint32_t)cpu + 1U;
}

/*
 * lp_doorbell_wait() - wait in the current wait mode until our doorbell
 * differs from @seen or the monotonic time reaches @deadline_ns. ADAPTIVE
 * skips its spin when the peer shares our CPU. Any thread.
 * Returns 1 (rang), 0 (deadline) or -EPIPE (peer gone).
 */
int lp_doorbell_wait(struct amplink_lp *lp, uint32_t seen, long long deadline_ns)
{
	int mode = atomic_load(&lp->mode);
	long long spin_end;
	int ret;

	if (lp_rang(lp, seen))
		return 1;
	if (mode == AMPLINK_LP_WAIT_POLL) {
		if (lp_peer_shares_cpu(lp))
			sched_yield();
		return lp_spin(lp, seen, deadline_ns);
	}
	if (mode == AMPLINK_LP_WAIT_ADAPTIVE && !lp_peer_shares_cpu(lp)) {
		spin_end = lp_now_ns() + (long long)atomic_load(&lp->spin_us) * 1000LL;
		ret = lp_spin(lp, seen, spin_end < deadline_ns ? spin_end : deadline_ns);
		if (ret != 0)
			return ret;
	}
	return lp_sleep(lp, seen, deadline_ns);
}
