/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The trace ring of a Linux-process remote and the table walks both sides
 * need: find the RSC_TRACE entry and the rpmsg vdev in a resource table
 * (bounds-checked: the table comes from a file or from shared memory), append
 * text to the ring (remote) and copy its newest bytes out (host; the ring is
 * untrusted).
 */
#include <errno.h>
#include <stdatomic.h>
#include <string.h>

#include <openamp/virtio.h>

#include "lp_rproc_private.h"

/* The entry at index @i of @table, if it lies wholly inside; else NULL. */
static const struct fw_rsc_hdr *lpr_entry(const void *table, size_t len, uint32_t i, size_t need)
{
	const struct resource_table *t = table;
	uint32_t off;

	if (len < sizeof(*t) || t->ver != 1 || t->num > (len - sizeof(*t)) / sizeof(uint32_t) ||
	    i >= t->num)
		return NULL;
	off = t->offset[i];
	if (off < sizeof(*t) || off > len || len - off < need)
		return NULL;
	return (const struct fw_rsc_hdr *)((const unsigned char *)table + off);
}

/* Entries of @table; 0 when its count cannot fit its length (hostile copy). */
static uint32_t lpr_count(const void *table, size_t len)
{
	const struct resource_table *t = table;

	if (len < sizeof(*t) || t->num > (len - sizeof(*t)) / sizeof(uint32_t))
		return 0;
	return t->num;
}

/*
 * lpr_find_trace() - the first RSC_TRACE entry of @table. Returns 0 and its
 * da and length, or -ENOENT.
 */
int lpr_find_trace(const void *table, size_t len, uint32_t *da, uint32_t *tlen)
{
	uint32_t i, n = lpr_count(table, len);

	for (i = 0; i < n; i++) {
		const struct fw_rsc_trace *tr =
			(const void *)lpr_entry(table, len, i, sizeof(struct fw_rsc_trace));

		if (tr && tr->type == RSC_TRACE) {
			*da = tr->da;
			*tlen = tr->len;
			return 0;
		}
	}
	return -ENOENT;
}

/*
 * lpr_find_rpmsg_vdev() - the rpmsg vdev entry of @table (two vrings of the
 * same size). Returns 0 and the vring size, or -ENOENT.
 */
int lpr_find_rpmsg_vdev(const void *table, size_t len, unsigned int *vring_num)
{
	uint32_t i, n = lpr_count(table, len);

	for (i = 0; i < n; i++) {
		const struct fw_rsc_vdev *v = (const void *)lpr_entry(
			table, len, i,
			sizeof(struct fw_rsc_vdev) + 2 * sizeof(struct fw_rsc_vdev_vring));

		if (!v || v->type != RSC_VDEV || v->id != VIRTIO_ID_RPMSG)
			continue;
		if (v->num_of_vrings != 2 || v->vring[0].num != v->vring[1].num)
			return -ENOENT;
		*vring_num = v->vring[0].num;
		return 0;
	}
	return -ENOENT;
}

/*
 * lpr_trace_append() - remote: write @n bytes at the ring's head (oldest
 * bytes are overwritten). The caller serializes writers.
 */
void lpr_trace_append(void *ring, size_t ring_len, const char *s, size_t n)
{
	struct lpr_trace_hdr *h = ring;
	unsigned char *data = (unsigned char *)ring + sizeof(*h);
	size_t cap, pos, chunk;
	uint32_t head;

	if (ring_len <= sizeof(*h))
		return;
	cap = ring_len - sizeof(*h);
	if (h->magic != LPR_TRACE_MAGIC) {
		h->head = 0;
		h->magic = LPR_TRACE_MAGIC;
	}
	head = atomic_load_explicit((_Atomic uint32_t *)&h->head, memory_order_relaxed);
	if (n > cap) {
		s += n - cap;
		n = cap;
	}
	pos = head % cap;
	chunk = n < cap - pos ? n : cap - pos;
	memcpy(data + pos, s, chunk);
	memcpy(data, s + chunk, n - chunk);
	atomic_store_explicit((_Atomic uint32_t *)&h->head, head + (uint32_t)n,
			      memory_order_release);
}

/*
 * lpr_trace_copy() - host: copy the newest bytes of the ring into @buf (at
 * most @len - 1, NUL-terminated). Returns the count or -EPROTO (bad magic).
 */
long lpr_trace_copy(const void *ring, size_t ring_len, char *buf, size_t len)
{
	const struct lpr_trace_hdr *h = ring;
	const unsigned char *data = (const unsigned char *)ring + sizeof(*h);
	size_t cap, n, start, chunk;
	uint32_t head;

	if (len == 0 || ring_len <= sizeof(*h))
		return -EINVAL;
	buf[0] = '\0';
	if (h->magic == 0)
		return 0; /* nothing written yet */
	if (h->magic != LPR_TRACE_MAGIC)
		return -EPROTO;
	cap = ring_len - sizeof(*h);
	head = atomic_load_explicit((const _Atomic uint32_t *)&h->head, memory_order_acquire);
	n = head < cap ? head : cap;
	if (n > len - 1)
		n = len - 1;
	start = (head - n) % cap;
	chunk = n < cap - start ? n : cap - start;
	memcpy(buf, data + start, chunk);
	memcpy(buf + chunk, data, n - chunk);
	buf[n] = '\0';
	return (long)n;
}

/*
 * lpr_window_table() - the table copy described by the window header at
 * @win (@size bytes), bounds-checked. Returns it and sets *@len, or NULL.
 */
const void *lpr_window_table(const unsigned char *win, size_t size, size_t *len)
{
	const struct lpr_win_hdr *h = (const void *)win;

	if (!win || size < LPR_TABLE_OFF || h->magic != LPR_WIN_MAGIC || h->version != 1 ||
	    h->rsc_off < sizeof(*h) || h->rsc_off > size || h->rsc_len > size - h->rsc_off ||
	    h->rsc_len > AMPLINK_LPR_TABLE_MAX)
		return NULL;
	*len = h->rsc_len;
	return win + h->rsc_off;
}

/*
 * lpr_window_trace() - the trace ring named by the table copy in the
 * window, if it lies inside the window past the table area. Returns 0 and
 * sets *@ring / *@len, or -ENOENT.
 */
int lpr_window_trace(unsigned char *win, size_t size, void **ring, size_t *len)
{
	const void *table;
	size_t tlen_table;
	uint32_t da, tlen;

	table = lpr_window_table(win, size, &tlen_table);
	if (!table || lpr_find_trace(table, tlen_table, &da, &tlen))
		return -ENOENT;
	if (da < AMPLINK_LPR_FIXED_DA || da - AMPLINK_LPR_WINDOW_DA > size ||
	    tlen > size - (da - AMPLINK_LPR_WINDOW_DA) || tlen <= sizeof(struct lpr_trace_hdr))
		return -ENOENT;
	*ring = win + (da - AMPLINK_LPR_WINDOW_DA);
	*len = tlen;
	return 0;
}
