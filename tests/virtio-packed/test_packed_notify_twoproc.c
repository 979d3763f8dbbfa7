/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Notification suppression of the packed ring between two processes that
 * sleep: the driver (parent) and the device (forked child) each block on an
 * eventfd when they have nothing to do, after re-enabling notifications with
 * virtqueue_enable_cb(); the peer's kick (virtqueue_kick -> notify -> write
 * to the eventfd) must wake them. A lost notification shows up as a sleep
 * that times out, which fails the test. Run with flag-based suppression and
 * with descriptor events (EVENT_IDX); prints the notifications per message.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <metal/sys.h>

#include "check.h"
#include "packed_fixture.h"

#define MAP_BYTES (128 * 1024)
#define NUM	  16
#define PAIRS	  (NUM / 2)
#define CHAINS	  5000
#define BYTES	  64
#define SLEEP_MS  2000 /* a wake-up that takes longer than this is a lost kick */

static int kick_fd = -1, irq_fd = -1; /* driver -> device, device -> driver */
static unsigned long kicks_sent, irqs_sent;

static void notify_device(struct virtqueue *vq)
{
	uint64_t one = 1;

	(void)vq;
	if (write(kick_fd, &one, sizeof(one)) == sizeof(one))
		kicks_sent++;
}

static void notify_driver(struct virtqueue *vq)
{
	uint64_t one = 1;

	(void)vq;
	if (write(irq_fd, &one, sizeof(one)) == sizeof(one))
		irqs_sent++;
}

/* Sleep until @fd is signalled. Returns 0, or -1 after SLEEP_MS. */
static int wait_fd(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	uint64_t v;
	int r;

	do {
		r = poll(&p, 1, SLEEP_MS);
	} while (r < 0 && errno == EINTR);
	if (r <= 0)
		return -1;
	return read(fd, &v, sizeof(v)) == sizeof(v) ? 0 : -1;
}

static uint8_t req_byte(uint32_t seq, unsigned int i)
{
	return (uint8_t)(seq + 3u * i);
}

static uint8_t rsp_byte(uint8_t in)
{
	return (uint8_t)(255u - in);
}

static int device_main(uint8_t *mem, uint64_t features)
{
	struct pf f;
	uint32_t seq = 0, len, i;
	uint16_t head, nidx;
	uint8_t *in, *out;

	if (pf_setup(&f, mem, MAP_BYTES, NUM, features, 2))
		return 10;
	f.dev->notify = notify_driver;
	while (seq < CHAINS) {
		virtqueue_disable_cb(f.dev);
		while ((in = virtqueue_get_first_avail_buffer(f.dev, &head, &len)) != NULL) {
			out = virtqueue_get_next_avail_buffer(f.dev, head, &nidx, &len);
			if (!out || memcmp(in, &seq, sizeof(seq)) != 0)
				return 12;
			for (i = sizeof(seq); i < BYTES; i++)
				if (in[i] != req_byte(seq, i))
					return 13;
			for (i = 0; i < BYTES; i++)
				out[i] = rsp_byte(in[i]);
			if (virtqueue_add_consumed_buffer(f.dev, head, BYTES) != 0)
				return 14;
			seq++;
		}
		virtqueue_kick(f.dev);
		if (amplink_virtqueue_is_broken(f.dev))
			return 15;
		if (seq < CHAINS && !virtqueue_enable_cb(f.dev) && wait_fd(kick_fd) != 0)
			return 16; /* lost kick */
	}
	printf("device: %lu interrupts for %u messages\n", irqs_sent, CHAINS);
	fflush(stdout);
	pf_teardown(&f);
	return 0;
}

struct drv {
	struct pf f;
	uint32_t next, done;
	uint32_t seq_of[PAIRS];
	unsigned int free_pairs[PAIRS], nfree;
};

static int driver_post_all(struct drv *d)
{
	struct virtqueue_buf b[2];
	unsigned int s, i;
	uint8_t *in;

	while (d->nfree && d->next < CHAINS) {
		s = d->free_pairs[--d->nfree];
		in = pf_buf(&d->f, 2 * s);
		memcpy(in, &d->next, sizeof(d->next));
		for (i = sizeof(d->next); i < BYTES; i++)
			in[i] = req_byte(d->next, i);
		b[0].buf = in;
		b[0].len = BYTES;
		b[1].buf = pf_buf(&d->f, 2 * s + 1);
		b[1].len = BYTES;
		d->seq_of[s] = d->next++;
		if (virtqueue_add_buffer(d->f.drv, b, 1, 1, &d->seq_of[s]) != 0)
			return -1;
	}
	virtqueue_kick(d->f.drv);
	return 0;
}

static int driver_collect_all(struct drv *d)
{
	uint32_t len, *cookie, i;
	unsigned int s;
	uint8_t *in, *out;

	while ((cookie = virtqueue_get_buffer(d->f.drv, &len, NULL)) != NULL) {
		s = (unsigned int)(cookie - d->seq_of);
		if (s >= PAIRS || *cookie != d->done || len != BYTES)
			return -1;
		in = pf_buf(&d->f, 2 * s);
		out = pf_buf(&d->f, 2 * s + 1);
		for (i = 0; i < BYTES; i++)
			if (out[i] != rsp_byte(in[i]))
				return -1;
		d->free_pairs[d->nfree++] = s;
		d->done++;
	}
	return amplink_virtqueue_is_broken(d->f.drv) ? -1 : 0;
}

static void run(uint64_t features)
{
	static struct drv d;
	uint8_t *mem;
	int status = -1, bad = 0;
	unsigned int s;
	pid_t pid;

	kick_fd = eventfd(0, 0);
	irq_fd = eventfd(0, 0);
	REQUIRE(kick_fd >= 0 && irq_fd >= 0);
	kicks_sent = irqs_sent = 0;
	mem = mmap(NULL, MAP_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	REQUIRE(mem != MAP_FAILED);
	memset(&d, 0, sizeof(d));
	REQUIRE(pf_setup(&d.f, mem, MAP_BYTES, NUM, features, 1) == 0);
	d.f.drv->notify = notify_device;
	for (s = 0; s < PAIRS; s++)
		d.free_pairs[d.nfree++] = s;
	fflush(stdout);
	pid = fork();
	REQUIRE(pid >= 0);
	if (pid == 0)
		_exit(device_main(mem, features));
	while (d.done < CHAINS && !bad) {
		virtqueue_disable_cb(d.f.drv);
		if (driver_collect_all(&d) || driver_post_all(&d)) {
			bad = 1;
			break;
		}
		/* Sleep only when every free pair is posted and chains are in flight. */
		if (d.done < CHAINS && (d.nfree == 0 || d.next == CHAINS) &&
		    !virtqueue_enable_cb(d.f.drv) && wait_fd(irq_fd) != 0)
			bad = 2; /* lost interrupt */
	}
	CHECK_EQ_INT(bad, 0);
	CHECK_EQ_INT(d.done, CHAINS);
	if (bad)
		kill(pid, SIGKILL);
	REQUIRE(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status));
	CHECK_EQ_INT(WEXITSTATUS(status), 0);
	printf("driver: %lu kicks for %u messages\n", kicks_sent, CHAINS);
	pf_teardown(&d.f);
	munmap(mem, MAP_BYTES);
	close(kick_fd);
	close(irq_fd);
}

static void test_flags(void)
{
	run(0);
}

static void test_event_idx(void)
{
	run(1ull << 29);
}

int main(void)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;

	if (metal_init(&params))
		return 2;
	RUN(test_flags);
	RUN(test_event_idx);
	metal_finish();
	return check_summary();
}
