/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Helpers of the Linux-process lifecycle tests: host endpoints bound to the
 * remote's announcements, waiting for them, one echo round trip.
 */
#ifndef LPR_TEST_H
#define LPR_TEST_H

#include <string.h>
#include <time.h>

#include <amplink/linux_rproc.h>

#define LT_MAX 8

struct lt_ept {
	struct rpmsg_endpoint ept;
	char name[RPMSG_NAME_SIZE];
	int used;
	char reply[512];
	int reply_len;
};

static struct lt_ept lt_epts[LT_MAX];

static int lt_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	struct lt_ept *e = priv;

	(void)ept;
	(void)src;
	e->reply_len = (int)(len < sizeof(e->reply) ? len : sizeof(e->reply));
	memcpy(e->reply, data, (size_t)e->reply_len);
	return RPMSG_SUCCESS;
}

static void lt_bind(struct rpmsg_device *rdev, const char *name, uint32_t dest)
{
	for (int i = 0; i < LT_MAX; i++) {
		if (lt_epts[i].used)
			continue;
		strncpy(lt_epts[i].name, name, sizeof(lt_epts[i].name) - 1);
		if (rpmsg_create_ept(&lt_epts[i].ept, rdev, lt_epts[i].name, RPMSG_ADDR_ANY, dest,
				     lt_cb, NULL) == RPMSG_SUCCESS) {
			lt_epts[i].ept.priv = &lt_epts[i];
			lt_epts[i].used = 1;
		}
		return;
	}
}

static void lt_down(struct amplink_lpr *r, void *priv)
{
	(void)r;
	(void)priv;
	for (int i = 0; i < LT_MAX; i++) {
		if (lt_epts[i].used)
			rpmsg_destroy_ept(&lt_epts[i].ept);
		lt_epts[i].used = 0;
	}
}

static long long lt_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int lt_count(void)
{
	int n = 0;

	for (int i = 0; i < LT_MAX; i++)
		n += lt_epts[i].used;
	return n;
}

static struct lt_ept *lt_find(const char *name)
{
	for (int i = 0; i < LT_MAX; i++)
		if (lt_epts[i].used && !strcmp(lt_epts[i].name, name))
			return &lt_epts[i];
	return NULL;
}

/* Runs the link until @n endpoints are bound (up to 20 s). Returns 1 if they are. */
static int lt_wait_epts(struct amplink_lpr *r, int n)
{
	long long end = lt_ms() + 20000;

	while (lt_count() < n && lt_ms() < end && amplink_lpr_link(r))
		amplink_lp_process(amplink_lpr_link(r), 50);
	return lt_count() >= n;
}

/* One round trip of @msg on endpoint @name; 1 when @expect came back. */
static int lt_echo(struct amplink_lpr *r, const char *name, const char *msg, const char *expect)
{
	struct lt_ept *e = lt_find(name);
	long long end = lt_ms() + 20000;

	if (!e)
		return 0;
	e->reply_len = -1;
	if (rpmsg_send(&e->ept, msg, (int)strlen(msg)) != (int)strlen(msg))
		return 0;
	while (e->reply_len < 0 && lt_ms() < end)
		if (amplink_lp_process(amplink_lpr_link(r), 50) < 0)
			return 0;
	return e->reply_len == (int)strlen(expect) && !memcmp(e->reply, expect, strlen(expect));
}

#endif
