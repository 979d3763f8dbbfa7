/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One vhost-user request from the frontend: its checks, its effect, and its
 * reply (the value a GET_* asks for, or with REPLY_ACK the status word:
 * 0 done, 1 refused). A refused request leaves the backend as it was; only a
 * message that breaks the protocol itself ends the connection.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <unistd.h>

#include <metal/log.h>
#include <openamp/virtqueue.h>

#include "vu_private.h"

#define VU_REPLY_FLAGS (VU_VERSION | VU_FLAG_REPLY)

static uint64_t vu_offered_features(const struct amplink_vhost_user *vu)
{
	return (1ull << VU_F_PROTOCOL_FEATURES) | vu->cfg.device_features;
}

static uint64_t vu_offered_protocol(const struct amplink_vhost_user *vu)
{
	uint64_t pf = (1ull << VU_PF_REPLY_ACK) | (1ull << VU_PF_SLAVE_REQ);

	if (vu->cfg.inband)
		pf |= 1ull << VU_PF_INBAND;
	return pf;
}

static int vu_reply_u64(struct amplink_vhost_user *vu, const struct vu_msg *msg, uint64_t v)
{
	return vu_sock_send(vu->conn_fd, msg->hdr.request, VU_REPLY_FLAGS, &v, sizeof(v));
}

/* A u64 payload is required; returns 0 or -EINVAL. */
static int vu_need_u64(const struct vu_msg *msg)
{
	if (msg->hdr.size >= sizeof(uint64_t))
		return 0;
	metal_log(METAL_LOG_ERROR, "vhost-user: request %u cut short\n",
		  (unsigned int)msg->hdr.request);
	return -EINVAL;
}

static int vu_set_features(struct amplink_vhost_user *vu, const struct vu_msg *msg)
{
	uint64_t f = msg->body.u64;

	if (vu_need_u64(msg))
		return -EINVAL;
	if (f & ~vu_offered_features(vu)) {
		metal_log(METAL_LOG_ERROR, "vhost-user: features 0x%llx beyond the offer 0x%llx\n",
			  (unsigned long long)f, (unsigned long long)vu_offered_features(vu));
		return -EINVAL;
	}
	if (vu->running && (f & ~(1ull << VU_F_PROTOCOL_FEATURES)) != vu->features)
		return -EBUSY;
	vu->features = f & ~(1ull << VU_F_PROTOCOL_FEATURES);
	vu->features_set = true;
	return 0;
}

static int vu_set_protocol(struct amplink_vhost_user *vu, const struct vu_msg *msg)
{
	if (vu_need_u64(msg))
		return -EINVAL;
	if (msg->body.u64 & ~vu_offered_protocol(vu)) {
		metal_log(METAL_LOG_ERROR, "vhost-user: protocol features 0x%llx not offered\n",
			  (unsigned long long)msg->body.u64);
		return -EINVAL;
	}
	vu->protocol = msg->body.u64;
	return 0;
}

static int vu_set_slave_fd(struct amplink_vhost_user *vu, struct vu_msg *msg)
{
	if (msg->nfds != 1) {
		metal_log(METAL_LOG_ERROR, "vhost-user: slave channel with %u fds\n", msg->nfds);
		return -EINVAL;
	}
	metal_mutex_acquire(&vu->slave_lock);
	if (vu->slave_fd >= 0)
		close(vu->slave_fd);
	vu->slave_fd = msg->fds[0];
	msg->nfds = 0;
	metal_mutex_release(&vu->slave_lock);
	return 0;
}

/* GET_VRING_BASE stops the ring and reports where the device stopped. */
static int vu_get_vring_base(struct amplink_vhost_user *vu, const struct vu_msg *msg)
{
	struct vu_vring_state st = {0};

	if (msg->hdr.size < sizeof(st) || msg->body.state.index >= VU_NUM_VRINGS) {
		metal_log(METAL_LOG_ERROR, "vhost-user: bad GET_VRING_BASE\n");
		return vu_sock_send(vu->conn_fd, msg->hdr.request, VU_REPLY_FLAGS, &st, sizeof(st));
	}
	st.index = msg->body.state.index;
	if (vu->running)
		st.num = vu->vring[st.index].vq->vq_available_idx;
	vu_vdev_stop(vu);
	vu->vring[st.index].enabled = false;
	return vu_sock_send(vu->conn_fd, msg->hdr.request, VU_REPLY_FLAGS, &st, sizeof(st));
}

/* The effect of a request that has no reply of its own. Returns 0 or -errno. */
static int vu_request_apply(struct amplink_vhost_user *vu, struct vu_msg *msg)
{
	switch (msg->hdr.request) {
	case VU_SET_OWNER:
		return 0;
	case VU_RESET_OWNER:
		vu_vdev_stop(vu);
		vu_vring_reset(vu);
		return 0;
	case VU_SET_FEATURES:
		return vu_set_features(vu, msg);
	case VU_SET_PROTOCOL_FEATURES:
		return vu_set_protocol(vu, msg);
	case VU_SET_SLAVE_REQ_FD:
		return vu_set_slave_fd(vu, msg);
	case VU_SET_MEM_TABLE:
		return vu_mem_set_table(vu, msg);
	case VU_SET_VRING_NUM:
		return vu_vring_set_num(vu, msg);
	case VU_SET_VRING_BASE:
		return vu_vring_set_base(vu, msg);
	case VU_SET_VRING_ADDR:
		return vu_vring_set_addr(vu, msg);
	case VU_SET_VRING_KICK:
	case VU_SET_VRING_CALL:
	case VU_SET_VRING_ERR:
		return vu_vring_set_fd(vu, msg);
	case VU_SET_VRING_ENABLE:
		return vu_vring_set_enable(vu, msg);
	case VU_VRING_KICK:
		if (msg->hdr.size < sizeof(struct vu_vring_state) ||
		    msg->body.state.index >= VU_NUM_VRINGS)
			return -EINVAL;
		return 0; /* handled after the acknowledgement */
	default:
		metal_log(METAL_LOG_ERROR, "vhost-user: request %u not supported\n",
			  (unsigned int)msg->hdr.request);
		return -ENOTSUP;
	}
}

int vu_request_handle(struct amplink_vhost_user *vu, struct vu_msg *msg)
{
	int ret;

	vu->stats.messages++;
	if ((msg->hdr.flags & VU_VERSION_MASK) != VU_VERSION || (msg->hdr.flags & VU_FLAG_REPLY)) {
		metal_log(METAL_LOG_ERROR, "vhost-user: message flags 0x%x (version 1 expected)\n",
			  (unsigned int)msg->hdr.flags);
		return -EPROTO;
	}
	switch (msg->hdr.request) {
	case VU_GET_FEATURES:
		return vu_reply_u64(vu, msg, vu_offered_features(vu));
	case VU_GET_PROTOCOL_FEATURES:
		return vu_reply_u64(vu, msg, vu_offered_protocol(vu));
	case VU_GET_QUEUE_NUM:
		return vu_reply_u64(vu, msg, VU_NUM_VRINGS);
	case VU_GET_VRING_BASE:
		return vu_get_vring_base(vu, msg);
	default:
		break;
	}
	ret = vu_request_apply(vu, msg);
	if (ret)
		vu->stats.rejected++;
	if (msg->hdr.flags & VU_FLAG_NEED_REPLY) {
		int sret = vu_reply_u64(vu, msg, ret ? 1u : 0u);

		if (sret)
			return sret;
	}
	if (!ret && msg->hdr.request == VU_VRING_KICK)
		vu_vring_kick(vu, msg->body.state.index);
	return 0;
}
