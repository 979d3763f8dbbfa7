/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The proxy host without an rpmsg device of its own, and the HELLO message:
 * the header of a HELLO is checked exactly; a host attached through an I/O
 * callback sends HELLO first, serves requests fed to
 * amplink_proxy_host_receive (fragmented in and out with a small MTU), drops
 * malformed input, survives a failing callback and closes the remote's files
 * on detach; and a client whose host never announces (as Linux's
 * /dev/rpmsgN does not) is bound by that HELLO and then works, over the
 * in-process rpmsg harness (its endpoint at a fixed address).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "rpmsg_harness.h"
#include <amplink/proxy.h>

#define IO_MTU	  64u
#define IO_MSGS	  256
#define IO_MAXMSG 512

/* What the host sent through its callback. */
struct io_cap {
	uint8_t msg[IO_MSGS][IO_MAXMSG];
	uint32_t len[IO_MSGS];
	int n;
	int fail; /* the callback fails with this (negative) */
};

static int io_capture(void *ctx, const void *hdr, const void *data, uint32_t len)
{
	struct io_cap *c = ctx;

	if (c->fail)
		return c->fail;
	if (c->n >= IO_MSGS || AMPLINK_PROXY_HDR_SIZE + len > IO_MAXMSG)
		return -ENOSPC;
	memcpy(c->msg[c->n], hdr, AMPLINK_PROXY_HDR_SIZE);
	if (len)
		memcpy(c->msg[c->n] + AMPLINK_PROXY_HDR_SIZE, data, len);
	c->len[c->n++] = AMPLINK_PROXY_HDR_SIZE + len;
	return 0;
}

/* Request path: each fragment goes straight into the host's receive entry. */
static int io_to_host(void *ctx, const void *hdr, const void *data, uint32_t len)
{
	uint8_t m[IO_MAXMSG];

	memcpy(m, hdr, AMPLINK_PROXY_HDR_SIZE);
	if (len)
		memcpy(m + AMPLINK_PROXY_HDR_SIZE, data, len);
	return amplink_proxy_host_receive(ctx, m, AMPLINK_PROXY_HDR_SIZE + len);
}

/*
 * Send request @op (@body/@blen, fragmented by the MTU) and reassemble the
 * one reply it produced from the capture. Returns its status; the payload to
 * @out (*@out_len bytes).
 */
static int32_t io_call(struct amplink_proxy_host *h, struct io_cap *cap, uint16_t op, uint32_t id,
		       const void *body, uint32_t blen, uint8_t *out, uint32_t *out_len)
{
	struct amplink_proxy_hdr rq = {.kind = AMPLINK_PROXY_KIND_REQ, .op = op, .id = id};
	struct amplink_proxy_hdr rh;
	int first = cap->n, i;
	uint32_t got = 0;
	int32_t status = -9999;

	CHECK_EQ_INT(amplink_proxy_send_io(io_to_host, h, IO_MTU, &rq, body, blen), 0);
	for (i = first; i < cap->n; i++) {
		int n = amplink_proxy_hdr_parse(cap->msg[i], cap->len[i], AMPLINK_PROXY_MAX_PAYLOAD,
						&rh);

		CHECK(n >= 0 && cap->len[i] <= IO_MTU);
		if (n < 0)
			return status;
		CHECK(rh.kind == AMPLINK_PROXY_KIND_RSP && rh.id == id && rh.op == op);
		CHECK_EQ_INT((int)rh.offset, (int)got);
		memcpy(out + got, cap->msg[i] + AMPLINK_PROXY_HDR_SIZE, (size_t)n);
		got += (uint32_t)n;
		status = rh.status;
	}
	CHECK(cap->n > first);
	*out_len = got;
	return status;
}

static void test_hello_header(void)
{
	struct amplink_proxy_hdr h = {.version = AMPLINK_PROXY_VERSION,
				      .kind = AMPLINK_PROXY_KIND_HELLO};
	struct amplink_proxy_hdr d;
	uint8_t m[AMPLINK_PROXY_HDR_SIZE + 4] = {0};

	amplink_proxy_hdr_write(m, &h);
	CHECK_EQ_INT(amplink_proxy_hdr_parse(m, AMPLINK_PROXY_HDR_SIZE, 4096, &d), 0);
	CHECK_EQ_INT(d.kind, AMPLINK_PROXY_KIND_HELLO);
	CHECK_EQ_INT(amplink_proxy_hdr_parse(m, sizeof(m), 4096, &d), -EINVAL); /* payload */
	h.op = AMPLINK_PROXY_OP_OPEN;
	amplink_proxy_hdr_write(m, &h);
	CHECK_EQ_INT(amplink_proxy_hdr_parse(m, AMPLINK_PROXY_HDR_SIZE, 4096, &d), -EINVAL);
	h.op = 0;
	h.id = 5;
	amplink_proxy_hdr_write(m, &h);
	CHECK_EQ_INT(amplink_proxy_hdr_parse(m, AMPLINK_PROXY_HDR_SIZE, 4096, &d), -EINVAL);
	h.id = 0;
	h.total = 4;
	amplink_proxy_hdr_write(m, &h);
	CHECK_EQ_INT(amplink_proxy_hdr_parse(m, sizeof(m), 4096, &d), -EINVAL);
	h.total = 0;
	h.kind = 4; /* no such kind */
	amplink_proxy_hdr_write(m, &h);
	CHECK_EQ_INT(amplink_proxy_hdr_parse(m, AMPLINK_PROXY_HDR_SIZE, 4096, &d), -EINVAL);
	/* send_io refuses what cannot carry a header and a byte */
	CHECK_EQ_INT(amplink_proxy_send_io(io_capture, NULL, AMPLINK_PROXY_HDR_SIZE, &h, NULL, 0),
		     -EINVAL);
	CHECK_EQ_INT(amplink_proxy_send_io(NULL, NULL, IO_MTU, &h, NULL, 0), -EINVAL);
}

/* A fresh temporary root. */
static char *io_root(void)
{
	static char root[64];

	snprintf(root, sizeof(root), "/tmp/proxyio.XXXXXX");
	return mkdtemp(root);
}

static void io_rmtree(const char *root)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	CHECK(system(cmd) == 0);
}

/* OPEN @path with @flags; returns the handle (status). */
static int32_t io_open(struct amplink_proxy_host *h, struct io_cap *cap, const char *path,
		       uint32_t flags)
{
	uint8_t body[64], out[8];
	uint32_t n = 0, plen = (uint32_t)strlen(path);

	amplink_proxy_put32(body, flags);
	amplink_proxy_put32(body + 4, 0644);
	memcpy(body + 8, path, plen);
	return io_call(h, cap, AMPLINK_PROXY_OP_OPEN, 10, body, 8 + plen, out, &n);
}

static void test_host_io(void)
{
	static struct io_cap cap;
	static uint8_t data[300], body[304], out[AMPLINK_PROXY_MAX_PAYLOAD];
	struct amplink_proxy_host *h;
	struct amplink_proxy_hdr d;
	char *root = io_root(), path[128], back[400];
	uint32_t n = 0, i;
	int32_t fd;
	int rfd;

	REQUIRE(root != NULL);
	memset(&cap, 0, sizeof(cap));
	REQUIRE(amplink_proxy_host_create(root, -1, -1, -1, &h) == 0);
	CHECK_EQ_INT(amplink_proxy_host_receive(h, data, 24), -ENOTCONN); /* not attached */
	CHECK_EQ_INT(amplink_proxy_host_attach_io(h, io_capture, &cap, AMPLINK_PROXY_HDR_SIZE),
		     -EINVAL);
	cap.fail = -EPIPE; /* HELLO cannot be sent: not attached */
	CHECK_EQ_INT(amplink_proxy_host_attach_io(h, io_capture, &cap, IO_MTU), -EPIPE);
	CHECK(!amplink_proxy_host_attached(h));
	cap.fail = 0;
	REQUIRE(amplink_proxy_host_attach_io(h, io_capture, &cap, IO_MTU) == 0);
	CHECK(amplink_proxy_host_attached(h));
	CHECK_EQ_INT(amplink_proxy_host_attach_io(h, io_capture, &cap, IO_MTU), -EBUSY);
	/* HELLO first, exactly the header */
	REQUIRE(cap.n == 1);
	CHECK_EQ_INT((int)cap.len[0], AMPLINK_PROXY_HDR_SIZE);
	CHECK_EQ_INT(amplink_proxy_hdr_parse(cap.msg[0], cap.len[0], 4096, &d), 0);
	CHECK_EQ_INT(d.kind, AMPLINK_PROXY_KIND_HELLO);
	/* a write of 300 bytes: 6 request fragments in, a reply out */
	fd = io_open(h, &cap, "a.txt", AMPLINK_PROXY_O_WRONLY | AMPLINK_PROXY_O_CREAT);
	CHECK(fd >= 0);
	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 1);
	amplink_proxy_put32(body, (uint32_t)fd);
	memcpy(body + 4, data, sizeof(data));
	CHECK_EQ_INT(io_call(h, &cap, AMPLINK_PROXY_OP_WRITE, 11, body, sizeof(body), out, &n),
		     (int)sizeof(data));
	CHECK_EQ_INT(amplink_proxy_host_open_count(h), 1);
	CHECK_EQ_INT(io_call(h, &cap, AMPLINK_PROXY_OP_CLOSE, 12, body, 4, out, &n), 0);
	snprintf(path, sizeof(path), "%s/a.txt", root);
	rfd = open(path, O_RDONLY);
	CHECK(rfd >= 0 && read(rfd, back, sizeof(back)) == (ssize_t)sizeof(data) &&
	      memcmp(back, data, sizeof(data)) == 0);
	if (rfd >= 0)
		close(rfd);
	/* a read of 300 bytes: the reply comes back in 64-byte messages */
	fd = io_open(h, &cap, "a.txt", AMPLINK_PROXY_O_RDONLY);
	amplink_proxy_put32(body, (uint32_t)fd);
	amplink_proxy_put32(body + 4, sizeof(data));
	i = (uint32_t)cap.n;
	CHECK_EQ_INT(io_call(h, &cap, AMPLINK_PROXY_OP_READ, 13, body, 8, out, &n),
		     (int)sizeof(data));
	CHECK_EQ_INT((int)n, (int)sizeof(data));
	CHECK(memcmp(out, data, sizeof(data)) == 0);
	CHECK_EQ_INT(cap.n - (int)i, (int)((sizeof(data) + IO_MTU - 21) / (IO_MTU - 20)));
	/* a path out of the root is refused */
	CHECK_EQ_INT(io_open(h, &cap, "../x", AMPLINK_PROXY_O_RDONLY), -AMPLINK_PROXY_WE_ACCES);
	/* malformed input is dropped and counted, nothing is sent */
	i = (uint32_t)cap.n;
	CHECK_EQ_INT(amplink_proxy_host_receive(h, "short", 5), -EINVAL);
	CHECK_EQ_INT(amplink_proxy_host_receive(h, cap.msg[0], AMPLINK_PROXY_HDR_SIZE), -EINVAL);
	CHECK_EQ_INT((int)amplink_proxy_host_stats(h)->bad, 2);
	CHECK_EQ_INT(cap.n, (int)i);
	/* a reply the callback cannot send: served, not counted as sent */
	i = amplink_proxy_host_stats(h)->tx_msgs;
	cap.fail = -EIO;
	amplink_proxy_put32(body, 0);
	CHECK_EQ_INT(
		amplink_proxy_send_io(io_to_host, h, IO_MTU,
				      &(struct amplink_proxy_hdr){.kind = AMPLINK_PROXY_KIND_REQ,
								  .op = AMPLINK_PROXY_OP_MKDIR,
								  .id = 14},
				      "\xc0\x01\x00\x00sub", 7),
		0);
	cap.fail = 0;
	CHECK_EQ_INT((int)amplink_proxy_host_stats(h)->tx_msgs, (int)i);
	snprintf(path, sizeof(path), "%s/sub", root);
	CHECK(access(path, F_OK) == 0);
	/* detach closes the file the remote left open; receive is refused again */
	CHECK_EQ_INT(amplink_proxy_host_open_count(h), 1);
	amplink_proxy_host_detach(h);
	CHECK_EQ_INT(amplink_proxy_host_open_count(h), 0);
	CHECK(!amplink_proxy_host_attached(h));
	CHECK_EQ_INT(amplink_proxy_host_receive(h, cap.msg[1], cap.len[1]), -ENOTCONN);
	amplink_proxy_host_destroy(h);
	io_rmtree(root);
}

/* ---- a client whose host never announces: bound by HELLO ---- */

static uint32_t hb_announced = RPMSG_ADDR_ANY;

static void hb_bind(struct rpmsg_device *rdev, const char *name, uint32_t dest)
{
	(void)rdev;
	if (!strcmp(name, AMPLINK_PROXY_SERVICE_NAME))
		hb_announced = dest; /* recorded only: like Linux, no server announces back */
}

struct hb {
	struct rh h;
	struct rpmsg_endpoint raw; /* the host's plain endpoint, as /dev/rpmsgN's */
	struct amplink_proxy_host *host;
	struct amplink_proxy_client c;
};

static int hb_raw_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	struct hb *b = priv;

	(void)ept;
	(void)src;
	(void)amplink_proxy_host_receive(b->host, data, len);
	return RPMSG_SUCCESS;
}

static int hb_send(void *ctx, const void *hdr, const void *data, uint32_t len)
{
	struct hb *b = ctx;
	uint8_t m[IO_MAXMSG];

	memcpy(m, hdr, AMPLINK_PROXY_HDR_SIZE);
	if (len)
		memcpy(m + AMPLINK_PROXY_HDR_SIZE, data, len);
	return rpmsg_send(&b->raw, m, (int)(AMPLINK_PROXY_HDR_SIZE + len)) < 0 ? -EIO : 0;
}

static int hb_wait(void *arg, uint32_t slice_us)
{
	struct hb *b = arg;

	if (rh_pump(&b->h) == 0)
		usleep(slice_us / 10);
	return 0;
}

static void test_client_bound_by_hello(void)
{
	static struct hb b;
	char *root = io_root(), back[64] = {0};
	int fd;

	REQUIRE(root != NULL);
	memset(&b, 0, sizeof(b));
	REQUIRE(amplink_proxy_host_create(root, -1, -1, -1, &b.host) == 0);
	REQUIRE(rh_init(&b.h, 256, true, hb_bind, NULL) == 0);
	/* at a fixed address, as amplink serve --proxy-demo places it */
	REQUIRE(amplink_proxy_client_init_at(&b.c, &b.h.remote.rvdev.rdev, 0x402, hb_wait, &b) ==
		0);
	rh_pump(&b.h);
	CHECK_EQ_INT((int)b.c.ept.addr, 0x402);
	REQUIRE(hb_announced == 0x402);
	/* before the HELLO nobody is bound: calls fail */
	amplink_proxy_client_set_timeout(&b.c, 50);
	CHECK_EQ_INT(amplink_proxy_mkdir(&b.c, "early", 0700), -ENOTCONN);
	amplink_proxy_client_set_timeout(&b.c, 5000);
	/* a plain, unannounced endpoint talking to the client's address, like rpmsg_char's */
	b.raw.priv = &b;
	REQUIRE(rpmsg_create_ept(&b.raw, &b.h.host.rvdev.rdev, "", RPMSG_ADDR_ANY, hb_announced,
				 hb_raw_cb, NULL) == 0);
	REQUIRE(amplink_proxy_host_attach_io(b.host, hb_send, &b, 496) == 0);
	rh_pump(&b.h);
	CHECK_EQ_INT((int)b.c.ept.dest_addr, (int)b.raw.addr);
	CHECK_EQ_INT((int)b.c.stats.bad, 0); /* HELLO taken silently */
	fd = amplink_proxy_open(&b.c, "hello.txt", AMPLINK_PROXY_O_RDWR | AMPLINK_PROXY_O_CREAT,
				0600);
	CHECK(fd >= 0);
	CHECK_EQ_INT((int)amplink_proxy_write(&b.c, fd, "bound by hello", 14), 14);
	CHECK_EQ_INT((int)amplink_proxy_lseek(&b.c, fd, 0, AMPLINK_PROXY_SEEK_SET), 0);
	CHECK_EQ_INT((int)amplink_proxy_read(&b.c, fd, back, sizeof(back)), 14);
	CHECK(!strcmp(back, "bound by hello"));
	CHECK_EQ_INT(amplink_proxy_close(&b.c, fd), 0);
	CHECK_EQ_INT((int)amplink_proxy_console_write(&b.c, AMPLINK_PROXY_STDOUT, "x", 1), 1);
	CHECK_EQ_INT((int)b.c.stats.bad, 0);
	CHECK_EQ_INT((int)b.c.stats.timeouts, 0);
	CHECK_EQ_INT((int)amplink_proxy_host_stats(b.host)->bad, 0);
	amplink_proxy_client_deinit(&b.c);
	rh_pump(&b.h);
	rpmsg_destroy_ept(&b.raw);
	rh_fini(&b.h);
	amplink_proxy_host_destroy(b.host);
	io_rmtree(root);
}

int main(void)
{
	RUN(test_hello_header);
	RUN(test_host_io);
	RUN(test_client_bound_by_hello);
	return check_summary();
}
