/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The standard RPMsg RPC client: its endpoint, sending a request (id and
 * parameters written straight into a TX buffer) and delivering each answer to
 * the callback registered for its id. Malformed answers and answers for ids
 * without a callback are counted, logged and dropped.
 */
#include <amplink/libc.h>
#include <metal/log.h>
#include <metal/utilities.h>
#include <openamp/rpmsg_rpc_client_server.h>

#define RPC_ANSWER_HDR (2u * sizeof(uint32_t))

static int rpc_clt_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	struct rpmsg_rpc_clt *rpc = priv;
	struct rpmsg_rpc_answer *a = data;
	unsigned int i;

	(void)ept;
	(void)src;
	if (len < RPC_ANSWER_HDR || len > RPC_ANSWER_HDR + MAX_BUF_LEN) {
		rpc->amplink_bad++;
		metal_log(METAL_LOG_WARNING, "rpc client: answer of %u bytes dropped\n",
			  (unsigned int)len);
		return RPMSG_SUCCESS;
	}
	for (i = 0; i < rpc->n_services; i++) {
		if (rpc->services[i].id == a->id && rpc->services[i].cb) {
			rpc->services[i].cb(rpc, a->status, a->params, len - RPC_ANSWER_HDR);
			return RPMSG_SUCCESS;
		}
	}
	rpc->amplink_bad++;
	metal_log(METAL_LOG_WARNING, "rpc client: answer for unknown id %u dropped\n",
		  (unsigned int)a->id);
	return RPMSG_SUCCESS;
}

static void rpc_clt_unbind(struct rpmsg_endpoint *ept)
{
	struct rpmsg_rpc_clt *rpc = metal_container_of(ept, struct rpmsg_rpc_clt, ept);

	if (rpc->shutdown_cb)
		rpc->shutdown_cb(rpc);
}

int rpmsg_rpc_client_init(struct rpmsg_rpc_clt *rpc, struct rpmsg_device *rdev,
			  rpmsg_rpc_shutdown_cb shutdown_cb,
			  const struct rpmsg_rpc_client_services *services, int len)
{
	if (!rpc || !rdev || len < 0 || (len > 0 && !services))
		return RPMSG_ERR_PARAM;
	memset(rpc, 0, sizeof(*rpc));
	rpc->services = services;
	rpc->n_services = (unsigned int)len;
	rpc->shutdown_cb = shutdown_cb;
	rpc->ept.priv = rpc;
	return rpmsg_create_ept(&rpc->ept, rdev, RPMSG_RPC_SERVICE_NAME, RPMSG_ADDR_ANY,
				RPMSG_ADDR_ANY, rpc_clt_cb, rpc_clt_unbind);
}

void rpmsg_rpc_client_release(struct rpmsg_rpc_clt *rpc)
{
	if (rpc && rpc->ept.rdev)
		rpmsg_destroy_ept(&rpc->ept);
}

int rpmsg_rpc_client_send(struct rpmsg_rpc_clt *rpc, uint32_t rpc_id, void *request_param,
			  size_t req_param_size)
{
	struct rpmsg_rpc_request *rq;
	uint32_t size = 0;
	int ret;

	if (!rpc || req_param_size > MAX_BUF_LEN || (req_param_size && !request_param))
		return RPMSG_ERR_PARAM;
	if (rpc->ept.dest_addr == RPMSG_ADDR_ANY)
		return RPMSG_ERR_ADDR;
	rq = rpmsg_get_tx_payload_buffer(&rpc->ept, &size, 1);
	if (!rq)
		return RPMSG_ERR_NO_BUFF;
	if (size < MAX_FUNC_ID_LEN + req_param_size) {
		rpmsg_release_tx_buffer(&rpc->ept, rq);
		return RPMSG_ERR_BUFF_SIZE;
	}
	rq->id = rpc_id;
	if (req_param_size)
		memcpy(rq->params, request_param, req_param_size);
	ret = rpmsg_send_nocopy(&rpc->ept, rq, (int)(MAX_FUNC_ID_LEN + req_param_size));
	if (ret < 0) {
		rpmsg_release_tx_buffer(&rpc->ept, rq);
		return ret;
	}
	return RPMSG_RPC_OK;
}
