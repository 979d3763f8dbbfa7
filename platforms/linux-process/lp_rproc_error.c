/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sentences for the errors of the Linux-process remoteproc backend: negative
 * errno values and negated RPROC_* / AMPLINK_RPROC_ERR_* codes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>

#include <amplink/remoteproc.h>

#include "lp_rproc_private.h"

struct lpr_err_text {
	int code;
	const char *text;
};

static const struct lpr_err_text lpr_rproc_texts[] = {
	{RPROC_ENOMEM, "out of memory"},
	{RPROC_EINVAL, "invalid argument"},
	{RPROC_EAGAIN, "busy: virtio devices still use the table"},
	{RPROC_ERR_RSC_TAB_TRUNC, "resource table truncated"},
	{RPROC_ERR_RSC_TAB_VER, "resource table version is not 1"},
	{RPROC_ERR_RSC_TAB_RSVD, "resource table: a reserved field is not zero"},
	{RPROC_ERR_RSC_TAB_VDEV_NRINGS, "resource table: vdev has a bad number of vrings"},
	{RPROC_ERR_RSC_TAB_NP, "resource table: entry of an unknown type"},
	{RPROC_ERR_RSC_TAB_NS, "resource table: entry type not supported"},
	{AMPLINK_RPROC_ERR_STATE, "not allowed in the remote's current state"},
	{AMPLINK_RPROC_ERR_ELF_TRUNC, "file too short for an ELF header"},
	{AMPLINK_RPROC_ERR_ELF_MAGIC, "not an ELF file"},
	{AMPLINK_RPROC_ERR_ELF_CLASS, "wrong ELF class (neither 32- nor 64-bit)"},
	{AMPLINK_RPROC_ERR_ELF_DATA, "ELF file is not little-endian"},
	{AMPLINK_RPROC_ERR_ELF_MACHINE, "ELF file built for another machine"},
	{AMPLINK_RPROC_ERR_ELF_HDR, "bad ELF header (type, version or sizes)"},
	{AMPLINK_RPROC_ERR_ELF_PHDR, "bad ELF program header table"},
	{AMPLINK_RPROC_ERR_ELF_SHDR, "bad ELF section headers"},
	{AMPLINK_RPROC_ERR_ELF_SEG_RANGE, "an ELF segment lies outside the file"},
	{AMPLINK_RPROC_ERR_ELF_SEG_OVERLAP, "two ELF segments overlap"},
	{AMPLINK_RPROC_ERR_ELF_SEG_NOMEM, "an ELF segment cannot be placed"},
	{AMPLINK_RPROC_ERR_ELF_NO_SEG, "no loadable ELF segment"},
	{AMPLINK_RPROC_ERR_RSC_OFFSET, "resource table: an entry offset lies outside the table"},
	{AMPLINK_RPROC_ERR_RSC_ENTRY, "resource table: an entry runs past the table"},
	{AMPLINK_RPROC_ERR_RSC_VRING, "resource table: invalid vring size or alignment"},
	{AMPLINK_RPROC_ERR_RSC_RANGE, "resource table: invalid address or length"},
	{AMPLINK_RPROC_ERR_RSC_MAP, "resource table: memory cannot be mapped"},
	{AMPLINK_RPROC_ERR_IMG_STORE, "the image could not be read"},
	{AMPLINK_RPROC_ERR_RSC_NOTIFYID, "resource table: notify id taken"},
};

const char *amplink_lpr_strerror(int err)
{
	size_t i;

	if (err >= 0)
		return "success";
	switch (-err) {
	case ENODATA:
		return "no .resource_table section";
	case ENOMSG:
		return "resource table has no rpmsg vdev with two equal vrings";
	case E2BIG:
		return "resource table too large";
	default:
		break;
	}
	if (!AMPLINK_LPR_IS_RPROC_ERR(err))
		return strerror(-err);
	for (i = 0; i < sizeof(lpr_rproc_texts) / sizeof(lpr_rproc_texts[0]); i++) {
		if (AMPLINK_LPR_RPROC_ERR(lpr_rproc_texts[i].code) == err)
			return lpr_rproc_texts[i].text;
	}
	return "remoteproc error";
}
