/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Linux port of interrupts: an "irq" is a file descriptor watched by one
 * epoll set (level-triggered EPOLLIN). amplink_irq_dispatch waits on the set
 * and runs handlers under one recursive lock, which metal_irq_save_disable
 * also takes: holding it keeps handlers from running, it nests, and a handler
 * may (un)register irqs. A registration carries a generation number so an
 * event already fetched for an fd unregistered since is dropped. A forked
 * child starts with an empty table and its own epoll set (see
 * amplink_irq_atfork_child), so it never touches the parent's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <unistd.h>
#include <amplink/config.h>
#include <metal/irq.h>
#include <metal/log.h>
#include "metal/system/linux/irq_internal.h"

struct amplink_irq_slot {
	int used;
	int fd;
	int enabled;
	uint32_t gen;
	metal_irq_handler handler;
	void *arg;
};

static struct {
	pthread_mutex_t lock; /* recursive: table, epfd and handler execution */
	int epfd;
	int atfork_done;
	unsigned int held; /* depth of the lock, kept by its owner */
	unsigned int nest;
	struct amplink_irq_slot slots[AMPLINK_CFG_MAX_IRQS];
} amplink_irq = {
	.lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP,
	.epfd = -1,
};

/* Takes the irq lock (recursive) and counts the depth. */
static void amplink_irq_lock(void)
{
	pthread_mutex_lock(&amplink_irq.lock);
	amplink_irq.held++;
}

static void amplink_irq_unlock(void)
{
	amplink_irq.held--;
	pthread_mutex_unlock(&amplink_irq.lock);
}

/* Around fork: hold the lock so the child copies a consistent table. */
static void amplink_irq_atfork_prepare(void)
{
	pthread_mutex_lock(&amplink_irq.lock);
}

static void amplink_irq_atfork_parent(void)
{
	pthread_mutex_unlock(&amplink_irq.lock);
}

/*
 * In a forked child: forget the parent's registrations (their fds may still
 * be open here, but their events are the parent's) and drop the inherited
 * epoll fd, which refers to the parent's set. The next use opens a new set.
 * The lock still names the parent's thread as owner, so it is made anew and
 * taken again as deep as the forking thread held it (save_disable levels,
 * or a handler that forked).
 */
static void amplink_irq_atfork_child(void)
{
	pthread_mutexattr_t attr;
	unsigned int i;

	if (amplink_irq.epfd >= 0)
		close(amplink_irq.epfd);
	amplink_irq.epfd = -1;
	for (i = 0; i < AMPLINK_CFG_MAX_IRQS; i++) {
		amplink_irq.slots[i].used = 0;
		amplink_irq.slots[i].handler = NULL;
		amplink_irq.slots[i].gen++;
	}
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&amplink_irq.lock, &attr);
	pthread_mutexattr_destroy(&attr);
	for (i = 0; i < amplink_irq.held; i++)
		pthread_mutex_lock(&amplink_irq.lock);
}

/* Opens the epoll set if needed. Caller holds the lock. Returns it or -errno. */
static int amplink_irq_epfd(void)
{
	if (!amplink_irq.atfork_done) {
		int ret = pthread_atfork(amplink_irq_atfork_prepare, amplink_irq_atfork_parent,
					 amplink_irq_atfork_child);

		if (ret != 0)
			return -ret;
		amplink_irq.atfork_done = 1;
	}
	if (amplink_irq.epfd < 0) {
		amplink_irq.epfd = epoll_create1(EPOLL_CLOEXEC);
		if (amplink_irq.epfd < 0)
			return -errno;
	}
	return amplink_irq.epfd;
}

/* Returns the slot registered for fd, or NULL. Caller holds the lock. */
static struct amplink_irq_slot *amplink_irq_find(int fd)
{
	unsigned int i;

	for (i = 0; i < AMPLINK_CFG_MAX_IRQS; i++) {
		if (amplink_irq.slots[i].used && amplink_irq.slots[i].fd == fd)
			return &amplink_irq.slots[i];
	}
	return NULL;
}

/* Points the epoll entry of slot at events. Caller holds the lock. */
static int amplink_irq_ctl(int op, struct amplink_irq_slot *slot, uint32_t events)
{
	struct epoll_event ev = {.events = events};
	uint64_t index = (uint64_t)(slot - amplink_irq.slots);

	ev.data.u64 = ((uint64_t)slot->gen << 32) | index;
	if (epoll_ctl(amplink_irq.epfd, op, slot->fd, &ev) != 0)
		return -errno;
	return 0;
}

/* Registers under the lock; see metal_irq_register. */
static int amplink_irq_register_locked(int irq, metal_irq_handler irq_handler, void *arg)
{
	struct amplink_irq_slot *slot = NULL;
	unsigned int i;
	int ret;

	ret = amplink_irq_epfd();
	if (ret < 0)
		return ret;
	if (amplink_irq_find(irq))
		return -EBUSY;
	for (i = 0; i < AMPLINK_CFG_MAX_IRQS && slot == NULL; i++) {
		if (!amplink_irq.slots[i].used)
			slot = &amplink_irq.slots[i];
	}
	if (slot == NULL)
		return -ENOSPC;
	slot->gen++;
	slot->fd = irq;
	ret = amplink_irq_ctl(EPOLL_CTL_ADD, slot, EPOLLIN);
	if (ret < 0)
		return ret;
	slot->handler = irq_handler;
	slot->arg = arg;
	slot->enabled = 1;
	slot->used = 1;
	return 0;
}

int metal_irq_register(int irq, metal_irq_handler irq_handler, void *arg)
{
	int ret;

	if (irq < 0 || irq_handler == NULL)
		return -EINVAL;
	amplink_irq_lock();
	ret = amplink_irq_register_locked(irq, irq_handler, arg);
	amplink_irq_unlock();
	if (ret < 0)
		metal_err("irq: cannot register fd %d (%d)\n", irq, ret);
	return ret;
}

void metal_irq_unregister(int irq)
{
	struct amplink_irq_slot *slot;

	amplink_irq_lock();
	slot = amplink_irq_find(irq);
	if (slot) {
		/* The fd may already be closed: a failing DEL changes nothing. */
		(void)amplink_irq_ctl(EPOLL_CTL_DEL, slot, 0);
		slot->used = 0;
		slot->handler = NULL;
		slot->gen++;
	}
	amplink_irq_unlock();
}

/* Sets whether vector's handler may run. */
static void amplink_irq_set_enabled(unsigned int vector, int enabled)
{
	struct amplink_irq_slot *slot;

	if (vector > (unsigned int)INT32_MAX)
		return;
	amplink_irq_lock();
	slot = amplink_irq_find((int)vector);
	if (slot && slot->enabled != enabled) {
		if (amplink_irq_ctl(EPOLL_CTL_MOD, slot, enabled ? EPOLLIN : 0) == 0)
			slot->enabled = enabled;
	}
	amplink_irq_unlock();
}

void metal_irq_enable(unsigned int vector)
{
	amplink_irq_set_enabled(vector, 1);
}

void metal_irq_disable(unsigned int vector)
{
	amplink_irq_set_enabled(vector, 0);
}

unsigned int metal_irq_save_disable(void)
{
	amplink_irq_lock();
	return amplink_irq.nest++;
}

void metal_irq_restore_enable(unsigned int flags)
{
	(void)flags;
	amplink_irq.nest--;
	amplink_irq_unlock();
}

/* Runs the handler of one fetched event if its registration still stands. */
static int amplink_irq_run(uint64_t data)
{
	uint32_t index = (uint32_t)(data & 0xffffffffu);
	uint32_t gen = (uint32_t)(data >> 32);
	struct amplink_irq_slot *slot;
	int ran = 0;

	if (index >= AMPLINK_CFG_MAX_IRQS)
		return 0;
	amplink_irq_lock();
	slot = &amplink_irq.slots[index];
	if (slot->used && slot->gen == gen && slot->enabled) {
		(void)slot->handler(slot->fd, slot->arg);
		ran = 1;
	}
	amplink_irq_unlock();
	return ran;
}

int amplink_irq_dispatch(int timeout_ms)
{
	struct epoll_event events[AMPLINK_CFG_MAX_IRQS];
	int epfd = amplink_irq_poll_fd();
	int n, i, ran = 0;

	if (epfd < 0)
		return epfd;
	n = epoll_wait(epfd, events, AMPLINK_CFG_MAX_IRQS, timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (i = 0; i < n; i++)
		ran += amplink_irq_run(events[i].data.u64);
	return ran;
}

int amplink_irq_poll_fd(void)
{
	int fd;

	amplink_irq_lock();
	fd = amplink_irq_epfd();
	amplink_irq_unlock();
	return fd;
}

void amplink_irq_sys_finish(void)
{
	unsigned int i;
	int busy = 0;

	amplink_irq_lock();
	for (i = 0; i < AMPLINK_CFG_MAX_IRQS; i++)
		busy |= amplink_irq.slots[i].used;
	if (!busy && amplink_irq.epfd >= 0) {
		close(amplink_irq.epfd);
		amplink_irq.epfd = -1;
	}
	amplink_irq_unlock();
}
