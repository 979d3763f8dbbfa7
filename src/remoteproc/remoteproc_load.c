/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Loading a firmware image into a remote processor: remoteproc_load (reads
 * through an image store), remoteproc_load_noblock (the caller supplies the
 * bytes the loader asks for, through a window of any size) and the handling
 * of the image's resource table: it is parsed from a private copy before any
 * segment is written, then copied into the loaded image.
 */
#include <openamp/remoteproc.h>

#include <amplink/libc.h>
#include <amplink/remoteproc.h>
#include <metal/alloc.h>
#include <metal/log.h>
#include <openamp/elf_loader.h>
#include <openamp/remoteproc_loader.h>
#include <openamp/rsc_table_parser.h>

#include "remoteproc/rproc_lifecycle.h"

#if AMPLINK_CFG_STATIC_ALLOC
static unsigned char rproc_rsc_static[AMPLINK_CFG_RSC_TABLE_MAX];
static struct remoteproc *rproc_rsc_static_owner;

void *rproc_rsc_copy_get(struct remoteproc *rproc, size_t size)
{
	if (size > sizeof(rproc_rsc_static) ||
	    (rproc_rsc_static_owner && rproc_rsc_static_owner != rproc))
		return NULL;
	rproc_rsc_static_owner = rproc;
	rproc->amplink.rsc_copy = rproc_rsc_static;
	rproc->amplink.rsc_copy_len = size;
	return rproc_rsc_static;
}

void rproc_rsc_copy_put(struct remoteproc *rproc)
{
	if (rproc_rsc_static_owner == rproc)
		rproc_rsc_static_owner = NULL;
	rproc->amplink.rsc_copy = NULL;
	rproc->amplink.rsc_copy_len = 0;
}
#else
void *rproc_rsc_copy_get(struct remoteproc *rproc, size_t size)
{
	rproc_rsc_copy_put(rproc);
	if (size == 0 || size > AMPLINK_CFG_RSC_TABLE_MAX)
		return NULL;
	rproc->amplink.rsc_copy = metal_allocate_memory((unsigned int)size);
	rproc->amplink.rsc_copy_len = rproc->amplink.rsc_copy ? size : 0;
	return rproc->amplink.rsc_copy;
}

void rproc_rsc_copy_put(struct remoteproc *rproc)
{
	metal_free_memory(rproc->amplink.rsc_copy);
	rproc->amplink.rsc_copy = NULL;
	rproc->amplink.rsc_copy_len = 0;
}
#endif

void rproc_forget_rsc(struct remoteproc *rproc)
{
	rproc_rsc_copy_put(rproc);
	rproc->rsc_table = NULL;
	rproc->rsc_len = 0;
	rproc->rsc_io = NULL;
	rproc->bitmap = 0;
	rproc->amplink.rsc_da = METAL_BAD_PHYS;
	rproc->amplink.rsc_have = 0;
	rproc->amplink.load_phase = RPROC_PHASE_IDLE;
}

/* The private buffer for a table of @size bytes, or NULL (logged). */
static void *rproc_rsc_copy_sized(struct remoteproc *rproc, size_t size)
{
	void *copy = NULL;

	if (size > AMPLINK_CFG_RSC_TABLE_MAX)
		metal_err("remoteproc: resource table of %zu bytes (max %d)", size,
			  AMPLINK_CFG_RSC_TABLE_MAX);
	else
		copy = rproc_rsc_copy_get(rproc, size);
	if (!copy && size <= AMPLINK_CFG_RSC_TABLE_MAX)
		metal_err("remoteproc: no memory for a %zu-byte resource table", size);
	return copy;
}

/* Takes a private copy of a table of @size bytes at @table, then parses it. */
static int rproc_rsc_parse_copy(struct remoteproc *rproc, const void *table, size_t size)
{
	void *copy = rproc_rsc_copy_sized(rproc, size);

	if (!copy)
		return size > AMPLINK_CFG_RSC_TABLE_MAX ? -AMPLINK_RPROC_ERR_RSC_RANGE
							: -RPROC_ENOMEM;
	memcpy(copy, table, size);
	return handle_rsc_table(rproc, copy, size, NULL);
}

/* The known region holding all of [table, table + size), or a private one. */
static struct metal_io_region *rproc_rsc_io(struct remoteproc *rproc, void *table, size_t size)
{
	struct metal_io_region *io = remoteproc_get_io_with_va(rproc, table);
	unsigned long off = io ? metal_io_virt_to_offset(io, table) : METAL_BAD_OFFSET;

	if (off != METAL_BAD_OFFSET && size <= metal_io_region_size(io) - off)
		return io;
	io = &rproc->amplink.rsc_io_own;
	metal_io_init(io, table, NULL, size, (unsigned int)-1, 0, NULL);
	return io;
}

int remoteproc_set_rsc_table(struct remoteproc *rproc, struct resource_table *rsc_table,
			     size_t rsc_size)
{
	int ret;

	if (!rproc || !rsc_table)
		return -RPROC_EINVAL;
	metal_mutex_acquire(&rproc->lock);
	if (!metal_list_is_empty(&rproc->vdevs)) {
		metal_mutex_release(&rproc->lock);
		metal_err("remoteproc: new table refused: virtio devices use the current one");
		return -RPROC_EAGAIN;
	}
	rproc_forget_rsc(rproc);
	ret = rproc_rsc_parse_copy(rproc, rsc_table, rsc_size);
	if (!ret) {
		memcpy(rsc_table, rproc->amplink.rsc_copy, rsc_size);
		rproc->rsc_table = rsc_table;
		rproc->rsc_len = rsc_size;
		rproc->rsc_io = rproc_rsc_io(rproc, rsc_table, rsc_size);
	}
	rproc_rsc_copy_put(rproc);
	if (ret)
		rproc_forget_rsc(rproc);
	metal_mutex_release(&rproc->lock);
	return ret;
}

int rproc_rsc_target_ok(struct remoteproc *rproc)
{
	struct remoteproc_amplink *ext = &rproc->amplink;
	metal_phys_addr_t pa = METAL_BAD_PHYS, da = ext->rsc_da;
	struct metal_io_region *io = NULL;

	if (!ext->rsc_copy || (remoteproc_mmap(rproc, &pa, &da, ext->rsc_copy_len, 0, &io) && io))
		return 0;
	metal_err("remoteproc: resource table at da 0x%lx is outside target memory", ext->rsc_da);
	return -AMPLINK_RPROC_ERR_RSC_MAP;
}

/* Writes the parsed table into the loaded image and points rproc at it. */
int rproc_rsc_install(struct remoteproc *rproc)
{
	struct remoteproc_amplink *ext = &rproc->amplink;
	metal_phys_addr_t pa = METAL_BAD_PHYS, da = ext->rsc_da;
	struct metal_io_region *io = NULL;
	void *va;

	if (!ext->rsc_copy)
		return 0;
	va = remoteproc_mmap(rproc, &pa, &da, ext->rsc_copy_len, 0, &io);
	if (!va || !io) {
		metal_err("remoteproc: resource table at da 0x%lx is outside target memory",
			  ext->rsc_da);
		return -AMPLINK_RPROC_ERR_RSC_MAP;
	}
	metal_io_block_write(io, metal_io_virt_to_offset(io, va), ext->rsc_copy,
			     (int)ext->rsc_copy_len);
	rproc->rsc_table = va;
	rproc->rsc_len = ext->rsc_copy_len;
	rproc->rsc_io = io;
	rproc_rsc_copy_put(rproc);
	return 0;
}

int rproc_check_machine(struct remoteproc *rproc, void *img_info)
{
	int machine = amplink_elf_get_machine(img_info);

	if (rproc->amplink.machine && machine != (int)rproc->amplink.machine) {
		metal_err("remoteproc: image is for machine %d, %u expected", machine,
			  rproc->amplink.machine);
		return -AMPLINK_RPROC_ERR_ELF_MACHINE;
	}
	return 0;
}

/* Zero-fills (with @pad) @len bytes at physical @pa of @io. */
static void rproc_pad(struct metal_io_region *io, metal_phys_addr_t pa, size_t len,
		      unsigned char pad)
{
	unsigned long off = metal_io_phys_to_offset(io, pa);
	int chunk;

	while (len) {
		chunk = len > 0x40000000u ? 0x40000000 : (int)len;
		metal_io_block_set(io, off, pad, chunk);
		off += (unsigned long)chunk;
		len -= (size_t)chunk;
	}
}

/* Reads the headers through the store until the loader has all of them. */
static int rproc_load_headers(const struct image_store_ops *ops, void *store, size_t img_len,
			      void **info)
{
	const void *data = NULL;
	size_t noff = 0, nlen = 0;
	int state, n;

	state = elf_ops.load_header(NULL, 0, 0, info, 0, &noff, &nlen);
	if (state >= 0)
		amplink_elf_set_image_len(*info, img_len);
	while (state >= 0 && !(state & RPROC_LOADER_READY_TO_LOAD)) {
		n = ops->load(store, noff, nlen, &data, METAL_BAD_PHYS, NULL, 1);
		if (n <= 0 || !data) {
			metal_err("remoteproc: image store read of %zu at 0x%zx failed (%d)", nlen,
				  noff, n);
			return n < 0 ? n : -AMPLINK_RPROC_ERR_IMG_STORE;
		}
		state = elf_ops.load_header(data, noff, (size_t)n, info, state, &noff, &nlen);
	}
	return state < 0 ? state : 0;
}

/* Copies the resource table out of the image and parses it. */
static int rproc_load_rsc(struct remoteproc *rproc, const struct image_store_ops *ops, void *store,
			  void *info)
{
	const void *data = NULL;
	size_t off, size, have;
	unsigned char *copy;
	metal_phys_addr_t da;
	int ret, n;

	ret = elf_locate_rsc_table(info, &da, &off, &size);
	if (ret || size == 0)
		return ret;
	copy = rproc_rsc_copy_sized(rproc, size);
	if (!copy)
		return size > AMPLINK_CFG_RSC_TABLE_MAX ? -AMPLINK_RPROC_ERR_RSC_RANGE
							: -RPROC_ENOMEM;
	for (have = 0; have < size; have += (size_t)n) { /* the store may give pieces */
		n = ops->load(store, off + have, size - have, &data, METAL_BAD_PHYS, NULL, 1);
		if (n <= 0 || (size_t)n > size - have || !data) {
			metal_err("remoteproc: reading the resource table failed (%d)", n);
			return n < 0 ? n : -AMPLINK_RPROC_ERR_IMG_STORE;
		}
		memcpy(copy + have, data, (size_t)n);
	}
	ret = handle_rsc_table(rproc, (struct resource_table *)copy, size, NULL);
	rproc->amplink.rsc_da = da;
	return ret ? ret : rproc_rsc_target_ok(rproc);
}

/* Copies @len bytes at file offset @off to @pa of @io, in as many pieces as the store wants. */
static int rproc_load_data(const struct image_store_ops *ops, void *store, size_t off, size_t len,
			   metal_phys_addr_t pa, struct metal_io_region *io)
{
	const void *data;
	size_t done;
	int n;

	for (done = 0; done < len; done += (size_t)n) {
		n = ops->load(store, off + done, len - done, &data, pa + done, io, 1);
		if (n <= 0 || (size_t)n > len - done) {
			metal_err("remoteproc: segment data read at 0x%zx failed (%d)", off + done,
				  n);
			return n < 0 ? n : -AMPLINK_RPROC_ERR_IMG_STORE;
		}
	}
	return 0;
}

/* Places every segment: data through the store, the rest padded. */
static int rproc_load_segments(struct remoteproc *rproc, const struct image_store_ops *ops,
			       void *store, void **info)
{
	struct metal_io_region *io;
	metal_phys_addr_t pa, da;
	size_t noff, nlen, nmem;
	unsigned char pad;
	int state = elf_get_load_state(*info), ret;

	for (;;) {
		state = elf_load(rproc, NULL, 0, 0, info, state, &da, &noff, &nlen, &pad, &nmem);
		if (state < 0)
			return state;
		if (state & RPROC_LOADER_LOAD_COMPLETE)
			return 0;
		pa = METAL_BAD_PHYS;
		io = NULL;
		if (!remoteproc_mmap(rproc, &pa, &da, nmem, 0, &io) || !io)
			return -AMPLINK_RPROC_ERR_ELF_SEG_NOMEM;
		ret = rproc_load_data(ops, store, noff, nlen, pa, io);
		if (ret)
			return ret;
		rproc_pad(io, pa + nlen, nmem - nlen, pad);
	}
}

static void rproc_remember_fw(struct remoteproc *rproc, const char *path, void *store,
			      const struct image_store_ops *store_ops)
{
	struct remoteproc_amplink *ext = &rproc->amplink;
	size_t n = strnlen(path, sizeof(ext->fw_name));

	if (ext->fw_name == path)
		return; /* a recovery reloading the recorded firmware */
	memset(ext->fw_name, 0, sizeof(ext->fw_name));
	ext->store = store;
	ext->store_ops = store_ops;
	if (n == sizeof(ext->fw_name)) {
		metal_warn("remoteproc: firmware name too long to be kept for recovery");
		return;
	}
	memcpy(ext->fw_name, path, n);
}

int rproc_load_locked(struct remoteproc *rproc, const char *path, void *store,
		      const struct image_store_ops *store_ops, void **img_info)
{
	const void *img_data = NULL;
	void *info = NULL;
	int len, ret;

	if (rproc->state != RPROC_READY) {
		metal_err("remoteproc: load refused: not configured (state %u)", rproc->state);
		return -AMPLINK_RPROC_ERR_STATE;
	}
	if (!metal_list_is_empty(&rproc->vdevs)) {
		metal_err("remoteproc: load refused: virtio devices use the current table");
		return -RPROC_EAGAIN;
	}
	rproc_forget_rsc(rproc);
	len = store_ops->open(store, path, &img_data);
	if (len <= 0) {
		metal_err("remoteproc: cannot open image %s (%d)", path, len);
		return len < 0 ? len : -AMPLINK_RPROC_ERR_ELF_TRUNC;
	}
	rproc->loader = &elf_ops;
	ret = rproc_load_headers(store_ops, store, (size_t)len, &info);
	if (!ret)
		ret = rproc_check_machine(rproc, info);
	if (!ret)
		ret = rproc_load_rsc(rproc, store_ops, store, info);
	if (!ret)
		ret = rproc_load_segments(rproc, store_ops, store, &info);
	if (!ret)
		ret = rproc_rsc_install(rproc);
	if (!ret)
		rproc->bootaddr = elf_get_entry(info);
	if (store_ops->close)
		store_ops->close(store);
	if (ret || !img_info) {
		elf_release(info);
		info = NULL;
	}
	if (ret) {
		rproc_forget_rsc(rproc);
		return ret;
	}
	if (img_info)
		*img_info = info;
	rproc_remember_fw(rproc, path, store, store_ops);
	return 0;
}

int remoteproc_load(struct remoteproc *rproc, const char *path, void *store,
		    const struct image_store_ops *store_ops, void **img_info)
{
	int ret;

	if (!rproc || !path || !store_ops || !store_ops->open || !store_ops->load)
		return -RPROC_EINVAL;
	metal_mutex_acquire(&rproc->lock);
	ret = rproc_load_locked(rproc, path, store, store_ops, img_info);
	metal_mutex_release(&rproc->lock);
	return ret;
}
