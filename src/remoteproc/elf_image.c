/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ELF loader support: allocation of the image information and its header
 * tables (heap, or fixed static storage when AMPLINK_CFG_STATIC_ALLOC),
 * little-endian field decoding, piecewise collection of a header table from
 * successive windows of the image, and class-independent header views.
 */
#include "remoteproc/elf_image.h"

#include <amplink/libc.h>
#include <metal/alloc.h>

#if AMPLINK_CFG_STATIC_ALLOC
/* One image at a time in a static build. */
static struct elf_image elf_static_image;
static int elf_static_image_used;
static unsigned char elf_static_phdrs[AMPLINK_CFG_ELF_MAX_PHDRS * sizeof(Elf64_Phdr)];
static unsigned char elf_static_shdrs[AMPLINK_CFG_ELF_MAX_SHDRS * sizeof(Elf64_Shdr)];
static unsigned char elf_static_shstrtab[AMPLINK_CFG_ELF_MAX_SHSTRTAB];
static unsigned char elf_static_table_used[3];

struct elf_image *elf_image_alloc(void)
{
	if (elf_static_image_used)
		return NULL;
	elf_static_image_used = 1;
	memset(&elf_static_image, 0, sizeof(elf_static_image));
	return &elf_static_image;
}

static void elf_image_release(struct elf_image *img)
{
	if (img == &elf_static_image)
		elf_static_image_used = 0;
}

void *elf_image_table_alloc(enum elf_table which, size_t size)
{
	static unsigned char *const bufs[3] = {elf_static_phdrs, elf_static_shdrs,
					       elf_static_shstrtab};
	static const size_t caps[3] = {sizeof(elf_static_phdrs), sizeof(elf_static_shdrs),
				       sizeof(elf_static_shstrtab)};

	if ((unsigned int)which > ELF_TABLE_SHSTRTAB || size > caps[which] ||
	    elf_static_table_used[which])
		return NULL;
	elf_static_table_used[which] = 1;
	return bufs[which];
}

void elf_image_table_free(void *table)
{
	if (table == elf_static_phdrs)
		elf_static_table_used[ELF_TABLE_PHDRS] = 0;
	else if (table == elf_static_shdrs)
		elf_static_table_used[ELF_TABLE_SHDRS] = 0;
	else if (table == elf_static_shstrtab)
		elf_static_table_used[ELF_TABLE_SHSTRTAB] = 0;
}
#else
struct elf_image *elf_image_alloc(void)
{
	struct elf_image *img = metal_allocate_memory(sizeof(*img));

	if (img)
		memset(img, 0, sizeof(*img));
	return img;
}

static void elf_image_release(struct elf_image *img)
{
	metal_free_memory(img);
}

void *elf_image_table_alloc(enum elf_table which, size_t size)
{
	(void)which;
	if (size == 0 || size > 0xFFFFFFFFu)
		return NULL;
	return metal_allocate_memory((unsigned int)size);
}

void elf_image_table_free(void *table)
{
	metal_free_memory(table);
}
#endif

void elf_image_free(struct elf_image *img)
{
	if (!img)
		return;
	elf_image_table_free(img->phdrs);
	elf_image_table_free(img->shdrs);
	elf_image_table_free(img->shstrtab);
	elf_image_release(img);
}

int elf_image_collect(unsigned char *dst, uint64_t want_off, size_t want, size_t *have,
		      const void *data, size_t off, size_t len)
{
	uint64_t next = want_off + *have; /* caller checked want_off + want fits */
	uint64_t skip;
	size_t n;

	if (*have >= want)
		return 1;
	if (!data || len == 0 || off > next)
		return 0;
	skip = next - off;
	if (skip >= len)
		return 0;
	n = len - (size_t)skip;
	if (n > want - *have)
		n = want - *have;
	memcpy(dst + *have, (const unsigned char *)data + skip, n);
	*have += n;
	return *have == want;
}

uint16_t elf_rd16(const unsigned char *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

uint32_t elf_rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

uint64_t elf_rd64(const unsigned char *p)
{
	return (uint64_t)elf_rd32(p) | ((uint64_t)elf_rd32(p + 4) << 32);
}

void elf_image_seg(const struct elf_image *img, size_t i, struct elf_seg *seg)
{
	const unsigned char *p = img->phdrs + i * img->phentsize;

	seg->type = elf_rd32(p);
	if (img->is64) {
		seg->offset = elf_rd64(p + 8);
		seg->paddr = elf_rd64(p + 24);
		seg->filesz = elf_rd64(p + 32);
		seg->memsz = elf_rd64(p + 40);
	} else {
		seg->offset = elf_rd32(p + 4);
		seg->paddr = elf_rd32(p + 12);
		seg->filesz = elf_rd32(p + 16);
		seg->memsz = elf_rd32(p + 20);
	}
}

void elf_image_sect(const struct elf_image *img, size_t i, struct elf_sect *sect)
{
	const unsigned char *p = img->shdrs + i * img->shentsize;

	sect->name = elf_rd32(p);
	sect->type = elf_rd32(p + 4);
	if (img->is64) {
		sect->addr = elf_rd64(p + 16);
		sect->offset = elf_rd64(p + 24);
		sect->size = elf_rd64(p + 32);
	} else {
		sect->addr = elf_rd32(p + 12);
		sect->offset = elf_rd32(p + 16);
		sect->size = elf_rd32(p + 20);
	}
}
