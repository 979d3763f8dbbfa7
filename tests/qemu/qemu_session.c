/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test fixture for firmware under QEMU (see qemu_session.h): the host side of a
 * session, built only from the public API a user of the backend has.
 */
#define _GNU_SOURCE
#include "qemu_session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <amplink/remoteproc.h>
#include <metal/log.h>
#include <metal/sys.h>
#include <openamp/remoteproc_loader.h>

const struct qs_target qs_cm4 = {"mps2-an386",
				 "qemu-system-arm",
				 "mps2-an386",
				 AMPLINK_QEMU_FW_DIR,
				 0x21000000u,
				 40 /* EM_ARM */,
				 1};
const struct qs_target qs_rv32 = {
	"riscv-virt", "qemu-system-riscv32", "virt", AMPLINK_QEMU_RV32_FW_DIR,
	0x80000000u,  243 /* EM_RISCV */,    0};

static struct qemu_session *qs_current;

const char *qs_image(const struct qs_target *t, const char *name)
{
	static char path[4][512];
	static unsigned int next;
	char *p = path[next++ % 4];

	snprintf(p, sizeof(path[0]), "%s/%s-%s.elf", t->fw_dir, name, t->bsp);
	return p;
}

static int qs_have_qemu(const struct qs_target *t)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "%s --version >/dev/null 2>&1", t->qemu);
	return system(cmd) == 0;
}

int qs_prerequisites(const struct qs_target *t)
{
	static const char *const names[] = {"boot", "echo", "multi", "crash"};
	unsigned int i;
	int ok = 1;

	if (!qs_have_qemu(t)) {
		fprintf(stderr,
			"qemu tests: %s not found (Debian: qemu-system-arm or "
			"qemu-system-misc)\n",
			t->qemu);
		ok = 0;
	}
	for (i = t->boot_stub ? 0 : 1; i < sizeof(names) / sizeof(names[0]); i++) {
		if (access(qs_image(t, names[i]), R_OK) != 0) {
			fprintf(stderr,
				"qemu tests: firmware %s missing: run "
				"scripts/build-firmware.sh (needs the cross compiler)\n",
				qs_image(t, names[i]));
			ok = 0;
		}
	}
	return ok;
}

static int qs_rx(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	struct qemu_session *s = priv;

	(void)ept;
	(void)src;
	if (len > sizeof(s->reply))
		len = sizeof(s->reply);
	memcpy(s->reply, data, len);
	s->reply_len = (int)len;
	return RPMSG_SUCCESS;
}

static void qs_ns_bind(struct rpmsg_device *rdev, const char *name, uint32_t dest)
{
	struct qemu_session *s = qs_current;
	struct qs_service *svc;

	if (!s || s->nsvc == QS_MAX_SERVICES)
		return;
	svc = &s->svc[s->nsvc];
	snprintf(svc->name, sizeof(svc->name), "%s", name);
	if (rpmsg_create_ept(&svc->ept, rdev, name, RPMSG_ADDR_ANY, dest, qs_rx, NULL) == 0) {
		svc->ept.priv = s;
		svc->bound = 1;
		s->nsvc++;
	}
}

int qs_create(struct qemu_session *s, const struct qs_target *t, unsigned int heartbeat_ms)
{
	struct amplink_qemu_config cfg = {.qemu = t->qemu,
					  .machine = t->machine,
					  .boot_stub = t->boot_stub ? qs_image(t, "boot") : NULL,
					  .ram_base = t->ram_base,
					  .heartbeat_ms = heartbeat_ms,
					  .console = "qemu-console.log"};

	memset(s, 0, sizeof(*s));
	s->t = t;
	s->reply_len = -1;
	if (amplink_qemu_remote_create(&cfg, t->em, &s->r) != 0)
		return -1;
	s->rproc = amplink_qemu_remote_rproc(s->r);
	return 0;
}

/* Forgets the endpoints once the rpmsg device that held them is gone. */
static int qs_fresh(struct qemu_session *s, int ret)
{
	s->nsvc = 0;
	memset(s->svc, 0, sizeof(s->svc));
	return ret;
}

int qs_boot(struct qemu_session *s, const char *image)
{
	/* announcements arrive in amplink_qemu_poll, after boot returns */
	qs_current = s;
	return qs_fresh(s, amplink_qemu_remote_boot(s->r, image, qs_ns_bind));
}

int qs_stop(struct qemu_session *s)
{
	return qs_fresh(s, amplink_qemu_remote_stop(s->r));
}

int qs_recover(struct qemu_session *s)
{
	qs_current = s;
	return qs_fresh(s, amplink_qemu_remote_recover(s->r));
}

int qs_wait_services(struct qemu_session *s, int n, unsigned int timeout_ms)
{
	unsigned int waited = 0;

	while (s->nsvc < n && waited < timeout_ms) {
		if (amplink_qemu_poll(s->rproc, 10) < 0)
			return -1;
		waited += 10; /* an upper bound: poll returns early on kicks */
	}
	return s->nsvc >= n ? 0 : -1;
}

struct qs_service *qs_service(struct qemu_session *s, const char *name)
{
	int i;

	for (i = 0; i < s->nsvc; i++)
		if (strcmp(s->svc[i].name, name) == 0)
			return &s->svc[i];
	return NULL;
}

int qs_request(struct qemu_session *s, struct qs_service *svc, const void *data, int len,
	       unsigned int timeout_ms)
{
	unsigned int rounds = 0;
	int ret;

	s->reply_len = -1;
	ret = rpmsg_send(&svc->ept, data, len);
	if (ret < 0)
		return ret;
	while (s->reply_len < 0) {
		ret = amplink_qemu_poll(s->rproc, 10);
		if (ret < 0)
			return ret;
		if (ret == 0 && ++rounds * 10 > timeout_ms)
			return -1;
	}
	return s->reply_len;
}

void qs_destroy(struct qemu_session *s)
{
	amplink_qemu_remote_destroy(s->r);
	s->r = NULL;
	s->rproc = NULL;
	s->nsvc = 0;
}
