/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ELF loader, bad input: every malformed image is refused with its own
 * error code and one log line, and nothing at all is written to the target
 * memory (RAM still holds its fill pattern, the store wrote no segment, no
 * resource table is left behind). Truncations, bad identification, wrong
 * machine/type, header tables outside the file, absurd counts, overlapping
 * segments, segments outside memory, overflowing offsets and addresses,
 * filesz > memsz, no loadable segment, bad .resource_table section or table.
 */
#include <string.h>

#include <amplink/remoteproc.h>
#include <metal/sys.h>
#include <openamp/elf_loader.h>
#include <openamp/remoteproc.h>

#include "check.h"
#include "elf/elf_images.h"

static struct fx_platform fx;
static struct eb_image im;
static struct fx_store st;
static struct rb rsc;

static void std_image(int is64)
{
	ti_rsc(&rsc, NULL);
	ti_image(&im, is64, EM_ARM, &rsc);
}

/* Loads @len bytes of im with remoteproc_load; expects refusal @expect, nothing written. */
static void refused_len(size_t len, int expect, unsigned int machine)
{
	struct remoteproc *rproc = fx_setup(&fx);

	REQUIRE(rproc && remoteproc_config(rproc, NULL) == 0);
	amplink_remoteproc_set_machine(rproc, machine);
	fx_store_init(&st, im.buf, len);
	CHECK_EQ_INT(remoteproc_load(rproc, "bad.elf", &st, &fx_store_ops, NULL), expect);
	CHECK(fx_ram_untouched(&fx));
	CHECK_EQ_INT(st.n_seg_writes, 0);
	CHECK_EQ_INT(st.n_close, len ? 1 : 0); /* close only what opened */
	CHECK(fx_log_errors >= 1);
	CHECK(rproc->rsc_table == NULL);
	CHECK_EQ_INT(rproc->state, RPROC_READY);
	CHECK_EQ_INT(remoteproc_remove(rproc), 0);
}

static void refused(int expect)
{
	refused_len(im.len, expect, 0);
}

/* The same through remoteproc_load_noblock, the whole image in one window. */
static void refused_noblock(int expect)
{
	struct remoteproc *rproc = fx_setup(&fx);
	size_t noff = 0, nlen = 0, nmlen, off = 0, give = im.len;
	struct metal_io_region *io;
	metal_phys_addr_t pa;
	unsigned char pad;
	void *info = NULL;
	int ret, i;

	REQUIRE(rproc && remoteproc_config(rproc, NULL) == 0);
	for (i = 0; i < 16; i++) {
		ret = remoteproc_load_noblock(rproc, im.buf + off, off, give, &info, &pa, &io,
					      &noff, &nlen, &nmlen, &pad);
		if (ret || pa != METAL_BAD_PHYS)
			break;
		off = noff;
		give = im.len - off;
	}
	CHECK_EQ_INT(ret, expect);
	CHECK(info == NULL);
	CHECK(fx_ram_untouched(&fx));
	CHECK(rproc->rsc_table == NULL);
	remoteproc_remove(rproc);
}

static void test_truncated(void)
{
	std_image(0);
	refused_len(10, -AMPLINK_RPROC_ERR_ELF_TRUNC, 0);
	refused_len(30, -AMPLINK_RPROC_ERR_ELF_TRUNC, 0);
	refused_len(im.phoff + 10, -AMPLINK_RPROC_ERR_ELF_PHDR, 0);
	refused_len(im.shoff + 10, -AMPLINK_RPROC_ERR_ELF_SHDR, 0);
	/* without sections, a cut inside segment data is seen as such */
	eb_set(&im, EB_SHNUM, 0);
	refused_len(im.seg_off[0] + 100, -AMPLINK_RPROC_ERR_ELF_TRUNC, 0);
}

static void test_bad_magic(void)
{
	std_image(1);
	im.buf[3] = 'G';
	refused(-AMPLINK_RPROC_ERR_ELF_MAGIC);
	refused_noblock(-AMPLINK_RPROC_ERR_ELF_MAGIC);
}

static void test_bad_class(void)
{
	std_image(1);
	im.buf[EI_CLASS] = 3;
	refused(-AMPLINK_RPROC_ERR_ELF_CLASS);
	refused_noblock(-AMPLINK_RPROC_ERR_ELF_CLASS);
}

static void test_bad_data_encoding(void)
{
	std_image(0);
	im.buf[EI_DATA] = ELFDATA2MSB;
	refused(-AMPLINK_RPROC_ERR_ELF_DATA);
}

static void test_bad_ident_version(void)
{
	std_image(0);
	im.buf[EI_VERSION] = 0;
	refused(-AMPLINK_RPROC_ERR_ELF_HDR);
}

static void test_bad_machine(void)
{
	std_image(0);
	refused_len(im.len, -AMPLINK_RPROC_ERR_ELF_MACHINE, EM_RISCV);
}

static void test_bad_type(void)
{
	std_image(0);
	eb_set(&im, EB_TYPE, ET_REL);
	refused(-AMPLINK_RPROC_ERR_ELF_HDR);
	eb_set(&im, EB_TYPE, ET_CORE);
	refused(-AMPLINK_RPROC_ERR_ELF_HDR);
}

static void test_bad_phentsize(void)
{
	std_image(0);
	eb_set(&im, EB_PHENTSIZE, 33);
	refused(-AMPLINK_RPROC_ERR_ELF_PHDR);
}

static void test_absurd_phnum(void)
{
	std_image(0);
	eb_set(&im, EB_PHNUM, 0xffff);
	refused(-AMPLINK_RPROC_ERR_ELF_PHDR);
	eb_set(&im, EB_PHNUM, 0);
	refused(-AMPLINK_RPROC_ERR_ELF_PHDR);
}

static void test_phdrs_outside_file(void)
{
	std_image(0);
	eb_set(&im, EB_PHOFF, im.len + 100);
	refused(-AMPLINK_RPROC_ERR_ELF_PHDR);
	eb_set(&im, EB_PHOFF, 0xfffffff0u);
	refused(-AMPLINK_RPROC_ERR_ELF_PHDR);
	eb_set(&im, EB_PHOFF, 0); /* on top of the ELF header */
	refused(-AMPLINK_RPROC_ERR_ELF_PHDR);
	std_image(1);
	eb_set(&im, EB_PHOFF, 0xfffffffffffffff0ull); /* offset + size overflows */
	refused(-AMPLINK_RPROC_ERR_ELF_PHDR);
}

static void test_bad_shdr_table(void)
{
	std_image(0);
	eb_set(&im, EB_SHOFF, im.len - 8);
	refused(-AMPLINK_RPROC_ERR_ELF_SHDR);
	std_image(1);
	eb_set(&im, EB_SHOFF, 0xffffffffffffff00ull);
	refused(-AMPLINK_RPROC_ERR_ELF_SHDR);
	std_image(0);
	eb_set(&im, EB_SHENTSIZE, 20);
	refused(-AMPLINK_RPROC_ERR_ELF_SHDR);
	std_image(0);
	eb_set(&im, EB_SHSTRNDX, 3);
	refused(-AMPLINK_RPROC_ERR_ELF_SHDR);
	std_image(0);
	eb_set(&im, EB_SHNUM, 0xffff);
	refused(-AMPLINK_RPROC_ERR_ELF_SHDR);
}

static void test_bad_shstrtab(void)
{
	std_image(0);
	eb_set_shdr(&im, EB_SHDR_SHSTRTAB, EB_S_OFFSET, im.len);
	refused(-AMPLINK_RPROC_ERR_ELF_SHDR);
	std_image(0);
	eb_set_shdr(&im, EB_SHDR_SHSTRTAB, EB_S_TYPE, SHT_PROGBITS);
	refused(-AMPLINK_RPROC_ERR_ELF_SHDR);
	std_image(1);
	eb_set_shdr(&im, EB_SHDR_SHSTRTAB, EB_S_SIZE, 0x7fffffffffull);
	refused(-AMPLINK_RPROC_ERR_ELF_SHDR);
}

static void test_bad_rsc_section(void)
{
	std_image(0);
	eb_set_shdr(&im, EB_SHDR_RSC, EB_S_OFFSET, im.len - 4);
	refused(-AMPLINK_RPROC_ERR_ELF_SHDR);
	std_image(0);
	eb_set_shdr(&im, EB_SHDR_RSC, EB_S_TYPE, SHT_NOBITS);
	refused(-AMPLINK_RPROC_ERR_ELF_SHDR);
	std_image(1);
	eb_set_shdr(&im, EB_SHDR_RSC, EB_S_SIZE, 0xffffffffffffff00ull);
	refused(-AMPLINK_RPROC_ERR_ELF_SHDR);
}

static void test_rsc_outside_memory(void)
{
	std_image(0);
	eb_set_shdr(&im, EB_SHDR_RSC, EB_S_ADDR, 0x70000000u); /* table lands nowhere */
	refused(-AMPLINK_RPROC_ERR_RSC_MAP);
	refused_noblock(-AMPLINK_RPROC_ERR_RSC_MAP);
}

static void test_bad_rsc_content(void)
{
	std_image(0);
	im.buf[im.seg_off[1]] = 2; /* table version 2 */
	refused(-RPROC_ERR_RSC_TAB_VER);
	refused_noblock(-RPROC_ERR_RSC_TAB_VER);
}

static void test_segments_overlap(void)
{
	std_image(0);
	eb_set_phdr(&im, 1, EB_P_PADDR, TI_CODE_DA + TI_CODE_MEM - 4);
	refused(-AMPLINK_RPROC_ERR_ELF_SEG_OVERLAP);
	refused_noblock(-AMPLINK_RPROC_ERR_ELF_SEG_OVERLAP);
	std_image(1);
	eb_set_phdr(&im, 2, EB_P_PADDR, TI_CODE_DA); /* bss on top of code */
	refused(-AMPLINK_RPROC_ERR_ELF_SEG_OVERLAP);
}

static void test_segment_outside_memory(void)
{
	std_image(0);
	eb_set_phdr(&im, 2, EB_P_PADDR, 0x50000000u);
	refused(-AMPLINK_RPROC_ERR_ELF_SEG_NOMEM);
	refused_noblock(-AMPLINK_RPROC_ERR_ELF_SEG_NOMEM);
	std_image(0); /* starts inside, ends past the end of RAM */
	eb_set_phdr(&im, 2, EB_P_PADDR, FX_RAM_DA + FX_RAM_SIZE - 16);
	refused(-AMPLINK_RPROC_ERR_ELF_SEG_NOMEM);
}

static void test_segment_overflows(void)
{
	std_image(1);
	eb_set_phdr(&im, 0, EB_P_OFFSET, 0xffffffffffffff00ull);
	refused(-AMPLINK_RPROC_ERR_ELF_SEG_RANGE);
	std_image(1);
	eb_set_phdr(&im, 0, EB_P_PADDR, 0xffffffffffffff00ull);
	refused(-AMPLINK_RPROC_ERR_ELF_SEG_RANGE);
	std_image(0);
	eb_set_phdr(&im, 0, EB_P_PADDR, 0xffffff00u); /* wraps the 32-bit space */
	refused(-AMPLINK_RPROC_ERR_ELF_SEG_RANGE);
	std_image(0);
	eb_set_phdr(&im, 0, EB_P_OFFSET, 0xffffff00u); /* data beyond the file */
	refused(-AMPLINK_RPROC_ERR_ELF_TRUNC);
}

static void test_filesz_above_memsz(void)
{
	std_image(0);
	eb_set_phdr(&im, 0, EB_P_MEMSZ, TI_CODE_LEN - 1);
	refused(-AMPLINK_RPROC_ERR_ELF_SEG_RANGE);
}

static void test_no_loadable_segment(void)
{
	int i;

	std_image(0);
	for (i = 0; i < im.nsegs; i++)
		eb_set_phdr(&im, i, EB_P_TYPE, PT_NOTE);
	refused(-AMPLINK_RPROC_ERR_ELF_NO_SEG);
}

static void test_load_state_refused(void)
{
	struct remoteproc *rproc = fx_setup(&fx);

	REQUIRE(rproc);
	std_image(0);
	fx_store_init(&st, im.buf, im.len);
	CHECK_EQ_INT(remoteproc_load(rproc, "fw.elf", &st, &fx_store_ops, NULL),
		     -AMPLINK_RPROC_ERR_STATE);
	CHECK_EQ_INT(st.n_open, 0);
	CHECK(fx_ram_untouched(&fx));
	CHECK_EQ_INT(remoteproc_load(rproc, "fw.elf", &st, NULL, NULL), -RPROC_EINVAL);
	CHECK_EQ_INT(remoteproc_load(NULL, "fw.elf", &st, &fx_store_ops, NULL), -RPROC_EINVAL);
	remoteproc_remove(rproc);
}

static void test_store_failure(void)
{
	std_image(0);
	refused_len(0, -AMPLINK_RPROC_ERR_ELF_TRUNC, 0);
}

static void test_bad_section_name_ignored(void)
{
	struct remoteproc *rproc = fx_setup(&fx);

	REQUIRE(rproc && remoteproc_config(rproc, NULL) == 0);
	std_image(0);
	eb_set_shdr(&im, EB_SHDR_RSC, EB_S_NAME, 0xffffff); /* name outside the table */
	fx_store_init(&st, im.buf, im.len);
	CHECK_EQ_INT(remoteproc_load(rproc, "fw.elf", &st, &fx_store_ops, NULL), 0);
	CHECK(rproc->rsc_table == NULL); /* no section is named .resource_table */
	CHECK(ti_check_loaded(&fx));
	remoteproc_remove(rproc);
}

int main(void)
{
	fx_metal_init();
	RUN(test_truncated);
	RUN(test_bad_magic);
	RUN(test_bad_class);
	RUN(test_bad_data_encoding);
	RUN(test_bad_ident_version);
	RUN(test_bad_machine);
	RUN(test_bad_type);
	RUN(test_bad_phentsize);
	RUN(test_absurd_phnum);
	RUN(test_phdrs_outside_file);
	RUN(test_bad_shdr_table);
	RUN(test_bad_shstrtab);
	RUN(test_bad_rsc_section);
	RUN(test_bad_rsc_content);
	RUN(test_rsc_outside_memory);
	RUN(test_segments_overlap);
	RUN(test_segment_outside_memory);
	RUN(test_segment_overflows);
	RUN(test_filesz_above_memsz);
	RUN(test_no_loadable_segment);
	RUN(test_load_state_refused);
	RUN(test_store_failure);
	RUN(test_bad_section_name_ignored);
	metal_finish();
	return check_summary();
}
