/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private state of the ELF loader: the image information behind the
 * loaders' opaque img_info pointer, class-independent views of program and
 * section headers, and the helpers the elf_*.c files share (allocation,
 * little-endian field decoding, piecewise collection of header tables).
 */
#ifndef AMPLINK_ELF_IMAGE_H
#define AMPLINK_ELF_IMAGE_H

#include <stddef.h>
#include <stdint.h>
#include <amplink/config.h>
#include <openamp/elf_loader.h>

/*
 * Limits on what an image may declare: AMPLINK_CFG_ELF_MAX_PHDRS, _SHDRS and
 * _SHSTRTAB in <amplink/config.h>.
 */

/* A program header, whatever the class. */
struct elf_seg {
	uint32_t type;
	uint64_t offset;
	uint64_t paddr;
	uint64_t filesz;
	uint64_t memsz;
};

/* A section header, whatever the class. */
struct elf_sect {
	uint32_t name;
	uint32_t type;
	uint64_t addr;
	uint64_t offset;
	uint64_t size;
};

/* Which header table a buffer holds. */
enum elf_table { ELF_TABLE_PHDRS, ELF_TABLE_SHDRS, ELF_TABLE_SHSTRTAB };

/* Everything the loader knows about one image (img_info points here). */
struct elf_image {
	unsigned char ehdr[sizeof(Elf64_Ehdr)]; /* raw header: e_ident first */
	size_t ehdr_have;			/* bytes of it collected */
	int load_state;
	int hdr_parsed;	   /* ehdr decoded below */
	unsigned int is64; /* ELFCLASS64 */
	unsigned int machine;
	uint64_t entry;
	uint64_t phoff, shoff;
	size_t phnum, phentsize;
	size_t shnum, shentsize, shstrndx;
	unsigned char *phdrs; /* raw program header table */
	size_t phdrs_have;
	unsigned char *shdrs; /* raw section header table (freed after use) */
	size_t shdrs_have;
	char *shstrtab; /* section names (freed after use) */
	uint64_t shstrtab_off;
	size_t shstrtab_size, shstrtab_have;
	size_t img_len; /* 0 = unknown */
	int rsc_found;
	uint64_t rsc_addr, rsc_offset, rsc_size;
	size_t next_seg; /* index of the next program header to consider */
	int segs_checked;
};

/* elf_image_alloc - a zeroed image information block, or NULL. */
struct elf_image *elf_image_alloc(void);

/* elf_image_free - release @img and its tables (NULL is fine). */
void elf_image_free(struct elf_image *img);

/* elf_image_table_alloc - storage for header table @which of @size bytes, or NULL. */
void *elf_image_table_alloc(enum elf_table which, size_t size);

/* elf_image_table_free - release a table from elf_image_table_alloc (NULL is fine). */
void elf_image_table_free(void *table);

/*
 * elf_image_collect - copy into @dst (a table of @want bytes at file offset
 * @want_off, of which *have are already there) what the window
 * [@off, @off + @len) of @data holds of the next missing bytes.
 * Returns 1 when the table is complete.
 */
int elf_image_collect(unsigned char *dst, uint64_t want_off, size_t want, size_t *have,
		      const void *data, size_t off, size_t len);

/* Little-endian field decoders (the image may be unaligned). */
uint16_t elf_rd16(const unsigned char *p);
uint32_t elf_rd32(const unsigned char *p);
uint64_t elf_rd64(const unsigned char *p);

/* elf_image_seg - decode program header @i (i < phnum, table complete). */
void elf_image_seg(const struct elf_image *img, size_t i, struct elf_seg *seg);

/* elf_image_sect - decode section header @i (i < shnum, table complete). */
void elf_image_sect(const struct elf_image *img, size_t i, struct elf_sect *sect);

/* elf_header_parse - decode and validate the complete ELF header. Returns 0 or -error. */
int elf_header_parse(struct elf_image *img);

/* elf_header_check_file - tables inside the file (when its length is known). Returns 0 or -error.
 */
int elf_header_check_file(const struct elf_image *img);

/* elf_sections_parse - validate section headers, locate the name table. Returns 0 or -error. */
int elf_sections_parse(struct elf_image *img);

/* elf_sections_find_rsc - find ".resource_table" once names are in. Returns 0 or -error. */
int elf_sections_find_rsc(struct elf_image *img);

/* elf_segments_check - validate every program header (no memory access). Returns 0 or -error. */
int elf_segments_check(struct elf_image *img);

/* elf_segments_check_mem - every PT_LOAD segment is mapped by @rproc. Returns 0 or -error. */
int elf_segments_check_mem(const struct elf_image *img, struct remoteproc *rproc);

/*
 * elf_segments_next - index of the first loadable segment at or after @from,
 * or phnum when there is none.
 */
size_t elf_segments_next(const struct elf_image *img, size_t from);

#endif /* AMPLINK_ELF_IMAGE_H */
