/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ELF loader, good paths: ELF32 and ELF64 images loaded with remoteproc_load
 * (segments placed through the da->pa translation, tails zero-filled, entry
 * point, resource table parsed and copied into the image), header parsing
 * through 1-byte windows, remoteproc_load_noblock through small windows, and
 * the header/section lookup of a real ELF file: this test program itself,
 * which carries a ".resource_table" section.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amplink/remoteproc.h>
#include <metal/sys.h>
#include <openamp/elf_loader.h>
#include <openamp/remoteproc.h>

#include "check.h"
#include "elf/elf_images.h"

/* A resource table inside this very program, found through its section headers. */
__attribute__((section(".resource_table"), used)) static const uint32_t self_rsc[6] = {
	1, 0, 0, 0, 0xC0FFEE01u, 0xC0FFEE02u};

static struct fx_platform fx;
static struct eb_image im;
static struct fx_store st;

static struct remoteproc *ready(void)
{
	struct remoteproc *rproc = fx_setup(&fx);

	if (rproc && remoteproc_config(rproc, NULL) != 0)
		return NULL;
	return rproc;
}

static void check_table_installed(struct remoteproc *rproc, const struct ti_offsets *o)
{
	unsigned char *t = fx_ram(&fx, TI_RSC_DA);
	uint32_t v;

	CHECK(rproc->rsc_table == t);
	CHECK(rproc->rsc_io == &fx.ram_io);
	memcpy(&v, t + o->vdev + 8, 4); /* vdev notifyid: allocated */
	CHECK_EQ_INT(v, 0);
	memcpy(&v, t + o->vdev + 28 + 12, 4); /* vring 0 notifyid */
	CHECK_EQ_INT(v, 1);
	memcpy(&v, t + o->vdev + 48 + 12, 4); /* vring 1 notifyid */
	CHECK_EQ_INT(v, 2);
	memcpy(&v, t + o->carveout + 8, 4); /* carveout pa written back */
	CHECK_EQ_INT(v, FX_RAM_PA + (TI_CARVE_DA - FX_RAM_DA));
}

static void load_class(int is64)
{
	struct ti_offsets o;
	struct rb rsc;
	struct remoteproc *rproc = ready();

	REQUIRE(rproc);
	ti_rsc(&rsc, &o);
	ti_image(&im, is64, is64 ? EM_X86_64 : EM_ARM, &rsc);
	fx_store_init(&st, im.buf, im.len);
	CHECK_EQ_INT(remoteproc_load(rproc, "fw.elf", &st, &fx_store_ops, NULL), 0);
	CHECK(ti_check_loaded(&fx));
	CHECK_EQ_INT(rproc->bootaddr, TI_ENTRY);
	CHECK_EQ_INT(rproc->state, RPROC_READY);
	CHECK_EQ_INT(st.n_open, 1);
	CHECK_EQ_INT(st.n_close, 1);
	CHECK_EQ_INT(st.n_seg_writes, 2); /* code and table; bss has no file data */
	check_table_installed(rproc, &o);
	CHECK_EQ_INT(fx_log_errors, 0);
	CHECK_EQ_INT(remoteproc_start(rproc), 0);
	CHECK_EQ_INT(remoteproc_shutdown(rproc), 0);
	CHECK_EQ_INT(remoteproc_remove(rproc), 0);
}

static void test_load_elf32(void)
{
	load_class(0);
}

static void test_load_elf64(void)
{
	load_class(1);
}

static void test_load_chunked_store(void)
{
	struct ti_offsets o;
	struct rb rsc;
	struct remoteproc *rproc = ready();

	REQUIRE(rproc);
	ti_rsc(&rsc, &o);
	ti_image(&im, 1, EM_ARM, &rsc);
	fx_store_init(&st, im.buf, im.len);
	st.max_chunk = 13; /* a store that reads through a 13-byte buffer */
	CHECK_EQ_INT(remoteproc_load(rproc, "fw.elf", &st, &fx_store_ops, NULL), 0);
	CHECK(ti_check_loaded(&fx));
	CHECK(st.n_seg_writes > 20);
	check_table_installed(rproc, &o);
	remoteproc_remove(rproc);
}

static void test_load_without_rsc_table(void)
{
	struct remoteproc *rproc = ready();

	REQUIRE(rproc);
	ti_image(&im, 0, EM_ARM, NULL);
	fx_store_init(&st, im.buf, im.len);
	CHECK_EQ_INT(remoteproc_load(rproc, "fw.elf", &st, &fx_store_ops, NULL), 0);
	CHECK(ti_check_loaded(&fx));
	CHECK(rproc->rsc_table == NULL);
	remoteproc_remove(rproc);
}

static void test_img_info_returned(void)
{
	struct remoteproc *rproc = ready();
	metal_phys_addr_t da;
	size_t off, size;
	void *info = NULL;
	struct rb rsc;

	REQUIRE(rproc);
	ti_rsc(&rsc, NULL);
	ti_image(&im, 1, EM_RISCV, &rsc);
	fx_store_init(&st, im.buf, im.len);
	REQUIRE(remoteproc_load(rproc, "fw.elf", &st, &fx_store_ops, &info) == 0);
	REQUIRE(info != NULL);
	CHECK_EQ_INT(elf_get_entry(info), TI_ENTRY);
	CHECK_EQ_INT(amplink_elf_get_machine(info), EM_RISCV);
	CHECK(elf_get_load_state(info) & RPROC_LOADER_LOAD_COMPLETE);
	CHECK_EQ_INT(elf_locate_rsc_table(info, &da, &off, &size), 0);
	CHECK_EQ_INT(da, TI_RSC_DA);
	CHECK_EQ_INT(off, im.seg_off[1]);
	CHECK_EQ_INT(size, rsc.len);
	CHECK(rproc->loader == &elf_ops);
	rproc->loader->release(info);
	remoteproc_remove(rproc);
}

static void test_identify(void)
{
	ti_image(&im, 0, EM_ARM, NULL);
	CHECK_EQ_INT(elf_identify(im.buf, im.len), 0);
	CHECK_EQ_INT(elf_identify(im.buf, 15), -AMPLINK_RPROC_ERR_ELF_TRUNC);
	CHECK_EQ_INT(elf_identify(NULL, 64), -AMPLINK_RPROC_ERR_ELF_TRUNC);
	im.buf[1] = 'X';
	CHECK_EQ_INT(elf_identify(im.buf, im.len), -AMPLINK_RPROC_ERR_ELF_MAGIC);
	im.buf[1] = 'E';
	im.buf[EI_CLASS] = 0;
	CHECK_EQ_INT(elf_identify(im.buf, im.len), -AMPLINK_RPROC_ERR_ELF_CLASS);
	im.buf[EI_CLASS] = ELFCLASS64;
	im.buf[EI_DATA] = ELFDATA2MSB;
	CHECK_EQ_INT(elf_identify(im.buf, im.len), -AMPLINK_RPROC_ERR_ELF_DATA);
}

/* Feeds exactly what the loader asks for, @window bytes at a time. */
static int feed_headers(const unsigned char *img, size_t len, size_t window, void **info,
			int *calls)
{
	size_t noff = 0, nlen = 0, give = 0, off = 0;
	int state = 0;

	*calls = 0;
	do {
		state = elf_load_header(give ? img + off : NULL, off, give, info, state, &noff,
					&nlen);
		++*calls;
		if (state < 0 || (state & RPROC_LOADER_READY_TO_LOAD))
			break;
		off = noff;
		give = nlen < window ? nlen : window;
		if (off + give > len)
			return -1;
	} while (*calls < 100000);
	return state;
}

static void test_headers_byte_window(void)
{
	metal_phys_addr_t da;
	size_t off, size;
	void *info = NULL;
	struct rb rsc;
	int calls, state;

	ti_rsc(&rsc, NULL);
	ti_image(&im, 1, EM_ARM, &rsc);
	state = feed_headers(im.buf, im.len, 1, &info, &calls);
	REQUIRE(info != NULL);
	CHECK(state > 0 && (state & ELF_STATE_HDRS_COMPLETE));
	CHECK(calls > 64); /* really one byte at a time */
	CHECK_EQ_INT(elf_locate_rsc_table(info, &da, &off, &size), 0);
	CHECK_EQ_INT(da, TI_RSC_DA);
	CHECK_EQ_INT(size, rsc.len);
	CHECK_EQ_INT(elf_get_entry(info), TI_ENTRY);
	elf_release(info);
}

static void test_load_state_mismatch(void)
{
	size_t noff, nlen;
	void *info = NULL;
	int state;

	ti_image(&im, 0, EM_ARM, NULL);
	state = elf_load_header(im.buf, 0, 16, &info, 0, &noff, &nlen);
	REQUIRE(state >= 0 && info);
	CHECK_EQ_INT(elf_load_header(im.buf, 0, 64, &info, state + 1, &noff, &nlen),
		     -RPROC_ERR_LOADER_STATE);
	CHECK_EQ_INT(elf_locate_rsc_table(info, (metal_phys_addr_t *)&noff, &noff, &nlen),
		     -RPROC_ERR_LOADER_STATE);
	elf_release(info);
}

/* Runs remoteproc_load_noblock, copying segments @window bytes at a time. */
static int noblock_load(struct remoteproc *rproc, const unsigned char *img, size_t len,
			size_t window, int *steps)
{
	size_t off = 0, give = window < len ? window : len, noff, nlen, nmlen, i;
	struct metal_io_region *io;
	unsigned char pad;
	metal_phys_addr_t pa;
	void *info = NULL;
	int ret;

	for (*steps = 0; *steps < 100000; ++*steps) {
		ret = remoteproc_load_noblock(rproc, img + off, off, give, &info, &pa, &io, &noff,
					      &nlen, &nmlen, &pad);
		if (ret)
			return ret;
		if (nlen == 0 && nmlen == 0 && !info)
			return 0;
		if (pa == METAL_BAD_PHYS) { /* more header bytes */
			off = noff;
			give = nlen < window ? nlen : window;
			continue;
		}
		for (i = 0; i < nlen; i += window) /* segment: copy through the window */
			metal_io_block_write(io, metal_io_phys_to_offset(io, pa + i),
					     img + noff + i,
					     (int)(nlen - i < window ? nlen - i : window));
		if (nmlen > nlen)
			metal_io_block_set(io, metal_io_phys_to_offset(io, pa + nlen), pad,
					   (int)(nmlen - nlen));
		give = 0;
	}
	return -1;
}

static void noblock_class(int is64, size_t window)
{
	struct ti_offsets o;
	struct rb rsc;
	struct remoteproc *rproc = ready();
	int steps;

	REQUIRE(rproc);
	ti_rsc(&rsc, &o);
	ti_image(&im, is64, EM_ARM, &rsc);
	CHECK_EQ_INT(noblock_load(rproc, im.buf, im.len, window, &steps), 0);
	CHECK(steps > 4);
	CHECK(ti_check_loaded(&fx));
	CHECK_EQ_INT(rproc->bootaddr, TI_ENTRY);
	check_table_installed(rproc, &o);
	CHECK_EQ_INT(remoteproc_start(rproc), 0);
	CHECK_EQ_INT(remoteproc_shutdown(rproc), 0);
	remoteproc_remove(rproc);
}

static void test_noblock_window_32(void)
{
	noblock_class(0, 32);
	noblock_class(1, 32);
}

static void test_noblock_window_7(void)
{
	noblock_class(0, 7);
	noblock_class(1, 7);
}

static void test_noblock_needs_ready(void)
{
	size_t noff, nlen, nmlen;
	struct metal_io_region *io;
	metal_phys_addr_t pa;
	unsigned char pad;
	void *info = NULL;
	struct remoteproc *rproc = fx_setup(&fx);

	REQUIRE(rproc);
	ti_image(&im, 0, EM_ARM, NULL);
	CHECK_EQ_INT(remoteproc_load_noblock(rproc, im.buf, 0, im.len, &info, &pa, &io, &noff,
					     &nlen, &nmlen, &pad),
		     -AMPLINK_RPROC_ERR_STATE);
	CHECK(info == NULL);
	remoteproc_remove(rproc);
}

static unsigned char *read_self(size_t *len)
{
	FILE *f = fopen("/proc/self/exe", "rb");
	unsigned char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return buf;
}

static void test_real_elf_self(void)
{
	size_t len = 0, off, size;
	metal_phys_addr_t da;
	unsigned char *img = read_self(&len);
	void *info = NULL;
	int calls, state;

	REQUIRE(img);
	CHECK_EQ_INT(elf_identify(img, len), 0);
	state = feed_headers(img, len, 512, &info, &calls);
	CHECK(state > 0 && (state & RPROC_LOADER_READY_TO_LOAD));
	REQUIRE(info);
	CHECK_EQ_INT(amplink_elf_set_image_len(info, len), 0);
#if defined(__x86_64__)
	CHECK_EQ_INT(amplink_elf_get_machine(info), EM_X86_64);
#endif
	CHECK_EQ_INT(elf_locate_rsc_table(info, &da, &off, &size), 0);
	CHECK(size >= sizeof(self_rsc));
	REQUIRE(off + sizeof(self_rsc) <= len);
	CHECK_MEM_EQ(img + off, self_rsc, sizeof(self_rsc));
	CHECK(elf_get_entry(info) != METAL_BAD_PHYS);
	elf_release(info);
	free(img);
}

int main(void)
{
	fx_metal_init();
	RUN(test_identify);
	RUN(test_load_elf32);
	RUN(test_load_elf64);
	RUN(test_load_chunked_store);
	RUN(test_load_without_rsc_table);
	RUN(test_img_info_returned);
	RUN(test_headers_byte_window);
	RUN(test_load_state_mismatch);
	RUN(test_noblock_window_32);
	RUN(test_noblock_window_7);
	RUN(test_noblock_needs_ready);
	RUN(test_real_elf_self);
	metal_finish();
	return check_summary();
}
