/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Wire bytes of RPMsg over virtio, checked by an independent decoder that
 * reads the shared memory with offsets from SPEC.md (not the library's
 * structs): the host's RX posting, the 16-byte message header in both
 * directions, the 40-byte name-service message (every byte defined), and the
 * vdev status and accepted features in the resource table.
 */
#define _GNU_SOURCE
#include <string.h>

#include "check.h"
#include "rpmsg_harness.h"

#define VDEV_AT 20u /* offset of the vdev entry in the table */

static int count_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)ept;
	(void)data;
	(void)len;
	(void)src;
	(*(int *)priv)++;
	return RPMSG_SUCCESS;
}

/* The buffer bytes of descriptor @id of vring @v. */
static const uint8_t *desc_bytes(struct rh *h, int v, uint32_t id, uint32_t *len, uint16_t *flags)
{
	uint32_t d = rh_vring_off(h, v) + 16u * id;
	uint64_t addr = rh_rd64(h, d);

	*len = rh_rd32(h, d + 8);
	*flags = rh_rd16(h, d + 12);
	if (addr >= RH_MEM_SIZE)
		return NULL;
	return h->mem + addr;
}

/* Check a 16-byte header at @p. */
static void check_hdr(const uint8_t *p, uint32_t src, uint32_t dst, uint16_t len)
{
	const uint8_t want[16] = {(uint8_t)src,
				  (uint8_t)(src >> 8),
				  (uint8_t)(src >> 16),
				  (uint8_t)(src >> 24),
				  (uint8_t)dst,
				  (uint8_t)(dst >> 8),
				  (uint8_t)(dst >> 16),
				  (uint8_t)(dst >> 24),
				  0,
				  0,
				  0,
				  0,
				  (uint8_t)len,
				  (uint8_t)(len >> 8),
				  0,
				  0};

	CHECK_MEM_EQ(p, want, 16);
}

static void test_handshake_bytes(void)
{
	struct rh h;
	uint32_t i, len, id;
	uint16_t flags;

	REQUIRE(rh_init(&h, 32, true, NULL, NULL) == 0);
	CHECK_EQ_INT(h.mem[VDEV_AT + 24], 0x0F);    /* ACK|DRIVER|FEATURES_OK|DRIVER_OK */
	CHECK_EQ_INT(rh_rd32(&h, VDEV_AT + 16), 1); /* gfeatures: F_NS accepted */
	/* The host posted 32 RX buffers of 512 writable bytes to vq 0. */
	CHECK_EQ_INT(rh_rd16(&h, rh_avail_off(&h, 0) + 2), 32);
	for (i = 0; i < 32; i++) {
		id = rh_rd16(&h, rh_avail_off(&h, 0) + 4 + 2 * i);
		REQUIRE(id < 32);
		REQUIRE(desc_bytes(&h, 0, id, &len, &flags) != NULL);
		CHECK_EQ_INT(len, 512);
		CHECK_EQ_INT(flags, 2);
	}
	/* Nothing was posted for sending yet. */
	CHECK_EQ_INT(rh_rd16(&h, rh_avail_off(&h, 1) + 2), 0);
	rh_fini(&h);
}

static void test_message_bytes(void)
{
	struct rh h;
	struct rpmsg_endpoint he, re;
	const uint8_t *p;
	uint32_t len, id;
	uint16_t flags;
	int hn = 0, rn = 0;

	REQUIRE(rh_init(&h, 32, false, NULL, NULL) == 0);
	REQUIRE(rpmsg_create_ept(&he, &h.host.rvdev.rdev, "", 0x12345, 0x400, count_cb, NULL) == 0);
	REQUIRE(rpmsg_create_ept(&re, &h.remote.rvdev.rdev, "", 0x400, 0x12345, count_cb, NULL) ==
		0);
	he.priv = &hn;
	re.priv = &rn;
	/* Host -> remote: one readable descriptor on vq 1. */
	CHECK_EQ_INT(rpmsg_send(&he, "ABC", 3), 3);
	CHECK_EQ_INT(rh_rd16(&h, rh_avail_off(&h, 1) + 2), 1);
	id = rh_rd16(&h, rh_avail_off(&h, 1) + 4);
	REQUIRE(id < 32);
	p = desc_bytes(&h, 1, id, &len, &flags);
	REQUIRE(p != NULL);
	CHECK_EQ_INT(len, 19);
	CHECK_EQ_INT(flags, 0);
	check_hdr(p, 0x12345, 0x400, 3);
	CHECK_MEM_EQ(p + 16, "ABC", 3);
	rh_pump(&h);
	CHECK_EQ_INT(rn, 1);
	/* Remote -> host: a used entry on vq 0 with the written length. */
	CHECK_EQ_INT(rpmsg_send(&re, "DEFG", 4), 4);
	CHECK_EQ_INT(rh_rd16(&h, rh_used_off(&h, 0) + 2), 1);
	id = rh_rd32(&h, rh_used_off(&h, 0) + 4);
	CHECK_EQ_INT(rh_rd32(&h, rh_used_off(&h, 0) + 8), 20);
	REQUIRE(id < 32);
	p = desc_bytes(&h, 0, id, &len, &flags);
	REQUIRE(p != NULL);
	check_hdr(p, 0x400, 0x12345, 4);
	CHECK_MEM_EQ(p + 16, "DEFG", 4);
	rh_pump(&h);
	CHECK_EQ_INT(hn, 1);
	/* The remote gave the host's TX buffer back (used on vq 1, no bytes written). */
	CHECK_EQ_INT(rh_rd16(&h, rh_used_off(&h, 1) + 2), 1);
	CHECK_EQ_INT(rh_rd32(&h, rh_used_off(&h, 1) + 8), 0);
	rpmsg_destroy_ept(&he);
	rpmsg_destroy_ept(&re);
	rh_fini(&h);
}

/* Check the NS message in used entry @n of vq 0. */
static void check_ns(struct rh *h, uint16_t n, const char *name, uint32_t addr, uint32_t fl)
{
	uint8_t want[40];
	const uint8_t *p;
	uint32_t len, id;
	uint16_t flags;

	id = rh_rd32(h, rh_used_off(h, 0) + 4 + 8u * n);
	CHECK_EQ_INT(rh_rd32(h, rh_used_off(h, 0) + 8 + 8u * n), 56);
	REQUIRE(id < h->vring_num);
	p = desc_bytes(h, 0, id, &len, &flags);
	REQUIRE(p != NULL);
	check_hdr(p, addr, 53, 40);
	memset(want, 0, sizeof(want));
	memcpy(want, name, strlen(name));
	want[32] = (uint8_t)addr;
	want[33] = (uint8_t)(addr >> 8);
	want[34] = (uint8_t)(addr >> 16);
	want[35] = (uint8_t)(addr >> 24);
	want[36] = (uint8_t)fl;
	CHECK_MEM_EQ(p + 16, want, 40);
}

static void test_ns_bytes(void)
{
	struct rh h;
	struct rpmsg_endpoint re;

	REQUIRE(rh_init(&h, 32, true, NULL, NULL) == 0);
	/* Dirty the buffers so that a byte left undefined would show. */
	memset(h.mem + RH_POOL_OFF, 0xA5, 32 * 512);
	REQUIRE(rpmsg_create_ept(&re, &h.remote.rvdev.rdev, "rpmsg-tty", 0x401, RPMSG_ADDR_ANY,
				 count_cb, NULL) == 0);
	CHECK_EQ_INT(rh_rd16(&h, rh_used_off(&h, 0) + 2), 1);
	check_ns(&h, 0, "rpmsg-tty", 0x401, 0);
	rpmsg_destroy_ept(&re);
	CHECK_EQ_INT(rh_rd16(&h, rh_used_off(&h, 0) + 2), 2);
	check_ns(&h, 1, "rpmsg-tty", 0x401, 1);
	/* A 31-character name uses all but the terminating byte. */
	REQUIRE(rpmsg_create_ept(&re, &h.remote.rvdev.rdev, "abcdefghijklmnopqrstuvwxyz01234",
				 0x402, RPMSG_ADDR_ANY, count_cb, NULL) == 0);
	check_ns(&h, 2, "abcdefghijklmnopqrstuvwxyz01234", 0x402, 0);
	/* No announcement when the destination is known. */
	rpmsg_destroy_ept(&re);
	REQUIRE(rpmsg_create_ept(&re, &h.remote.rvdev.rdev, "fixed", 0x403, 0x500, count_cb,
				 NULL) == 0);
	CHECK_EQ_INT(rh_rd16(&h, rh_used_off(&h, 0) + 2), 4);
	rpmsg_destroy_ept(&re);
	CHECK_EQ_INT(rh_rd16(&h, rh_used_off(&h, 0) + 2), 4);
	rh_pump(&h);
	rh_fini(&h);
}

int main(void)
{
	RUN(test_handshake_bytes);
	RUN(test_message_bytes);
	RUN(test_ns_bytes);
	return check_summary();
}
