/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test helper: writes small ELF32/ELF64 little-endian executables byte by
 * byte (ELF header, program headers, segment data, a ".resource_table" and a
 * ".shstrtab" section), records where each part went, and patches single
 * header fields so tests can craft every malformed image they need.
 */
#ifndef AMPLINK_TESTS_ELF_BUILDER_H
#define AMPLINK_TESTS_ELF_BUILDER_H

#include <stddef.h>
#include <stdint.h>

#define EB_MAX_SEGS 6
#define EB_BUF_SIZE 16384

struct eb_seg {
	uint32_t type;
	uint64_t paddr;
	const void *data;
	size_t filesz;
	uint64_t memsz;
};

struct eb_image {
	/* what to build */
	int is64;
	uint16_t machine;
	uint16_t type; /* 0 = ET_EXEC */
	uint64_t entry;
	struct eb_seg segs[EB_MAX_SEGS];
	int nsegs;
	int rsc_seg; /* segment whose data is the .resource_table, -1 = none */
	/* where it went (filled by eb_build) */
	size_t phoff, shoff, shstrtab_off, len;
	size_t seg_off[EB_MAX_SEGS];
	unsigned char buf[EB_BUF_SIZE];
};

/* Fields of the ELF header, a program header and a section header. */
enum eb_field {
	EB_TYPE,
	EB_MACHINE,
	EB_PHOFF,
	EB_SHOFF,
	EB_PHENTSIZE,
	EB_PHNUM,
	EB_SHENTSIZE,
	EB_SHNUM,
	EB_SHSTRNDX
};
enum eb_pfield { EB_P_TYPE, EB_P_OFFSET, EB_P_PADDR, EB_P_FILESZ, EB_P_MEMSZ };
enum eb_sfield { EB_S_NAME, EB_S_TYPE, EB_S_ADDR, EB_S_OFFSET, EB_S_SIZE };

/* Section header indexes eb_build writes. */
#define EB_SHDR_RSC	 1
#define EB_SHDR_SHSTRTAB 2

/* eb_init - an image description with defaults (class, machine, no segment). */
void eb_init(struct eb_image *im, int is64, uint16_t machine);

/* eb_add_seg - add a PT_LOAD segment. Returns its index. */
int eb_add_seg(struct eb_image *im, uint64_t paddr, const void *data, size_t filesz,
	       uint64_t memsz);

/* eb_build - lay the image out in im->buf. Returns its length (im->len). */
size_t eb_build(struct eb_image *im);

void eb_set(struct eb_image *im, enum eb_field f, uint64_t v);
void eb_set_phdr(struct eb_image *im, int i, enum eb_pfield f, uint64_t v);
void eb_set_shdr(struct eb_image *im, int i, enum eb_sfield f, uint64_t v);

#endif
