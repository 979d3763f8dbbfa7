/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private definitions of the vhost-user backend: the wire format of the
 * protocol (message header, payloads, request codes, flags and feature bits
 * as the vhost-user specification defines them), the per-vring and
 * per-backend state, and the functions the files of this directory share.
 */
#ifndef AMPLINK_VU_PRIVATE_H
#define AMPLINK_VU_PRIVATE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <amplink/config.h>
#include <amplink/vhost_user.h>
#include <metal/io.h>
#include <metal/mutex.h>
#include <openamp/rpmsg_virtio.h>

/* Message header flags. */
#define VU_VERSION	   0x1u
#define VU_VERSION_MASK	   0x3u
#define VU_FLAG_REPLY	   0x4u
#define VU_FLAG_NEED_REPLY 0x8u

/* Requests from the frontend. */
#define VU_GET_FEATURES		 1u
#define VU_SET_FEATURES		 2u
#define VU_SET_OWNER		 3u
#define VU_RESET_OWNER		 4u
#define VU_SET_MEM_TABLE	 5u
#define VU_SET_LOG_BASE		 6u
#define VU_SET_LOG_FD		 7u
#define VU_SET_VRING_NUM	 8u
#define VU_SET_VRING_ADDR	 9u
#define VU_SET_VRING_BASE	 10u
#define VU_GET_VRING_BASE	 11u
#define VU_SET_VRING_KICK	 12u
#define VU_SET_VRING_CALL	 13u
#define VU_SET_VRING_ERR	 14u
#define VU_GET_PROTOCOL_FEATURES 15u
#define VU_SET_PROTOCOL_FEATURES 16u
#define VU_GET_QUEUE_NUM	 17u
#define VU_SET_VRING_ENABLE	 18u
#define VU_SET_SLAVE_REQ_FD	 21u
#define VU_VRING_KICK		 35u

/* Requests to the frontend (on the slave channel). */
#define VU_SLAVE_VRING_CALL 4u

/* Feature bits. */
#define VU_F_PROTOCOL_FEATURES 30u
#define VU_PF_REPLY_ACK	       3u
#define VU_PF_SLAVE_REQ	       5u
#define VU_PF_INBAND	       14u

/* Limits. */
#if AMPLINK_CFG_STATIC_ALLOC /* queues come from the static pool: its size is the limit */
#define VU_MAX_RING ((unsigned int)AMPLINK_CFG_MAX_VRING_NUM)
#else
#define VU_MAX_RING 1024u /* entries per vring we accept */
#endif
#define VU_NUM_VRINGS	   2u
#define VU_MAX_REGIONS	   8u	 /* regions a memory table may describe on the wire */
#define VU_MAX_FDS	   8u	 /* descriptors one message may carry */
#define VU_MAX_PAYLOAD	   4096u /* larger bodies break the connection; unknown ones get a refusal */
#define VU_VRING_IDX_MASK  0xffu
#define VU_VRING_NOFD	   0x100u
#define VU_PAYLOAD_WAIT_MS 1000 /* a message's body must follow its header this fast */

/* Wire structures (all fields little-endian, packed by construction). */
struct vu_hdr {
	uint32_t request;
	uint32_t flags;
	uint32_t size;
};

struct vu_vring_state {
	uint32_t index;
	uint32_t num;
};

struct vu_vring_addr {
	uint32_t index;
	uint32_t flags;
	uint64_t desc;
	uint64_t used;
	uint64_t avail;
	uint64_t log;
};

struct vu_region {
	uint64_t guest_addr;
	uint64_t size;
	uint64_t user_addr;
	uint64_t mmap_offset;
};

/* One received message with the descriptors it carried. */
struct vu_msg {
	struct vu_hdr hdr;
	union {
		uint64_t u64;
		struct vu_vring_state state;
		struct vu_vring_addr addr;
		uint8_t bytes[VU_MAX_PAYLOAD];
	} body;
	int fds[VU_MAX_FDS];
	unsigned int nfds;
};

/* One vring as the frontend described it. */
struct vu_vring {
	uint32_t num;	   /* entries (0: not set) */
	void *ring;	   /* desc table in our mapping (NULL: not set) */
	uint32_t align;	   /* used-ring alignment that reproduces the guest's layout */
	int kick_fd;	   /* eventfd the guest kicks, or -1 */
	int call_fd;	   /* fd we write to notify the guest, or -1 */
	bool call_sigpipe; /* call_fd is a pipe or socket: a write may raise SIGPIPE */
	bool enabled;	   /* SET_VRING_ENABLE 1 seen */
	struct virtqueue *vq;
};

struct amplink_vhost_user {
	struct amplink_vhost_user_config cfg;
	char *path;    /* socket file we own, or NULL */
	int listen_fd; /* -1 without a socket path */
	int conn_fd;   /* the frontend, or -1 */
	int slave_fd;  /* slave channel, or -1 */
	metal_mutex_t slave_lock;
	uint64_t features; /* accepted by SET_FEATURES (device bits only) */
	uint64_t protocol; /* accepted protocol features */
	bool features_set;
	void *map; /* the guest memory mapping, or NULL */
	size_t map_len;
	void *mem; /* guest_addr in our mapping */
	uint64_t mem_size;
	uint64_t guest_addr;
	uint64_t user_addr;
	metal_phys_addr_t physmap[1];
	struct metal_io_region io;
	struct vu_vring vring[VU_NUM_VRINGS];
	uint8_t status; /* reported to the rpmsg layer */
	bool running;	/* rpmsg device up */
	struct virtio_device vdev;
	struct virtio_vring_info vrings_info[VU_NUM_VRINGS];
	struct rpmsg_virtio_device rvdev;
	struct amplink_vhost_user_stats stats; /* polling thread only; calls: see below */
	atomic_uint_fast64_t calls;	       /* notify may run on any sending thread */
};

/* vu_socket.c */
int vu_sock_listen(const char *path);
int vu_sock_recv(int fd, struct vu_msg *msg);
int vu_sock_send(int fd, uint32_t request, uint32_t flags, const void *body, uint32_t size);
void vu_msg_close_fds(struct vu_msg *msg);

/* vu_mem.c */
int vu_mem_set_table(struct amplink_vhost_user *vu, struct vu_msg *msg);
void vu_mem_unmap(struct amplink_vhost_user *vu);
void *vu_mem_user_to_virt(struct amplink_vhost_user *vu, uint64_t uaddr, uint64_t len);

/* vu_vring.c */
int vu_vring_set_num(struct amplink_vhost_user *vu, const struct vu_msg *msg);
int vu_vring_set_base(struct amplink_vhost_user *vu, const struct vu_msg *msg);
int vu_vring_set_addr(struct amplink_vhost_user *vu, const struct vu_msg *msg);
int vu_vring_set_fd(struct amplink_vhost_user *vu, struct vu_msg *msg);
int vu_vring_set_enable(struct amplink_vhost_user *vu, const struct vu_msg *msg);
void vu_vring_reset(struct amplink_vhost_user *vu);
void vu_vring_kick(struct amplink_vhost_user *vu, unsigned int index);
void vu_vring_drop_kick(struct amplink_vhost_user *vu, unsigned int index);

/* vu_vdev.c */
int vu_vdev_start(struct amplink_vhost_user *vu);
void vu_vdev_stop(struct amplink_vhost_user *vu);
int vu_vdev_init(struct amplink_vhost_user *vu);

/* vu_request.c */
int vu_request_handle(struct amplink_vhost_user *vu, struct vu_msg *msg);

/* vu_server.c */
void vu_disconnect(struct amplink_vhost_user *vu);

#endif /* AMPLINK_VU_PRIVATE_H */
