/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ELF loader: identification and validation of the ELF header, of the
 * section header table and of the section-name table, and the lookup of the
 * ".resource_table" section. Every count, offset and size read from the
 * image is checked (with overflow-checked arithmetic) before it is used.
 */
#include "remoteproc/elf_image.h"

#include <amplink/libc.h>
#include <amplink/remoteproc.h>
#include <metal/log.h>

#include "remoteproc/rproc_range.h"

#define ELF_RSC_SECTION_NAME ".resource_table"

int elf_identify(const void *img_data, size_t len)
{
	const unsigned char *id = img_data;

	if (!id || len < EI_NIDENT) {
		metal_err("elf: image too short for an identification (%zu bytes)", len);
		return -AMPLINK_RPROC_ERR_ELF_TRUNC;
	}
	if (memcmp(id, ELFMAG, SELFMAG) != 0) {
		metal_err("elf: bad magic %02x %02x %02x %02x", id[0], id[1], id[2], id[3]);
		return -AMPLINK_RPROC_ERR_ELF_MAGIC;
	}
	if (id[EI_CLASS] != ELFCLASS32 && id[EI_CLASS] != ELFCLASS64) {
		metal_err("elf: unsupported class %u", id[EI_CLASS]);
		return -AMPLINK_RPROC_ERR_ELF_CLASS;
	}
	if (id[EI_DATA] != ELFDATA2LSB) {
		metal_err("elf: unsupported data encoding %u (little-endian only)", id[EI_DATA]);
		return -AMPLINK_RPROC_ERR_ELF_DATA;
	}
	if (id[EI_VERSION] != EV_CURRENT) {
		metal_err("elf: bad identification version %u", id[EI_VERSION]);
		return -AMPLINK_RPROC_ERR_ELF_HDR;
	}
	return 0;
}

static void elf_header_decode(struct elf_image *img)
{
	const unsigned char *h = img->ehdr;

	img->machine = elf_rd16(h + 18);
	if (img->is64) {
		img->entry = elf_rd64(h + 24);
		img->phoff = elf_rd64(h + 32);
		img->shoff = elf_rd64(h + 40);
		img->phentsize = elf_rd16(h + 54);
		img->phnum = elf_rd16(h + 56);
		img->shentsize = elf_rd16(h + 58);
		img->shnum = elf_rd16(h + 60);
		img->shstrndx = elf_rd16(h + 62);
	} else {
		img->entry = elf_rd32(h + 24);
		img->phoff = elf_rd32(h + 28);
		img->shoff = elf_rd32(h + 32);
		img->phentsize = elf_rd16(h + 42);
		img->phnum = elf_rd16(h + 44);
		img->shentsize = elf_rd16(h + 46);
		img->shnum = elf_rd16(h + 48);
		img->shstrndx = elf_rd16(h + 50);
	}
	if (img->shoff == 0)
		img->shnum = 0;
}

static int elf_header_check_fields(const struct elf_image *img)
{
	const unsigned char *h = img->ehdr;
	unsigned int type = elf_rd16(h + 16);
	size_t ehsize = img->is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);

	if (type != ET_EXEC && type != ET_DYN) {
		metal_err("elf: type %u is not an executable", type);
		return -AMPLINK_RPROC_ERR_ELF_HDR;
	}
	if (elf_rd32(h + 20) != EV_CURRENT || elf_rd16(h + (img->is64 ? 52 : 40)) < ehsize) {
		metal_err("elf: bad version or header size");
		return -AMPLINK_RPROC_ERR_ELF_HDR;
	}
	return 0;
}

static int elf_header_check_phdrs(const struct elf_image *img)
{
	size_t entsize = img->is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	uint64_t end;

	if (img->phentsize != entsize) {
		metal_err("elf: program header size %zu, expected %zu", img->phentsize, entsize);
		return -AMPLINK_RPROC_ERR_ELF_PHDR;
	}
	if (img->phnum == 0 || img->phnum > AMPLINK_CFG_ELF_MAX_PHDRS) {
		metal_err("elf: %zu program headers (1..%d accepted)", img->phnum,
			  AMPLINK_CFG_ELF_MAX_PHDRS);
		return -AMPLINK_RPROC_ERR_ELF_PHDR;
	}
	if (img->phoff < img->phentsize ||
	    rproc_add_u64(img->phoff, (uint64_t)img->phnum * entsize, &end) ||
	    !rproc_fits_size(end)) {
		metal_err("elf: program header table offset 0x%llx invalid",
			  (unsigned long long)img->phoff);
		return -AMPLINK_RPROC_ERR_ELF_PHDR;
	}
	return 0;
}

static int elf_header_check_shdrs(const struct elf_image *img)
{
	size_t entsize = img->is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);
	uint64_t end;

	if (img->shnum == 0)
		return 0;
	if (img->shentsize != entsize) {
		metal_err("elf: section header size %zu, expected %zu", img->shentsize, entsize);
		return -AMPLINK_RPROC_ERR_ELF_SHDR;
	}
	if (img->shnum > AMPLINK_CFG_ELF_MAX_SHDRS || img->shstrndx >= img->shnum) {
		metal_err("elf: %zu section headers, name table %zu (max %d)", img->shnum,
			  img->shstrndx, AMPLINK_CFG_ELF_MAX_SHDRS);
		return -AMPLINK_RPROC_ERR_ELF_SHDR;
	}
	if (rproc_add_u64(img->shoff, (uint64_t)img->shnum * entsize, &end) ||
	    !rproc_fits_size(end)) {
		metal_err("elf: section header table offset 0x%llx invalid",
			  (unsigned long long)img->shoff);
		return -AMPLINK_RPROC_ERR_ELF_SHDR;
	}
	return 0;
}

int elf_header_parse(struct elf_image *img)
{
	int ret = elf_identify(img->ehdr, img->ehdr_have);

	if (ret)
		return ret;
	elf_header_decode(img);
	ret = elf_header_check_fields(img);
	if (!ret)
		ret = elf_header_check_phdrs(img);
	if (!ret)
		ret = elf_header_check_shdrs(img);
	if (!ret)
		ret = elf_header_check_file(img);
	if (!ret)
		img->hdr_parsed = 1;
	return ret;
}

int elf_header_check_file(const struct elf_image *img)
{
	if (img->img_len == 0)
		return 0;
	if (!rproc_range_inside(img->phoff, (uint64_t)img->phnum * img->phentsize, img->img_len)) {
		metal_err("elf: program header table beyond the end of the file (%zu bytes)",
			  img->img_len);
		return -AMPLINK_RPROC_ERR_ELF_PHDR;
	}
	if (img->shnum &&
	    !rproc_range_inside(img->shoff, (uint64_t)img->shnum * img->shentsize, img->img_len)) {
		metal_err("elf: section header table beyond the end of the file (%zu bytes)",
			  img->img_len);
		return -AMPLINK_RPROC_ERR_ELF_SHDR;
	}
	return 0;
}

int elf_sections_parse(struct elf_image *img)
{
	struct elf_sect names;
	uint64_t end;

	elf_image_sect(img, img->shstrndx, &names);
	if (names.type != SHT_STRTAB || names.size == 0 ||
	    names.size > AMPLINK_CFG_ELF_MAX_SHSTRTAB) {
		metal_err("elf: section name table %zu: type %u size %llu invalid", img->shstrndx,
			  (unsigned)names.type, (unsigned long long)names.size);
		return -AMPLINK_RPROC_ERR_ELF_SHDR;
	}
	if (rproc_add_u64(names.offset, names.size, &end) || !rproc_fits_size(end) ||
	    (img->img_len && end > img->img_len)) {
		metal_err("elf: section name table outside the file");
		return -AMPLINK_RPROC_ERR_ELF_SHDR;
	}
	img->shstrtab_off = names.offset;
	img->shstrtab_size = (size_t)names.size;
	return 0;
}

static int elf_section_is_rsc(const struct elf_image *img, const struct elf_sect *sect)
{
	size_t want = sizeof(ELF_RSC_SECTION_NAME); /* with the NUL */

	if (sect->name >= img->shstrtab_size || img->shstrtab_size - sect->name < want)
		return 0;
	return memcmp(img->shstrtab + sect->name, ELF_RSC_SECTION_NAME, want) == 0;
}

static int elf_rsc_section_check(const struct elf_image *img, const struct elf_sect *sect)
{
	uint64_t end;

	if (sect->type == SHT_NOBITS || sect->size == 0) {
		metal_err("elf: .resource_table has no contents");
		return -AMPLINK_RPROC_ERR_ELF_SHDR;
	}
	if (rproc_add_u64(sect->offset, sect->size, &end) || !rproc_fits_size(end) ||
	    (img->img_len && end > img->img_len)) {
		metal_err("elf: .resource_table [0x%llx, +0x%llx) outside the file",
			  (unsigned long long)sect->offset, (unsigned long long)sect->size);
		return -AMPLINK_RPROC_ERR_ELF_SHDR;
	}
	if (rproc_add_u64(sect->addr, sect->size, &end)) {
		metal_err("elf: .resource_table address wraps");
		return -AMPLINK_RPROC_ERR_ELF_SHDR;
	}
	return 0;
}

int elf_sections_find_rsc(struct elf_image *img)
{
	struct elf_sect sect;
	size_t i;
	int ret;

	for (i = 0; i < img->shnum; i++) {
		elf_image_sect(img, i, &sect);
		if (!elf_section_is_rsc(img, &sect))
			continue;
		ret = elf_rsc_section_check(img, &sect);
		if (ret)
			return ret;
		img->rsc_found = 1;
		img->rsc_addr = sect.addr;
		img->rsc_offset = sect.offset;
		img->rsc_size = sect.size;
		return 0;
	}
	return 0;
}
