/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The resource table every runtime image carries: one rpmsg vdev whose vrings
 * the host places (Linux-compatible, name service offered), the trace buffer and
 * the mailbox vendor entry through which host and remote kick each other.
 */
#include <stddef.h>
#include <openamp/virtio.h>
#include <openamp/rpmsg_virtio.h>

#include "remote.h"

char remote_trace_buf[REMOTE_TRACE_SIZE];

__attribute__((section(".resource_table"), used)) struct remote_rsc_table resource_table = {
	.hdr = {.ver = 1, .num = 3},
	.offset = {offsetof(struct remote_rsc_table, vdev),
		   offsetof(struct remote_rsc_table, trace),
		   offsetof(struct remote_rsc_table, mailbox)},
	.vdev = {.type = RSC_VDEV,
		 .id = VIRTIO_ID_RPMSG,
		 .notifyid = REMOTE_VDEV_NOTIFY,
		 .dfeatures = 1u << VIRTIO_RPMSG_F_NS,
		 .num_of_vrings = 2},
	.vring = {{.da = FW_RSC_U32_ADDR_ANY,
		   .align = REMOTE_VRING_ALIGN,
		   .num = REMOTE_VRING_NUM,
		   .notifyid = 0},
		  {.da = FW_RSC_U32_ADDR_ANY,
		   .align = REMOTE_VRING_ALIGN,
		   .num = REMOTE_VRING_NUM,
		   .notifyid = 1}},
	.trace = {.type = RSC_TRACE,
		  .da = (uint32_t)(uintptr_t)remote_trace_buf,
		  .len = REMOTE_TRACE_SIZE,
		  .name = "trace0"},
	.mailbox = {.type = AMPLINK_RSC_MAILBOX,
		    .len = sizeof(struct amplink_rsc_mailbox),
		    .magic = AMPLINK_MAILBOX_MAGIC},
};
