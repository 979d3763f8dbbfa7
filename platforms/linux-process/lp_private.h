/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private definitions of the Linux two-process transport: the layout of the
 * control block at the start of the shared region (the only structure both
 * processes agree on besides the resource table and the vrings), the
 * doorbells, and struct amplink_lp, which the files of this directory share.
 */
#ifndef AMPLINK_LP_PRIVATE_H
#define AMPLINK_LP_PRIVATE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <amplink/linux_process.h>
#include <metal/io.h>
#include <openamp/rpmsg_virtio.h>

#define LP_MAGIC   0x4c504d41U /* "AMPL" little-endian */
#define LP_VERSION 1U

/* Offsets and sizes of the region's parts. */
#define LP_CTRL_SIZE	4096U
#define LP_RSC_SIZE	4096U
#define LP_VRING_ALIGN	4096U
#define LP_MAX_VRING	1024U
#define LP_MAX_REGION	(64U << 20)
#define LP_NOTIFYID_VQ0 0U
#define LP_NOTIFYID_VQ1 1U
#define LP_NOTIFYID_DEV 2U

/* Peer states in the control block. */
#define LP_STATE_ABSENT	  0U
#define LP_STATE_ATTACHED 1U
#define LP_STATE_GONE	  2U

/* Doorbell indices: who is woken by it. */
#define LP_DB_TO_REMOTE 0
#define LP_DB_TO_HOST	1

/*
 * One direction's doorbell. The ringing side increments @seq (always) and
 * makes a syscall only when the other side may be asleep (@sleepers != 0:
 * futex wake) or has asked for an eventfd (@fd_armed, and no write is
 * outstanding: @fd_pending). The waiting side also notes its CPU in @cpu,
 * so the ringer knows whether spinning can help (not when both share one
 * CPU). Each doorbell has a cache line of its own.
 */
struct lp_doorbell {
	_Atomic uint32_t seq;
	_Atomic uint32_t sleepers;
	_Atomic uint32_t fd_armed;
	_Atomic uint32_t fd_pending;
	_Atomic uint32_t cpu; /* CPU the waiting side last waited on (a hint) */
	uint8_t pad[44];
};

/* The control block, at offset 0 of the region. Written by the host. */
struct lp_ctrl {
	uint32_t magic;
	uint32_t version;
	uint32_t region_size;
	uint32_t rsc_offset;
	uint32_t rsc_size;
	uint32_t pool_offset;
	uint32_t pool_size;
	uint32_t host_pid;
	_Atomic uint32_t host_state;
	_Atomic uint32_t remote_state;
	uint32_t reserved[6];
	struct lp_doorbell db[2];
};

/* How the remote came to be, seen from the host. */
enum lp_attach {
	LP_ATTACH_NONE = 0,
	LP_ATTACH_CHILD, /* forked or exec'd: pid is valid */
	LP_ATTACH_SOCKET,
};

/* One side of a link. */
struct amplink_lp {
	unsigned int role; /* VIRTIO_DEV_DRIVER (host) or VIRTIO_DEV_DEVICE (remote) */
	char name[64];
	struct amplink_lp_config cfg;

	int shm_fd;
	size_t shm_size;
	struct metal_io_region *io;
	struct lp_ctrl *ctrl;
	struct lp_doorbell *db_in;  /* the peer rings this one to wake us */
	struct lp_doorbell *db_out; /* we ring this one to wake the peer */
	int efd[2];		    /* eventfds, indexed like the doorbells */
	int efd_in;
	int efd_out;

	int lifeline;  /* socket whose hang-up means the peer died; -1 if none */
	int listen_fd; /* host: listening socket, -1 if none */
	char sock_path[108];
	enum lp_attach attach;
	pid_t child;
	bool child_reaped;
	int child_status;

	_Atomic int mode;
	_Atomic unsigned int spin_us;
	uint32_t seen_seq;	   /* last doorbell value amplink_lp_process() handled */
	_Atomic uint32_t wait_seq; /* doorbell value the wait hook last returned on */
	_Atomic uint32_t rx_seen;  /* receive queue's peer index at its last callback */
	int poll_fd;		   /* epoll set of efd_in + lifeline, -1 until asked */
	atomic_bool gone;

	/* Geometry from the control block and resource table (validated copy). */
	uint32_t vdev_rsc_off;
	uint32_t vring_da[2];
	uint32_t vring_num[2];
	uint32_t vring_align[2];
	uint32_t vring_notifyid[2];
	uint32_t pool_off;
	uint32_t pool_size;

	struct virtio_device *vdev;
	struct rpmsg_virtio_device rvdev;
	struct rpmsg_virtio_shm_pool pool;
	bool rpmsg_up;
};

/* lp_layout.c */
int lp_layout_host(struct amplink_lp *lp, unsigned int vring_num);
int lp_layout_check(struct amplink_lp *lp);

/* lp_doorbell.c */
void lp_doorbell_ring(struct amplink_lp *lp);
int lp_doorbell_wait(struct amplink_lp *lp, uint32_t seen, long long deadline_ns);
void lp_doorbell_drain_fd(struct amplink_lp *lp);
int lp_doorbell_arm_fd(struct amplink_lp *lp);
long long lp_now_ns(void);
long long lp_deadline_ns(int timeout_ms);

/* lp_vdev.c */
int lp_vdev_start(struct amplink_lp *lp);
void lp_vdev_stop(struct amplink_lp *lp);
int lp_vdev_notify(void *priv, uint32_t id);
void lp_vdev_notified(struct amplink_lp *lp);

/* lp_peer.c */
int lp_peer_check(struct amplink_lp *lp);
int lp_peer_said_bye(struct amplink_lp *lp);
int lp_peer_child_exited(struct amplink_lp *lp);

/* lp_host.c */
int lp_host_can_attach(struct amplink_lp *host);
void lp_host_attached(struct amplink_lp *host, int life, pid_t pid);
void lp_peer_mark_gone(struct amplink_lp *lp);

/* lp_socket.c */
int lp_socket_send_fds(int sock, const int *fds, int nfds);
int lp_socket_recv_fds(int sock, int *fds, int nfds);
int lp_socket_make_dir(const char *sock_path);

/* lp_side.c */
struct amplink_lp *lp_side_alloc(unsigned int role, const struct amplink_lp_config *cfg);
void lp_side_free(struct amplink_lp *lp);
int lp_poll_add(struct amplink_lp *lp, int fd);

/* lp_remote.c */
int lp_remote_build(struct amplink_lp *lp, const int *fds);

#endif /* AMPLINK_LP_PRIVATE_H */
