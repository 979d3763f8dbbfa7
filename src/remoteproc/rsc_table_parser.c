/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Resource-table handling on the host: after amplink_rsc_table_check has
 * accepted the whole table, each entry is handed to its handler, which maps
 * the memory it describes through remoteproc_mmap, writes back addresses the
 * host chose, reserves notify ids, or passes vendor entries to the platform.
 */
#include <openamp/rsc_table_parser.h>

#include <amplink/remoteproc.h>
#include <metal/log.h>

static int rsc_map_range(struct remoteproc *rproc, uint32_t *pa32, uint32_t *da32, uint32_t len,
			 unsigned int flags, const char *what)
{
	metal_phys_addr_t pa = *pa32 == FW_RSC_U32_ADDR_ANY ? METAL_BAD_PHYS : *pa32;
	metal_phys_addr_t da = *da32 == FW_RSC_U32_ADDR_ANY ? METAL_BAD_PHYS : *da32;

	if (!remoteproc_mmap(rproc, &pa, &da, len, flags, NULL)) {
		metal_err("rsc: %s da 0x%x pa 0x%x len 0x%x: cannot be mapped", what,
			  (unsigned)*da32, (unsigned)*pa32, (unsigned)len);
		return -AMPLINK_RPROC_ERR_RSC_MAP;
	}
	if (pa == METAL_BAD_PHYS || da == METAL_BAD_PHYS || (uint64_t)pa + len > 0x100000000ULL ||
	    (uint64_t)da + len > 0x100000000ULL) {
		metal_err("rsc: %s mapped at pa 0x%lx da 0x%lx, not a 32-bit address", what, pa,
			  da);
		return -AMPLINK_RPROC_ERR_RSC_MAP;
	}
	*pa32 = (uint32_t)pa;
	*da32 = (uint32_t)da;
	return 0;
}

int handle_carve_out_rsc(struct remoteproc *rproc, void *rsc)
{
	struct fw_rsc_carveout *c = rsc;
	uint32_t pa = c->pa, da = c->da;
	int ret;

	ret = rsc_map_range(rproc, &pa, &da, c->len, c->flags, "carveout");
	if (ret)
		return ret;
	c->pa = pa;
	c->da = da;
	return 0;
}

int handle_devmem_rsc(struct remoteproc *rproc, void *rsc)
{
	struct fw_rsc_devmem *d = rsc;
	uint32_t pa = d->pa, da = d->da;
	int ret;

	ret = rsc_map_range(rproc, &pa, &da, d->len, d->flags, "devmem");
	if (ret)
		return ret;
	d->da = da;
	return 0;
}

int handle_trace_rsc(struct remoteproc *rproc, void *rsc)
{
	struct fw_rsc_trace *t = rsc;
	metal_phys_addr_t pa = METAL_BAD_PHYS, da = t->da;

	/* Diagnostic only: a trace buffer the host cannot see does not stop the remote. */
	if (!remoteproc_mmap(rproc, &pa, &da, t->len, 0, NULL))
		metal_warn("rsc: trace buffer at da 0x%x (0x%x bytes) not mapped: no trace",
			   (unsigned)t->da, (unsigned)t->len);
	return 0;
}

/* Reserves @*id, or allocates one when it is RSC_NOTIFY_ID_ANY. */
static int rsc_take_notifyid(struct remoteproc *rproc, uint32_t *id)
{
	unsigned int got;

	if (*id == RSC_NOTIFY_ID_ANY) {
		got = remoteproc_allocate_id(rproc, 0, RSC_NOTIFY_ID_ANY);
	} else if (*id >= sizeof(rproc->bitmap) * 8) {
		return 0; /* beyond the bitmap: the platform's own numbering */
	} else {
		got = remoteproc_allocate_id(rproc, *id, *id + 1);
	}
	if (got == RSC_NOTIFY_ID_ANY) {
		metal_err("rsc: notify id %u already taken or none free", (unsigned)*id);
		return -AMPLINK_RPROC_ERR_RSC_NOTIFYID;
	}
	*id = got;
	return 0;
}

int handle_vdev_rsc(struct remoteproc *rproc, void *rsc)
{
	struct fw_rsc_vdev *v = rsc;
	uint32_t id = v->notifyid;
	unsigned int i;
	int ret;

	ret = rsc_take_notifyid(rproc, &id);
	if (ret)
		return ret;
	v->notifyid = id;
	for (i = 0; i < v->num_of_vrings; i++) {
		id = v->vring[i].notifyid;
		ret = rsc_take_notifyid(rproc, &id);
		if (ret)
			return ret;
		v->vring[i].notifyid = id;
	}
	return 0;
}

int handle_vendor_rsc(struct remoteproc *rproc, void *rsc)
{
	struct fw_rsc_vendor *v = rsc;

	if (!rproc->ops || !rproc->ops->handle_rsc) {
		metal_warn("rsc: vendor entry type %u ignored (no handler)", (unsigned)v->type);
		return 0;
	}
	return rproc->ops->handle_rsc(rproc, rsc, v->len);
}

static int rsc_handle_entry(struct remoteproc *rproc, void *rsc)
{
	uint32_t type = ((struct fw_rsc_hdr *)rsc)->type;

	switch (type) {
	case RSC_CARVEOUT:
		return handle_carve_out_rsc(rproc, rsc);
	case RSC_DEVMEM:
		return handle_devmem_rsc(rproc, rsc);
	case RSC_TRACE:
		return handle_trace_rsc(rproc, rsc);
	case RSC_VDEV:
		return handle_vdev_rsc(rproc, rsc);
	default:
		return handle_vendor_rsc(rproc, rsc); /* the check let only vendor types by */
	}
}

int handle_rsc_table(struct remoteproc *rproc, struct resource_table *rsc_table, size_t len,
		     struct metal_io_region *io)
{
	unsigned char *base = (unsigned char *)rsc_table;
	uint32_t i;
	int ret;

	(void)io;
	if (!rproc)
		return -RPROC_EINVAL;
	ret = amplink_rsc_table_check(rsc_table, len);
	if (ret)
		return ret;
	for (i = 0; i < rsc_table->num; i++) {
		ret = rsc_handle_entry(rproc, base + rsc_table->offset[i]);
		if (ret) {
			metal_err("rsc: entry %u refused (%d)", (unsigned)i, ret);
			return ret;
		}
	}
	return 0;
}
