/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vhost-user device backend (Linux hosts only): serves amplink's rpmsg device
 * role to a virtio frontend (a VM: User-Mode Linux, QEMU) over a vhost-user
 * UNIX socket. The backend handles the protocol (features, memory table,
 * vrings, kick/call eventfds or in-band notifications, disconnect and
 * reconnect) and brings up an ordinary rpmsg device on the guest's rings; the
 * application creates its endpoints on it from the ready() callback.
 * Everything runs on the thread that calls amplink_vhost_user_poll().
 */
#ifndef AMPLINK_VHOST_USER_H
#define AMPLINK_VHOST_USER_H

#include <stdbool.h>
#include <stdint.h>

#include <openamp/rpmsg.h>

#ifdef __cplusplus
extern "C" {
#endif

struct amplink_vhost_user;

/* What the application is told (all on the polling thread). */
struct amplink_vhost_user_ops {
	/* The guest's driver is up: create endpoints on @rdev. */
	void (*ready)(struct rpmsg_device *rdev, void *arg);
	/*
	 * The guest went away (disable, reset, disconnect): destroy them. The
	 * rings are already out of use (sends fail at once); when this returns,
	 * no other thread may still use endpoints of @rdev: it is torn down.
	 */
	void (*gone)(struct rpmsg_device *rdev, void *arg);
};

/* Options; fill with amplink_vhost_user_config_init() first. */
struct amplink_vhost_user_config {
	const char *socket_path;  /* listen here; NULL: only amplink_vhost_user_attach() */
	uint64_t device_features; /* virtio features offered (default: VIRTIO_RPMSG_F_NS) */
	bool inband;		  /* offer in-band notifications (kicks/calls as messages) */
	struct amplink_vhost_user_ops ops;
	void *arg; /* passed to the ops */
};

/* Counters of one backend (since creation). */
struct amplink_vhost_user_stats {
	uint64_t connections; /* frontends accepted or attached */
	uint64_t sessions;    /* rpmsg devices brought up */
	uint64_t messages;    /* protocol messages handled */
	uint64_t rejected;    /* messages refused (bad value, bad state, unknown) */
	uint64_t kicks;	      /* notifications received from the guest */
	uint64_t calls;	      /* notifications sent to the guest */
};

/* amplink_vhost_user_config_init - defaults: no socket, F_NS offered, eventfd kicks. */
void amplink_vhost_user_config_init(struct amplink_vhost_user_config *cfg);

/*
 * amplink_vhost_user_create - create a backend; with cfg->socket_path, bind
 * and listen there (an existing socket file is replaced). Start-up context.
 * Returns 0 and *@out, or a negative errno (-EINVAL, -ENOMEM, socket errors).
 */
int amplink_vhost_user_create(const struct amplink_vhost_user_config *cfg,
			      struct amplink_vhost_user **out);

/*
 * amplink_vhost_user_attach - serve the frontend on the connected stream
 * socket @fd (on success the backend owns and eventually closes it). Refused
 * while a frontend is connected. Polling thread only.
 * Returns 0, -EBUSY or -EINVAL (then @fd stays the caller's).
 */
int amplink_vhost_user_attach(struct amplink_vhost_user *vu, int fd);

/*
 * amplink_vhost_user_poll - wait up to @timeout_ms (-1: forever) for one
 * event (a connection, a protocol message, a kick) and handle it. A frontend
 * that misbehaves gets error replies or is disconnected; the backend then
 * accepts the next one. Not reentrant; callbacks run inside it.
 * Returns 1 when something was handled, 0 on timeout, or a negative errno
 * for a failure of the backend itself (poll failed).
 */
int amplink_vhost_user_poll(struct amplink_vhost_user *vu, int timeout_ms);

/* amplink_vhost_user_connected - whether a frontend is connected. Polling thread. */
bool amplink_vhost_user_connected(const struct amplink_vhost_user *vu);

/*
 * amplink_vhost_user_rpmsg - the rpmsg device while the guest's driver is up.
 * Returns it, or NULL (not ready / gone). Polling thread.
 */
struct rpmsg_device *amplink_vhost_user_rpmsg(struct amplink_vhost_user *vu);

/* amplink_vhost_user_get_stats - copy the counters into @st. Polling thread. */
void amplink_vhost_user_get_stats(const struct amplink_vhost_user *vu,
				  struct amplink_vhost_user_stats *st);

/*
 * amplink_vhost_user_destroy - disconnect (gone() runs if the device was up),
 * close the socket, remove the socket file and free @vu. NULL is fine.
 */
void amplink_vhost_user_destroy(struct amplink_vhost_user *vu);

#ifdef __cplusplus
}
#endif

#endif /* AMPLINK_VHOST_USER_H */
