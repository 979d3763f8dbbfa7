/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The standard RPMsg RPC server: its endpoint, dispatching each request to the
 * function registered for its id (the function gets a zero-padded copy of the
 * request, so it can never read past what the peer sent) and sending answers.
 * A request for an unknown id is answered with status RPMSG_RPC_INVALID_ID.
 */
#include <amplink/libc.h>
#include <metal/log.h>
#include <openamp/rpmsg_rpc_client_server.h>

#define RPC_ANSWER_HDR (2u * sizeof(uint32_t))

static int rpc_svr_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	struct rpmsg_rpc_svr *rpcs = priv;
	struct rpmsg_rpc_request rq;
	unsigned int i;

	(void)ept;
	(void)src;
	if (len < MAX_FUNC_ID_LEN || len > sizeof(rq)) {
		rpcs->amplink_bad++;
		metal_log(METAL_LOG_WARNING, "rpc server: request of %u bytes dropped\n",
			  (unsigned int)len);
		return RPMSG_SUCCESS;
	}
	memset(&rq, 0, sizeof(rq));
	memcpy(&rq, data, len);
	for (i = 0; i < rpcs->n_services; i++) {
		if (rpcs->services[i].id == rq.id && rpcs->services[i].cb_function) {
			(void)rpcs->services[i].cb_function(&rq, rpcs);
			return RPMSG_SUCCESS;
		}
	}
	metal_log(METAL_LOG_WARNING, "rpc server: unknown function id %u\n", (unsigned int)rq.id);
	(void)rpmsg_rpc_server_send(rpcs, rq.id, (int)RPMSG_RPC_INVALID_ID, NULL, 0);
	return RPMSG_SUCCESS;
}

int rpmsg_rpc_server_init(struct rpmsg_rpc_svr *rpcs, struct rpmsg_device *rdev,
			  const struct rpmsg_rpc_services *services, int len,
			  rpmsg_ns_unbind_cb rpmsg_service_server_unbind)
{
	if (!rpcs || !rdev || len < 0 || (len > 0 && !services))
		return RPMSG_ERR_PARAM;
	memset(rpcs, 0, sizeof(*rpcs));
	rpcs->services = services;
	rpcs->n_services = (unsigned int)len;
	rpcs->ept.priv = rpcs;
	return rpmsg_create_ept(&rpcs->ept, rdev, RPMSG_RPC_SERVICE_NAME, RPMSG_ADDR_ANY,
				RPMSG_ADDR_ANY, rpc_svr_cb, rpmsg_service_server_unbind);
}

int rpmsg_rpc_server_send(struct rpmsg_rpc_svr *rpcs, uint32_t rpc_id, int status,
			  void *request_param, size_t param_size)
{
	struct rpmsg_rpc_answer *a;
	uint32_t size = 0;
	int ret;

	if (!rpcs || param_size > MAX_BUF_LEN || (param_size && !request_param))
		return RPMSG_ERR_PARAM;
	if (rpcs->ept.dest_addr == RPMSG_ADDR_ANY)
		return RPMSG_ERR_ADDR;
	a = rpmsg_get_tx_payload_buffer(&rpcs->ept, &size, 1);
	if (!a)
		return RPMSG_ERR_NO_BUFF;
	if (size < RPC_ANSWER_HDR + param_size) {
		rpmsg_release_tx_buffer(&rpcs->ept, a);
		return RPMSG_ERR_BUFF_SIZE;
	}
	a->id = rpc_id;
	a->status = status;
	if (param_size)
		memcpy(a->params, request_param, param_size);
	ret = rpmsg_send_nocopy(&rpcs->ept, a, (int)(RPC_ANSWER_HDR + param_size));
	if (ret < 0) {
		rpmsg_release_tx_buffer(&rpcs->ept, a);
		return ret;
	}
	return RPMSG_RPC_OK;
}
