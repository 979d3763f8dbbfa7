/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Tests of the Linux irq event loop: eventfd handlers run by
 * amplink_irq_dispatch, enable/disable, unregistering (itself and another
 * irq) from inside a handler, the poll fd, argument checks, and
 * metal_irq_save_disable nesting and holding off a dispatching thread.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <unistd.h>
#include <metal/atomic.h>
#include <metal/errno.h>
#include <metal/irq.h>
#include <metal/sleep.h>
#include <metal/sys.h>
#include "check.h"

static int calls[4];
static int victim_fd = -1;

static void kick(int fd)
{
	uint64_t one = 1;

	(void)!write(fd, &one, sizeof(one));
}

static void drain(int fd)
{
	uint64_t v;

	(void)!read(fd, &v, sizeof(v));
}

static int count_handler(int irq, void *arg)
{
	int i = (int)(intptr_t)arg;

	drain(irq);
	calls[i]++;
	return METAL_IRQ_HANDLED;
}

static int self_unregister(int irq, void *arg)
{
	drain(irq);
	calls[(intptr_t)arg]++;
	metal_irq_unregister(irq);
	if (victim_fd >= 0)
		metal_irq_unregister(victim_fd);
	return METAL_IRQ_HANDLED;
}

static void test_dispatch(void)
{
	int a = eventfd(0, EFD_NONBLOCK), b = eventfd(0, EFD_NONBLOCK);
	struct pollfd pfd;

	REQUIRE(a >= 0 && b >= 0);
	REQUIRE(metal_init(NULL) == 0);
	CHECK_EQ_INT(metal_irq_register(a, count_handler, (void *)0), 0);
	CHECK_EQ_INT(metal_irq_register(b, count_handler, (void *)1), 0);
	CHECK_EQ_INT(metal_irq_register(a, count_handler, (void *)0), -EBUSY);
	CHECK_EQ_INT(metal_irq_register(-1, count_handler, NULL), -EINVAL);
	CHECK_EQ_INT(metal_irq_register(b + 100, NULL, NULL), -EINVAL);
	CHECK_EQ_INT(amplink_irq_dispatch(0), 0);
	kick(a);
	pfd.fd = amplink_irq_poll_fd();
	pfd.events = POLLIN;
	CHECK_EQ_INT(poll(&pfd, 1, 1000), 1);
	CHECK_EQ_INT(amplink_irq_dispatch(1000), 1);
	CHECK_EQ_INT(calls[0], 1);
	CHECK_EQ_INT(calls[1], 0);
	kick(a);
	kick(b);
	CHECK_EQ_INT(amplink_irq_dispatch(1000), 2);
	CHECK_EQ_INT(calls[0], 2);
	CHECK_EQ_INT(calls[1], 1);
	/* Disabled: the event waits until enabled again. */
	metal_irq_disable((unsigned int)b);
	kick(b);
	CHECK_EQ_INT(amplink_irq_dispatch(20), 0);
	CHECK_EQ_INT(calls[1], 1);
	metal_irq_enable((unsigned int)b);
	CHECK_EQ_INT(amplink_irq_dispatch(1000), 1);
	CHECK_EQ_INT(calls[1], 2);
	metal_irq_unregister(a);
	metal_irq_unregister(b);
	kick(a);
	CHECK_EQ_INT(amplink_irq_dispatch(20), 0);
	metal_irq_unregister(a); /* unknown: ignored */
	close(a);
	close(b);
	metal_finish();
}

static void test_unregister_in_handler(void)
{
	int a = eventfd(0, EFD_NONBLOCK), b = eventfd(0, EFD_NONBLOCK);
	int ran;

	REQUIRE(a >= 0 && b >= 0);
	calls[2] = calls[3] = 0;
	/* Both fire in one batch; whichever runs first removes the other. */
	CHECK_EQ_INT(metal_irq_register(a, self_unregister, (void *)2), 0);
	CHECK_EQ_INT(metal_irq_register(b, self_unregister, (void *)3), 0);
	kick(a);
	kick(b);
	victim_fd = -1;
	ran = amplink_irq_dispatch(1000);
	/* Handler unregisters itself and (via victim) nothing else here. */
	CHECK(ran >= 1);
	while (calls[2] + calls[3] < 2 && amplink_irq_dispatch(100) > 0)
		;
	CHECK_EQ_INT(calls[2], 1);
	CHECK_EQ_INT(calls[3], 1);
	/* Re-register both; the first handler removes the other one too. */
	calls[2] = calls[3] = 0;
	CHECK_EQ_INT(metal_irq_register(a, self_unregister, (void *)2), 0);
	CHECK_EQ_INT(metal_irq_register(b, self_unregister, (void *)3), 0);
	kick(a);
	kick(b);
	victim_fd = b;
	ran = amplink_irq_dispatch(1000);
	victim_fd = a;
	ran += amplink_irq_dispatch(20);
	CHECK_EQ_INT(ran, 1);
	CHECK_EQ_INT(calls[2] + calls[3], 1);
	victim_fd = -1;
	/* Both are gone: slots can be reused. */
	CHECK_EQ_INT(metal_irq_register(a, count_handler, (void *)0), 0);
	metal_irq_unregister(a);
	close(a);
	close(b);
}

static void test_table_full(void)
{
	int fds[AMPLINK_CFG_MAX_IRQS + 1];
	int i;

	for (i = 0; i <= AMPLINK_CFG_MAX_IRQS; i++)
		fds[i] = eventfd(0, EFD_NONBLOCK);
	for (i = 0; i < AMPLINK_CFG_MAX_IRQS; i++)
		CHECK_EQ_INT(metal_irq_register(fds[i], count_handler, (void *)0), 0);
	CHECK_EQ_INT(metal_irq_register(fds[i], count_handler, (void *)0), -ENOSPC);
	for (i = 0; i <= AMPLINK_CFG_MAX_IRQS; i++) {
		metal_irq_unregister(fds[i]);
		close(fds[i]);
	}
	/* A closed fd cannot be watched. */
	CHECK(metal_irq_register(fds[0], count_handler, (void *)0) < 0);
}

static atomic_int dispatched;

static void *dispatch_thread(void *arg)
{
	(void)arg;
	atomic_store(&dispatched, amplink_irq_dispatch(5000));
	return NULL;
}

static void test_save_disable(void)
{
	int a = eventfd(0, EFD_NONBLOCK);
	unsigned int f1, f2;
	pthread_t t;

	REQUIRE(a >= 0);
	calls[0] = 0;
	atomic_store(&dispatched, -100);
	CHECK_EQ_INT(metal_irq_register(a, count_handler, (void *)0), 0);
	f1 = metal_irq_save_disable();
	f2 = metal_irq_save_disable(); /* nests */
	REQUIRE(pthread_create(&t, NULL, dispatch_thread, NULL) == 0);
	kick(a);
	metal_sleep_usec(50000);
	CHECK_EQ_INT(calls[0], 0); /* held off while disabled */
	metal_irq_restore_enable(f2);
	metal_sleep_usec(20000);
	CHECK_EQ_INT(calls[0], 0); /* still held by the outer level */
	metal_irq_restore_enable(f1);
	pthread_join(t, NULL);
	CHECK_EQ_INT(calls[0], 1);
	CHECK_EQ_INT(atomic_load(&dispatched), 1);
	metal_irq_unregister(a);
	close(a);
}

/* In the child: no inherited registration; a new one works on its own set. */
static int child_after_fork(int fd)
{
	int other = eventfd(0, EFD_NONBLOCK);

	if (amplink_irq_dispatch(0) != 0)
		return 2;
	/* Not registered here (no -EBUSY); removed again so its event stays the parent's. */
	if (metal_irq_register(fd, count_handler, (void *)1) != 0)
		return 3;
	metal_irq_unregister(fd);
	if (metal_irq_register(other, count_handler, (void *)1) != 0)
		return 4;
	kick(other);
	if (amplink_irq_dispatch(1000) != 1)
		return 5;
	metal_irq_unregister(other);
	close(other);
	return 0;
}

static void test_fork(void)
{
	int a = eventfd(0, EFD_NONBLOCK);
	int status = -1;
	unsigned int f;
	pid_t pid;

	REQUIRE(a >= 0);
	calls[0] = 0;
	CHECK_EQ_INT(metal_irq_register(a, count_handler, (void *)0), 0);
	kick(a);
	f = metal_irq_save_disable(); /* fork with the lock held: the child gets it usable */
	pid = fork();
	if (pid != 0)
		metal_irq_restore_enable(f);
	REQUIRE(pid >= 0);
	if (pid == 0) {
		metal_irq_restore_enable(f);
		_exit(child_after_fork(a));
	}
	REQUIRE(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status));
	CHECK_EQ_INT(WEXITSTATUS(status), 0);
	/* The parent's set is untouched by what the child did. */
	CHECK_EQ_INT(amplink_irq_dispatch(1000), 1);
	CHECK_EQ_INT(calls[0], 1);
	metal_irq_unregister(a);
	close(a);
}

int main(void)
{
	RUN(test_dispatch);
	RUN(test_unregister_in_handler);
	RUN(test_table_full);
	RUN(test_save_disable);
	RUN(test_fork);
	return check_summary();
}
