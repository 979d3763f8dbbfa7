/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test helper: the standard firmware image of the ELF tests (code with a
 * zero-filled tail, a resource table segment, a bss-only segment) and the
 * checks that a load of it placed everything where it belongs.
 */
#ifndef AMPLINK_TESTS_ELF_IMAGES_H
#define AMPLINK_TESTS_ELF_IMAGES_H

#include "elf/elf_builder.h"
#include "remoteproc/rproc_fixture.h"
#include "remoteproc/rsc_builder.h"

#define TI_CODE_DA  (FX_RAM_DA + 0x0000)
#define TI_CODE_LEN 256
#define TI_CODE_MEM 512
#define TI_RSC_DA   (FX_RAM_DA + 0x8000)
#define TI_BSS_DA   (FX_RAM_DA + 0x9000)
#define TI_BSS_MEM  128
#define TI_TRACE_DA (FX_RAM_DA + 0xA000)
#define TI_CARVE_DA (FX_RAM_DA + 0xC000)
#define TI_ENTRY    (FX_RAM_DA + 0x41)

/* Offsets of the entries in the standard resource table. */
struct ti_offsets {
	size_t vdev, trace, carveout;
};

/* ti_rsc - the standard resource table: vdev (2 vrings at ANY), trace, carveout. */
void ti_rsc(struct rb *rsc, struct ti_offsets *off);

/* ti_image - the standard image around @rsc (NULL: no resource table). */
void ti_image(struct eb_image *im, int is64, uint16_t machine, const struct rb *rsc);

/* ti_code_byte - byte @i of the code segment's data. */
unsigned char ti_code_byte(size_t i);

/* ti_check_loaded - 1 when RAM holds the loaded standard image (table not checked). */
int ti_check_loaded(struct fx_platform *fx);

#endif
