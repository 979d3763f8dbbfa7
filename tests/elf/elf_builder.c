/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test helper: the ELF image writer declared in elf_builder.h. Layout:
 * header, program headers, segment data (16-byte aligned), section names,
 * section headers (NULL, .resource_table, .shstrtab).
 */
#include "elf_builder.h"

#include <string.h>

static const char eb_names[] = "\0.resource_table\0.shstrtab";
#define EB_NAME_RSC	 1
#define EB_NAME_SHSTRTAB 17

static void eb_put(unsigned char *p, uint64_t v, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

void eb_init(struct eb_image *im, int is64, uint16_t machine)
{
	memset(im, 0, sizeof(*im));
	im->is64 = is64;
	im->machine = machine;
	im->rsc_seg = -1;
}

int eb_add_seg(struct eb_image *im, uint64_t paddr, const void *data, size_t filesz, uint64_t memsz)
{
	struct eb_seg *s = &im->segs[im->nsegs];

	s->type = 1; /* PT_LOAD */
	s->paddr = paddr;
	s->data = data;
	s->filesz = filesz;
	s->memsz = memsz;
	return im->nsegs++;
}

static size_t eb_ehsize(const struct eb_image *im)
{
	return im->is64 ? 64 : 52;
}

static size_t eb_phentsize(const struct eb_image *im)
{
	return im->is64 ? 56 : 32;
}

static size_t eb_shentsize(const struct eb_image *im)
{
	return im->is64 ? 64 : 40;
}

static void eb_write_ehdr(struct eb_image *im)
{
	unsigned char *h = im->buf;
	int a = im->is64 ? 8 : 4; /* address width */

	memcpy(h, "\177ELF", 4);
	h[4] = im->is64 ? 2 : 1;
	h[5] = 1; /* little-endian */
	h[6] = 1;
	eb_put(h + 16, im->type ? im->type : 2, 2);
	eb_put(h + 18, im->machine, 2);
	eb_put(h + 20, 1, 4);
	eb_put(h + 24, im->entry, a);
	eb_put(h + 24 + a, im->phoff, a);
	eb_put(h + 24 + 2 * a, im->shoff, a);
	eb_put(h + 28 + 3 * a, eb_ehsize(im), 2);
	eb_put(h + 30 + 3 * a, eb_phentsize(im), 2);
	eb_put(h + 32 + 3 * a, (uint64_t)im->nsegs, 2);
	eb_put(h + 34 + 3 * a, eb_shentsize(im), 2);
	eb_put(h + 36 + 3 * a, 3, 2);
	eb_put(h + 38 + 3 * a, EB_SHDR_SHSTRTAB, 2);
}

static void eb_write_shdr(struct eb_image *im, int i, uint32_t name, uint32_t type, uint64_t addr,
			  uint64_t off, uint64_t size)
{
	eb_set_shdr(im, i, EB_S_NAME, name);
	eb_set_shdr(im, i, EB_S_TYPE, type);
	eb_set_shdr(im, i, EB_S_ADDR, addr);
	eb_set_shdr(im, i, EB_S_OFFSET, off);
	eb_set_shdr(im, i, EB_S_SIZE, size);
}

size_t eb_build(struct eb_image *im)
{
	size_t pos;
	int i;

	memset(im->buf, 0, sizeof(im->buf));
	im->phoff = eb_ehsize(im);
	pos = im->phoff + (size_t)im->nsegs * eb_phentsize(im);
	for (i = 0; i < im->nsegs; i++) {
		pos = (pos + 15) & ~(size_t)15;
		im->seg_off[i] = pos;
		if (im->segs[i].filesz)
			memcpy(im->buf + pos, im->segs[i].data, im->segs[i].filesz);
		pos += im->segs[i].filesz;
	}
	im->shstrtab_off = pos;
	memcpy(im->buf + pos, eb_names, sizeof(eb_names));
	pos = (pos + sizeof(eb_names) + 7) & ~(size_t)7;
	im->shoff = pos;
	im->len = pos + 3 * eb_shentsize(im);
	eb_write_ehdr(im);
	for (i = 0; i < im->nsegs; i++) {
		eb_set_phdr(im, i, EB_P_TYPE, im->segs[i].type);
		eb_set_phdr(im, i, EB_P_OFFSET, im->seg_off[i]);
		eb_set_phdr(im, i, EB_P_PADDR, im->segs[i].paddr);
		eb_set_phdr(im, i, EB_P_FILESZ, im->segs[i].filesz);
		eb_set_phdr(im, i, EB_P_MEMSZ, im->segs[i].memsz);
	}
	if (im->rsc_seg >= 0)
		eb_write_shdr(im, EB_SHDR_RSC, EB_NAME_RSC, 1, im->segs[im->rsc_seg].paddr,
			      im->seg_off[im->rsc_seg], im->segs[im->rsc_seg].filesz);
	eb_write_shdr(im, EB_SHDR_SHSTRTAB, EB_NAME_SHSTRTAB, 3, 0, im->shstrtab_off,
		      sizeof(eb_names));
	return im->len;
}

void eb_set(struct eb_image *im, enum eb_field f, uint64_t v)
{
	int a = im->is64 ? 8 : 4;
	static const int half_at[] = {0, 0, 0, 0, 30, 32, 34, 36, 38};

	switch (f) {
	case EB_TYPE:
		eb_put(im->buf + 16, v, 2);
		break;
	case EB_MACHINE:
		eb_put(im->buf + 18, v, 2);
		break;
	case EB_PHOFF:
		eb_put(im->buf + 24 + a, v, a);
		break;
	case EB_SHOFF:
		eb_put(im->buf + 24 + 2 * a, v, a);
		break;
	default:
		eb_put(im->buf + half_at[f] + 3 * a, v, 2);
		break;
	}
}

void eb_set_phdr(struct eb_image *im, int i, enum eb_pfield f, uint64_t v)
{
	unsigned char *p = im->buf + im->phoff + (size_t)i * eb_phentsize(im);
	static const int at32[] = {0, 4, 12, 16, 20};
	static const int at64[] = {0, 8, 24, 32, 40};

	if (im->is64)
		eb_put(p + at64[f], v, f == EB_P_TYPE ? 4 : 8);
	else
		eb_put(p + at32[f], v, 4);
}

void eb_set_shdr(struct eb_image *im, int i, enum eb_sfield f, uint64_t v)
{
	unsigned char *p = im->buf + im->shoff + (size_t)i * eb_shentsize(im);
	static const int at32[] = {0, 4, 12, 16, 20};
	static const int at64[] = {0, 4, 16, 24, 32};

	if (im->is64)
		eb_put(p + at64[f], v, f <= EB_S_TYPE ? 4 : 8);
	else
		eb_put(p + at32[f], v, 4);
}
