/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test fixture for firmware under QEMU: one host session (an
 * amplink_qemu_remote plus endpoints bound to the services the remote
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

/* One emulated board and where its images are. */
struct qs_target {
	const char *bsp;     /* image name suffix: "mps2-an386", "riscv-virt" */
	const char *qemu;    /* qemu-system-arm, qemu-system-riscv32 */
	const char *machine; /* -M value */
	const char *fw_dir;  /* directory holding <name>-<bsp>.elf */
	uint64_t ram_base;   /* guest address of the shared RAM */
	unsigned int em;     /* ELF e_machine */
	int boot_stub;	     /* 1: QEMU loads boot-<bsp>.elf at reset */
};

extern const struct qs_target qs_cm4;
extern const struct qs_target qs_rv32;

struct qemu_session {
	const struct qs_target *t;
	struct amplink_qemu_remote *r;
	struct remoteproc *rproc;
	struct qs_service svc[QS_MAX_SERVICES];
	int nsvc;
	unsigned char reply[QS_MAX_MSG];
	int reply_len; /* -1 = nothing received */
};

/* Path of @t's firmware image @name ("echo", "multi", "crash", "boot"). */
const char *qs_image(const struct qs_target *t, const char *name);

/* 1 when @t's QEMU and images exist; prints what is missing otherwise. */
int qs_prerequisites(const struct qs_target *t);

/* Creates the backend and remoteproc (heartbeat_ms 0 = default). Returns 0 or -1. */
int qs_create(struct qemu_session *s, const struct qs_target *t, unsigned int heartbeat_ms);

/* Loads @image, starts it and brings up rpmsg. Returns 0 or a negative error. */
int qs_boot(struct qemu_session *s, const char *image);

/* Waits until @n services are announced (timeout_ms). Returns 0 or -1. */
int qs_wait_services(struct qemu_session *s, int n, unsigned int timeout_ms);

/* The bound service called @name, or NULL. */
struct qs_service *qs_service(struct qemu_session *s, const char *name);

/* Sends @len bytes on @svc and waits for the reply. Returns its length or negative. */
int qs_request(struct qemu_session *s, struct qs_service *svc, const void *data, int len,
	       unsigned int timeout_ms);

/* Stops the remote (rpmsg down, QEMU ended). Returns 0 or negative. */
int qs_stop(struct qemu_session *s);

/* Recovers a crashed remote (rpmsg down and up again). Returns 0 or negative. */
int qs_recover(struct qemu_session *s);

/* Ends everything. */
void qs_destroy(struct qemu_session *s);

#endif
