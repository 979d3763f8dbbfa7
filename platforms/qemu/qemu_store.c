/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * An image store for remoteproc_load that maps the firmware file read-only and
 * hands the loader pointers into it (headers) or copies byte ranges of it into
 * the target memory (segments). Every range is checked against the file size.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <metal/log.h>
#include <openamp/remoteproc_loader.h>

#include "qemu_private.h"

static void qemu_store_close(void *store)
{
	struct amplink_qemu_store *st = store;

	if (st->map)
		munmap(st->map, st->len);
	st->map = NULL;
	st->len = 0;
}

static int qemu_store_open(void *store, const char *path, const void **img_data)
{
	struct amplink_qemu_store *st = store;
	struct stat sb;
	int fd;

	qemu_store_close(st);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		metal_err("qemu: cannot open firmware %s: %s", path, strerror(errno));
		return -RPROC_ENODEV;
	}
	if (fstat(fd, &sb) != 0 || sb.st_size <= 0 || sb.st_size > 0x10000000) {
		metal_err("qemu: firmware %s: empty or too large", path);
		close(fd);
		return -RPROC_EINVAL;
	}
	st->map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (st->map == MAP_FAILED) {
		st->map = NULL;
		return -RPROC_ENOMEM;
	}
	st->len = (size_t)sb.st_size;
	*img_data = st->map;
	return (int)st->len;
}

static int qemu_store_load(void *store, size_t offset, size_t size, const void **data,
			   metal_phys_addr_t pa, struct metal_io_region *io, char is_blocking)
{
	struct amplink_qemu_store *st = store;
	size_t n;

	(void)is_blocking;
	if (!st->map || offset >= st->len)
		return -RPROC_EINVAL;
	n = st->len - offset < size ? st->len - offset : size;
	if (pa == METAL_BAD_PHYS) {
		*data = (const char *)st->map + offset;
		return (int)n;
	}
	if (!io)
		return -RPROC_EINVAL;
	return metal_io_block_write(io, metal_io_phys_to_offset(io, pa),
				    (const char *)st->map + offset, (int)n);
}

static const struct image_store_ops qemu_store_ops = {
	.open = qemu_store_open,
	.close = qemu_store_close,
	.load = qemu_store_load,
	.features = SUPPORT_SEEK,
};

const struct image_store_ops *amplink_qemu_store_ops(void)
{
	return &qemu_store_ops;
}
