/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The standard RPMsg RPC API over the in-process harness: a client on the
 * remote calls functions a server on the host registered by id (arguments
 * and results both ways), an unknown id is answered with
 * RPMSG_RPC_INVALID_ID, oversized and malformed messages are refused or
 * dropped, and the client hears when the server goes away.
 */
#define _GNU_SOURCE
#include <string.h>

#include <openamp/rpmsg_rpc_client_server.h>

#include "check.h"
#include "rpmsg_harness.h"

static struct rpmsg_rpc_svr svr;
static bool svr_up;
static int answers, last_status, shutdowns;
static uint8_t last_data[MAX_BUF_LEN];
static size_t last_len;

static int fn_add(void *data, struct rpmsg_rpc_svr *rpcs)
{
	struct rpmsg_rpc_request *rq = data;
	uint32_t a, b, sum;

	memcpy(&a, rq->params, 4);
	memcpy(&b, rq->params + 4, 4);
	sum = a + b;
	return rpmsg_rpc_server_send(rpcs, rq->id, RPMSG_RPC_OK, &sum, sizeof(sum));
}

static int fn_big(void *data, struct rpmsg_rpc_svr *rpcs)
{
	struct rpmsg_rpc_request *rq = data;
	uint8_t out[MAX_BUF_LEN];

	for (size_t i = 0; i < sizeof(out); i++)
		out[i] = (uint8_t)(rq->params[0] + i);
	return rpmsg_rpc_server_send(rpcs, rq->id, 7, out, sizeof(out));
}

static const struct rpmsg_rpc_services svc[] = {{1, fn_add}, {2, fn_big}};

static void on_answer(struct rpmsg_rpc_clt *rpc, int status, void *data, size_t len)
{
	(void)rpc;
	answers++;
	last_status = status;
	last_len = len;
	memcpy(last_data, data, len);
}

static void on_shutdown(struct rpmsg_rpc_clt *rpc)
{
	(void)rpc;
	shutdowns++;
}

static const struct rpmsg_rpc_client_services csvc[] = {
	{1, on_answer}, {2, on_answer}, {9, on_answer}};

static void bind_cb(struct rpmsg_device *rdev, const char *name, uint32_t dest)
{
	(void)dest;
	if (!strcmp(name, RPMSG_RPC_SERVICE_NAME) && !svr_up)
		svr_up = rpmsg_rpc_server_init(&svr, rdev, svc, 2, NULL) == RPMSG_RPC_OK;
}

static void test_rpc(void)
{
	struct rpmsg_rpc_clt clt;
	uint32_t args[2] = {40, 2}, sum = 0;
	uint8_t big[MAX_BUF_LEN + 1] = {5};
	struct rh h;

	REQUIRE(rh_init(&h, 64, true, bind_cb, NULL) == 0);
	CHECK_EQ_INT(rpmsg_rpc_client_init(&clt, &h.remote.rvdev.rdev, on_shutdown, csvc, 3),
		     RPMSG_RPC_OK);
	rh_pump(&h);
	REQUIRE(svr_up);
	CHECK(clt.ept.dest_addr == svr.ept.addr);
	CHECK_EQ_INT(rpmsg_rpc_client_send(&clt, 1, args, sizeof(args)), RPMSG_RPC_OK);
	rh_pump(&h);
	CHECK_EQ_INT(answers, 1);
	CHECK_EQ_INT(last_status, RPMSG_RPC_OK);
	CHECK_EQ_INT((int)last_len, 4);
	memcpy(&sum, last_data, 4);
	CHECK_EQ_INT((int)sum, 42);
	/* a full-size answer */
	CHECK_EQ_INT(rpmsg_rpc_client_send(&clt, 2, big, 1), RPMSG_RPC_OK);
	rh_pump(&h);
	CHECK_EQ_INT(answers, 2);
	CHECK_EQ_INT(last_status, 7);
	CHECK_EQ_INT((int)last_len, (int)MAX_BUF_LEN);
	CHECK(last_data[0] == 5 && last_data[MAX_BUF_LEN - 1] == (uint8_t)(5 + MAX_BUF_LEN - 1));
	/* an id the server does not have */
	CHECK_EQ_INT(rpmsg_rpc_client_send(&clt, 9, NULL, 0), RPMSG_RPC_OK);
	rh_pump(&h);
	CHECK_EQ_INT(answers, 3);
	CHECK_EQ_INT(last_status, (int)RPMSG_RPC_INVALID_ID);
	/* too large, NULL with a size */
	CHECK_EQ_INT(rpmsg_rpc_client_send(&clt, 1, big, sizeof(big)), RPMSG_ERR_PARAM);
	CHECK_EQ_INT(rpmsg_rpc_client_send(&clt, 1, NULL, 4), RPMSG_ERR_PARAM);
	/* malformed request and answers are dropped */
	CHECK(rpmsg_send(&clt.ept, "ab", 2) >= 0);
	rh_pump(&h);
	CHECK_EQ_INT((int)svr.amplink_bad, 1);
	CHECK(rpmsg_send(&svr.ept, "abc", 3) >= 0);
	CHECK_EQ_INT(rpmsg_rpc_server_send(&svr, 77, 0, NULL, 0), RPMSG_RPC_OK); /* no callback */
	rh_pump(&h);
	CHECK_EQ_INT((int)clt.amplink_bad, 2);
	CHECK_EQ_INT(answers, 3);
	/* the server goes: the client is told */
	rpmsg_destroy_ept(&svr.ept);
	rh_pump(&h);
	CHECK_EQ_INT(shutdowns, 1);
	rpmsg_rpc_client_release(&clt);
	rh_pump(&h);
	rh_fini(&h);
}

int main(void)
{
	RUN(test_rpc);
	return check_summary();
}
