/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * remoteproc_load_noblock: loading driven by the caller. Each call takes the
 * bytes the previous one asked for and says what is needed next: header
 * bytes (passed back in img_data), the resource table (idem), or a segment
 * the caller copies itself to a physical address in an io region and pads up
 * to its memory size. Any window size works: the loader collects pieces.
 */
#include <openamp/remoteproc.h>

#include <amplink/libc.h>
#include <amplink/remoteproc.h>
#include <metal/log.h>
#include <openamp/elf_loader.h>
#include <openamp/remoteproc_loader.h>
#include <openamp/rsc_table_parser.h>

#include "remoteproc/rproc_lifecycle.h"

static int rproc_nb_headers(struct remoteproc *rproc, const void *data, size_t off, size_t len,
			    void **info, size_t *noffset, size_t *nlen)
{
	struct remoteproc_amplink *ext = &rproc->amplink;
	int last = *info ? elf_get_load_state(*info) : 0;
	metal_phys_addr_t da;
	int state;
	size_t roff, size;

	state = elf_load_header(data, off, len, info, last, noffset, nlen);
	if (state < 0 || !(state & RPROC_LOADER_READY_TO_LOAD))
		return state < 0 ? state : 0;
	state = rproc_check_machine(rproc, *info);
	if (state < 0)
		return state;
	state = elf_locate_rsc_table(*info, &da, &roff, &size);
	if (state < 0)
		return state;
	ext->load_phase = RPROC_PHASE_DATA;
	if (size == 0)
		return 0;
	if (size > AMPLINK_CFG_RSC_TABLE_MAX) {
		metal_err("remoteproc: resource table of %zu bytes (max %d)", size,
			  AMPLINK_CFG_RSC_TABLE_MAX);
		return -AMPLINK_RPROC_ERR_RSC_RANGE;
	}
	if (!rproc_rsc_copy_get(rproc, size))
		return -RPROC_ENOMEM;
	ext->rsc_da = da;
	ext->rsc_off = roff;
	ext->rsc_have = 0;
	ext->load_phase = RPROC_PHASE_RSC;
	return 0;
}

/* Collects the table from the supplied window; parses it once complete. */
static int rproc_nb_rsc(struct remoteproc *rproc, const void *data, size_t off, size_t len,
			size_t *noffset, size_t *nlen)
{
	struct remoteproc_amplink *ext = &rproc->amplink;
	size_t next = ext->rsc_off + ext->rsc_have, n;
	int ret;

	if (data && off <= next && next - off < len) {
		n = len - (next - off);
		if (n > ext->rsc_copy_len - ext->rsc_have)
			n = ext->rsc_copy_len - ext->rsc_have;
		memcpy((unsigned char *)ext->rsc_copy + ext->rsc_have,
		       (const unsigned char *)data + (next - off), n);
		ext->rsc_have += n;
	}
	if (ext->rsc_have < ext->rsc_copy_len) {
		*noffset = ext->rsc_off + ext->rsc_have;
		*nlen = ext->rsc_copy_len - ext->rsc_have;
		return 0;
	}
	ret = handle_rsc_table(rproc, ext->rsc_copy, ext->rsc_copy_len, NULL);
	if (!ret)
		ret = rproc_rsc_target_ok(rproc);
	if (!ret)
		ext->load_phase = RPROC_PHASE_DATA;
	return ret;
}

static int rproc_nb_finish(struct remoteproc *rproc, void **info)
{
	int ret = rproc_rsc_install(rproc);

	if (ret)
		return ret;
	rproc->bootaddr = elf_get_entry(*info);
	elf_release(*info);
	*info = NULL;
	rproc->amplink.load_phase = RPROC_PHASE_IDLE;
	return 0;
}

static int rproc_nb_data(struct remoteproc *rproc, void **info, metal_phys_addr_t *pa,
			 struct metal_io_region **io, size_t *noffset, size_t *nlen, size_t *nmlen,
			 unsigned char *padding)
{
	metal_phys_addr_t da;
	int state;

	state = elf_load(rproc, NULL, 0, 0, info, elf_get_load_state(*info), &da, noffset, nlen,
			 padding, nmlen);
	if (state < 0)
		return state;
	if (state & RPROC_LOADER_LOAD_COMPLETE) {
		*nlen = 0;
		*nmlen = 0;
		return rproc_nb_finish(rproc, info);
	}
	if (!remoteproc_mmap(rproc, pa, &da, *nmlen, 0, io) || !*io)
		return -AMPLINK_RPROC_ERR_ELF_SEG_NOMEM;
	return 0;
}

static int rproc_nb_step(struct remoteproc *rproc, const void *data, size_t off, size_t len,
			 void **info, metal_phys_addr_t *pa, struct metal_io_region **io,
			 size_t *noffset, size_t *nlen, size_t *nmlen, unsigned char *padding)
{
	struct remoteproc_amplink *ext = &rproc->amplink;
	int ret;

	if (!*info) {
		if (rproc->state != RPROC_READY) {
			metal_err("remoteproc: load refused: not configured (state %u)",
				  rproc->state);
			return -AMPLINK_RPROC_ERR_STATE;
		}
		if (!metal_list_is_empty(&rproc->vdevs))
			return -RPROC_EAGAIN;
		rproc_forget_rsc(rproc);
		rproc->loader = &elf_ops;
		ext->load_phase = RPROC_PHASE_HEADERS;
	} else if (ext->load_phase == RPROC_PHASE_IDLE) {
		return -RPROC_ERR_LOADER_STATE;
	}
	if (ext->load_phase == RPROC_PHASE_HEADERS) {
		ret = rproc_nb_headers(rproc, data, off, len, info, noffset, nlen);
		if (ret || ext->load_phase == RPROC_PHASE_HEADERS)
			return ret;
	}
	if (ext->load_phase == RPROC_PHASE_RSC) {
		ret = rproc_nb_rsc(rproc, data, off, len, noffset, nlen);
		if (ret || ext->load_phase == RPROC_PHASE_RSC)
			return ret;
	}
	return rproc_nb_data(rproc, info, pa, io, noffset, nlen, nmlen, padding);
}

int remoteproc_load_noblock(struct remoteproc *rproc, const void *img_data, size_t offset,
			    size_t len, void **img_info, metal_phys_addr_t *pa,
			    struct metal_io_region **io, size_t *noffset, size_t *nlen,
			    size_t *nmlen, unsigned char *padding)
{
	int ret;

	if (!rproc || !img_info || !pa || !io || !noffset || !nlen || !nmlen || !padding)
		return -RPROC_EINVAL;
	metal_mutex_acquire(&rproc->lock);
	*pa = METAL_BAD_PHYS;
	*io = NULL;
	*nmlen = 0;
	*padding = 0;
	ret = rproc_nb_step(rproc, img_data, offset, len, img_info, pa, io, noffset, nlen, nmlen,
			    padding);
	if (ret) {
		elf_release(*img_info);
		*img_info = NULL;
		rproc_forget_rsc(rproc);
	}
	metal_mutex_release(&rproc->lock);
	return ret;
}
