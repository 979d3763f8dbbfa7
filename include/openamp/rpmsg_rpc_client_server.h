/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The standard RPMsg RPC API: a server registers functions by 32-bit id, a
 * client calls them by sending a request (id + parameter bytes) on an
 * endpoint named RPMSG_RPC_SERVICE_NAME and gets the answer (id, status,
 * result bytes) in the callback registered for that id. Wire layout: a
 * request is u32 id then up to MAX_BUF_LEN parameter bytes; an answer is u32
 * id, i32 status, then up to MAX_BUF_LEN bytes (little-endian hosts assumed,
 * as by the standard's structs).
 */
#ifndef OPENAMP_RPMSG_RPC_CLIENT_SERVER_H
#define OPENAMP_RPMSG_RPC_CLIENT_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include <openamp/rpmsg.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RPMSG_RPC_OK	       0
#define RPMSG_RPC_INVALID_ID   (-1L)
#define RPMSG_RPC_SERVICE_NAME "rpmsg-rpc"
#define MAX_BUF_LEN	       488UL
#define MAX_FUNC_ID_LEN	       sizeof(uint32_t)

struct rpmsg_rpc_clt;
struct rpmsg_rpc_svr;

/* Client: the answer to a request of this id arrived (data valid during the call). */
typedef void (*app_cb)(struct rpmsg_rpc_clt *rpc, int status, void *data, size_t len);
/* Client: the server's endpoint went away. */
typedef void (*rpmsg_rpc_shutdown_cb)(struct rpmsg_rpc_clt *rpc);
/* Server: serve the request @data (a struct rpmsg_rpc_request); answer with rpmsg_rpc_server_send.
 */
typedef int (*rpmsg_rpc_syscall_cb)(void *data, struct rpmsg_rpc_svr *rpcs);

struct rpmsg_rpc_request {
	uint32_t id; /* ★ */
	unsigned char params[MAX_BUF_LEN];
};

struct rpmsg_rpc_answer {
	uint32_t id;	/* ★ */
	int32_t status; /* ★ */
	unsigned char params[MAX_BUF_LEN];
};

struct rpmsg_rpc_client_services {
	uint32_t id; /* ★ */
	app_cb cb;
};

struct rpmsg_rpc_services {
	uint32_t id; /* ★ */
	rpmsg_rpc_syscall_cb cb_function;
};

struct rpmsg_rpc_clt {
	struct rpmsg_endpoint ept; /* ★ */
	const struct rpmsg_rpc_client_services *services;
	unsigned int n_services;
	rpmsg_rpc_shutdown_cb shutdown_cb;
	uint32_t amplink_bad; /* answers dropped (malformed or unknown id) */
};

struct rpmsg_rpc_svr {
	struct rpmsg_endpoint ept; /* ★ */
	const struct rpmsg_rpc_services *services;
	unsigned int n_services;
	uint32_t amplink_bad; /* requests dropped (malformed) */
};

/*
 * rpmsg_rpc_client_init - create the client's endpoint on @rdev (announced;
 * bound when the server's announcement or first message arrives) with the
 * @len answer callbacks of @services (kept by pointer). Returns RPMSG_RPC_OK
 * or a negative RPMSG_ERR_* value.
 */
int rpmsg_rpc_client_init(struct rpmsg_rpc_clt *rpc, struct rpmsg_device *rdev,
			  rpmsg_rpc_shutdown_cb shutdown_cb,
			  const struct rpmsg_rpc_client_services *services, int len);

/* rpmsg_rpc_client_release - destroy the client's endpoint. */
void rpmsg_rpc_client_release(struct rpmsg_rpc_clt *rpc);

/*
 * rpmsg_rpc_client_send - send request @rpc_id with @req_param_size (<=
 * MAX_BUF_LEN) bytes of @request_param to the server. May block for a TX
 * buffer. Returns RPMSG_RPC_OK or a negative RPMSG_ERR_* value
 * (RPMSG_ERR_ADDR before the server is known).
 */
int rpmsg_rpc_client_send(struct rpmsg_rpc_clt *rpc, uint32_t rpc_id, void *request_param,
			  size_t req_param_size);

/*
 * rpmsg_rpc_server_init - create the server's endpoint on @rdev (announced)
 * serving the @len functions of @services (kept by pointer); a request for an
 * id not in the table is answered with status RPMSG_RPC_INVALID_ID. Returns
 * RPMSG_RPC_OK or a negative RPMSG_ERR_* value.
 */
int rpmsg_rpc_server_init(struct rpmsg_rpc_svr *rpcs, struct rpmsg_device *rdev,
			  const struct rpmsg_rpc_services *services, int len,
			  rpmsg_ns_unbind_cb rpmsg_service_server_unbind);

/*
 * rpmsg_rpc_server_send - answer request @rpc_id with @status and
 * @param_size (<= MAX_BUF_LEN) bytes of @request_param. Returns RPMSG_RPC_OK
 * or a negative RPMSG_ERR_* value.
 */
int rpmsg_rpc_server_send(struct rpmsg_rpc_svr *rpcs, uint32_t rpc_id, int status,
			  void *request_param, size_t param_size);

#ifdef __cplusplus
}
#endif

#endif /* OPENAMP_RPMSG_RPC_CLIENT_SERVER_H */
