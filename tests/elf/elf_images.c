/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test helper: the standard firmware image declared in elf_images.h.
 */
#include "elf/elf_images.h"

#include <openamp/remoteproc.h>

static unsigned char ti_code[TI_CODE_LEN];

unsigned char ti_code_byte(size_t i)
{
	return (unsigned char)(i * 7 + 3);
}

void ti_rsc(struct rb *rsc, struct ti_offsets *off)
{
	static const struct rb_vring vr[2] = {
		{FW_RSC_U32_ADDR_ANY, 16, 8, RSC_NOTIFY_ID_ANY},
		{FW_RSC_U32_ADDR_ANY, 16, 8, RSC_NOTIFY_ID_ANY},
	};
	struct ti_offsets o;

	rb_init(rsc, 3);
	o.vdev = rb_vdev(rsc, 7, RSC_NOTIFY_ID_ANY, 1, vr, 2, 8);
	o.trace = rb_trace(rsc, TI_TRACE_DA, 256, "trace");
	o.carveout = rb_mem(rsc, RSC_CARVEOUT, TI_CARVE_DA, FW_RSC_U32_ADDR_ANY, 0x1000, "heap");
	if (off)
		*off = o;
}

void ti_image(struct eb_image *im, int is64, uint16_t machine, const struct rb *rsc)
{
	size_t i;

	for (i = 0; i < TI_CODE_LEN; i++)
		ti_code[i] = ti_code_byte(i);
	eb_init(im, is64, machine);
	im->entry = TI_ENTRY;
	eb_add_seg(im, TI_CODE_DA, ti_code, TI_CODE_LEN, TI_CODE_MEM);
	if (rsc)
		im->rsc_seg = eb_add_seg(im, TI_RSC_DA, rsc->buf, rsc->len, rsc->len);
	eb_add_seg(im, TI_BSS_DA, NULL, 0, TI_BSS_MEM);
	eb_build(im);
}

int ti_check_loaded(struct fx_platform *fx)
{
	const unsigned char *p = fx_ram(fx, TI_CODE_DA);
	size_t i;

	for (i = 0; i < TI_CODE_LEN; i++)
		if (p[i] != ti_code_byte(i))
			return 0;
	for (; i < TI_CODE_MEM; i++)
		if (p[i] != 0)
			return 0;
	if (p[TI_CODE_MEM] != FX_FILL) /* nothing past the segment */
		return 0;
	p = fx_ram(fx, TI_BSS_DA);
	for (i = 0; i < TI_BSS_MEM; i++)
		if (p[i] != 0)
			return 0;
	return p[TI_BSS_MEM] == FX_FILL;
}
