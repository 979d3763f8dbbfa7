/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test fixture for firmware under QEMU: one host session (backend, remoteproc,
 * rpmsg device in the driver role, endpoints bound to the services the remote
 * announces) and a request/reply helper.
 */
#ifndef AMPLINK_TESTS_QEMU_SESSION_H
#define AMPLINK_TESTS_QEMU_SESSION_H

#include <amplink/qemu_rproc.h>
#include <openamp/remoteproc.h>
#include <openamp/rpmsg.h>
#include <openamp/rpmsg_virtio.h>

#define QS_MAX_SERVICES 4
#define QS_MAX_MSG	512

struct qs_service {
	char name[RPMSG_NAME_SIZE];
	struct rpmsg_endpoint ept;
	int bound;
};

struct qemu_session {
	struct amplink_qemu *q;
	struct remoteproc rproc;
	struct amplink_qemu_store store;
	struct virtio_device *vdev;
	struct rpmsg_virtio_device rvdev;
	struct rpmsg_virtio_shm_pool pool;
	struct qs_service svc[QS_MAX_SERVICES];
	int nsvc;
	unsigned char reply[QS_MAX_MSG];
	int reply_len; /* -1 = nothing received */
};

/* Path of firmware image @name ("echo", "multi", "crash") or of the boot stub. */
const char *qs_image(const char *name);

/* 1 when QEMU and the images exist; prints what is missing otherwise. */
int qs_prerequisites(void);

/* Creates the backend and remoteproc (heartbeat_ms 0 = default). Returns 0 or -1. */
int qs_create(struct qemu_session *s, unsigned int heartbeat_ms);

/* Loads @image, starts it and brings up rpmsg. Returns 0 or a negative error. */
int qs_boot(struct qemu_session *s, const char *image);

/* Waits until @n services are announced (timeout_ms). Returns 0 or -1. */
int qs_wait_services(struct qemu_session *s, int n, unsigned int timeout_ms);

/* The bound service called @name, or NULL. */
struct qs_service *qs_service(struct qemu_session *s, const char *name);

/* Sends @len bytes on @svc and waits for the reply. Returns its length or negative. */
int qs_request(struct qemu_session *s, struct qs_service *svc, const void *data, int len,
	       unsigned int timeout_ms);

/* Tears down rpmsg and the vdev (remote left as it is). */
void qs_teardown_rpmsg(struct qemu_session *s);

/* Brings up the vdev and rpmsg again after a (re)start. Returns 0 or -1. */
int qs_setup_rpmsg(struct qemu_session *s);

/* Ends everything. */
void qs_destroy(struct qemu_session *s);

#endif
