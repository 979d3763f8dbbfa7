/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * amplink-bench: in-process figures on the bench_pair (no syscalls, no
 * second thread): the stack's cost per message (send on the host, receive
 * and callback on the remote, buffer back to the host), and the message
 * rate when the messages are spread over 1..1024 remote endpoints.
 */
#include <stdlib.h>
#include <string.h>

#include <openamp/rpmsg.h>

#include "bench.h"
#include "bench_pair.h"

/* Entries per vring, and messages sent between two pumps (a batch of kicks). */
#define BENCH_INPROC_VRING 256u
#define BENCH_INPROC_BATCH 16

/* Counts messages; checks the first byte so the payload is really read. */
struct bench_counter {
	unsigned long got;
	unsigned long bad;
};

static int bench_count_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src,
			  void *priv)
{
	struct bench_counter *c = priv;

	(void)ept;
	(void)src;
	if (len == 0 || ((const unsigned char *)data)[0] != 0xa5)
		c->bad++;
	c->got++;
	return RPMSG_SUCCESS;
}

/* Send @msgs messages of @len bytes to @dsts[i % ndst]. Returns ns spent, or -1. */
static long long bench_inproc_run(struct bench_pair *p, struct rpmsg_endpoint *he,
				  const uint32_t *dsts, unsigned int ndst, int len, int msgs)
{
	unsigned char buf[RPMSG_BUFFER_SIZE];
	long long t0;
	unsigned int d = 0;
	int i;

	memset(buf, 0xa5, sizeof(buf));
	t0 = bench_now_ns();
	for (i = 0; i < msgs; i++) {
		if (rpmsg_trysendto(he, buf, len, dsts[d]) != len)
			return -1;
		if (++d == ndst)
			d = 0;
		if (i % BENCH_INPROC_BATCH == BENCH_INPROC_BATCH - 1)
			bench_pair_pump(p);
	}
	bench_pair_pump(p);
	return bench_now_ns() - t0;
}

/* Create @n remote endpoints counting into @c; fill @dsts. Returns 0 or -1. */
static int bench_inproc_epts(struct bench_pair *p, struct rpmsg_endpoint *epts, uint32_t *dsts,
			     unsigned int n, struct bench_counter *c)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		epts[i].priv = c;
		if (rpmsg_create_ept(&epts[i], &p->remote.rvdev.rdev, "", RPMSG_ADDR_ANY,
				     RPMSG_ADDR_ANY, bench_count_cb, NULL) != RPMSG_SUCCESS)
			return -1;
		dsts[i] = epts[i].addr;
	}
	return 0;
}

/*
 * Open a pair with @nept remote endpoints, warm up, then time @msgs messages
 * of @len bytes spread over them. Returns ns per message, or -1.
 */
static double bench_inproc_measure(unsigned int nept, int len, int msgs, uint32_t features)
{
	struct rpmsg_endpoint *epts = calloc(nept, sizeof(*epts)), he;
	uint32_t *dsts = calloc(nept, sizeof(*dsts));
	struct bench_counter c = {0, 0};
	struct bench_pair p;
	double res = -1;
	long long ns = -1;
	unsigned int made = 0;

	if (!epts || !dsts || bench_pair_open(&p, BENCH_INPROC_VRING, features) != 0)
		goto out_free;
	he.priv = &c;
	if (rpmsg_create_ept(&he, &p.host.rvdev.rdev, "", RPMSG_ADDR_ANY, RPMSG_ADDR_ANY,
			     bench_count_cb, NULL) != RPMSG_SUCCESS)
		goto out_pair;
	if (bench_inproc_epts(&p, epts, dsts, nept, &c) == 0) {
		made = nept;
		/* Warm-up: every buffer and every endpoint touched once. */
		if (bench_inproc_run(&p, &he, dsts, nept, len,
				     (int)(nept + 4 * BENCH_INPROC_VRING)) >= 0) {
			c.got = 0;
			ns = bench_inproc_run(&p, &he, dsts, nept, len, msgs);
		}
	} else {
		while (made < nept && epts[made].rdev)
			made++;
	}
	if (ns > 0 && c.got == (unsigned long)msgs && c.bad == 0)
		res = (double)ns / msgs;
	while (made > 0)
		rpmsg_destroy_ept(&epts[--made]);
	rpmsg_destroy_ept(&he);
out_pair:
	bench_pair_close(&p);
out_free:
	free(epts);
	free(dsts);
	return res;
}

double bench_stack_ns(int len, int msgs, uint32_t features)
{
	return bench_inproc_measure(1, len, msgs, features);
}

double bench_endpoints_rate(unsigned int nept, int msgs, uint32_t features)
{
	double ns = bench_inproc_measure(nept, 16, msgs, features);

	return ns > 0 ? 1e9 / ns : -1;
}
