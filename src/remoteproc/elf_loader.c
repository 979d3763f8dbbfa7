/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ELF loader: the load-state machine behind struct loader_ops. Headers are
 * gathered in order (ELF header, program headers, section headers, section
 * names) from whatever window of the image the caller supplies, asking for
 * the missing bytes; then the loadable segments are handed out one by one
 * after all of them were validated.
 */
#include "remoteproc/elf_image.h"

#include <amplink/remoteproc.h>
#include <metal/log.h>

#include "remoteproc/rproc_range.h"

const struct loader_ops elf_ops = {
	.load_header = elf_load_header,
	.load_data = elf_load,
	.locate_rsc_table = elf_locate_rsc_table,
	.release = elf_release,
	.get_entry = elf_get_entry,
	.get_load_state = elf_get_load_state,
};

static int elf_set_state(struct elf_image *img, long loader, long elf)
{
	img->load_state = (int)(loader | elf);
	return img->load_state;
}

/* Asks for the rest of a table; returns 0 ("more data needed"). */
static int elf_request(const struct elf_image *img, uint64_t off, size_t want, size_t have,
		       size_t *noffset, size_t *nlen, int err)
{
	if (img->img_len && !rproc_range_inside(off, want, img->img_len)) {
		metal_err("elf: header data [0x%llx, +0x%zx) beyond the end of the file (%zu)",
			  (unsigned long long)off, want, img->img_len);
		return err;
	}
	*noffset = (size_t)off + have;
	*nlen = want - have;
	return 0;
}

static int elf_step_ehdr(struct elf_image *img, const void *data, size_t off, size_t len,
			 size_t *noffset, size_t *nlen)
{
	size_t want = EI_NIDENT;
	int ret;

	if (elf_image_collect(img->ehdr, 0, want, &img->ehdr_have, data, off, len) ||
	    img->ehdr_have >= want) {
		ret = elf_identify(img->ehdr, img->ehdr_have);
		if (ret)
			return ret;
		img->is64 = img->ehdr[EI_CLASS] == ELFCLASS64;
		want = img->is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
		if (elf_image_collect(img->ehdr, 0, want, &img->ehdr_have, data, off, len)) {
			ret = elf_header_parse(img);
			if (ret)
				return ret;
			img->phdrs =
				elf_image_table_alloc(ELF_TABLE_PHDRS, img->phnum * img->phentsize);
			if (!img->phdrs)
				return -RPROC_ENOMEM;
			elf_set_state(img, RPROC_LOADER_NOT_READY, ELF_STATE_WAIT_FOR_PHDRS);
			return 1;
		}
	}
	return elf_request(img, 0, want, img->ehdr_have, noffset, nlen,
			   -AMPLINK_RPROC_ERR_ELF_TRUNC);
}

static int elf_headers_done(struct elf_image *img)
{
	elf_image_table_free(img->shdrs);
	elf_image_table_free(img->shstrtab);
	img->shdrs = NULL;
	img->shstrtab = NULL;
	elf_set_state(img, RPROC_LOADER_READY_TO_LOAD, ELF_STATE_HDRS_COMPLETE);
	return 1;
}

static int elf_step_phdrs(struct elf_image *img, const void *data, size_t off, size_t len,
			  size_t *noffset, size_t *nlen)
{
	size_t want = img->phnum * img->phentsize;
	int ret;

	if (!elf_image_collect(img->phdrs, img->phoff, want, &img->phdrs_have, data, off, len))
		return elf_request(img, img->phoff, want, img->phdrs_have, noffset, nlen,
				   -AMPLINK_RPROC_ERR_ELF_PHDR);
	ret = elf_segments_check(img);
	if (ret)
		return ret;
	if (img->shnum == 0)
		return elf_headers_done(img);
	img->shdrs = elf_image_table_alloc(ELF_TABLE_SHDRS, img->shnum * img->shentsize);
	if (!img->shdrs)
		return -RPROC_ENOMEM;
	elf_set_state(img, RPROC_LOADER_NOT_READY, ELF_STATE_WAIT_FOR_SHDRS);
	return 1;
}

static int elf_step_shdrs(struct elf_image *img, const void *data, size_t off, size_t len,
			  size_t *noffset, size_t *nlen)
{
	size_t want = img->shnum * img->shentsize;
	int ret;

	if (!elf_image_collect(img->shdrs, img->shoff, want, &img->shdrs_have, data, off, len))
		return elf_request(img, img->shoff, want, img->shdrs_have, noffset, nlen,
				   -AMPLINK_RPROC_ERR_ELF_SHDR);
	ret = elf_sections_parse(img);
	if (ret)
		return ret;
	img->shstrtab = elf_image_table_alloc(ELF_TABLE_SHSTRTAB, img->shstrtab_size);
	if (!img->shstrtab)
		return -RPROC_ENOMEM;
	elf_set_state(img, RPROC_LOADER_NOT_READY, ELF_STATE_WAIT_FOR_SHSTRTAB);
	return 1;
}

static int elf_step_shstrtab(struct elf_image *img, const void *data, size_t off, size_t len,
			     size_t *noffset, size_t *nlen)
{
	int ret;

	if (!elf_image_collect((unsigned char *)img->shstrtab, img->shstrtab_off,
			       img->shstrtab_size, &img->shstrtab_have, data, off, len))
		return elf_request(img, img->shstrtab_off, img->shstrtab_size, img->shstrtab_have,
				   noffset, nlen, -AMPLINK_RPROC_ERR_ELF_SHDR);
	ret = elf_sections_find_rsc(img);
	if (ret)
		return ret;
	return elf_headers_done(img);
}

/* Runs the header steps while the supplied bytes let them progress. */
static int elf_headers_advance(struct elf_image *img, const void *data, size_t off, size_t len,
			       size_t *noffset, size_t *nlen)
{
	int ret;

	for (;;) {
		switch (img->load_state & ELF_STATE_MASK) {
		case ELF_STATE_INIT:
			ret = elf_step_ehdr(img, data, off, len, noffset, nlen);
			break;
		case ELF_STATE_WAIT_FOR_PHDRS:
			ret = elf_step_phdrs(img, data, off, len, noffset, nlen);
			break;
		case ELF_STATE_WAIT_FOR_SHDRS:
			ret = elf_step_shdrs(img, data, off, len, noffset, nlen);
			break;
		case ELF_STATE_WAIT_FOR_SHSTRTAB:
			ret = elf_step_shstrtab(img, data, off, len, noffset, nlen);
			break;
		default:
			*noffset = 0;
			*nlen = 0;
			return 0;
		}
		if (ret <= 0)
			return ret;
	}
}

int elf_load_header(const void *img_data, size_t offset, size_t len, void **img_info,
		    int last_load_state, size_t *noffset, size_t *nlen)
{
	struct elf_image *img;
	int ret;

	if (!img_info || !noffset || !nlen)
		return -RPROC_EINVAL;
	img = *img_info;
	if (!img) {
		img = elf_image_alloc();
		if (!img) {
			metal_err("elf: no memory for the image information");
			return -RPROC_ENOMEM;
		}
		*img_info = img;
	} else if (last_load_state != img->load_state) {
		metal_err("elf: load state 0x%x given, 0x%x expected", (unsigned)last_load_state,
			  (unsigned)img->load_state);
		return -RPROC_ERR_LOADER_STATE;
	}
	ret = elf_headers_advance(img, img_data, offset, len, noffset, nlen);
	return ret < 0 ? ret : img->load_state;
}

static int elf_load_begin(struct elf_image *img, struct remoteproc *rproc)
{
	int ret;

	if (!rproc)
		return -RPROC_EINVAL;
	ret = elf_segments_check(img);
	if (!ret)
		ret = elf_segments_check_mem(img, rproc);
	if (ret)
		return ret;
	img->next_seg = elf_segments_next(img, 0);
	return 0;
}

static int elf_emit_segment(struct elf_image *img, metal_phys_addr_t *da, size_t *noffset,
			    size_t *nlen, size_t *nmemsize)
{
	struct elf_seg seg;

	if (img->next_seg >= img->phnum) {
		*noffset = 0;
		*nlen = 0;
		return elf_set_state(img, RPROC_LOADER_LOAD_COMPLETE, ELF_STATE_HDRS_COMPLETE);
	}
	elf_image_seg(img, img->next_seg, &seg); /* validated in elf_load_begin */
	*da = (metal_phys_addr_t)seg.paddr;
	*noffset = (size_t)seg.offset;
	*nlen = (size_t)seg.filesz;
	*nmemsize = (size_t)seg.memsz;
	return elf_set_state(img, RPROC_LOADER_POST_DATA_LOAD,
			     ELF_STATE_HDRS_COMPLETE | (img->next_seg & ELF_NEXT_SEGMENT_MASK));
}

int elf_load(struct remoteproc *rproc, const void *img_data, size_t offset, size_t len,
	     void **img_info, int last_load_state, metal_phys_addr_t *da, size_t *noffset,
	     size_t *nlen, unsigned char *padding, size_t *nmemsize)
{
	struct elf_image *img;
	int ret;

	if (!img_info || !da || !noffset || !nlen || !padding || !nmemsize)
		return -RPROC_EINVAL;
	*da = RPROC_LOAD_ANYADDR;
	*padding = 0;
	*nmemsize = 0;
	img = *img_info;
	if (!img || !(img->load_state & ELF_STATE_HDRS_COMPLETE))
		return elf_load_header(img_data, offset, len, img_info, last_load_state, noffset,
				       nlen);
	if (last_load_state != img->load_state)
		return -RPROC_ERR_LOADER_STATE;
	if (img->load_state & RPROC_LOADER_READY_TO_LOAD) {
		ret = elf_load_begin(img, rproc);
		if (ret)
			return ret;
	} else if (img->load_state & RPROC_LOADER_POST_DATA_LOAD) {
		img->next_seg = elf_segments_next(img, img->next_seg + 1);
	} else {
		img->next_seg = img->phnum;
	}
	return elf_emit_segment(img, da, noffset, nlen, nmemsize);
}

int elf_locate_rsc_table(void *img_info, metal_phys_addr_t *da, size_t *offset, size_t *size)
{
	struct elf_image *img = img_info;

	if (!img || !da || !offset || !size)
		return -RPROC_EINVAL;
	if (!(img->load_state & ELF_STATE_HDRS_COMPLETE))
		return -RPROC_ERR_LOADER_STATE;
	*da = RPROC_LOAD_ANYADDR;
	*offset = 0;
	*size = 0;
	if (!img->rsc_found)
		return 0;
	if (img->rsc_addr != (uint64_t)(metal_phys_addr_t)img->rsc_addr ||
	    (img->img_len && !rproc_range_inside(img->rsc_offset, img->rsc_size, img->img_len))) {
		metal_err("elf: .resource_table address or file range invalid");
		return -AMPLINK_RPROC_ERR_ELF_SHDR;
	}
	*da = (metal_phys_addr_t)img->rsc_addr;
	*offset = (size_t)img->rsc_offset;
	*size = (size_t)img->rsc_size;
	return 0;
}

metal_phys_addr_t elf_get_entry(void *img_info)
{
	struct elf_image *img = img_info;

	if (!img || !img->hdr_parsed || img->entry != (uint64_t)(metal_phys_addr_t)img->entry)
		return METAL_BAD_PHYS;
	return (metal_phys_addr_t)img->entry;
}

int elf_get_load_state(void *img_info)
{
	struct elf_image *img = img_info;

	return img ? img->load_state : -RPROC_EINVAL;
}

void elf_release(void *img_info)
{
	elf_image_free(img_info);
}

int amplink_elf_set_image_len(void *img_info, size_t len)
{
	struct elf_image *img = img_info;

	if (!img)
		return -RPROC_EINVAL;
	img->img_len = len;
	return 0;
}

int amplink_elf_get_machine(void *img_info)
{
	struct elf_image *img = img_info;

	if (!img || !img->hdr_parsed)
		return -RPROC_EINVAL;
	return (int)img->machine;
}
