/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The lean device profile under QEMU (mps2-an386, Cortex-M4): min-echo, the
 * image scripts/footprint.sh measures (echo on the minimal runtime, library
 * built with AMPLINK_LEAN_DEVICE), against the full host stack. It boots and
 * announces "rpmsg-raw", echoes every size 1..496 with every byte checked,
 * the host refuses 497; a host buffer outside shared RAM offered to the
 * remote is refused (the remote raises NEEDS_RESET, keeps running and
 * beating, sends nothing into it), and the image boots and serves again.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <metal/log.h>
#include <metal/sys.h>
#include <metal/utilities.h>
#include <openamp/virtio.h>

#include "check.h"
#include "qemu_session.h"

#define QL_MAX_PAYLOAD 496
#define QL_BAD_DA      0x10000000u /* below the mps2 shared RAM at 0x21000000 */

static struct qs_target ql_cm4;

/* 1 when QEMU and the lean images exist; says what is missing otherwise. */
static int ql_prerequisites(void)
{
	static const char *const names[] = {"boot", "min-echo"};
	unsigned int i;
	int ok = system("qemu-system-arm --version >/dev/null 2>&1") == 0;

	if (!ok)
		fprintf(stderr, "qemu lean test: qemu-system-arm not found\n");
	for (i = 0; i < 2; i++) {
		if (access(qs_image(&ql_cm4, names[i]), R_OK) != 0) {
			fprintf(stderr,
				"qemu lean test: %s missing: run scripts/build-firmware.sh "
				"DIR cm4-lean\n",
				qs_image(&ql_cm4, names[i]));
			ok = 0;
		}
	}
	return ok;
}

/* A session with min-echo booted and "rpmsg-raw" bound; NULL service on failure. */
static struct qs_service *ql_boot(struct qemu_session *s)
{
	if (qs_boot(s, qs_image(&ql_cm4, "min-echo")) != 0 || qs_wait_services(s, 1, 5000) != 0)
		return NULL;
	return qs_service(s, "rpmsg-raw");
}

static void test_lean_boot_echo_every_size(void)
{
	unsigned char msg[QL_MAX_PAYLOAD + 1];
	struct qemu_session s;
	struct qs_service *svc;
	int len, i, bad = 0;

	REQUIRE(qs_create(&s, &ql_cm4, 0) == 0);
	svc = ql_boot(&s);
	REQUIRE(svc != NULL);
	CHECK_EQ_INT(s.rproc->state, RPROC_RUNNING);
	CHECK(svc->ept.dest_addr >= RPMSG_RESERVED_ADDRESSES);
	for (len = 1; len <= QL_MAX_PAYLOAD && !bad; len++) {
		for (i = 0; i < len; i++)
			msg[i] = (unsigned char)(len * 7 + i * 13 + (i >> 8));
		if (qs_request(&s, svc, msg, len, 2000) != len ||
		    memcmp(s.reply, msg, (size_t)len) != 0) {
			fprintf(stderr, "lean echo of %d bytes wrong (got %d)\n", len, s.reply_len);
			bad = 1;
		}
	}
	CHECK_EQ_INT(bad, 0);
	CHECK_EQ_INT(len, QL_MAX_PAYLOAD + 1);
	CHECK(rpmsg_send(&svc->ept, msg, QL_MAX_PAYLOAD + 1) < 0); /* refused by the host */
	CHECK_EQ_INT(qs_request(&s, svc, "x", 1, 2000), 1);
	qs_destroy(&s);
}

/*
 * Points the host RX buffer the remote will fill next (vq 0, the entry after
 * the last one it returned) outside shared RAM. Returns 0 or -1.
 */
static int ql_poison_next_rx(struct qs_service *svc)
{
	struct rpmsg_virtio_device *hv =
		metal_container_of(svc->ept.rdev, struct rpmsg_virtio_device, rdev);
	struct vring *vr = &hv->rvq->vq_ring;
	uint16_t used = __atomic_load_n(&vr->used->idx, __ATOMIC_ACQUIRE);
	uint16_t avail = __atomic_load_n(&vr->avail->idx, __ATOMIC_ACQUIRE);
	uint16_t head;

	if (avail == used)
		return -1; /* nothing posted: the test cannot aim */
	head = vr->avail->ring[used & (vr->num - 1)];
	if (head >= vr->num)
		return -1;
	vr->desc[head].addr = QL_BAD_DA;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return 0;
}

static void test_lean_bad_descriptor_refused(void)
{
	struct amplink_qemu_status st;
	struct qemu_session s;
	struct qs_service *svc;
	struct virtio_device *hvdev;
	uint32_t beat;
	uint8_t status = 0;

	REQUIRE(qs_create(&s, &ql_cm4, 1000) == 0);
	svc = ql_boot(&s);
	REQUIRE(svc != NULL);
	CHECK_EQ_INT(qs_request(&s, svc, "before", 6, 2000), 6);
	hvdev = metal_container_of(svc->ept.rdev, struct rpmsg_virtio_device, rdev)->vdev;
	REQUIRE(ql_poison_next_rx(svc) == 0);
	/* the echo would go into the poisoned buffer: refused, so no reply */
	CHECK_EQ_INT(qs_request(&s, svc, "ping", 4, 1500), -1);
	CHECK_EQ_INT(virtio_get_status(hvdev, &status), 0);
	CHECK(status & VIRTIO_CONFIG_STATUS_NEEDS_RESET);
	/* the remote did not fault and still runs: no crash reported, heartbeat moves */
	CHECK_EQ_INT(s.rproc->state, RPROC_RUNNING);
	CHECK_EQ_INT(amplink_qemu_get_status(s.rproc, &st), 0);
	CHECK_EQ_INT(st.state, AMPLINK_MAILBOX_READY);
	beat = st.heartbeat;
	CHECK(amplink_qemu_poll(s.rproc, 300) >= 0);
	CHECK_EQ_INT(amplink_qemu_get_status(s.rproc, &st), 0);
	CHECK(st.heartbeat != beat);
	CHECK_EQ_INT(s.rproc->state, RPROC_RUNNING);
	/* a fresh boot serves again */
	CHECK_EQ_INT(qs_stop(&s), 0);
	svc = ql_boot(&s);
	REQUIRE(svc != NULL);
	CHECK_EQ_INT(qs_request(&s, svc, "after", 5, 2000), 5);
	CHECK(memcmp(s.reply, "after", 5) == 0);
	qs_destroy(&s);
}

int main(void)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;

	ql_cm4 = qs_cm4;
	ql_cm4.fw_dir = AMPLINK_QEMU_LEAN_FW_DIR;
	params.log_level = METAL_LOG_WARNING;
	metal_init(&params);
	if (!ql_prerequisites()) {
		fprintf(stderr, "qemu lean test: prerequisites missing (see above)\n");
		return 1;
	}
	RUN(test_lean_boot_echo_every_size);
	RUN(test_lean_bad_descriptor_refused);
	metal_finish();
	return check_summary();
}
