/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host build of the bare-metal (generic) port: this program is linked with
 * the OS-independent metal sources and src/metal/system/generic instead of
 * the Linux port (see CMakeLists.txt), and checks the irq table and
 * amplink_irq_isr, the libc replacements (built under other names), the log
 * formatter and sink, static allocation, the software clock, conditions and
 * mutexes, and shared memory without an OS.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <metal/alloc.h>
#include <metal/condition.h>
#include <metal/errno.h>
#include <metal/irq.h>
#include <metal/log.h>
#include <metal/shmem.h>
#include <metal/sleep.h>
#include <metal/sys.h>
#include <metal/time.h>
#include "check.h"
#include "metal/port.h"

#define AMPLINK_LIBC_NAME(name) tst_##name
void *tst_memcpy(void *restrict dst, const void *restrict src, size_t n);
void *tst_memmove(void *dst, const void *src, size_t n);
void *tst_memset(void *dst, int c, size_t n);
int tst_memcmp(const void *a, const void *b, size_t n);
int tst_strncmp(const char *a, const char *b, size_t n);
size_t tst_strlen(const char *s);
size_t tst_strnlen(const char *s, size_t maxlen);
#include "metal/system/generic/libc.c"

#if !defined(AMPLINK_SYSTEM_GENERIC) || defined(AMPLINK_SYSTEM_LINUX)
#error "test_metal_generic must be built for the generic port"
#endif

/* The board's log sink: overrides the weak default. */
void amplink_log_write(const char *line);

static char last_line[AMPLINK_LOG_LINE_MAX];
static int lines;

void amplink_log_write(const char *line)
{
	snprintf(last_line, sizeof(last_line), "%s", line);
	lines++;
}

static int hits[AMPLINK_CFG_MAX_IRQS];
static int board_mask[AMPLINK_CFG_MAX_IRQS]; /* 1 = unmasked in the "controller" */

/* The board's interrupt-controller hook: overrides the weak default. */
void amplink_irq_board_enable(unsigned int irq, int enable)
{
	if (irq < AMPLINK_CFG_MAX_IRQS)
		board_mask[irq] = enable;
}

static int irq_count(int irq, void *arg)
{
	hits[irq] += (int)(long)arg;
	return METAL_IRQ_HANDLED;
}

static int irq_self_remove(int irq, void *arg)
{
	(void)arg;
	hits[irq]++;
	metal_irq_unregister(irq);
	return METAL_IRQ_HANDLED;
}

static void test_irq_table(void)
{
	unsigned int f1, f2;

	REQUIRE(metal_init(NULL) == 0);
	CHECK_EQ_INT(metal_irq_register(0, irq_count, (void *)1), 0);
	CHECK_EQ_INT(metal_irq_register(0, irq_count, (void *)1), -EBUSY);
	CHECK_EQ_INT(metal_irq_register(AMPLINK_CFG_MAX_IRQS, irq_count, NULL), -EINVAL);
	CHECK_EQ_INT(metal_irq_register(-1, irq_count, NULL), -EINVAL);
	CHECK_EQ_INT(metal_irq_register(1, NULL, NULL), -EINVAL);
	CHECK_EQ_INT(metal_irq_register(2, irq_self_remove, NULL), 0);
	CHECK_EQ_INT(board_mask[0], 1);
	CHECK_EQ_INT(board_mask[1], 0); /* failed registration leaves it masked */
	amplink_irq_isr(0);
	amplink_irq_isr(0);
	CHECK_EQ_INT(hits[0], 2);
	metal_irq_disable(0);
	CHECK_EQ_INT(board_mask[0], 0);
	amplink_irq_isr(0);
	CHECK_EQ_INT(hits[0], 2);
	metal_irq_enable(0);
	CHECK_EQ_INT(board_mask[0], 1);
	amplink_irq_isr(0);
	CHECK_EQ_INT(hits[0], 3);
	amplink_irq_isr(2);
	amplink_irq_isr(2);
	CHECK_EQ_INT(hits[2], 1); /* removed itself */
	lines = 0;
	amplink_irq_isr(AMPLINK_CFG_MAX_IRQS); /* spurious: logged, ignored */
	amplink_irq_isr(-5);
	amplink_irq_isr(3); /* no handler */
	CHECK_EQ_INT(lines, 2);
	metal_irq_enable(1000);
	metal_irq_disable(1000);
	metal_irq_unregister(0);
	CHECK_EQ_INT(board_mask[0], 0);
	metal_irq_unregister(99);
	amplink_irq_isr(0);
	CHECK_EQ_INT(hits[0], 3);
	CHECK_EQ_INT(metal_irq_register(0, irq_count, (void *)5), 0);
	amplink_irq_isr(0);
	CHECK_EQ_INT(hits[0], 8);
	metal_irq_unregister(0);
	f1 = metal_irq_save_disable();
	f2 = metal_irq_save_disable();
	metal_irq_restore_enable(f2);
	metal_irq_restore_enable(f1);
	CHECK_EQ_INT(metal_irq_save_disable(), f1); /* back to the outer level */
	metal_irq_restore_enable(f1);
	metal_finish();
}

static void test_libc(void)
{
	char a[32], b[32];

	memset(a, 'x', sizeof(a));
	CHECK(tst_memset(a, 'q', 5) == a);
	CHECK(a[4] == 'q' && a[5] == 'x');
	CHECK(tst_memcpy(b, "hello", 6) == b);
	CHECK(strcmp(b, "hello") == 0);
	strcpy(a, "abcdefgh");
	tst_memmove(a + 2, a, 5);
	CHECK(strcmp(a, "ababcdeh") == 0);
	strcpy(a, "abcdefgh");
	tst_memmove(a, a + 3, 5);
	CHECK(strcmp(a, "defghfgh") == 0);
	tst_memmove(a, a, 3);
	CHECK_EQ_INT(tst_memcmp("abc", "abd", 3), -1);
	CHECK_EQ_INT(tst_memcmp("abd", "abc", 3), 1);
	CHECK_EQ_INT(tst_memcmp("abc", "abd", 2), 0);
	CHECK_EQ_INT(tst_memcmp("\xff", "\x01", 1), 1); /* unsigned compare */
	CHECK_EQ_INT(tst_strncmp("abc", "abc", 10), 0);
	CHECK_EQ_INT(tst_strncmp("abc", "abd", 2), 0);
	CHECK(tst_strncmp("abc", "abd", 3) < 0);
	CHECK(tst_strncmp("ab", "abc", 3) < 0);
	CHECK(tst_strncmp("b", "a", 0) == 0);
	CHECK_EQ_INT(tst_strlen(""), 0);
	CHECK_EQ_INT(tst_strlen("four"), 4);
	CHECK_EQ_INT(tst_strnlen("four", 2), 2);
	CHECK_EQ_INT(tst_strnlen("four", 10), 4);
}

/* Formats with amplink_log_vformat into buf. */
static int fmt(char *buf, size_t size, const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = amplink_log_vformat(buf, size, f, ap);
	va_end(ap);
	return n;
}

static void test_format(void)
{
	char buf[AMPLINK_LOG_LINE_MAX], ref[AMPLINK_LOG_LINE_MAX];
	void *p = (void *)0x1234;

	fmt(buf, sizeof(buf), "a %d b %u c %x %X %s %c %%", -42, 7u, 0xbeefu, 0xbeefu, "str", 'z');
	CHECK(strcmp(buf, "a -42 b 7 c beef BEEF str z %") == 0);
	fmt(buf, sizeof(buf), "[%5d|%-5d|%05d|%08x|%-4s|%.2s|%.*s]", 42, 42, -42, 0xabu, "ab",
	    "xyz", 1, "qrs");
	snprintf(ref, sizeof(ref), "[%5d|%-5d|%05d|%08x|%-4s|%.2s|%.*s]", 42, 42, -42, 0xabu, "ab",
		 "xyz", 1, "qrs");
	CHECK(strcmp(buf, ref) == 0);
	fmt(buf, sizeof(buf), "%ld %lu %lld %llu %zu %jd %lx", -1L, 2UL, -3LL,
	    18446744073709551615ULL, (size_t)5, (intmax_t)-6, 0xfUL);
	CHECK(strcmp(buf, "-1 2 -3 18446744073709551615 5 -6 f") == 0);
	fmt(buf, sizeof(buf), "%d %s", -2147483647 - 1, (char *)NULL);
	CHECK(strcmp(buf, "-2147483648 (null)") == 0);
	fmt(buf, sizeof(buf), "%p", p);
	CHECK(strcmp(buf, "0x1234") == 0);
	fmt(buf, sizeof(buf), "%q %");
	CHECK(strcmp(buf, "%q ") == 0);
	/* Cut at the buffer's end, always terminated. */
	CHECK_EQ_INT(fmt(buf, 6, "%s", "abcdefghij"), 5);
	CHECK(strcmp(buf, "abcde") == 0);
	CHECK_EQ_INT(fmt(buf, 1, "abc"), 0);
	CHECK(buf[0] == '\0');
	CHECK_EQ_INT(fmt(buf, 0, "abc"), 0);
}

static void test_log_sink(void)
{
	lines = 0;
	metal_default_log_handler(METAL_LOG_ERROR, "x=%d\n", 5);
	CHECK_EQ_INT(lines, 1);
	CHECK(strcmp(last_line, "E x=5\n") == 0);
	metal_set_log_level(METAL_LOG_DEBUG);
	metal_dbg("dbg %s\n", "on");
	CHECK_EQ_INT(lines, 2);
	CHECK(strcmp(last_line, "D dbg on\n") == 0);
	metal_set_log_level(METAL_LOG_INFO);
	metal_dbg("dbg %s\n", "off");
	CHECK_EQ_INT(lines, 2);
}

static void test_alloc_time_shmem(void)
{
	struct metal_io_region *io;
	unsigned long long t0, t1;

	CHECK(metal_allocate_memory(16) == NULL); /* static allocation */
	metal_free_memory(NULL);
	t0 = metal_get_timestamp();
	t1 = metal_get_timestamp();
	CHECK_EQ_INT(t1 - t0, 1000); /* software clock: 1 us per call */
	CHECK_EQ_INT(metal_sleep_usec(50), 0);
	CHECK(metal_get_timestamp() - t1 >= 50000ULL);
	CHECK_EQ_INT(metal_shmem_open("no-such-region", 64, &io), -ENOENT);
}

static metal_mutex_t gmutex = METAL_MUTEX_INIT(gmutex);
static struct metal_condition gcond = METAL_CONDITION_INIT;
static atomic_int gready;

static void *signaller(void *arg)
{
	(void)arg;
	metal_sleep_usec(1000);
	metal_mutex_acquire(&gmutex);
	atomic_store(&gready, 1);
	metal_condition_signal(&gcond);
	metal_mutex_release(&gmutex);
	return NULL;
}

static void test_condition_mutex(void)
{
	pthread_t t;

	CHECK(!metal_mutex_is_acquired(&gmutex));
	CHECK(metal_mutex_try_acquire(&gmutex));
	CHECK(!metal_mutex_try_acquire(&gmutex));
	CHECK(metal_mutex_is_acquired(&gmutex));
	/* Timed wait ends on the software clock with no one signalling. */
	CHECK_EQ_INT(amplink_condition_timedwait(&gcond, &gmutex, 100), -ETIMEDOUT);
	CHECK(metal_mutex_is_acquired(&gmutex));
	/* A signal from elsewhere (an interrupt on a board) ends a wait. */
	REQUIRE(pthread_create(&t, NULL, signaller, NULL) == 0);
	while (!atomic_load(&gready))
		CHECK_EQ_INT(metal_condition_wait(&gcond, &gmutex), 0);
	metal_mutex_release(&gmutex);
	pthread_join(t, NULL);
	CHECK_EQ_INT(metal_condition_broadcast(&gcond), 0);
	metal_mutex_deinit(&gmutex);
}

int main(void)
{
	RUN(test_irq_table);
	RUN(test_libc);
	RUN(test_format);
	RUN(test_log_sink);
	RUN(test_alloc_time_shmem);
	RUN(test_condition_mutex);
	return check_summary();
}
