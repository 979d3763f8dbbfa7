/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The packed ring against a reference model kept by the test: random posts
 * (1..4-buffer chains of mixed readable/writable buffers), takes, returns in
 * random order (out-of-order completion) and collections, over rings of 4, 8
 * and 32 entries, for tens of thousands of steps (hundreds of wrap-arounds).
 * Every descriptor the driver publishes and every used descriptor the device
 * writes is compared byte for byte (independent decoder) with where and what
 * the model says it must be; every payload byte is checked both ways.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <metal/sys.h>

#include "check.h"
#include "packed_decoder.h"
#include "packed_fixture.h"

#define MEM_SIZE (64 * 1024)
#define NBUFS	 64

static _Alignas(64) uint8_t mem[MEM_SIZE];

/* ---- wrap-around against a reference model ------------------------------- */

struct chain {
	unsigned int n, r, seq;
	unsigned int bufs[4];
	uint32_t wlen;
	bool live;
};

struct model {
	struct pf f;
	unsigned int avail_pos, avail_wrap; /* where the next chain must appear */
	unsigned int used_pos, used_wrap;   /* where the next used descriptor must appear */
	struct chain by_id[64];
	unsigned int posted_fifo[64], posted_head, posted_tail; /* ids in posting order */
	unsigned int held[64], nheld;				/* device holds */
	unsigned int done_fifo[64], done_head, done_tail;	/* ids in used order */
	unsigned int free_bufs[NBUFS], nfree_bufs;
	unsigned int free_slots, seq, slots_total;
	uint32_t rng;
};

static unsigned int rnd(struct model *m, unsigned int n)
{
	m->rng = m->rng * 1103515245u + 12345u;
	return (m->rng >> 16) % n;
}

static uint8_t pattern(unsigned int seq, unsigned int k, unsigned int i)
{
	return (uint8_t)(seq * 31u + k * 7u + i);
}

static void model_advance(struct model *m, unsigned int *pos, unsigned int *wrap, unsigned int n)
{
	*pos += n;
	if (*pos >= m->f.num) {
		*pos -= m->f.num;
		*wrap ^= 1u;
	}
}

/* Post one chain and check its descriptors byte for byte. */
static void model_post(struct model *m)
{
	unsigned int r = rnd(m, 3), w = rnd(m, 3), n, k, i, pos, wrap, id;
	struct virtqueue_buf b[4];
	struct chain *c;

	if (r + w == 0)
		r = 1;
	n = r + w;
	if (n > m->free_slots || n > m->nfree_bufs)
		return;
	for (k = 0; k < n; k++) {
		unsigned int bi = m->free_bufs[--m->nfree_bufs];

		b[k].buf = pf_buf(&m->f, bi);
		b[k].len = (int)(PF_BUF_SIZE - k);
		for (i = 0; i < PF_BUF_SIZE; i++)
			((uint8_t *)b[k].buf)[i] = k < r ? pattern(m->seq, k, i) : 0;
		m->by_id[63].bufs[k] = bi; /* scratch until the id is known */
	}
	REQUIRE(virtqueue_add_buffer(m->f.drv, b, (int)r, (int)w, b[0].buf) == 0);
	id = pd_desc(m->f.mem, m->avail_pos).id;
	REQUIRE(id < m->f.num && !m->by_id[id].live);
	c = &m->by_id[id];
	*c = (struct chain){.n = n, .r = r, .seq = m->seq++, .live = true};
	memcpy(c->bufs, m->by_id[63].bufs, sizeof(c->bufs));
	pos = m->avail_pos;
	wrap = m->avail_wrap;
	for (k = 0; k < n; k++) {
		struct pd_desc d = pd_desc(m->f.mem, pos);
		uint16_t flags = pd_avail_flags((int)wrap);

		if (k + 1 < n)
			flags |= PD_F_NEXT;
		if (k >= r)
			flags |= PD_F_WRITE;
		CHECK(d.addr == pf_da(&m->f, b[k].buf));
		CHECK_EQ_INT(d.len, (uint32_t)b[k].len);
		CHECK_EQ_INT(d.flags, flags);
		if (k + 1 == n)
			CHECK_EQ_INT(d.id, id);
		model_advance(m, &pos, &wrap, 1);
	}
	m->avail_pos = pos;
	m->avail_wrap = wrap;
	m->free_slots -= n;
	m->slots_total += n;
	m->posted_fifo[m->posted_tail++ % 64] = id;
}

/* Device takes the next chain: it must be the oldest posted one. */
static void model_take(struct model *m)
{
	uint16_t head, idx, nidx;
	uint32_t len;
	struct chain *c;
	uint8_t *p;
	unsigned int k, i;

	if (m->posted_head == m->posted_tail) {
		CHECK(virtqueue_get_first_avail_buffer(m->f.dev, &head, &len) == NULL);
		return;
	}
	p = virtqueue_get_first_avail_buffer(m->f.dev, &head, &len);
	REQUIRE(p != NULL);
	CHECK_EQ_INT(head, m->posted_fifo[m->posted_head++ % 64]);
	c = &m->by_id[head];
	idx = head;
	for (k = 0; k < c->n; k++) {
		REQUIRE(p == pf_buf(&m->f, c->bufs[k]));
		CHECK_EQ_INT(len, PF_BUF_SIZE - k);
		for (i = 0; k < c->r && i < PF_BUF_SIZE - k; i++)
			if (p[i] != pattern(c->seq, k, i)) {
				CHECK(p[i] == pattern(c->seq, k, i));
				break;
			}
		if (k + 1 < c->n) {
			p = virtqueue_get_next_avail_buffer(m->f.dev, idx, &nidx, &len);
			idx = nidx;
		}
	}
	CHECK(virtqueue_get_next_avail_buffer(m->f.dev, idx, &nidx, &len) == NULL);
	m->held[m->nheld++] = head;
}

/* Device returns one held chain (any of them), filling its writable part. */
static void model_complete(struct model *m)
{
	unsigned int pick, id, k, i;
	struct chain *c;
	struct pd_desc d;

	if (m->nheld == 0)
		return;
	pick = rnd(m, m->nheld);
	id = m->held[pick];
	m->held[pick] = m->held[--m->nheld];
	c = &m->by_id[id];
	c->wlen = 0;
	for (k = c->r; k < c->n; k++) {
		uint8_t *p = pf_buf(&m->f, c->bufs[k]);

		for (i = 0; i < PF_BUF_SIZE - k; i++)
			p[i] = pattern(c->seq ^ 0x55u, k, i);
		c->wlen += PF_BUF_SIZE - k;
	}
	REQUIRE(virtqueue_add_consumed_buffer(m->f.dev, (uint16_t)id, c->wlen) == 0);
	d = pd_desc(m->f.mem, m->used_pos);
	CHECK_EQ_INT(d.id, id);
	CHECK_EQ_INT(d.len, c->wlen);
	CHECK_EQ_INT(d.flags, pd_used_flags((int)m->used_wrap) | (c->wlen ? PD_F_WRITE : 0));
	model_advance(m, &m->used_pos, &m->used_wrap, c->n);
	m->done_fifo[m->done_tail++ % 64] = id;
}

/* Driver collects: in used order, with the device's bytes. */
static void model_collect(struct model *m)
{
	uint32_t len = 0;
	uint16_t idx = 0;
	unsigned int id, k, i;
	struct chain *c;
	void *cookie;

	if (m->done_head == m->done_tail) {
		CHECK(virtqueue_get_buffer(m->f.drv, &len, &idx) == NULL);
		return;
	}
	cookie = virtqueue_get_buffer(m->f.drv, &len, &idx);
	id = m->done_fifo[m->done_head++ % 64];
	CHECK_EQ_INT(idx, id);
	c = &m->by_id[id];
	REQUIRE(cookie == pf_buf(&m->f, c->bufs[0]));
	CHECK_EQ_INT(len, c->wlen);
	for (k = c->r; k < c->n; k++) {
		uint8_t *p = pf_buf(&m->f, c->bufs[k]);

		for (i = 0; i < PF_BUF_SIZE - k; i++)
			if (p[i] != pattern(c->seq ^ 0x55u, k, i)) {
				CHECK(p[i] == pattern(c->seq ^ 0x55u, k, i));
				break;
			}
	}
	for (k = 0; k < c->n; k++)
		m->free_bufs[m->nfree_bufs++] = c->bufs[k];
	m->free_slots += c->n;
	c->live = false;
}

static void run_model(unsigned int num, unsigned int steps, uint32_t seed)
{
	static struct model m;
	unsigned int i;

	memset(&m, 0, sizeof(m));
	REQUIRE(pf_setup(&m.f, mem, sizeof(mem), num, 0, 3) == 0);
	m.avail_wrap = m.used_wrap = 1;
	m.free_slots = num;
	m.rng = seed;
	for (i = 0; i < NBUFS; i++)
		m.free_bufs[m.nfree_bufs++] = i;
	for (i = 0; i < steps && check_failures == 0; i++) {
		switch (rnd(&m, 4)) {
		case 0:
			model_post(&m);
			break;
		case 1:
			model_take(&m);
			break;
		case 2:
			model_complete(&m);
			break;
		default:
			model_collect(&m);
			break;
		}
	}
	/* Drain. */
	while (m.posted_head != m.posted_tail)
		model_take(&m);
	while (m.nheld)
		model_complete(&m);
	while (m.done_head != m.done_tail)
		model_collect(&m);
	CHECK_EQ_INT(m.free_slots, num);
	CHECK_EQ_INT(virtqueue_empty(m.f.drv), 1);
	CHECK(m.slots_total / num > 200); /* wrapped many times */
	CHECK(!amplink_virtqueue_is_broken(m.f.drv));
	CHECK(!amplink_virtqueue_is_broken(m.f.dev));
	pf_teardown(&m.f);
}

static void test_wrap_model_num8(void)
{
	run_model(8, 40000, 1);
}

static void test_wrap_model_num4(void)
{
	run_model(4, 40000, 7);
}

static void test_wrap_model_num32(void)
{
	run_model(32, 40000, 99);
}

int main(void)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;

	if (metal_init(&params))
		return 2;
	RUN(test_wrap_model_num8);
	RUN(test_wrap_model_num4);
	RUN(test_wrap_model_num32);
	metal_finish();
	return check_summary();
}
