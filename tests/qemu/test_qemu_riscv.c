/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The same firmware runtime on QEMU's riscv32 "virt" board (no boot stub: the
 * reset vector is the start of the shared RAM): the echo image announces its
 * service and echoes every size 1..496 byte for byte, then the multi-service
 * image replaces it; an illegal instruction is reported as a crash and
 * recovered. Skipped (exit 77) when qemu-system-riscv32 or the rv32
 * images are missing.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <amplink/remoteproc.h>
#include <metal/sys.h>

#include "check.h"
#include "qemu_session.h"

#define QR_MAX_PAYLOAD 496

static void test_rv32_echo_then_multi(void)
{
	unsigned char msg[QR_MAX_PAYLOAD];
	struct qemu_session s;
	struct qs_service *svc;
	int len, i, bad = 0;

	REQUIRE(qs_create(&s, &qs_rv32, 0) == 0);
	REQUIRE(qs_boot(&s, qs_image(&qs_rv32, "echo")) == 0);
	REQUIRE(qs_wait_services(&s, 1, 5000) == 0);
	svc = qs_service(&s, "rpmsg-raw");
	REQUIRE(svc != NULL);
	for (len = 1; len <= QR_MAX_PAYLOAD && !bad; len++) {
		for (i = 0; i < len; i++)
			msg[i] = (unsigned char)(len * 5 + i * 11);
		if (qs_request(&s, svc, msg, len, 2000) != len ||
		    memcmp(s.reply, msg, (size_t)len) != 0)
			bad = len;
	}
	CHECK_EQ_INT(bad, 0);
	CHECK_EQ_INT(qs_stop(&s), 0);
	REQUIRE(qs_boot(&s, qs_image(&qs_rv32, "multi")) == 0);
	CHECK_EQ_INT(qs_wait_services(&s, 3, 5000), 0);
	svc = qs_service(&s, "amplink-upper");
	REQUIRE(svc != NULL);
	CHECK_EQ_INT(qs_request(&s, svc, "risc-v", 6, 2000), 6);
	CHECK(memcmp(s.reply, "RISC-V", 6) == 0);
	qs_destroy(&s);
}

/* An illegal instruction is reported through the trap vector and recovered. */
static void test_rv32_fault_recovered(void)
{
	struct amplink_qemu_status st;
	struct qemu_session s;
	struct qs_service *svc;

	REQUIRE(qs_create(&s, &qs_rv32, 0) == 0);
	CHECK_EQ_INT(amplink_remoteproc_set_recovery(s.rproc, 1), 0);
	REQUIRE(qs_boot(&s, qs_image(&qs_rv32, "crash")) == 0);
	REQUIRE(qs_wait_services(&s, 1, 5000) == 0);
	svc = qs_service(&s, "rpmsg-raw");
	REQUIRE(svc != NULL);
	CHECK_EQ_INT(qs_request(&s, svc, "fault", 5, 4000), -RPROC_ENODEV);
	CHECK_EQ_INT(s.rproc->state, RPROC_ERROR);
	CHECK_EQ_INT(amplink_qemu_get_status(s.rproc, &st), 0);
	CHECK_EQ_INT(st.state, AMPLINK_MAILBOX_FAULT);
	CHECK_EQ_INT(st.fault_cause, 2); /* illegal instruction */
	CHECK(st.fault_pc >= 0x80000000u && st.fault_pc < 0x80100000u);
	CHECK_EQ_INT(qs_recover(&s), 0);
	REQUIRE(qs_wait_services(&s, 1, 5000) == 0);
	svc = qs_service(&s, "rpmsg-raw");
	REQUIRE(svc != NULL);
	CHECK_EQ_INT(qs_request(&s, svc, "again", 5, 2000), 5);
	qs_destroy(&s);
}

int main(void)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;

	params.log_level = METAL_LOG_WARNING;
	metal_init(&params);
	if (!qs_prerequisites(&qs_rv32)) {
		fprintf(stderr, "qemu riscv test: skipped\n");
		return 77;
	}
	RUN(test_rv32_echo_then_multi);
	RUN(test_rv32_fault_recovered);
	metal_finish();
	return check_summary();
}
