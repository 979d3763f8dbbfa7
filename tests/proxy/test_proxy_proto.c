/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The proxy protocol's receivers against malformed input: short messages,
 * wrong version, unknown opcodes, lengths that do not fit the header, stray
 * fragments, responses sent to the server and replies nobody waits for are
 * dropped and counted; a call times out and its late reply is unsolicited; a
 * request larger than one buffer is reassembled; several threads keep calls
 * in flight at once; errno values map to the wire and back.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "proxy_fixture.h"
#include "services/proxy_host.h"

/* Send a hand-built message from the client's endpoint to the server. */
static void raw_to_server(struct pf *f, uint8_t kind, uint16_t op, uint32_t total, uint32_t off,
			  uint32_t frag, uint8_t version)
{
	uint8_t m[64] = {0};
	struct amplink_proxy_hdr h = {.version = version,
				      .kind = kind,
				      .op = op,
				      .id = 77,
				      .total = total,
				      .offset = off};

	amplink_proxy_hdr_write(m, &h);
	CHECK(rpmsg_send(&f->c.ept, m, (int)(AMPLINK_PROXY_HDR_SIZE + frag)) >= 0);
	rh_pump(&f->h);
}

static void test_server_drops(void)
{
	const struct amplink_proxy_stats *st;
	uint32_t before;
	struct pf f;

	REQUIRE(pf_setup(&f, false, -1, -1) == 0);
	st = amplink_proxy_host_stats(f.host);
	before = st->rx_msgs;
	CHECK(rpmsg_send(&f.c.ept, "short", 5) >= 0);
	rh_pump(&f.h);
	CHECK_EQ_INT((int)st->bad, 1);
	raw_to_server(&f, AMPLINK_PROXY_KIND_REQ, 99, 0, 0, 0, 1); /* unknown opcode */
	raw_to_server(&f, AMPLINK_PROXY_KIND_REQ, 0, 0, 0, 0, 1);  /* opcode 0 */
	raw_to_server(&f, AMPLINK_PROXY_KIND_REQ, AMPLINK_PROXY_OP_CLOSE, 4, 0, 4, 2); /* version */
	raw_to_server(&f, AMPLINK_PROXY_KIND_REQ, AMPLINK_PROXY_OP_CLOSE, 4, 0, 8, 1); /* > total */
	raw_to_server(&f, AMPLINK_PROXY_KIND_REQ, AMPLINK_PROXY_OP_CLOSE, 8, 6, 4,
		      1); /* past end */
	raw_to_server(&f, AMPLINK_PROXY_KIND_REQ, AMPLINK_PROXY_OP_CLOSE, 8, 4, 4, 1); /* stray */
	raw_to_server(&f, AMPLINK_PROXY_KIND_REQ, AMPLINK_PROXY_OP_CLOSE, 1u << 20, 0, 4, 1);
	raw_to_server(&f, AMPLINK_PROXY_KIND_RSP, AMPLINK_PROXY_OP_CLOSE, 4, 0, 4,
		      1);					  /* response */
	raw_to_server(&f, 7, AMPLINK_PROXY_OP_CLOSE, 4, 0, 4, 1); /* kind */
	CHECK_EQ_INT((int)st->bad, 10);
	CHECK_EQ_INT((int)st->rx_msgs, (int)before); /* none was served */
	CHECK_EQ_INT(f.c.stats.rx_msgs, 0);	     /* and none answered */
	/* the service still works */
	CHECK_EQ_INT(amplink_proxy_mkdir(&f.c, "alive", 0700), 0);
	pf_teardown(&f);
}

/* Send a hand-built response from the server's endpoint to the client. */
static void raw_from(struct pf *f, struct rpmsg_endpoint *from, uint32_t id, uint32_t total,
		     uint32_t off, uint32_t frag)
{
	uint8_t m[64] = {0};
	struct amplink_proxy_hdr h = {.version = 1,
				      .kind = AMPLINK_PROXY_KIND_RSP,
				      .op = AMPLINK_PROXY_OP_READ,
				      .id = id,
				      .total = total,
				      .offset = off};

	amplink_proxy_hdr_write(m, &h);
	CHECK(rpmsg_sendto(from, m, (int)(AMPLINK_PROXY_HDR_SIZE + frag), f->c.ept.addr) >= 0);
	rh_pump(&f->h);
}

/* Send a hand-built response from the server's endpoint to the client. */
static void raw_to_client(struct pf *f, uint32_t id, uint32_t total, uint32_t off, uint32_t frag)
{
	raw_from(f, &f->host->srv.ept, id, total, off, frag);
}

static int stranger_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)ept;
	(void)data;
	(void)len;
	(void)src;
	(void)priv;
	return RPMSG_SUCCESS;
}

/* A well-formed response from an endpoint that is not the bound host is dropped. */
static void test_client_drops_stranger(void)
{
	struct rpmsg_endpoint stranger;
	struct pf f;

	REQUIRE(pf_setup(&f, false, -1, -1) == 0);
	REQUIRE(rpmsg_create_ept(&stranger, f.host->srv.ept.rdev, "", 0x7777, RPMSG_ADDR_ANY,
				 stranger_cb, NULL) == 0);
	raw_from(&f, &stranger, 4242, 4, 0, 4);
	CHECK_EQ_INT((int)f.c.stats.bad, 1);
	CHECK_EQ_INT((int)f.c.stats.unsolicited, 0); /* not even looked at */
	CHECK_EQ_INT(amplink_proxy_mkdir(&f.c, "still-served", 0700), 0);
	rpmsg_destroy_ept(&stranger);
	pf_teardown(&f);
}

static void test_client_drops_and_timeout(void)
{
	struct pf f;

	REQUIRE(pf_setup(&f, false, -1, -1) == 0);
	raw_to_client(&f, 4242, 4, 0, 4); /* nobody waits */
	CHECK_EQ_INT((int)f.c.stats.unsolicited, 1);
	raw_to_client(&f, 4242, 8, 4, 4); /* a fragment without its start */
	CHECK_EQ_INT((int)f.c.stats.bad, 1);
	CHECK(rpmsg_sendto(&f.host->srv.ept, "tiny", 4, f.c.ept.addr) >= 0);
	rh_pump(&f.h);
	CHECK_EQ_INT((int)f.c.stats.bad, 2);
	/* a call whose reply does not come in time */
	f.no_pump = true;
	amplink_proxy_client_set_timeout(&f.c, 50);
	CHECK_EQ_INT(amplink_proxy_mkdir(&f.c, "late", 0700), -ETIMEDOUT);
	CHECK_EQ_INT((int)f.c.stats.timeouts, 1);
	f.no_pump = false;
	rh_pump(&f.h); /* the host serves it now; the reply finds nobody */
	CHECK_EQ_INT((int)f.c.stats.unsolicited, 2);
	CHECK(access(pf_path(&f, "late"), F_OK) == 0);
	amplink_proxy_client_set_timeout(&f.c, 5000);
	CHECK_EQ_INT(amplink_proxy_mkdir(&f.c, "late", 0700), -EEXIST);
	/* a late reply in several fragments counts once, as unsolicited */
	int fd =
		amplink_proxy_open(&f.c, "big", AMPLINK_PROXY_O_CREAT | AMPLINK_PROXY_O_RDWR, 0600);
	static char big[3000];
	CHECK(amplink_proxy_write(&f.c, fd, big, sizeof(big)) == (long)sizeof(big));
	CHECK_EQ_INT((int)amplink_proxy_lseek(&f.c, fd, 0, AMPLINK_PROXY_SEEK_SET), 0);
	f.no_pump = true;
	amplink_proxy_client_set_timeout(&f.c, 50);
	CHECK_EQ_INT(amplink_proxy_read(&f.c, fd, big, sizeof(big)), -ETIMEDOUT);
	f.no_pump = false;
	rh_pump(&f.h);
	CHECK_EQ_INT((int)f.c.stats.unsolicited, 3);
	CHECK_EQ_INT((int)f.c.stats.bad, 2);
	amplink_proxy_client_set_timeout(&f.c, 5000);
	CHECK_EQ_INT(amplink_proxy_close(&f.c, fd), 0);
	pf_teardown(&f);
}

static void test_fragmented_request(void)
{
	char path[AMPLINK_PROXY_MAX_PATH + 1];
	struct pf f;
	size_t n = 0;

	REQUIRE(pf_setup(&f, false, -1, -1) == 0);
	while (n + 2 < 1000) { /* "d/d/d/...": two buffers' worth */
		path[n++] = 'd';
		path[n++] = '/';
	}
	strcpy(path + n, "leaf");
	/* reassembled: the server sees the whole path and walks it (ENOENT, not EINVAL) */
	CHECK_EQ_INT(amplink_proxy_open(&f.c, path, AMPLINK_PROXY_O_RDONLY, 0), -ENOENT);
	CHECK(amplink_proxy_host_stats(f.host)->bad == 0);
	pf_teardown(&f);
}

/* Twice as many threads as slots: some calls wait for a free slot. */
#define NWORKERS (2 * (int)AMPLINK_PROXY_MAX_INFLIGHT)

struct worker {
	struct pf *f;
	int idx;
	int errors;
};

static atomic_bool pumping;

static void *pump_thread(void *arg)
{
	struct pf *f = arg;

	while (atomic_load(&pumping))
		if (rh_pump(&f->h) == 0)
			usleep(50);
	return NULL;
}

static void *worker_thread(void *arg)
{
	struct worker *w = arg;
	char name[16], buf[32], got[32];

	snprintf(name, sizeof(name), "w%d", w->idx);
	for (int i = 0; i < 50; i++) {
		int fd = amplink_proxy_open(
			&w->f->c, name,
			AMPLINK_PROXY_O_RDWR | AMPLINK_PROXY_O_CREAT | AMPLINK_PROXY_O_TRUNC, 0600);
		int len = snprintf(buf, sizeof(buf), "%d:%d", w->idx, i);

		memset(got, 0, sizeof(got));
		if (fd < 0 || amplink_proxy_write(&w->f->c, fd, buf, (size_t)len) != len ||
		    amplink_proxy_lseek(&w->f->c, fd, 0, AMPLINK_PROXY_SEEK_SET) != 0 ||
		    amplink_proxy_read(&w->f->c, fd, got, sizeof(got)) != len ||
		    memcmp(buf, got, (size_t)len) || amplink_proxy_close(&w->f->c, fd) != 0)
			w->errors++;
	}
	return NULL;
}

/* Calls from several threads at once, with a thread delivering messages. */
static void test_concurrent_calls(void)
{
	struct worker w[NWORKERS];
	pthread_t pt, wt[NWORKERS];
	struct pf f;

	REQUIRE(pf_setup(&f, false, -1, -1) == 0);
	f.c.wait = NULL; /* another thread delivers: sleep on the condition */
	atomic_store(&pumping, true);
	REQUIRE(pthread_create(&pt, NULL, pump_thread, &f) == 0);
	for (int i = 0; i < NWORKERS; i++) {
		w[i] = (struct worker){.f = &f, .idx = i};
		CHECK(pthread_create(&wt[i], NULL, worker_thread, &w[i]) == 0);
	}
	for (int i = 0; i < NWORKERS; i++) {
		pthread_join(wt[i], NULL);
		CHECK_EQ_INT(w[i].errors, 0);
	}
	atomic_store(&pumping, false);
	pthread_join(pt, NULL);
	CHECK_EQ_INT((int)f.c.stats.unsolicited + (int)f.c.stats.bad, 0);
	CHECK_EQ_INT(amplink_proxy_host_open_count(f.host), 0);
	pf_teardown(&f);
}

static void test_errno_mapping(void)
{
	static const int errs[] = {EPERM,  ENOENT, EIO,	   EBADF,  EACCES,    EEXIST,	ENOTDIR,
				   EISDIR, EINVAL, EMFILE, ENOSPC, ENOTEMPTY, ETIMEDOUT};

	for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		int32_t w = amplink_proxy_err_to_wire(-errs[i]);

		CHECK(w < 0 && w >= -22);
		CHECK_EQ_INT(amplink_proxy_err_from_wire(w), -errs[i]);
	}
	CHECK_EQ_INT(amplink_proxy_err_to_wire(-EACCES), -AMPLINK_PROXY_WE_ACCES);
	CHECK_EQ_INT(amplink_proxy_err_to_wire(-EXDEV), -AMPLINK_PROXY_WE_IO); /* unmapped */
	CHECK_EQ_INT(amplink_proxy_err_from_wire(-1000), -EIO);
	CHECK_EQ_INT(amplink_proxy_err_from_wire(5), 5);
}

int main(void)
{
	RUN(test_server_drops);
	RUN(test_client_drops_and_timeout);
	RUN(test_client_drops_stranger);
	RUN(test_fragmented_request);
	RUN(test_concurrent_calls);
	RUN(test_errno_mapping);
	return check_summary();
}
