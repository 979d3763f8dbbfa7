/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pointers that are not the stack's buffers, given to the calls that take a
 * buffer back (rpmsg_send_nocopy, rpmsg_release_tx_buffer,
 * rpmsg_release_rx_buffer) on each side of a live two-process link. The
 * pointer is the first byte of a page whose preceding page is inaccessible,
 * so a lookup that reads the "header" in front of it before checking the
 * address lies in shared memory faults instead of silently reading stray
 * memory. Each call must refuse (RPMSG_ERR_PARAM, or nothing for the void
 * release), send nothing, and leave the link working; a buffer from the
 * stack, offset by one byte, is refused too.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <metal/sys.h>

#include "check.h"
#include "twoproc.h"

#define T_ADDR 0x520u

static volatile int got;

static int foreign_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)ept;
	(void)priv;
	if (src == TP_ECHO_ADDR && len == 6 && memcmp(data, "after!", 6) == 0)
		got++;
	return RPMSG_SUCCESS;
}

/* The foreign calls, then one good echo. Runs on either side. */
static void foreign_calls(struct tp_link *l)
{
	struct rpmsg_endpoint ept;
	long page = sysconf(_SC_PAGESIZE);
	unsigned char *map, *p;
	uint32_t cap = 0;
	void *tx;

	got = 0;
	REQUIRE(tp_ctl_expect(l, TP_CMD_READY, 1) == 0);
	REQUIRE(rpmsg_create_ept(&ept, tp_rdev(l), "", T_ADDR, TP_ECHO_ADDR, foreign_cb, NULL) ==
		RPMSG_SUCCESS);
	map = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		   0);
	REQUIRE(map != MAP_FAILED);
	REQUIRE(mprotect(map, (size_t)page, PROT_NONE) == 0);
	p = map + page;
	memset(p, 0, 64);
	fprintf(stderr, "foreign: %s calls with a guarded pointer\n",
		l->is_host ? "host" : "remote");
	CHECK_EQ_INT(rpmsg_send_nocopy(&ept, p, 8), RPMSG_ERR_PARAM);
	CHECK_EQ_INT(rpmsg_release_tx_buffer(&ept, p), RPMSG_ERR_PARAM);
	rpmsg_release_rx_buffer(&ept, p);
	/* A real TX buffer, misaligned by one byte: refused, then given back properly. */
	tx = rpmsg_get_tx_payload_buffer(&ept, &cap, 1);
	CHECK(tx != NULL);
	if (tx) {
		CHECK_EQ_INT(rpmsg_send_nocopy(&ept, (unsigned char *)tx + 1, 8), RPMSG_ERR_PARAM);
		CHECK_EQ_INT(rpmsg_release_tx_buffer(&ept, (unsigned char *)tx + 1),
			     RPMSG_ERR_PARAM);
		CHECK_EQ_INT(rpmsg_release_tx_buffer(&ept, tx), RPMSG_SUCCESS);
	}
	munmap(map, (size_t)page * 2);
	CHECK_EQ_INT(rpmsg_send(&ept, "after!", 6), 6);
	CHECK(tp_pump_until(l, &got, 1, TP_STEP_MS) == 0);
	tp_pump_for(l, 30);
	CHECK_EQ_INT(got, 1);
	tp_ctl_send(l, TP_CMD_QUIT);
	rpmsg_destroy_ept(&ept);
}

TP_REMOTE(remote_foreign, foreign_calls)

static void run_foreign(int host_calls)
{
	struct tp_opts o;
	struct tp_link host;

	tp_opts_init(&o);
	REQUIRE(tp_start(&host, &o, host_calls ? tp_remote_responder : remote_foreign, NULL) == 0);
	if (host_calls)
		foreign_calls(&host);
	else
		CHECK_EQ_INT(tp_responder(&host), 0);
	CHECK_EQ_INT(tp_finish(&host), 0); /* 139 = the remote died of SIGSEGV */
}

static void test_foreign_pointers_host(void)
{
	run_foreign(1);
}

static void test_foreign_pointers_remote(void)
{
	run_foreign(0);
}

int main(void)
{
	if (tp_init() < 0)
		return 2;
	TP_RUN(test_foreign_pointers_host);
	TP_RUN(test_foreign_pointers_remote);
	metal_finish();
	return check_summary();
}
