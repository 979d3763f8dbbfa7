/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The vhost-user backend against a test frontend (no VM): this program plays
 * the frontend over a socketpair and the guest's virtio driver on a memfd
 * (amplink's own driver-role virtqueues), first correctly (handshake, rings,
 * an rpmsg echo through the backend's rpmsg device, every byte checked), then
 * badly: bad memory tables, ring sizes and addresses, descriptors without or
 * with stray fds, unknown requests, messages cut short or stalled, oversize
 * or badly flagged headers, a corrupted descriptor, the frontend vanishing
 * while the rings run. The backend must answer with errors or drop the
 * connection, and then serve a well-behaved frontend again.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <amplink/vhost_user.h>
#include <metal/io.h>
#include <metal/sys.h>
#include <openamp/rpmsg_virtio.h>
#include <openamp/virtqueue.h>

#include "check.h"

/* Protocol constants (vhost-user specification). */
enum {
	GET_FEATURES = 1,
	SET_FEATURES = 2,
	SET_OWNER = 3,
	SET_MEM_TABLE = 5,
	SET_VRING_NUM = 8,
	SET_VRING_ADDR = 9,
	SET_VRING_BASE = 10,
	SET_VRING_KICK = 12,
	SET_VRING_CALL = 13,
	GET_PROTOCOL_FEATURES = 15,
	SET_PROTOCOL_FEATURES = 16,
	SET_VRING_ENABLE = 18,
};
#define NEED_REPLY 0x8u
#define NOFD	   0x100u

/* Guest memory layout in the memfd. */
#define MEM_SIZE   0x10000u
#define GPA	   0x40000000ull
#define RING_NUM   16u
#define RING0	   0x0000u
#define RING1	   0x2000u
#define RXBUF	   0x8000u
#define TXBUF	   0xc000u
#define BUF_SIZE   512u
#define ECHO_ADDR  0x400u
#define GUEST_ADDR 0x800u

struct wire_hdr {
	uint32_t request, flags, size;
};

struct wire_rpmsg {
	uint32_t src, dst, reserved;
	uint16_t len, flags;
};

struct region {
	uint64_t gpa, size, uaddr, offset;
};

/* The test frontend and its guest. */
struct fe {
	int sock;
	int memfd;
	uint8_t *mem;
	metal_phys_addr_t phys;
	struct metal_io_region io;
	struct virtqueue *vq[2];
	int kick[2], call[2];
};

static struct amplink_vhost_user *vu;
static struct rpmsg_endpoint echo_ept;
static int ready_count, gone_count;

static int echo_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)priv;
	(void)rpmsg_trysendto(ept, data, (int)len, src);
	return RPMSG_SUCCESS;
}

static void on_ready(struct rpmsg_device *rdev, void *arg)
{
	(void)arg;
	ready_count++;
	CHECK_EQ_INT(
		rpmsg_create_ept(&echo_ept, rdev, "", ECHO_ADDR, RPMSG_ADDR_ANY, echo_cb, NULL), 0);
}

static void on_gone(struct rpmsg_device *rdev, void *arg)
{
	(void)rdev;
	(void)arg;
	gone_count++;
	rpmsg_destroy_ept(&echo_ept);
}

/* Send one message with optional descriptors. */
static int fe_send(struct fe *f, uint32_t req, const void *body, uint32_t size, const int *fds,
		   int nfds)
{
	struct wire_hdr h = {req, 1u | NEED_REPLY, size};
	uint8_t buf[sizeof(h) + 128];
	union {
		char c[CMSG_SPACE(4 * sizeof(int))];
		struct cmsghdr a;
	} ctl;
	struct iovec iov = {buf, sizeof(h) + size};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};

	memset(&ctl, 0, sizeof(ctl));
	memcpy(buf, &h, sizeof(h));
	if (size)
		memcpy(buf + sizeof(h), body, size);
	if (nfds) {
		struct cmsghdr *c;

		mh.msg_control = ctl.c;
		mh.msg_controllen = CMSG_SPACE((size_t)nfds * sizeof(int));
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN((size_t)nfds * sizeof(int));
		memcpy(CMSG_DATA(c), fds, (size_t)nfds * sizeof(int));
	}
	return sendmsg(f->sock, &mh, MSG_NOSIGNAL) == (ssize_t)iov.iov_len ? 0 : -1;
}

/* Let the backend handle what is pending. */
static void backend_step(void)
{
	if (amplink_vhost_user_poll(vu, 50) > 0) {
		while (amplink_vhost_user_poll(vu, 0) > 0)
			;
	}
}

/* Read one reply's u64 (ack status or value); -1 when none came. */
static int64_t fe_reply(struct fe *f)
{
	struct pollfd p = {f->sock, POLLIN, 0};
	uint8_t r[sizeof(struct wire_hdr) + 8];
	struct wire_hdr h;
	uint64_t v;

	if (poll(&p, 1, 200) <= 0 || recv(f->sock, r, sizeof(r), MSG_DONTWAIT) != sizeof(r))
		return -1;
	memcpy(&h, r, sizeof(h));
	memcpy(&v, r + sizeof(h), sizeof(v));
	CHECK_EQ_INT(h.flags, 0x5);
	CHECK_EQ_INT(h.size, 8);
	return (int64_t)v;
}

/* A request and its acknowledgement: 0 accepted, 1 refused, -1 no answer. */
static int64_t req(struct fe *f, uint32_t r, const void *body, uint32_t size, const int *fds,
		   int nfds)
{
	if (fe_send(f, r, body, size, fds, nfds))
		return -1;
	backend_step();
	return fe_reply(f);
}

static int64_t req_u64(struct fe *f, uint32_t r, uint64_t v)
{
	return req(f, r, &v, sizeof(v), NULL, 0);
}

static int64_t req_state(struct fe *f, uint32_t r, uint32_t index, uint32_t num)
{
	uint32_t s[2] = {index, num};

	return req(f, r, s, sizeof(s), NULL, 0);
}

static int64_t req_addr(struct fe *f, uint32_t index, uint64_t desc, uint64_t used, uint64_t avail)
{
	struct {
		uint32_t index, flags;
		uint64_t desc, used, avail, log;
	} a = {index, 0, desc, used, avail, 0};

	return req(f, SET_VRING_ADDR, &a, sizeof(a), NULL, 0);
}

static int64_t req_table(struct fe *f, uint32_t num, const struct region *r, int fd)
{
	uint8_t body[8 + 2 * sizeof(*r)] = {0};

	memcpy(body, &num, sizeof(num));
	memcpy(body + 8, r, sizeof(*r));
	return req(f, SET_MEM_TABLE, body, sizeof(body), &fd, fd >= 0 ? 1 : 0);
}

static void fe_notify(struct virtqueue *vq)
{
	struct fe *f = vq->priv;
	uint64_t one = 1;

	CHECK(write(f->kick[vq->vq_queue_index], &one, sizeof(one)) == sizeof(one));
}

/* A new frontend attached to the backend, with its guest memory. */
static void fe_open(struct fe *f)
{
	int sv[2];
	unsigned int i;

	memset(f, 0, sizeof(*f));
	REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
	f->sock = sv[0];
	REQUIRE(amplink_vhost_user_attach(vu, sv[1]) == 0);
	f->memfd = memfd_create("guest", MFD_CLOEXEC);
	REQUIRE(f->memfd >= 0 && ftruncate(f->memfd, MEM_SIZE) == 0);
	f->mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, f->memfd, 0);
	REQUIRE(f->mem != MAP_FAILED);
	f->phys = (metal_phys_addr_t)GPA;
	metal_io_init(&f->io, f->mem, &f->phys, MEM_SIZE, (unsigned int)-1, 0, NULL);
	for (i = 0; i < 2; i++) {
		f->kick[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		f->call[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		f->vq[i] = virtqueue_allocate(RING_NUM);
		REQUIRE(f->vq[i]);
	}
}

static void fe_close(struct fe *f)
{
	unsigned int i;

	close(f->sock);
	backend_step();
	for (i = 0; i < 2; i++) {
		close(f->kick[i]);
		close(f->call[i]);
		virtqueue_free(f->vq[i]);
	}
	munmap(f->mem, MEM_SIZE);
	close(f->memfd);
}

/* Features, protocol features and the memory table, all accepted. */
static void fe_handshake(struct fe *f)
{
	struct region r = {GPA, MEM_SIZE, GPA, 0};

	CHECK_EQ_INT(req(f, SET_OWNER, NULL, 0, NULL, 0), 0);
	CHECK(fe_send(f, GET_FEATURES, NULL, 0, NULL, 0) == 0);
	backend_step();
	CHECK_EQ_INT(fe_reply(f), (1ll << 30) | 1);
	CHECK_EQ_INT(req_u64(f, SET_FEATURES, (1ull << 30) | 1), 0);
	CHECK(fe_send(f, GET_PROTOCOL_FEATURES, NULL, 0, NULL, 0) == 0);
	backend_step();
	CHECK_EQ_INT(fe_reply(f), (1 << 3) | (1 << 5));
	CHECK_EQ_INT(req_u64(f, SET_PROTOCOL_FEATURES, 1ull << 3), 0);
	CHECK_EQ_INT(req_table(f, 1, &r, f->memfd), 0);
}

/* Lay out vring @i, tell the backend, hand it the kick/call fds, enable it. */
static void fe_ring(struct fe *f, unsigned int i)
{
	uint32_t off = i ? RING1 : RING0;
	struct vring_alloc_info info = {f->mem + off, 4096, RING_NUM, 0};
	uint64_t base = GPA + off;

	REQUIRE(virtqueue_create(NULL, (unsigned short)i, i ? "tx" : "rx", &info, NULL, fe_notify,
				 f->vq[i]) == 0);
	virtqueue_set_shmem_io(f->vq[i], &f->io);
	f->vq[i]->priv = f;
	CHECK_EQ_INT(req_state(f, SET_VRING_NUM, i, RING_NUM), 0);
	CHECK_EQ_INT(req_state(f, SET_VRING_BASE, i, 0), 0);
	CHECK_EQ_INT(req_addr(f, i, base, base + 0x1000, base + 16 * RING_NUM), 0);
	CHECK_EQ_INT(req(f, SET_VRING_CALL, &(uint64_t){i}, 8, &f->call[i], 1), 0);
	CHECK_EQ_INT(req(f, SET_VRING_KICK, &(uint64_t){i}, 8, &f->kick[i], 1), 0);
	CHECK_EQ_INT(req_state(f, SET_VRING_ENABLE, i, 1), 0);
}

/* Post the receive buffers and kick vq 0: the driver is ready. */
static void fe_start(struct fe *f)
{
	unsigned int i;

	for (i = 0; i < RING_NUM; i++) {
		struct virtqueue_buf b = {f->mem + RXBUF + i * BUF_SIZE, BUF_SIZE};

		REQUIRE(virtqueue_add_buffer(f->vq[0], &b, 0, 1, b.buf) == 0);
	}
	virtqueue_kick(f->vq[0]);
	backend_step();
	CHECK(amplink_vhost_user_rpmsg(vu) != NULL);
}

/* Send @len bytes to the echo endpoint and check the echo, byte for byte. */
static int fe_echo(struct fe *f, uint16_t len)
{
	uint8_t *tx = f->mem + TXBUF;
	struct wire_rpmsg h = {GUEST_ADDR, ECHO_ADDR, 0, len, 0};
	struct virtqueue_buf b = {tx, (int)(sizeof(h) + len)};
	uint32_t got = 0;
	uint8_t *rx;
	uint16_t i;
	uint64_t n;

	memcpy(tx, &h, sizeof(h));
	for (i = 0; i < len; i++)
		tx[sizeof(h) + i] = (uint8_t)(i * 13 + len);
	if (virtqueue_add_buffer(f->vq[1], &b, 1, 0, tx))
		return -1;
	virtqueue_kick(f->vq[1]);
	backend_step();
	(void)read(f->call[0], &n, sizeof(n));
	(void)virtqueue_get_buffer(f->vq[1], NULL, NULL); /* the tx buffer came back */
	rx = virtqueue_get_buffer(f->vq[0], &got, NULL);
	if (!rx || got < sizeof(h))
		return -2;
	memcpy(&h, rx, sizeof(h));
	if (h.src != ECHO_ADDR || h.dst != GUEST_ADDR || h.len != len)
		return -3;
	for (i = 0; i < len; i++) {
		if (rx[sizeof(h) + i] != (uint8_t)(i * 13 + len))
			return -4;
	}
	b.buf = rx;
	b.len = BUF_SIZE;
	return virtqueue_add_buffer(f->vq[0], &b, 0, 1, rx) ? -5 : 0;
}

/* Bring a frontend all the way up and echo a few sizes. */
static void fe_full_session(struct fe *f)
{
	int ready = ready_count;

	fe_handshake(f);
	fe_ring(f, 0);
	fe_ring(f, 1);
	fe_start(f);
	CHECK_EQ_INT(ready_count, ready + 1);
	CHECK_EQ_INT(fe_echo(f, 1), 0);
	CHECK_EQ_INT(fe_echo(f, 100), 0);
	CHECK_EQ_INT(fe_echo(f, BUF_SIZE - 16), 0);
}

static void test_good_session(void)
{
	struct fe f;
	int gone = gone_count;

	fe_open(&f);
	fe_full_session(&f);
	/* Ring changes while the rpmsg device runs are refused. */
	CHECK_EQ_INT(req_state(&f, SET_VRING_NUM, 0, 8), 1);
	CHECK_EQ_INT(req_state(&f, SET_VRING_ENABLE, 1, 0), 0);
	CHECK_EQ_INT(gone_count, gone + 1);
	CHECK(amplink_vhost_user_rpmsg(vu) == NULL);
	fe_close(&f);
	CHECK(!amplink_vhost_user_connected(vu));
}

static void test_bad_mem_tables(void)
{
	struct region good = {GPA, MEM_SIZE, GPA, 0};
	struct region r;
	struct fe f;
	int fds[2];

	fe_open(&f);
	CHECK_EQ_INT(req_u64(&f, SET_PROTOCOL_FEATURES, 1ull << 3), 0);
	CHECK_EQ_INT(req_table(&f, 0, &good, f.memfd), 1); /* no region */
	CHECK_EQ_INT(req_table(&f, 2, &good, f.memfd), 1); /* 2 regions, 1 fd */
	CHECK_EQ_INT(req_table(&f, 1, &good, -1), 1);	   /* no fd */
	CHECK_EQ_INT(req_table(&f, 9, &good, f.memfd), 1); /* more than the wire holds */
	r = good;
	r.size = 4 * MEM_SIZE; /* beyond the file: would SIGBUS */
	CHECK_EQ_INT(req_table(&f, 1, &r, f.memfd), 1);
	r = good;
	r.offset = MEM_SIZE - 4096; /* range runs past the end of the file */
	CHECK_EQ_INT(req_table(&f, 1, &r, f.memfd), 1);
	r = good;
	r.gpa = UINT64_MAX - 100; /* wraps */
	CHECK_EQ_INT(req_table(&f, 1, &r, f.memfd), 1);
	r = good;
	r.size = 0;
	CHECK_EQ_INT(req_table(&f, 1, &r, f.memfd), 1);
	fds[0] = f.memfd;
	fds[1] = f.memfd;
	CHECK_EQ_INT(req(&f, SET_MEM_TABLE, &(uint32_t[18]){1, 0}, 8 + 32, fds, 2), 1);
	CHECK_EQ_INT(req(&f, SET_MEM_TABLE, &(uint32_t){1}, 4, &f.memfd, 1), 1); /* cut short */
	CHECK(amplink_vhost_user_connected(vu));
	/* Still serves the same frontend properly afterwards. */
	fe_full_session(&f);
	fe_close(&f);
}

static void test_bad_rings(void)
{
	struct fe f;
	uint64_t b0 = GPA + RING0;

	fe_open(&f);
	fe_handshake(&f);
	CHECK_EQ_INT(req_state(&f, SET_VRING_NUM, 2, 16), 1); /* no such vring */
	CHECK_EQ_INT(req_state(&f, SET_VRING_NUM, 255, 16), 1);
	CHECK_EQ_INT(req_state(&f, SET_VRING_NUM, 0, 0), 1);	 /* empty */
	CHECK_EQ_INT(req_state(&f, SET_VRING_NUM, 0, 24), 1);	 /* not a power of two */
	CHECK_EQ_INT(req_state(&f, SET_VRING_NUM, 0, 65536), 1); /* too large */
	CHECK_EQ_INT(req(&f, SET_VRING_NUM, &(uint32_t){0}, 4, NULL, 0), 1); /* cut short */
	CHECK_EQ_INT(req_addr(&f, 0, b0, b0 + 0x1000, b0 + 256), 1);	     /* before its size */
	CHECK_EQ_INT(req_state(&f, SET_VRING_BASE, 0, 7), 1);		     /* not a fresh ring */
	CHECK_EQ_INT(req_state(&f, SET_VRING_NUM, 0, RING_NUM), 0);
	CHECK_EQ_INT(req_addr(&f, 0, GPA + MEM_SIZE, b0 + 0x1000, b0 + 256), 1); /* outside */
	CHECK_EQ_INT(req_addr(&f, 0, GPA - 4096, b0 + 0x1000, b0 + 256), 1);
	CHECK_EQ_INT(req_addr(&f, 0, b0, GPA + MEM_SIZE - 8, b0 + 256), 1); /* used runs out */
	CHECK_EQ_INT(req_addr(&f, 0, b0 + 8, b0 + 0x1000, b0 + 264), 1);    /* misaligned */
	CHECK_EQ_INT(req_addr(&f, 0, b0, b0 + 0x1000, b0 + 0x400), 1);	    /* not one ring */
	CHECK_EQ_INT(req_addr(&f, 0, b0, b0 + 0x1002, b0 + 256), 1);
	CHECK_EQ_INT(req_addr(&f, 0, UINT64_MAX - 8, b0 + 0x1000, b0 + 256), 1);
	CHECK_EQ_INT(req_state(&f, SET_VRING_ENABLE, 1, 1), 1); /* never set up */
	CHECK_EQ_INT(req_state(&f, SET_VRING_ENABLE, 0, 2), 1);
	/* Descriptor messages: index, flags and fd count must agree. */
	CHECK_EQ_INT(req(&f, SET_VRING_KICK, &(uint64_t){NOFD}, 8, &f.kick[0], 1), 1);
	CHECK_EQ_INT(req(&f, SET_VRING_KICK, &(uint64_t){0}, 8, NULL, 0), 1);
	CHECK_EQ_INT(req(&f, SET_VRING_CALL, &(uint64_t){5}, 8, &f.call[0], 1), 1);
	CHECK_EQ_INT(req(&f, SET_VRING_CALL, &(uint64_t){0x10000}, 8, &f.call[0], 1), 1);
	CHECK_EQ_INT(req(&f, SET_VRING_CALL, &(uint32_t){0}, 4, &f.call[0], 1), 1);
	CHECK_EQ_INT(req(&f, SET_VRING_KICK, &(uint64_t){0}, 8, &f.memfd, 1), 1); /* a file */
	/* Features beyond the offer, unknown and unsupported requests. */
	CHECK_EQ_INT(req_u64(&f, SET_FEATURES, 1ull << 40), 1);
	CHECK_EQ_INT(req_u64(&f, SET_PROTOCOL_FEATURES, 1ull << 1), 1);
	CHECK_EQ_INT(req(&f, 99, NULL, 0, NULL, 0), 1);
	{
		static uint8_t big[sizeof(struct wire_hdr) + 2000];
		struct wire_hdr h = {77, 1u | NEED_REPLY, 2000};

		memcpy(big, &h, sizeof(h)); /* an unknown request with a large body */
		CHECK(send(f.sock, big, sizeof(big), MSG_NOSIGNAL) == (ssize_t)sizeof(big));
		backend_step();
		CHECK_EQ_INT(fe_reply(&f), 1);
	}
	CHECK_EQ_INT(req(&f, 6 /* SET_LOG_BASE */, &(uint64_t){0}, 8, &f.memfd, 1), 1);
	CHECK(amplink_vhost_user_connected(vu));
	/* A new memory table after the rings were enabled: the old addresses are void. */
	fe_ring(&f, 0);
	fe_ring(&f, 1);
	CHECK_EQ_INT(req_table(&f, 1, &(struct region){GPA, MEM_SIZE, GPA, 0}, f.memfd), 0);
	CHECK(write(f.kick[0], &(uint64_t){1}, 8) == 8);
	backend_step();
	CHECK(amplink_vhost_user_rpmsg(vu) == NULL);
	/* The frontend can still set the rings up properly and talk. */
	fe_ring(&f, 0);
	fe_ring(&f, 1);
	fe_start(&f);
	CHECK_EQ_INT(fe_echo(&f, 42), 0);
	fe_close(&f);
}

/* Messages that break the protocol end the connection; the next one is served. */
static void fatal_case(const void *bytes, size_t len, int hold_open)
{
	struct fe f;
	struct fe g;

	fe_open(&f);
	CHECK(send(f.sock, bytes, len, MSG_NOSIGNAL) == (ssize_t)len);
	if (!hold_open)
		shutdown(f.sock, SHUT_WR);
	backend_step();
	CHECK(!amplink_vhost_user_connected(vu));
	fe_close(&f);
	fe_open(&g);
	fe_full_session(&g);
	fe_close(&g);
}

static void test_fatal_messages(void)
{
	struct wire_hdr big = {GET_FEATURES, 1, 100000};
	struct wire_hdr badver = {GET_FEATURES, 2, 0};
	struct wire_hdr reply = {GET_FEATURES, 5, 0};
	struct {
		struct wire_hdr h;
		uint32_t half;
	} cut = {{SET_FEATURES, 1, 8}, 0};

	fatal_case(&big, sizeof(big), 0);
	fatal_case(&badver, sizeof(badver), 0);
	fatal_case(&reply, sizeof(reply), 0);
	fatal_case(&cut, sizeof(cut), 0); /* body cut short, then EOF */
	fatal_case(&cut, sizeof(cut), 1); /* body cut short, frontend stalls */
	fatal_case(&big, 6, 0);		  /* header cut short */
	fatal_case(&big, 6, 1);		  /* header cut short, stall */
}

/* A corrupted descriptor (address outside the guest memory) and a vanishing frontend. */
static void test_bad_descriptor_and_vanish(void)
{
	struct wire_rpmsg h = {GUEST_ADDR, ECHO_ADDR, 0, 8, 0};
	struct virtqueue_buf b;
	uint64_t bad = 0xdead0000ull;
	int gone = gone_count;
	struct fe f;

	fe_open(&f);
	fe_full_session(&f);
	memcpy(f.mem + TXBUF, &h, sizeof(h));
	b.buf = f.mem + TXBUF;
	b.len = (int)sizeof(h) + 8;
	REQUIRE(virtqueue_add_buffer(f.vq[1], &b, 1, 0, b.buf) == 0);
	/* Rewrite every descriptor's address of vq 1 (desc table at RING1). */
	for (unsigned int i = 0; i < RING_NUM; i++)
		memcpy(f.mem + RING1 + 16 * i, &bad, sizeof(bad));
	virtqueue_kick(f.vq[1]);
	backend_step();
	CHECK(amplink_vhost_user_connected(vu));
	CHECK(fe_send(&f, GET_FEATURES, NULL, 0, NULL, 0) == 0);
	backend_step();
	CHECK_EQ_INT(fe_reply(&f), (1ll << 30) | 1);
	/* The frontend disappears while the rings run. */
	fe_close(&f);
	CHECK_EQ_INT(gone_count, gone + 1);
	CHECK(!amplink_vhost_user_connected(vu));
	CHECK(amplink_vhost_user_rpmsg(vu) == NULL);
}

/* A kick pipe whose writer hangs up is dropped instead of polling readable forever. */
static void test_kick_hangup(void)
{
	struct fe f;
	int pp[2];

	fe_open(&f);
	fe_full_session(&f);
	REQUIRE(pipe(pp) == 0);
	CHECK_EQ_INT(req_state(&f, SET_VRING_ENABLE, 1, 0), 0); /* stop, then new kick fd */
	CHECK_EQ_INT(req(&f, SET_VRING_KICK, &(uint64_t){1}, 8, &pp[0], 1), 0);
	close(pp[0]);
	close(pp[1]);
	CHECK_EQ_INT(amplink_vhost_user_poll(vu, 50), 1); /* the hang-up, handled once */
	CHECK_EQ_INT(amplink_vhost_user_poll(vu, 50), 0); /* then quiet */
	CHECK(amplink_vhost_user_connected(vu));
	fe_close(&f);
}

/* A call pipe whose reader is gone: the backend must not die of SIGPIPE. */
static void test_call_pipe_reader_gone(void)
{
	struct fe f;
	int pp[2];

	fe_open(&f);
	fe_full_session(&f);
	REQUIRE(pipe(pp) == 0);
	close(pp[0]);
	/* The rings run: replacing the call descriptor is still allowed. */
	CHECK_EQ_INT(req(&f, SET_VRING_CALL, &(uint64_t){0}, 8, &pp[1], 1), 0);
	close(pp[1]);
	CHECK_EQ_INT(fe_echo(&f, 10), 0); /* the echo's call hits the broken pipe */
	CHECK(amplink_vhost_user_connected(vu));
	fe_close(&f);
}

static void test_listen_socket(void)
{
	struct amplink_vhost_user_config cfg;
	struct amplink_vhost_user *v2 = NULL;
	char path[64];

	amplink_vhost_user_config_init(&cfg);
	snprintf(path, sizeof(path), "/tmp/amplink-vu-test-%d.sock", (int)getpid());
	cfg.socket_path = path;
	REQUIRE(amplink_vhost_user_create(&cfg, &v2) == 0);
	CHECK(access(path, F_OK) == 0);
	CHECK_EQ_INT(amplink_vhost_user_poll(v2, 0), 0);
	amplink_vhost_user_destroy(v2);
	CHECK(access(path, F_OK) != 0);
	cfg.device_features |= 1ull << 30; /* the transport's own bit */
	CHECK(amplink_vhost_user_create(&cfg, &v2) < 0);
}

int main(void)
{
	struct metal_init_params mp = METAL_INIT_DEFAULTS;
	struct amplink_vhost_user_config cfg;
	struct amplink_vhost_user_stats st;

	mp.log_level = METAL_LOG_CRITICAL; /* the refusals below each log one line */
	metal_init(&mp);
	amplink_vhost_user_config_init(&cfg);
	cfg.ops.ready = on_ready;
	cfg.ops.gone = on_gone;
	if (amplink_vhost_user_create(&cfg, &vu)) {
		fprintf(stderr, "cannot create the backend\n");
		return 1;
	}
	RUN(test_good_session);
	RUN(test_bad_mem_tables);
	RUN(test_bad_rings);
	RUN(test_fatal_messages);
	RUN(test_bad_descriptor_and_vanish);
	RUN(test_kick_hangup);
	RUN(test_call_pipe_reader_gone);
	RUN(test_listen_socket);
	amplink_vhost_user_get_stats(vu, &st);
	printf("backend: %llu messages, %llu refused, %llu sessions\n",
	       (unsigned long long)st.messages, (unsigned long long)st.rejected,
	       (unsigned long long)st.sessions);
	CHECK_EQ_INT(st.rejected, 39);
	CHECK_EQ_INT(st.sessions, (uint64_t)ready_count);
	amplink_vhost_user_destroy(vu);
	metal_finish();
	return check_summary();
}
