/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ELF firmware loader: ELF32/ELF64 type and constant definitions (the
 * System V ABI names), the elf_* functions that implement struct loader_ops
 * for little-endian ELF images, and the elf_ops table remoteproc_load uses.
 * The loader reads headers through a caller-sized window (it asks for the
 * bytes it needs next), validates every header before anything is written to
 * the target, and hands PT_LOAD segments back to remoteproc for placement.
 */
#ifndef OPENAMP_ELF_LOADER_H
#define OPENAMP_ELF_LOADER_H

#include <stddef.h>
#include <stdint.h>
#include <metal/sys.h>
#include <openamp/remoteproc.h>
#include <openamp/remoteproc_loader.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef uint16_t Elf32_Half;
typedef uint32_t Elf32_Word;
typedef int32_t Elf32_Sword;
typedef uint32_t Elf32_Addr;
typedef uint32_t Elf32_Off;
typedef uint16_t Elf64_Half;
typedef uint32_t Elf64_Word;
typedef int32_t Elf64_Sword;
typedef uint64_t Elf64_Xword;
typedef int64_t Elf64_Sxword;
typedef uint64_t Elf64_Addr;
typedef uint64_t Elf64_Off;

/* e_ident[] indexes and values */
#define EI_NIDENT     16
#define EI_MAG0	      0
#define EI_MAG1	      1
#define EI_MAG2	      2
#define EI_MAG3	      3
#define EI_CLASS      4
#define EI_DATA	      5
#define EI_VERSION    6
#define EI_OSABI      7
#define EI_ABIVERSION 8
#define EI_PAD	      9
#define ELFMAG0	      0x7f
#define ELFMAG1	      'E'
#define ELFMAG2	      'L'
#define ELFMAG3	      'F'
#define ELFMAG	      "\177ELF"
#define SELFMAG	      4
#define ELFCLASSNONE  0
#define ELFCLASS32    1
#define ELFCLASS64    2
#define ELFDATANONE   0
#define ELFDATA2LSB   1
#define ELFDATA2MSB   2
#define ELFOSABI_NONE 0
#define EV_CURRENT    1

/* e_type */
#define ET_NONE	  0
#define ET_REL	  1
#define ET_EXEC	  2
#define ET_DYN	  3
#define ET_CORE	  4
#define ET_LOOS	  0xfe00
#define ET_HIOS	  0xfeff
#define ET_LOPROC 0xff00
#define ET_HIPROC 0xffff

/* e_machine values the loader is commonly asked to check */
#define EM_ARM 40
#ifndef EM_X86_64
#define EM_X86_64 62
#endif
#ifndef EM_AARCH64
#define EM_AARCH64 183
#endif
#ifndef EM_RISCV
#define EM_RISCV 243
#endif

/* p_type */
#define PT_NULL	   0
#define PT_LOAD	   1
#define PT_DYNAMIC 2
#define PT_INTERP  3
#define PT_NOTE	   4
#define PT_SHLIB   5
#define PT_PHDR	   6
#define PT_TLS	   7
#define PT_LOOS	   0x60000000
#define PT_HIOS	   0x6fffffff
#define PT_LOPROC  0x70000000
#define PT_HIPROC  0x7fffffff

/* sh_type */
#define SHT_NULL	  0
#define SHT_PROGBITS	  1
#define SHT_SYMTAB	  2
#define SHT_STRTAB	  3
#define SHT_RELA	  4
#define SHT_HASH	  5
#define SHT_DYNAMIC	  6
#define SHT_NOTE	  7
#define SHT_NOBITS	  8
#define SHT_REL		  9
#define SHT_SHLIB	  10
#define SHT_DYNSYM	  11
#define SHT_INIT_ARRAY	  14
#define SHT_FINI_ARRAY	  15
#define SHT_PREINIT_ARRAY 16
#define SHT_GROUP	  17
#define SHT_SYMTAB_SHNDX  18
#define SHT_LOOS	  0x60000000
#define SHT_HIOS	  0x6fffffff
#define SHT_LOPROC	  0x70000000
#define SHT_HIPROC	  0x7fffffff
#define SHT_LOUSER	  0x80000000
#define SHT_HIUSER	  0xffffffff

/* sh_flags */
#define SHF_WRITE     0x1
#define SHF_ALLOC     0x2
#define SHF_EXECINSTR 0x4
#define SHF_MASKPROC  0xf0000000

/* relocation info and the Arm relocation types a firmware may carry */
#define ELF32_R_SYM(i)	((i) >> 8)
#define ELF32_R_TYPE(i) ((unsigned char)(i))
#define ELF64_R_SYM(i)	((i) >> 32)
#define ELF64_R_TYPE(i) ((i)&0xffffffffUL)
#define R_ARM_ABS32	2
#define R_ARM_GLOB_DAT	21
#define R_ARM_JUMP_SLOT 22
#define R_ARM_RELATIVE	23

typedef struct {
	unsigned char e_ident[EI_NIDENT];
	Elf32_Half e_type;
	Elf32_Half e_machine;
	Elf32_Word e_version;
	Elf32_Addr e_entry;
	Elf32_Off e_phoff;
	Elf32_Off e_shoff;
	Elf32_Word e_flags;
	Elf32_Half e_ehsize;
	Elf32_Half e_phentsize;
	Elf32_Half e_phnum;
	Elf32_Half e_shentsize;
	Elf32_Half e_shnum;
	Elf32_Half e_shstrndx;
} Elf32_Ehdr;

typedef struct {
	unsigned char e_ident[EI_NIDENT];
	Elf64_Half e_type;
	Elf64_Half e_machine;
	Elf64_Word e_version;
	Elf64_Addr e_entry;
	Elf64_Off e_phoff;
	Elf64_Off e_shoff;
	Elf64_Word e_flags;
	Elf64_Half e_ehsize;
	Elf64_Half e_phentsize;
	Elf64_Half e_phnum;
	Elf64_Half e_shentsize;
	Elf64_Half e_shnum;
	Elf64_Half e_shstrndx;
} Elf64_Ehdr;

typedef struct elf32_phdr {
	Elf32_Word p_type;
	Elf32_Off p_offset;
	Elf32_Addr p_vaddr;
	Elf32_Addr p_paddr;
	Elf32_Word p_filesz;
	Elf32_Word p_memsz;
	Elf32_Word p_flags;
	Elf32_Word p_align;
} Elf32_Phdr;

typedef struct elf64_phdr {
	Elf64_Word p_type;
	Elf64_Word p_flags;
	Elf64_Off p_offset;
	Elf64_Addr p_vaddr;
	Elf64_Addr p_paddr;
	Elf64_Xword p_filesz;
	Elf64_Xword p_memsz;
	Elf64_Xword p_align;
} Elf64_Phdr;

typedef struct {
	Elf32_Word sh_name;
	Elf32_Word sh_type;
	Elf32_Word sh_flags;
	Elf32_Addr sh_addr;
	Elf32_Off sh_offset;
	Elf32_Word sh_size;
	Elf32_Word sh_link;
	Elf32_Word sh_info;
	Elf32_Word sh_addralign;
	Elf32_Word sh_entsize;
} Elf32_Shdr;

typedef struct {
	Elf64_Word sh_name;
	Elf64_Word sh_type;
	Elf64_Xword sh_flags;
	Elf64_Addr sh_addr;
	Elf64_Off sh_offset;
	Elf64_Xword sh_size;
	Elf64_Word sh_link;
	Elf64_Word sh_info;
	Elf64_Xword sh_addralign;
	Elf64_Xword sh_entsize;
} Elf64_Shdr;

typedef struct {
	Elf32_Addr r_offset;
	Elf32_Word r_info;
} Elf32_Rel;

typedef struct {
	Elf64_Addr r_offset;
	Elf64_Xword r_info;
} Elf64_Rel;

typedef struct {
	Elf32_Addr r_offset;
	Elf32_Word r_info;
	Elf32_Sword r_addend;
} Elf32_Rela;

typedef struct elf64_rela {
	Elf64_Addr r_offset;
	Elf64_Xword r_info;
	Elf64_Sxword r_addend;
} Elf64_Rela;

typedef struct {
	Elf32_Word st_name;
	Elf32_Addr st_value;
	Elf32_Word st_size;
	unsigned char st_info;
	unsigned char st_other;
	Elf32_Half st_shndx;
} Elf32_Sym;

typedef struct elf64_sym {
	Elf64_Word st_name;
	unsigned char st_info;
	unsigned char st_other;
	Elf64_Half st_shndx;
	Elf64_Addr st_value;
	Elf64_Xword st_size;
} Elf64_Sym;

/* ELF loader private state, in the low 16 bits of the load state */
#define ELF_STATE_INIT		    0x0L
#define ELF_STATE_WAIT_FOR_PHDRS    0x100L
#define ELF_STATE_WAIT_FOR_SHDRS    0x200L
#define ELF_STATE_WAIT_FOR_SHSTRTAB 0x400L
#define ELF_STATE_HDRS_COMPLETE	    0x800L
#define ELF_STATE_MASK		    0xFF00L
#define ELF_NEXT_SEGMENT_MASK	    0x00FFL

/* The loader_ops table for ELF images. */
extern const struct loader_ops elf_ops;

/**
 * elf_identify - check that an image starts with a loadable ELF identification
 * @img_data: the image's first bytes
 * @len: how many bytes @img_data holds (at least EI_NIDENT are examined)
 *
 * Checks magic, class (32 or 64), data encoding (little-endian only) and the
 * identification version. Pure function, any context.
 * Returns 0 for a supported ELF image, or a negative error:
 * -AMPLINK_RPROC_ERR_ELF_TRUNC, _MAGIC, _CLASS, _DATA or _HDR.
 */
int elf_identify(const void *img_data, size_t len);

/**
 * elf_load_header - parse ELF headers through a window of the image
 * @img_data: bytes of the image at @offset (may be NULL when @len is 0)
 * @offset: file offset of @img_data
 * @len: number of bytes at @img_data
 * @img_info: in/out loader state; *img_info == NULL starts a new image
 * @last_load_state: the value the previous call returned (0 at first)
 * @noffset: out: file offset of the bytes wanted next
 * @nlen: out: number of bytes wanted next (0 when the headers are complete)
 *
 * Takes what it can from the supplied bytes (ELF header, program headers,
 * section headers, section-name table, in that order, possibly in pieces),
 * validates each table as it completes, and says what it needs next.
 * Not thread-safe for one @img_info.
 * Returns the new load state (RPROC_LOADER_READY_TO_LOAD | ELF_STATE_HDRS_COMPLETE
 * when done), or a negative error (-RPROC_ENOMEM, -RPROC_ERR_LOADER_STATE,
 * -AMPLINK_RPROC_ERR_ELF_*).
 */
int elf_load_header(const void *img_data, size_t offset, size_t len, void **img_info,
		    int last_load_state, size_t *noffset, size_t *nlen);

/**
 * elf_load - step through the loadable segments of a parsed image
 * @rproc: the remote processor (its mmap op validates segment addresses)
 * @img_data, @offset, @len: image bytes, used only while headers are missing
 * @img_info: loader state from elf_load_header
 * @last_load_state: the value the previous call returned
 * @da: out: device address of the next segment (RPROC_LOAD_ANYADDR if none)
 * @noffset, @nlen: out: file offset and size of the next segment's data
 * @padding: out: byte value for memory beyond the data (always 0)
 * @nmemsize: out: memory size of the next segment
 *
 * On the first call after the headers, validates every PT_LOAD segment
 * (ranges, overlap, inside the file, mapped by @rproc) before handing out
 * the first one; later calls hand out the following segments. The caller
 * copies @nlen bytes and fills up to @nmemsize with @padding.
 * Returns the new load state (RPROC_LOADER_LOAD_COMPLETE when no segment is
 * left) or a negative error.
 */
int elf_load(struct remoteproc *rproc, const void *img_data, size_t offset, size_t len,
	     void **img_info, int last_load_state, metal_phys_addr_t *da, size_t *noffset,
	     size_t *nlen, unsigned char *padding, size_t *nmemsize);

/**
 * elf_locate_rsc_table - where the ".resource_table" section is
 * @img_info: loader state with complete headers
 * @da: out: the section's address (sh_addr)
 * @offset: out: the section's file offset
 * @size: out: the section's size (0 when the image has no resource table)
 *
 * Returns 0 (also when there is no table: *size is then 0), or
 * -RPROC_ERR_LOADER_STATE when the headers are not complete, or
 * -AMPLINK_RPROC_ERR_ELF_SHDR when the section lies outside the file.
 */
int elf_locate_rsc_table(void *img_info, metal_phys_addr_t *da, size_t *offset, size_t *size);

/**
 * elf_get_entry - the image's entry point
 * @img_info: loader state with at least the ELF header parsed
 *
 * Returns e_entry, or METAL_BAD_PHYS when unknown or not representable.
 */
metal_phys_addr_t elf_get_entry(void *img_info);

/**
 * elf_get_load_state - the current load state of @img_info
 *
 * Returns the state, or -RPROC_EINVAL when @img_info is NULL.
 */
int elf_get_load_state(void *img_info);

/**
 * elf_release - free everything elf_load_header allocated for @img_info
 *
 * Safe with NULL. After it returns @img_info must not be used.
 */
void elf_release(void *img_info);

#ifdef __cplusplus
}
#endif

#endif /* OPENAMP_ELF_LOADER_H */
