/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The image store of the Linux-process backend: open reads the whole
 * firmware file into memory (reporting progress for files over 1 MB), load
 * hands out pointers into it or copies ranges into remote memory.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <metal/log.h>
#include <amplink/remoteproc.h>
#include <openamp/remoteproc_loader.h>

#include "lp_rproc_private.h"

#define LPR_READ_CHUNK	   (256U << 10)
#define LPR_PROGRESS_ABOVE (1U << 20)

static void lpr_store_close(void *store)
{
	struct lpr_store *s = store;

	free(s->data);
	s->data = NULL;
	s->len = 0;
}

/* Reads all of @fd into s->data; progress through the owner's callback. */
static int lpr_store_read(struct lpr_store *s, int fd, size_t len)
{
	const struct amplink_lpr_config *cfg = &s->owner->cfg;
	size_t done = 0;

	s->data = malloc(len ? len : 1);
	if (!s->data)
		return -ENOMEM;
	while (done < len) {
		size_t want = len - done < LPR_READ_CHUNK ? len - done : LPR_READ_CHUNK;
		ssize_t n = read(fd, s->data + done, want);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			lpr_store_close(s);
			return n < 0 ? -errno : -AMPLINK_RPROC_ERR_IMG_STORE;
		}
		done += (size_t)n;
		if (len > LPR_PROGRESS_ABOVE && cfg->progress)
			cfg->progress(done, len, cfg->priv);
	}
	s->len = len;
	return 0;
}

static int lpr_store_open(void *store, const char *path, const void **img_data)
{
	struct lpr_store *s = store;
	struct stat st;
	int fd, ret;

	lpr_store_close(s);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > INT_MAX) {
		ret = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
		close(fd);
		return ret;
	}
	ret = lpr_store_read(s, fd, (size_t)st.st_size);
	close(fd);
	if (ret)
		return ret;
	*img_data = s->data;
	return (int)s->len;
}

static int lpr_store_load(void *store, size_t offset, size_t size, const void **data,
			  metal_phys_addr_t pa, struct metal_io_region *io, char is_blocking)
{
	struct lpr_store *s = store;
	unsigned long off;

	(void)is_blocking;
	if (!s->data || offset > s->len || size > s->len - offset)
		return -AMPLINK_RPROC_ERR_IMG_STORE;
	if (pa == METAL_BAD_PHYS) {
		*data = s->data + offset;
		return (int)size;
	}
	if (!io)
		return -RPROC_EINVAL;
	off = metal_io_phys_to_offset(io, pa);
	if (off == METAL_BAD_OFFSET ||
	    metal_io_block_write(io, off, s->data + offset, (int)size) != (int)size)
		return -AMPLINK_RPROC_ERR_RSC_MAP;
	return (int)size;
}

const struct image_store_ops lpr_store_ops = {
	.open = lpr_store_open,
	.close = lpr_store_close,
	.load = lpr_store_load,
	.features = SUPPORT_SEEK,
};
