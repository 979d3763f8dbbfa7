/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Randomised corruption (deterministic seed, bounded iterations): valid ELF32
 * and ELF64 images and resource tables with a few bytes changed are loaded
 * and parsed. Whatever the bytes, the call returns, and when it refuses the
 * input nothing was written: the target RAM keeps its fill pattern and the
 * table keeps its bytes. Runs under ASan/UBSan and valgrind like the others.
 */
#include <string.h>

#include <amplink/remoteproc.h>
#include <metal/sys.h>
#include <openamp/elf_loader.h>
#include <openamp/remoteproc.h>
#include <openamp/rsc_table_parser.h>

#include "check.h"
#include "elf/elf_images.h"

#define FUZZ_ROUNDS 1500

static struct fx_platform fx;
static struct eb_image im;
static struct fx_store st;
static struct rb rsc;
static uint32_t fuzz_seed = 0x12345678u;

static uint32_t fuzz_next(void)
{
	fuzz_seed = fuzz_seed * 1664525u + 1013904223u;
	return fuzz_seed >> 8;
}

/* Changes 1..4 bytes of @buf[0, @len), favouring the first @hot bytes. */
static void fuzz_mutate(unsigned char *buf, size_t len, size_t hot)
{
	unsigned int n = 1 + fuzz_next() % 4, i;
	size_t at;

	for (i = 0; i < n; i++) {
		at = (fuzz_next() & 1) && hot ? fuzz_next() % hot : fuzz_next() % len;
		buf[at] = (fuzz_next() & 3) ? (unsigned char)fuzz_next() : 0xff;
	}
}

static void fuzz_elf_class(int is64, int *ok, int *refused)
{
	struct remoteproc *rproc;
	int i, ret, clean;

	for (i = 0; i < FUZZ_ROUNDS; i++) {
		ti_rsc(&rsc, NULL);
		ti_image(&im, is64, EM_ARM, &rsc);
		fuzz_mutate(im.buf, im.len, im.seg_off[0]); /* headers are the hot part */
		rproc = fx_setup(&fx);
		REQUIRE(rproc && remoteproc_config(rproc, NULL) == 0);
		fx_store_init(&st, im.buf, im.len);
		ret = remoteproc_load(rproc, "fuzz.elf", &st, &fx_store_ops, NULL);
		if (ret == 0) {
			++*ok;
		} else {
			++*refused;
			clean = fx_ram_untouched(&fx) && st.n_seg_writes == 0 &&
				rproc->rsc_table == NULL;
			CHECK(clean);
			if (!clean)
				return;
		}
		remoteproc_remove(rproc);
	}
}

static void test_fuzz_elf(void)
{
	int ok = 0, refused = 0;

	fuzz_elf_class(0, &ok, &refused);
	fuzz_elf_class(1, &ok, &refused);
	printf("  elf: %d loaded, %d refused\n", ok, refused);
	CHECK(ok > 0 && refused > 0);
}

static void test_fuzz_rsc_table(void)
{
	unsigned char before[RB_SIZE];
	struct remoteproc *rproc;
	int i, ret, ok = 0, refused = 0;

	for (i = 0; i < FUZZ_ROUNDS * 2; i++) {
		ti_rsc(&rsc, NULL);
		fuzz_mutate(rsc.buf, rsc.len, 32);
		memcpy(before, rsc.buf, sizeof(before));
		rproc = fx_setup(&fx);
		REQUIRE(rproc);
		ret = handle_rsc_table(rproc, (struct resource_table *)rsc.buf, rsc.len, NULL);
		if (ret == 0) {
			ok++;
		} else if (amplink_rsc_table_check(before, rsc.len) != 0) {
			refused++; /* refused by validation: nothing may have changed */
			CHECK(memcmp(before, rsc.buf, sizeof(before)) == 0 && fx.n_mmap == 0);
		}
		remoteproc_remove(rproc);
	}
	printf("  rsc: %d handled, %d refused\n", ok, refused);
	CHECK(ok > 0 && refused > 0);
}

int main(void)
{
	struct metal_init_params quiet = {.log_handler = NULL, .log_level = METAL_LOG_EMERGENCY};

	metal_init(&quiet); /* thousands of refusals: keep the log quiet */
	RUN(test_fuzz_elf);
	RUN(test_fuzz_rsc_table);
	metal_finish();
	return check_summary();
}
