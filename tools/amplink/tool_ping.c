/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Echo round trips for `amplink ping`: send a patterned payload on a bound
 * endpoint, run the link until the echo is back, check it byte for byte,
 * and report min / median / p99 / max.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tool_rproc.h"

#define TOOL_PING_TIMEOUT_NS 2000000000LL

static int tool_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* One round trip; returns its time in us or a negative errno. */
static double tool_ping_one(tool_pump_fn pump, void *ctx, struct tool_ept *e, unsigned char *tx,
			    unsigned char *rx, size_t size)
{
	long long t0 = tool_now_ns(), now;

	e->wait_buf = rx;
	e->wait_cap = size;
	e->wait_len = 0;
	e->wait_done = 0;
	if (rpmsg_send(&e->ept, tx, (int)size) != (int)size)
		return -EIO;
	while (!e->wait_done) {
		now = tool_now_ns();
		if (now - t0 > TOOL_PING_TIMEOUT_NS)
			return -ETIMEDOUT;
		if (pump(ctx, 10) < 0 && !e->wait_done)
			return -EPIPE;
	}
	now = tool_now_ns();
	e->wait_buf = NULL;
	if (e->wait_len != size || memcmp(tx, rx, size) != 0)
		return -EBADMSG;
	return (double)(now - t0) / 1000.0;
}

/*
 * tool_ping() - @count round trips of @size bytes on @e, running the link
 * with @pump(@ctx, ...) while waiting for each echo. Returns 0 (see
 * res->errors) or a negative errno when the link failed.
 */
int tool_ping(tool_pump_fn pump, void *ctx, struct tool_ept *e, size_t size, unsigned int count,
	      struct tool_ping_result *res)
{
	unsigned char *tx = malloc(size), *rx = malloc(size);
	double *t = calloc(count ? count : 1, sizeof(double)), sum = 0, us;
	unsigned int i;
	int ret = 0;

	memset(res, 0, sizeof(*res));
	if (!tx || !rx || !t) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < count; i++) {
		size_t k;

		for (k = 0; k < size; k++)
			tx[k] = (unsigned char)(i * 31U + k);
		us = tool_ping_one(pump, ctx, e, tx, rx, size);
		if (us < 0) {
			res->errors++;
			if (us == -EPIPE || us == -ETIMEDOUT) {
				ret = (int)us;
				break;
			}
			continue;
		}
		t[res->done++] = us;
		sum += us;
	}
	e->wait_buf = NULL;
	if (res->done) {
		qsort(t, res->done, sizeof(double), tool_cmp_double);
		res->min_us = t[0];
		res->max_us = t[res->done - 1];
		res->median_us = t[res->done / 2];
		res->p99_us = t[(res->done * 99U) / 100U < res->done ? (res->done * 99U) / 100U
								     : res->done - 1];
		res->mean_us = sum / res->done;
	}
out:
	free(tx);
	free(rx);
	free(t);
	return ret;
}

/* tool_ping_print() - the summary lines of a ping run. */
void tool_ping_print(FILE *out, const char *name, size_t size, const struct tool_ping_result *res)
{
	fprintf(out, "%u round trips of %zu bytes on %s, %u errors\n", res->done, size, name,
		res->errors);
	if (res->done)
		fprintf(out, "round trip us: min %.1f median %.1f p99 %.1f max %.1f mean %.1f\n",
			res->min_us, res->median_us, res->p99_us, res->max_us, res->mean_us);
}
