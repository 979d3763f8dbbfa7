/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The packed ring between two processes: the parent is the driver, a forked
 * child is the device, over a MAP_SHARED mapping. Thousands of chains (one
 * readable buffer carrying a sequence number and a pattern, one writable
 * buffer the device fills with a second pattern of a varying length) go
 * around the ring many times; both sides check every payload byte, and the
 * driver checks every used length. Both sides poll (yielding), with a
 * deadline so a bug cannot hang the test.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdbool.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <metal/sys.h>

#include "check.h"
#include "packed_decoder.h"
#include "packed_fixture.h"

#define MAP_BYTES  (256 * 1024)
#define NUM	   64
#define PAIRS	   (NUM / 2) /* chains in flight at most: 2 slots each */
#define CHAINS	   20000
#define BUF_BYTES  128
#define DEADLINE_S 15

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint8_t out_byte(uint32_t seq, unsigned int i)
{
	return (uint8_t)(seq * 13u + i * 3u + 1u);
}

static uint8_t back_byte(uint32_t seq, unsigned int i)
{
	return (uint8_t)(seq * 7u ^ (i + 0x5au));
}

static uint32_t back_len(uint32_t seq)
{
	return seq % BUF_BYTES + 1u;
}

/* Buffer pair of slot @s: readable at 2s, writable at 2s + 1. */
static uint8_t *slot_buf(struct pf *f, unsigned int s, int writable)
{
	return pf_buf(f, 2 * s + (unsigned int)writable);
}

/* Wrap counter of ring slot number @n (counting from 0, never reset). */
static int lap_wrap(uint32_t n)
{
	return (n / NUM) % 2 ? 0 : 1;
}

/* Whether chain @seq's head slot says "available" (each chain takes 2 slots). */
static bool ring_chain_ready(struct pf *f, uint32_t seq)
{
	struct pd_desc d = pd_desc(f->mem, (2 * seq) % NUM);

	return (d.flags & (PD_F_AVAIL | PD_F_USED)) == pd_avail_flags(lap_wrap(2 * seq));
}

/* Every byte of chain @seq's two descriptors. Returns 0 or -1. */
static int check_avail_bytes(struct pf *f, uint32_t seq)
{
	struct pd_desc d0 = pd_desc(f->mem, (2 * seq) % NUM);
	struct pd_desc d1 = pd_desc(f->mem, (2 * seq + 1) % NUM);

	if (d0.flags != (pd_avail_flags(lap_wrap(2 * seq)) | PD_F_NEXT) ||
	    d1.flags != (pd_avail_flags(lap_wrap(2 * seq + 1)) | PD_F_WRITE))
		return -1;
	if (d0.len != BUF_BYTES || d1.len != BUF_BYTES || d0.id != d1.id || d0.id >= NUM)
		return -1;
	if (d0.addr < PF_PHYS + PF_BUF_OFF || d1.addr != d0.addr + PF_BUF_SIZE)
		return -1;
	return 0;
}

/* Device side: serve CHAINS chains; returns the process exit status. */
static int device_main(uint8_t *mem)
{
	struct pf f;
	uint32_t seq = 0, len, i;
	uint16_t head, nidx;
	double end = now_s() + DEADLINE_S;
	uint8_t *in, *out;

	if (pf_setup(&f, mem, MAP_BYTES, NUM, 0, 2))
		return 10;
	while (seq < CHAINS) {
		/* The raw bytes first: the chain must be available per the spec's encoding. */
		if (!ring_chain_ready(&f, seq)) {
			if (amplink_virtqueue_is_broken(f.dev) || now_s() > end)
				return 11;
			sched_yield();
			continue;
		}
		if (check_avail_bytes(&f, seq) != 0)
			return 16;
		in = virtqueue_get_first_avail_buffer(f.dev, &head, &len);
		if (!in || head != pd_desc(f.mem, (2 * seq + 1) % NUM).id)
			return 17;
		if (len != BUF_BYTES || memcmp(in, &seq, sizeof(seq)) != 0)
			return 12;
		for (i = sizeof(seq); i < BUF_BYTES; i++)
			if (in[i] != out_byte(seq, i))
				return 13;
		out = virtqueue_get_next_avail_buffer(f.dev, head, &nidx, &len);
		if (!out || len != BUF_BYTES)
			return 14;
		for (i = 0; i < back_len(seq); i++)
			out[i] = back_byte(seq, i);
		if (virtqueue_add_consumed_buffer(f.dev, head, back_len(seq)) != 0)
			return 15;
		seq++;
	}
	pf_teardown(&f);
	return 0;
}

struct driver_state {
	struct pf f;
	uint32_t next_seq, done;
	uint32_t seq_of_slot[PAIRS];
	unsigned int free_slots[PAIRS], nfree;
};

static void driver_post(struct driver_state *d)
{
	struct virtqueue_buf b[2];
	unsigned int s, i;
	uint8_t *in;

	while (d->nfree && d->next_seq < CHAINS) {
		s = d->free_slots[--d->nfree];
		in = slot_buf(&d->f, s, 0);
		memcpy(in, &d->next_seq, sizeof(d->next_seq));
		for (i = sizeof(d->next_seq); i < BUF_BYTES; i++)
			in[i] = out_byte(d->next_seq, i);
		memset(slot_buf(&d->f, s, 1), 0, BUF_BYTES);
		b[0].buf = in;
		b[0].len = BUF_BYTES;
		b[1].buf = slot_buf(&d->f, s, 1);
		b[1].len = BUF_BYTES;
		d->seq_of_slot[s] = d->next_seq++;
		REQUIRE(virtqueue_add_buffer(d->f.drv, b, 1, 1, &d->seq_of_slot[s]) == 0);
	}
}

/* Collect one chain; returns 1 when one came back, 0 when none, -1 on error. */
static int driver_collect(struct driver_state *d)
{
	uint32_t len = 0, seq, i;
	uint16_t id = 0xffff;
	uint32_t *cookie = virtqueue_get_buffer(d->f.drv, &len, &id);
	struct pd_desc u;
	unsigned int s;
	uint8_t *out;

	if (!cookie)
		return amplink_virtqueue_is_broken(d->f.drv) ? -1 : 0;
	s = (unsigned int)(cookie - d->seq_of_slot);
	seq = *cookie;
	if (s >= PAIRS || seq != d->done || len != back_len(seq))
		return -1;
	/* The used descriptor, byte for byte (the device is done with that slot). */
	u = pd_desc(d->f.mem, (2 * seq) % NUM);
	if (u.flags != (pd_used_flags(lap_wrap(2 * seq)) | PD_F_WRITE) || u.id != id ||
	    u.len != len)
		return -1;
	out = slot_buf(&d->f, s, 1);
	for (i = 0; i < BUF_BYTES; i++)
		if (out[i] != (i < len ? back_byte(seq, i) : 0))
			return -1;
	d->free_slots[d->nfree++] = s;
	d->done++;
	return 1;
}

static void test_two_processes(void)
{
	static struct driver_state d;
	double end = now_s() + DEADLINE_S;
	uint8_t *mem;
	int status = -1, r = 0;
	unsigned int s;
	pid_t pid;

	mem = mmap(NULL, MAP_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	REQUIRE(mem != MAP_FAILED);
	memset(&d, 0, sizeof(d));
	REQUIRE(pf_setup(&d.f, mem, MAP_BYTES, NUM, 0, 1) == 0);
	REQUIRE(PF_BUF_OFF + 2u * PAIRS * PF_BUF_SIZE <= MAP_BYTES);
	for (s = 0; s < PAIRS; s++)
		d.free_slots[d.nfree++] = PAIRS - 1 - s;
	pid = fork();
	REQUIRE(pid >= 0);
	if (pid == 0)
		_exit(device_main(mem));
	while (d.done < CHAINS && r >= 0 && now_s() < end) {
		driver_post(&d);
		r = driver_collect(&d);
		if (r == 0)
			sched_yield();
	}
	CHECK(r >= 0);
	CHECK_EQ_INT(d.done, CHAINS);
	CHECK(!amplink_virtqueue_is_broken(d.f.drv));
	CHECK_EQ_INT(virtqueue_empty(d.f.drv), 1);
	if (d.done != CHAINS)
		kill(pid, SIGKILL);
	REQUIRE(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status));
	CHECK_EQ_INT(WEXITSTATUS(status), 0);
	pf_teardown(&d.f);
	munmap(mem, MAP_BYTES);
}

int main(void)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;

	if (metal_init(&params))
		return 2;
	RUN(test_two_processes);
	metal_finish();
	return check_summary();
}
