/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Resource-table parser: every entry type handled (carveout and devmem
 * mapped with addresses written back, trace mapped, vdev notify ids reserved
 * or allocated, vendor entries passed to ops->handle_rsc), entry lookup,
 * remoteproc_set_rsc_table, and every malformed table refused with its own
 * error before anything is mapped or written (the table bytes stay as they
 * were, no mmap call, no vendor call, no notify id taken).
 */
#include <string.h>

#include <amplink/remoteproc.h>
#include <metal/sys.h>
#include <openamp/remoteproc.h>
#include <openamp/rsc_table_parser.h>

#include "check.h"
#include "remoteproc/rproc_fixture.h"
#include "remoteproc/rsc_builder.h"

static struct fx_platform fx;
static struct rb b;
static unsigned long parsed_bitmap; /* notify ids taken by the last parse */

static const struct rb_vring two_any[2] = {
	{FW_RSC_U32_ADDR_ANY, 16, 8, RSC_NOTIFY_ID_ANY},
	{FW_RSC_U32_ADDR_ANY, 16, 8, RSC_NOTIFY_ID_ANY},
};

/* Runs handle_rsc_table on b; expects @expect and, on failure, no effect at all. */
static void parse(size_t len, int expect)
{
	unsigned char before[RB_SIZE];
	struct remoteproc *rproc = fx_setup(&fx);

	REQUIRE(rproc);
	memcpy(before, b.buf, sizeof(before));
	CHECK_EQ_INT(handle_rsc_table(rproc, (struct resource_table *)b.buf, len, NULL), expect);
	if (expect) {
		CHECK_MEM_EQ(before, b.buf, sizeof(before));
		CHECK_EQ_INT(fx.n_mmap, 0);
		CHECK_EQ_INT(fx.n_handle_rsc, 0);
		CHECK_EQ_INT(rproc->bitmap, 0);
		CHECK(fx_log_errors >= 1);
		CHECK_EQ_INT(amplink_rsc_table_check(b.buf, len), expect);
	}
	parsed_bitmap = rproc->bitmap;
	remoteproc_remove(rproc);
}

static void test_all_entry_types(void)
{
	static const struct rb_vring fixed[2] = {{FX_RAM_DA + 0x4000, 4096, 16, 6},
						 {FX_RAM_DA + 0x6000, 4096, 16, 7}};
	size_t c1, c2, dm, vd;

	rb_init(&b, 6);
	c1 = rb_mem(&b, RSC_CARVEOUT, FX_RAM_DA + 0x1000, FW_RSC_U32_ADDR_ANY, 0x800, "fixed");
	c2 = rb_mem(&b, RSC_CARVEOUT, FW_RSC_U32_ADDR_ANY, FW_RSC_U32_ADDR_ANY, 0x400, "any");
	dm = rb_mem(&b, RSC_DEVMEM, FW_RSC_U32_ADDR_ANY, FX_RAM_PA + 0x100, 0x100, "regs");
	rb_trace(&b, FX_RAM_DA + 0x2000, 0x100, "trace");
	vd = rb_vdev(&b, 7, 5, 1, fixed, 2, 4);
	rb_vendor(&b, 200, 16);
	parse(b.len, 0);
	CHECK_EQ_INT(rb_get32(&b, c1 + 8), FX_RAM_PA + 0x1000); /* pa written back */
	CHECK_EQ_INT(rb_get32(&b, c2 + 4), FX_POOL_PA);		/* allocated by mmap */
	CHECK_EQ_INT(rb_get32(&b, c2 + 8), FX_POOL_PA);
	CHECK_EQ_INT(rb_get32(&b, dm + 4), FX_RAM_DA + 0x100); /* devmem da found from pa */
	CHECK_EQ_INT(rb_get32(&b, vd + 8), 5);		       /* fixed ids kept */
	CHECK_EQ_INT(fx.n_handle_rsc, 1);
	CHECK_EQ_INT(fx.last_rsc_type, 200);
	CHECK_EQ_INT(fx.last_rsc_len, 16);
	CHECK_EQ_INT(parsed_bitmap, (1UL << 5) | (1UL << 6) | (1UL << 7));
	CHECK_EQ_INT(fx_log_errors, 0);
}

static void test_trace_unmapped_is_not_fatal(void)
{
	rb_init(&b, 1);
	rb_trace(&b, 0x70000000u, 0x100, "trace"); /* nowhere the host can see */
	parse(b.len, 0);
	CHECK_EQ_INT(fx.n_mmap, 1); /* it was tried */
	CHECK_EQ_INT(fx_log_errors, 0);
}

static void test_vdev_ids_allocated(void)
{
	size_t vd;

	rb_init(&b, 1);
	vd = rb_vdev(&b, 7, RSC_NOTIFY_ID_ANY, 1, two_any, 2, 0);
	parse(b.len, 0);
	CHECK_EQ_INT(rb_get32(&b, vd + 8), 0);
	CHECK_EQ_INT(rb_get32(&b, vd + 28 + 12), 1);
	CHECK_EQ_INT(rb_get32(&b, vd + 48 + 12), 2);
	CHECK_EQ_INT(rb_get32(&b, vd + 28), FW_RSC_U32_ADDR_ANY); /* vrings placed later */
}

static void test_vdev_id_conflict(void)
{
	static const struct rb_vring r[1] = {{FW_RSC_U32_ADDR_ANY, 16, 8, 3}};

	rb_init(&b, 2);
	rb_vdev(&b, 7, 1, 1, r, 1, 0);
	rb_vdev(&b, 3, 2, 1, r, 1, 0); /* vring id 3 again */
	{
		struct remoteproc *rproc = fx_setup(&fx);

		REQUIRE(rproc);
		CHECK_EQ_INT(handle_rsc_table(rproc, (void *)b.buf, b.len, NULL),
			     -AMPLINK_RPROC_ERR_RSC_NOTIFYID);
		remoteproc_remove(rproc);
	}
}

static void test_vendor_handling(void)
{
	struct remoteproc_ops no_vendor = fx_ops;
	struct remoteproc *rproc;

	rb_init(&b, 1);
	rb_vendor(&b, 511, 24);
	fx.fail_handle_rsc = 0;
	rproc = fx_setup(&fx);
	REQUIRE(rproc);
	fx.fail_handle_rsc = -RPROC_EINVAL; /* handler refuses: so does the table */
	CHECK_EQ_INT(handle_rsc_table(rproc, (void *)b.buf, b.len, NULL), -RPROC_EINVAL);
	no_vendor.handle_rsc = NULL; /* no handler: the entry is skipped */
	rproc->ops = &no_vendor;
	CHECK_EQ_INT(handle_rsc_table(rproc, (void *)b.buf, b.len, NULL), 0);
	rproc->ops = &fx_ops;
	remoteproc_remove(rproc);
}

static void test_find(void)
{
	size_t v0, v1;

	rb_init(&b, 3);
	v0 = rb_vdev(&b, 7, 1, 1, two_any, 2, 0);
	rb_trace(&b, FX_RAM_DA, 16, "t");
	v1 = rb_vdev(&b, 3, 2, 1, two_any, 1, 0);
	CHECK_EQ_INT(amplink_rsc_find(b.buf, b.len, RSC_VDEV, 0), v0);
	CHECK_EQ_INT(amplink_rsc_find(b.buf, b.len, RSC_VDEV, 1), v1);
	CHECK_EQ_INT(amplink_rsc_find(b.buf, b.len, RSC_VDEV, 2), 0);
	CHECK_EQ_INT(amplink_rsc_find(b.buf, b.len, RSC_CARVEOUT, 0), 0);
	CHECK_EQ_INT(find_rsc(b.buf, RSC_VDEV, 1), v1);
	CHECK_EQ_INT(amplink_rsc_find(b.buf, 20, RSC_VDEV, 0), 0); /* offsets past len */
}

static void test_bad_header(void)
{
	rb_init(&b, 1);
	rb_trace(&b, FX_RAM_DA, 16, "t");
	parse(15, -RPROC_ERR_RSC_TAB_TRUNC);
	rb_put32(&b, 0, 2);
	parse(b.len, -RPROC_ERR_RSC_TAB_VER);
	rb_put32(&b, 0, 1);
	rb_put32(&b, 8, 1);
	parse(b.len, -RPROC_ERR_RSC_TAB_RSVD);
	rb_put32(&b, 8, 0);
	rb_put32(&b, 12, 0x80000000u);
	parse(b.len, -RPROC_ERR_RSC_TAB_RSVD);
	rb_put32(&b, 12, 0);
	rb_put32(&b, 4, 0x40000000u); /* num: offsets run past the table */
	parse(b.len, -RPROC_ERR_RSC_TAB_TRUNC);
	rb_put32(&b, 4, 0xffffffffu);
	parse(b.len, -RPROC_ERR_RSC_TAB_TRUNC);
}

static void test_bad_offsets(void)
{
	rb_init(&b, 1);
	rb_trace(&b, FX_RAM_DA, 16, "t");
	rb_put32(&b, 16, 8); /* inside the header */
	parse(b.len, -AMPLINK_RPROC_ERR_RSC_OFFSET);
	rb_put32(&b, 16, (uint32_t)b.len);
	parse(b.len, -AMPLINK_RPROC_ERR_RSC_OFFSET);
	rb_put32(&b, 16, (uint32_t)b.len - 2); /* no room for the type word */
	parse(b.len, -AMPLINK_RPROC_ERR_RSC_OFFSET);
	rb_put32(&b, 16, 0xfffffff0u);
	parse(b.len, -AMPLINK_RPROC_ERR_RSC_OFFSET);
}

static void test_bad_carveout_devmem(void)
{
	size_t e;

	rb_init(&b, 1);
	e = rb_mem(&b, RSC_CARVEOUT, FX_RAM_DA, FW_RSC_U32_ADDR_ANY, 16, "c");
	parse(b.len - 1, -AMPLINK_RPROC_ERR_RSC_ENTRY); /* name cut off */
	rb_put32(&b, e + 20, 1);
	parse(b.len, -RPROC_ERR_RSC_TAB_RSVD);
	rb_put32(&b, e + 20, 0);
	rb_put32(&b, e + 12, 0);
	parse(b.len, -AMPLINK_RPROC_ERR_RSC_RANGE); /* length 0 */
	rb_put32(&b, e + 12, 0x2000);
	rb_put32(&b, e + 4, 0xfffff000u); /* da wraps */
	parse(b.len, -AMPLINK_RPROC_ERR_RSC_RANGE);
	rb_put32(&b, e + 4, FX_RAM_DA);
	rb_put32(&b, e + 8, 0xfffff000u); /* pa wraps */
	parse(b.len, -AMPLINK_RPROC_ERR_RSC_RANGE);
	rb_init(&b, 1);
	rb_mem(&b, RSC_DEVMEM, FX_RAM_DA, FW_RSC_U32_ADDR_ANY, 16, "d"); /* devmem needs a pa */
	parse(b.len, -AMPLINK_RPROC_ERR_RSC_RANGE);
}

static void test_bad_trace(void)
{
	size_t e;

	rb_init(&b, 1);
	e = rb_trace(&b, FX_RAM_DA, 16, "t");
	parse(b.len - 4, -AMPLINK_RPROC_ERR_RSC_ENTRY);
	rb_put32(&b, e + 12, 7);
	parse(b.len, -RPROC_ERR_RSC_TAB_RSVD);
	rb_put32(&b, e + 12, 0);
	rb_put32(&b, e + 8, 0);
	parse(b.len, -AMPLINK_RPROC_ERR_RSC_RANGE);
	rb_put32(&b, e + 8, 16);
	rb_put32(&b, e + 4, FW_RSC_U32_ADDR_ANY);
	parse(b.len, -AMPLINK_RPROC_ERR_RSC_RANGE);
}

static void test_bad_vdev_lengths(void)
{
	size_t e;

	rb_init(&b, 1);
	e = rb_vdev(&b, 7, 1, 1, two_any, 2, 8);
	parse(e + 20, -AMPLINK_RPROC_ERR_RSC_ENTRY);	  /* fixed part cut */
	parse(e + 28 + 30, -AMPLINK_RPROC_ERR_RSC_ENTRY); /* second vring cut */
	parse(b.len - 1, -AMPLINK_RPROC_ERR_RSC_ENTRY);	  /* config space cut */
	rb_put32(&b, e + 20, 0xffffffffu);		  /* config_len absurd */
	parse(b.len, -AMPLINK_RPROC_ERR_RSC_ENTRY);
	rb_put32(&b, e + 20, 8);
	b.buf[e + 25] = 200; /* 200 vrings: more than the table holds */
	parse(b.len, -RPROC_ERR_RSC_TAB_VDEV_NRINGS);
	b.buf[e + 25] = 0;
	parse(b.len, -RPROC_ERR_RSC_TAB_VDEV_NRINGS);
	b.buf[e + 25] = 2;
	b.buf[e + 26] = 1;
	parse(b.len, -RPROC_ERR_RSC_TAB_RSVD);
}

static void test_bad_vrings(void)
{
	static const uint32_t bad_num[] = {0, 3, 12, 65536, 0x80000000u};
	static const uint32_t bad_align[] = {0, 3, 24};
	size_t e, vr;
	unsigned int i;

	rb_init(&b, 1);
	e = rb_vdev(&b, 7, 1, 1, two_any, 2, 0);
	vr = e + 48; /* second vring */
	for (i = 0; i < sizeof(bad_num) / sizeof(bad_num[0]); i++) {
		rb_put32(&b, vr + 8, bad_num[i]);
		parse(b.len, -AMPLINK_RPROC_ERR_RSC_VRING);
	}
	rb_put32(&b, vr + 8, 8);
	for (i = 0; i < sizeof(bad_align) / sizeof(bad_align[0]); i++) {
		rb_put32(&b, vr + 4, bad_align[i]);
		parse(b.len, -AMPLINK_RPROC_ERR_RSC_VRING);
	}
	rb_put32(&b, vr + 4, 16);
	rb_put32(&b, vr, 0xffffff80u); /* 230-byte ring would wrap past 4 GiB */
	parse(b.len, -AMPLINK_RPROC_ERR_RSC_RANGE);
}

static void test_bad_vendor_and_types(void)
{
	static const uint32_t bad_types[] = {RSC_LAST, 127, 512, 0xffffffffu};
	size_t e;
	unsigned int i;

	rb_init(&b, 1);
	e = rb_vendor(&b, 300, 16);
	rb_put32(&b, e + 4, 4);
	parse(b.len, -AMPLINK_RPROC_ERR_RSC_ENTRY);
	rb_put32(&b, e + 4, 17); /* longer than what is left */
	parse(b.len, -AMPLINK_RPROC_ERR_RSC_ENTRY);
	rb_put32(&b, e + 4, 16);
	parse(b.len - 9, -AMPLINK_RPROC_ERR_RSC_ENTRY);
	for (i = 0; i < sizeof(bad_types) / sizeof(bad_types[0]); i++) {
		rb_put32(&b, e, bad_types[i]);
		parse(b.len, -RPROC_ERR_RSC_TAB_NS);
	}
}

static void test_bad_entry_after_good(void)
{
	size_t c;

	rb_init(&b, 2);
	c = rb_mem(&b, RSC_CARVEOUT, FX_RAM_DA, FW_RSC_U32_ADDR_ANY, 16, "c");
	rb_trace(&b, FW_RSC_U32_ADDR_ANY, 16, "t");
	parse(b.len, -AMPLINK_RPROC_ERR_RSC_RANGE);
	CHECK_EQ_INT(rb_get32(&b, c + 8), FW_RSC_U32_ADDR_ANY); /* first not handled either */
}

static void test_set_rsc_table(void)
{
	struct remoteproc *rproc = fx_setup(&fx);
	unsigned char *in_ram = fx_ram(&fx, FX_RAM_DA + 0x3000);
	size_t vd;

	REQUIRE(rproc);
	rb_init(&b, 1);
	vd = rb_vdev(&b, 7, RSC_NOTIFY_ID_ANY, 1, two_any, 2, 0);
	/* a table outside every known memory gets a private io region */
	CHECK_EQ_INT(remoteproc_set_rsc_table(rproc, (void *)b.buf, b.len), 0);
	CHECK(rproc->rsc_table == b.buf);
	CHECK(rproc->rsc_io == &rproc->amplink.rsc_io_own);
	CHECK_EQ_INT(rb_get32(&b, vd + 8), 0);
	/* a table in RAM uses the RAM's region */
	rb_init(&b, 1);
	rb_vdev(&b, 7, RSC_NOTIFY_ID_ANY, 1, two_any, 2, 0);
	memcpy(in_ram, b.buf, b.len);
	CHECK_EQ_INT(remoteproc_set_rsc_table(rproc, (void *)in_ram, b.len), 0);
	CHECK(rproc->rsc_io == &fx.ram_io);
	CHECK_EQ_INT(rproc->rsc_len, b.len);
	/* a bad one is refused and forgotten */
	rb_put32(&b, 0, 9);
	CHECK_EQ_INT(remoteproc_set_rsc_table(rproc, (void *)b.buf, b.len), -RPROC_ERR_RSC_TAB_VER);
	CHECK(rproc->rsc_table == NULL);
	CHECK_EQ_INT(remoteproc_set_rsc_table(rproc, NULL, 16), -RPROC_EINVAL);
	remoteproc_remove(rproc);
}

int main(void)
{
	fx_metal_init();
	RUN(test_all_entry_types);
	RUN(test_trace_unmapped_is_not_fatal);
	RUN(test_vdev_ids_allocated);
	RUN(test_vdev_id_conflict);
	RUN(test_vendor_handling);
	RUN(test_find);
	RUN(test_bad_header);
	RUN(test_bad_offsets);
	RUN(test_bad_carveout_devmem);
	RUN(test_bad_trace);
	RUN(test_bad_vdev_lengths);
	RUN(test_bad_vrings);
	RUN(test_bad_vendor_and_types);
	RUN(test_bad_entry_after_good);
	RUN(test_set_rsc_table);
	metal_finish();
	return check_summary();
}
