/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Resource-table validation: the header (version, reserved words, offset
 * array inside the table), every entry's offset and full length (a vdev with
 * its vrings and config space, a vendor entry with its own length), reserved
 * fields, vring sizes and alignments, and address ranges that would wrap.
 * Nothing here writes; handle_rsc_table runs it before any handler.
 */
#include <openamp/rsc_table_parser.h>

#include <amplink/remoteproc.h>
#include <metal/log.h>

#include "remoteproc/rproc_range.h"

#define RSC_U32_LIMIT 0x100000000ULL

static int rsc_is_pow2(uint32_t v)
{
	return v != 0 && (v & (v - 1)) == 0;
}

/* 1 when [addr, addr + len) wraps past 4 GiB (ANY means "not fixed": fine). */
static int rsc_addr_wraps(uint32_t addr, uint32_t len)
{
	return addr != FW_RSC_U32_ADDR_ANY && (uint64_t)addr + len > RSC_U32_LIMIT;
}

/* Bytes of a split vring of @num descriptors with used ring aligned to @align. */
static uint64_t rsc_vring_bytes(uint32_t num, uint32_t align)
{
	uint64_t head = 16ULL * num + 2ULL * (3 + num);

	head = (head + align - 1) & ~((uint64_t)align - 1);
	return head + 6 + 8ULL * num;
}

static int rsc_check_mem(const void *rsc, size_t off, const char *what, int need_pa)
{
	const struct fw_rsc_carveout *c = rsc; /* devmem has the same layout */

	if (c->reserved != 0) {
		metal_err("rsc: %s at 0x%zx: reserved field 0x%x not zero", what, off,
			  (unsigned)c->reserved);
		return -RPROC_ERR_RSC_TAB_RSVD;
	}
	if (c->len == 0 || rsc_addr_wraps(c->da, c->len) || rsc_addr_wraps(c->pa, c->len) ||
	    (need_pa && c->pa == FW_RSC_U32_ADDR_ANY)) {
		metal_err("rsc: %s at 0x%zx: da 0x%x pa 0x%x len 0x%x invalid", what, off,
			  (unsigned)c->da, (unsigned)c->pa, (unsigned)c->len);
		return -AMPLINK_RPROC_ERR_RSC_RANGE;
	}
	return 0;
}

static int rsc_check_trace(const struct fw_rsc_trace *t, size_t off)
{
	if (t->reserved != 0) {
		metal_err("rsc: trace at 0x%zx: reserved field not zero", off);
		return -RPROC_ERR_RSC_TAB_RSVD;
	}
	if (t->len == 0 || t->da == FW_RSC_U32_ADDR_ANY || rsc_addr_wraps(t->da, t->len)) {
		metal_err("rsc: trace at 0x%zx: da 0x%x len 0x%x invalid", off, (unsigned)t->da,
			  (unsigned)t->len);
		return -AMPLINK_RPROC_ERR_RSC_RANGE;
	}
	return 0;
}

static int rsc_check_vring(const struct fw_rsc_vdev_vring *vr, size_t off, unsigned int i)
{
	uint64_t bytes;

	if (!rsc_is_pow2(vr->num) || vr->num > AMPLINK_RSC_MAX_VRING_NUM ||
	    !rsc_is_pow2(vr->align)) {
		metal_err("rsc: vdev at 0x%zx: vring %u num %u align %u invalid", off, i,
			  (unsigned)vr->num, (unsigned)vr->align);
		return -AMPLINK_RPROC_ERR_RSC_VRING;
	}
	bytes = rsc_vring_bytes(vr->num, vr->align);
	if (vr->da != FW_RSC_U32_ADDR_ANY && (uint64_t)vr->da + bytes > RSC_U32_LIMIT) {
		metal_err("rsc: vdev at 0x%zx: vring %u at 0x%x wraps", off, i, (unsigned)vr->da);
		return -AMPLINK_RPROC_ERR_RSC_RANGE;
	}
	return 0;
}

/* Checks a vdev entry whose fixed part is known to fit in @room bytes. */
static int rsc_check_vdev(const struct fw_rsc_vdev *v, size_t off, size_t room)
{
	size_t need = sizeof(*v) + (size_t)v->num_of_vrings * sizeof(v->vring[0]);
	unsigned int i;
	int ret;

	if (v->reserved[0] || v->reserved[1]) {
		metal_err("rsc: vdev at 0x%zx: reserved bytes not zero", off);
		return -RPROC_ERR_RSC_TAB_RSVD;
	}
	if (v->num_of_vrings == 0 || v->num_of_vrings > AMPLINK_RSC_MAX_VRINGS) {
		metal_err("rsc: vdev at 0x%zx: %u vrings (1..%d accepted)", off,
			  (unsigned)v->num_of_vrings, AMPLINK_RSC_MAX_VRINGS);
		return -RPROC_ERR_RSC_TAB_VDEV_NRINGS;
	}
	if (rproc_add_size(need, v->config_len, &need) || need > room) {
		metal_err("rsc: vdev at 0x%zx: %u vrings + %u config bytes run past the table", off,
			  (unsigned)v->num_of_vrings, (unsigned)v->config_len);
		return -AMPLINK_RPROC_ERR_RSC_ENTRY;
	}
	for (i = 0; i < v->num_of_vrings; i++) {
		ret = rsc_check_vring(&v->vring[i], off, i);
		if (ret)
			return ret;
	}
	return 0;
}

static int rsc_check_vendor(const struct fw_rsc_vendor *v, size_t off, size_t room)
{
	if (v->len < sizeof(*v) || v->len > room) {
		metal_err("rsc: vendor entry type %u at 0x%zx: length %u invalid (room %zu)",
			  (unsigned)v->type, off, (unsigned)v->len, room);
		return -AMPLINK_RPROC_ERR_RSC_ENTRY;
	}
	return 0;
}

/* Fixed size of an entry of @type, or 0 for a type the parser does not know. */
static size_t rsc_fixed_size(uint32_t type)
{
	switch (type) {
	case RSC_CARVEOUT:
		return sizeof(struct fw_rsc_carveout);
	case RSC_DEVMEM:
		return sizeof(struct fw_rsc_devmem);
	case RSC_TRACE:
		return sizeof(struct fw_rsc_trace);
	case RSC_VDEV:
		return sizeof(struct fw_rsc_vdev);
	default:
		if (type >= RSC_VENDOR_START && type < RSC_VENDOR_END)
			return sizeof(struct fw_rsc_vendor);
		return 0;
	}
}

static int rsc_check_entry(const unsigned char *tbl, size_t off, size_t len)
{
	const struct fw_rsc_hdr *hdr = (const void *)(tbl + off);
	size_t room = len - off, fixed;

	fixed = rsc_fixed_size(hdr->type);
	if (fixed == 0) {
		metal_err("rsc: entry at 0x%zx: type %u not supported", off, (unsigned)hdr->type);
		return -RPROC_ERR_RSC_TAB_NS;
	}
	if (fixed > room) {
		metal_err("rsc: entry type %u at 0x%zx: %zu bytes needed, %zu left",
			  (unsigned)hdr->type, off, fixed, room);
		return -AMPLINK_RPROC_ERR_RSC_ENTRY;
	}
	switch (hdr->type) {
	case RSC_CARVEOUT:
		return rsc_check_mem(hdr, off, "carveout", 0);
	case RSC_DEVMEM:
		return rsc_check_mem(hdr, off, "devmem", 1);
	case RSC_TRACE:
		return rsc_check_trace((const void *)hdr, off);
	case RSC_VDEV:
		return rsc_check_vdev((const void *)hdr, off, room);
	default:
		return rsc_check_vendor((const void *)hdr, off, room);
	}
}

static int rsc_check_header(const struct resource_table *t, size_t len, size_t *hdr_end)
{
	size_t end;

	if (!t || len < sizeof(*t)) {
		metal_err("rsc: table of %zu bytes is shorter than its header", len);
		return -RPROC_ERR_RSC_TAB_TRUNC;
	}
	if (t->ver != 1) {
		metal_err("rsc: table version %u (1 expected)", (unsigned)t->ver);
		return -RPROC_ERR_RSC_TAB_VER;
	}
	if (t->reserved[0] || t->reserved[1]) {
		metal_err("rsc: table header reserved words not zero");
		return -RPROC_ERR_RSC_TAB_RSVD;
	}
	if (t->num > (len - sizeof(*t)) / sizeof(t->offset[0])) {
		metal_err("rsc: %u entries do not fit a table of %zu bytes", (unsigned)t->num, len);
		return -RPROC_ERR_RSC_TAB_TRUNC;
	}
	end = sizeof(*t) + (size_t)t->num * sizeof(t->offset[0]);
	*hdr_end = end;
	return 0;
}

int amplink_rsc_table_check(const void *rsc_table, size_t len)
{
	const struct resource_table *t = rsc_table;
	size_t hdr_end, off;
	uint32_t i;
	int ret;

	ret = rsc_check_header(t, len, &hdr_end);
	if (ret)
		return ret;
	for (i = 0; i < t->num; i++) {
		off = t->offset[i];
		if (off < hdr_end || off > len || len - off < sizeof(struct fw_rsc_hdr)) {
			metal_err("rsc: entry %u: offset 0x%zx outside the table (%zu bytes)",
				  (unsigned)i, off, len);
			return -AMPLINK_RPROC_ERR_RSC_OFFSET;
		}
		ret = rsc_check_entry(rsc_table, off, len);
		if (ret)
			return ret;
	}
	return 0;
}

size_t amplink_rsc_find(const void *rsc_table, size_t len, unsigned int rsc_type,
			unsigned int index)
{
	const struct resource_table *t = rsc_table;
	const struct fw_rsc_hdr *hdr;
	size_t hdr_end, off;
	uint32_t i;

	if (!t || len < sizeof(*t) || t->num > (len - sizeof(*t)) / sizeof(t->offset[0]))
		return 0;
	hdr_end = sizeof(*t) + (size_t)t->num * sizeof(t->offset[0]);
	for (i = 0; i < t->num; i++) {
		off = t->offset[i];
		if (off < hdr_end || off > len || len - off < sizeof(*hdr))
			return 0;
		hdr = (const void *)((const unsigned char *)rsc_table + off);
		if (hdr->type == rsc_type && index-- == 0)
			return off;
	}
	return 0;
}

size_t find_rsc(void *rsc_table, unsigned int rsc_type, unsigned int index)
{
	const struct resource_table *t = rsc_table;
	const struct fw_rsc_hdr *hdr;
	uint32_t i;

	if (!t)
		return 0;
	for (i = 0; i < t->num; i++) {
		hdr = (const void *)((const unsigned char *)rsc_table + t->offset[i]);
		if (hdr->type == rsc_type && index-- == 0)
			return t->offset[i];
	}
	return 0;
}
