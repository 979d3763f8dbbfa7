/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ELF loader: validation of the program headers before anything is written
 * (sizes, arithmetic overflow, data inside the file, PT_LOAD segments that
 * overlap, segments outside every memory region of the remote) and the walk
 * over the loadable segments.
 */
#include "remoteproc/elf_image.h"

#include <amplink/remoteproc.h>
#include <metal/log.h>

#include "remoteproc/rproc_range.h"

static int elf_seg_loadable(const struct elf_seg *seg)
{
	return seg->type == PT_LOAD && seg->memsz != 0;
}

static int elf_seg_check_one(const struct elf_image *img, size_t i, const struct elf_seg *seg)
{
	uint64_t end;

	if (seg->filesz > seg->memsz) {
		metal_err("elf: segment %zu file size 0x%llx > memory size 0x%llx", i,
			  (unsigned long long)seg->filesz, (unsigned long long)seg->memsz);
		return -AMPLINK_RPROC_ERR_ELF_SEG_RANGE;
	}
	if (rproc_add_u64(seg->offset, seg->filesz, &end) || !rproc_fits_size(end)) {
		metal_err("elf: segment %zu file range overflows", i);
		return -AMPLINK_RPROC_ERR_ELF_SEG_RANGE;
	}
	if (img->img_len && end > img->img_len) {
		metal_err("elf: segment %zu data ends at 0x%llx, beyond the file (%zu bytes)", i,
			  (unsigned long long)end, img->img_len);
		return -AMPLINK_RPROC_ERR_ELF_TRUNC;
	}
	if (rproc_add_u64(seg->paddr, seg->memsz, &end) || !rproc_fits_size(seg->memsz) ||
	    (!img->is64 && end > 0x100000000ULL) ||
	    seg->paddr != (uint64_t)(metal_phys_addr_t)seg->paddr ||
	    end - 1 != (uint64_t)(metal_phys_addr_t)(end - 1)) {
		metal_err("elf: segment %zu address range 0x%llx+0x%llx overflows", i,
			  (unsigned long long)seg->paddr, (unsigned long long)seg->memsz);
		return -AMPLINK_RPROC_ERR_ELF_SEG_RANGE;
	}
	return 0;
}

static int elf_seg_check_overlap(const struct elf_image *img, size_t i, const struct elf_seg *seg)
{
	struct elf_seg other;
	size_t j;

	for (j = 0; j < i; j++) {
		elf_image_seg(img, j, &other);
		if (!elf_seg_loadable(&other))
			continue;
		if (rproc_ranges_overlap(seg->paddr, seg->memsz, other.paddr, other.memsz)) {
			metal_err("elf: segments %zu and %zu overlap at 0x%llx", j, i,
				  (unsigned long long)seg->paddr);
			return -AMPLINK_RPROC_ERR_ELF_SEG_OVERLAP;
		}
	}
	return 0;
}

int elf_segments_check(struct elf_image *img)
{
	struct elf_seg seg;
	size_t i, loadable = 0;
	int ret;

	for (i = 0; i < img->phnum; i++) {
		elf_image_seg(img, i, &seg);
		if (seg.type != PT_LOAD)
			continue;
		ret = elf_seg_check_one(img, i, &seg);
		if (ret)
			return ret;
		if (!elf_seg_loadable(&seg))
			continue;
		ret = elf_seg_check_overlap(img, i, &seg);
		if (ret)
			return ret;
		loadable++;
	}
	if (!loadable) {
		metal_err("elf: no loadable segment");
		return -AMPLINK_RPROC_ERR_ELF_NO_SEG;
	}
	return 0;
}

int elf_segments_check_mem(const struct elf_image *img, struct remoteproc *rproc)
{
	struct metal_io_region *io;
	metal_phys_addr_t pa, da;
	struct elf_seg seg;
	size_t i;

	for (i = 0; i < img->phnum; i++) {
		elf_image_seg(img, i, &seg);
		if (!elf_seg_loadable(&seg))
			continue;
		pa = METAL_BAD_PHYS;
		da = (metal_phys_addr_t)seg.paddr;
		io = NULL;
		if (!remoteproc_mmap(rproc, &pa, &da, (size_t)seg.memsz, 0, &io) || !io) {
			metal_err("elf: segment %zu [0x%llx, +0x%llx) is outside target memory", i,
				  (unsigned long long)seg.paddr, (unsigned long long)seg.memsz);
			return -AMPLINK_RPROC_ERR_ELF_SEG_NOMEM;
		}
	}
	return 0;
}

size_t elf_segments_next(const struct elf_image *img, size_t from)
{
	struct elf_seg seg;
	size_t i;

	for (i = from; i < img->phnum; i++) {
		elf_image_seg(img, i, &seg);
		if (elf_seg_loadable(&seg))
			return i;
	}
	return img->phnum;
}
