/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The shared window and trace ring of the Linux-process backend against
 * hostile contents: a bad header, table offsets and lengths outside the
 * window, a trace entry outside it or too small, a trace head far beyond
 * the ring; and the ring itself: wrap-around keeps the newest bytes in
 * order, an overlong line keeps its tail.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../platforms/linux-process/lp_rproc_private.h"
#include "check.h"

#define WIN_SIZE (1U << 20)

struct tbl {
	uint32_t ver, num, reserved[2];
	uint32_t offset[1];
	struct fw_rsc_trace trace;
} __attribute__((packed));

static unsigned char *win;

static struct tbl *make_window(uint32_t trace_da, uint32_t trace_len)
{
	struct lpr_win_hdr h = {LPR_WIN_MAGIC, 1,
				WIN_SIZE,      AMPLINK_LPR_WINDOW_DA,
				LPR_TABLE_OFF, sizeof(struct tbl)};
	struct tbl *t = (struct tbl *)(win + LPR_TABLE_OFF);

	memset(win, 0, WIN_SIZE);
	memcpy(win, &h, sizeof(h));
	t->ver = 1;
	t->num = 1;
	t->offset[0] = offsetof(struct tbl, trace);
	t->trace.type = RSC_TRACE;
	t->trace.da = trace_da;
	t->trace.len = trace_len;
	return t;
}

static void test_good_window(void)
{
	void *ring;
	size_t len, tl;

	make_window(AMPLINK_LPR_TRACE_DA, 4096);
	CHECK(lpr_window_table(win, WIN_SIZE, &tl) == win + LPR_TABLE_OFF);
	CHECK_EQ_INT((int)tl, (int)sizeof(struct tbl));
	CHECK_EQ_INT(lpr_window_trace(win, WIN_SIZE, &ring, &len), 0);
	CHECK(ring == win + (AMPLINK_LPR_TRACE_DA - AMPLINK_LPR_WINDOW_DA));
	CHECK_EQ_INT((int)len, 4096);
}

static void test_hostile_window(void)
{
	struct lpr_win_hdr *h = (struct lpr_win_hdr *)win;
	struct tbl *t;
	void *ring;
	size_t len, tl;
	clock_t t0;

	make_window(AMPLINK_LPR_TRACE_DA, 4096);
	h->magic ^= 1;
	CHECK(lpr_window_table(win, WIN_SIZE, &tl) == NULL);
	make_window(AMPLINK_LPR_TRACE_DA, 4096);
	h->rsc_off = WIN_SIZE - 4;
	CHECK(lpr_window_table(win, WIN_SIZE, &tl) == NULL);
	make_window(AMPLINK_LPR_TRACE_DA, 4096);
	h->rsc_len = 0xffffffffU;
	CHECK(lpr_window_table(win, WIN_SIZE, &tl) == NULL);
	/* table entries pointing outside the table */
	t = make_window(AMPLINK_LPR_TRACE_DA, 4096);
	t->offset[0] = 0x7fffffff;
	CHECK_EQ_INT(lpr_window_trace(win, WIN_SIZE, &ring, &len), -ENOENT);
	t = make_window(AMPLINK_LPR_TRACE_DA, 4096);
	t->num = 0x40000000; /* refused at once, not walked entry by entry */
	t0 = clock();
	CHECK_EQ_INT(lpr_window_trace(win, WIN_SIZE, &ring, &len), -ENOENT);
	CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 0.5);
	/* trace outside the window, over the table area, wrapping, too small */
	make_window(AMPLINK_LPR_WINDOW_DA + WIN_SIZE - 16, 4096);
	CHECK_EQ_INT(lpr_window_trace(win, WIN_SIZE, &ring, &len), -ENOENT);
	make_window(AMPLINK_LPR_WINDOW_DA, 4096);
	CHECK_EQ_INT(lpr_window_trace(win, WIN_SIZE, &ring, &len), -ENOENT);
	make_window(0xfffffff0U, 0x100);
	CHECK_EQ_INT(lpr_window_trace(win, WIN_SIZE, &ring, &len), -ENOENT);
	make_window(AMPLINK_LPR_TRACE_DA, 8);
	CHECK_EQ_INT(lpr_window_trace(win, WIN_SIZE, &ring, &len), -ENOENT);
	CHECK(lpr_window_table(NULL, WIN_SIZE, &tl) == NULL);
}

static void test_ring(void)
{
	unsigned char ring[8 + 16];
	struct lpr_trace_hdr *h = (struct lpr_trace_hdr *)ring;
	char out[64];

	memset(ring, 0, sizeof(ring));
	CHECK_EQ_INT((int)lpr_trace_copy(ring, sizeof(ring), out, sizeof(out)), 0);
	lpr_trace_append(ring, sizeof(ring), "abcdefghij", 10);
	CHECK_EQ_INT((int)lpr_trace_copy(ring, sizeof(ring), out, sizeof(out)), 10);
	CHECK(!strcmp(out, "abcdefghij"));
	lpr_trace_append(ring, sizeof(ring), "KLMNOPQR", 8); /* wraps */
	CHECK_EQ_INT((int)lpr_trace_copy(ring, sizeof(ring), out, sizeof(out)), 16);
	CHECK(!strcmp(out, "cdefghijKLMNOPQR"));
	lpr_trace_append(ring, sizeof(ring), "0123456789ABCDEFGHIJ", 20); /* longer than the ring */
	CHECK_EQ_INT((int)lpr_trace_copy(ring, sizeof(ring), out, sizeof(out)), 16);
	CHECK(!strcmp(out, "456789ABCDEFGHIJ"));
	CHECK_EQ_INT((int)lpr_trace_copy(ring, sizeof(ring), out, 5), 4); /* small buffer: newest */
	CHECK(!strcmp(out, "GHIJ"));
	/* hostile header: a huge head stays inside the ring, a bad magic is refused */
	h->head = 0xfffffff0U;
	CHECK_EQ_INT((int)lpr_trace_copy(ring, sizeof(ring), out, sizeof(out)), 16);
	h->magic = 0x12345678;
	CHECK_EQ_INT((int)lpr_trace_copy(ring, sizeof(ring), out, sizeof(out)), -EPROTO);
	CHECK_EQ_INT((int)lpr_trace_copy(ring, 8, out, sizeof(out)), -EINVAL);
}

int main(void)
{
	win = calloc(1, WIN_SIZE);
	if (!win)
		return 1;
	RUN(test_good_window);
	RUN(test_hostile_window);
	RUN(test_ring);
	free(win);
	return check_summary();
}
