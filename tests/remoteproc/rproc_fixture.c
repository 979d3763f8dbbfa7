/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test fixture for the remoteproc core: the fake platform ops, image store
 * and log handler declared in rproc_fixture.h.
 */
#include "rproc_fixture.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <metal/log.h>
#include <metal/sys.h>

int fx_log_errors;

static void fx_log(enum metal_log_level level, const char *format, ...)
{
	va_list ap;

	if (level <= METAL_LOG_ERROR)
		fx_log_errors++;
	va_start(ap, format);
	fprintf(stderr, "  log%d: ", (int)level);
	vfprintf(stderr, format, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void fx_metal_init(void)
{
	struct metal_init_params p = {.log_handler = fx_log, .log_level = METAL_LOG_INFO};

	metal_init(&p);
}

static struct fx_platform *fx_of(struct remoteproc *rproc)
{
	return rproc->priv;
}

static struct remoteproc *fx_init(struct remoteproc *rproc, const struct remoteproc_ops *ops,
				  void *arg)
{
	struct fx_platform *fx = arg;

	(void)ops;
	fx->n_init++;
	rproc->priv = fx;
	fx->ram_pa = FX_RAM_PA;
	metal_io_init(&fx->ram_io, fx->ram, &fx->ram_pa, FX_RAM_SIZE, (unsigned int)-1, 0, NULL);
	remoteproc_init_mem(&fx->ram_mem, "ram", FX_RAM_PA, FX_RAM_DA, FX_RAM_SIZE, &fx->ram_io);
	remoteproc_add_mem(rproc, &fx->ram_mem);
	fx->pool_pa = FX_POOL_PA;
	metal_io_init(&fx->pool_io, fx->pool, &fx->pool_pa, FX_POOL_SIZE, (unsigned int)-1, 0,
		      NULL);
	return rproc;
}

static void fx_remove(struct remoteproc *rproc)
{
	fx_of(rproc)->n_remove++;
}

/* Allocates from the pool when no address is fixed; fixed addresses are unknown here. */
static void *fx_mmap(struct remoteproc *rproc, metal_phys_addr_t *pa, metal_phys_addr_t *da,
		     size_t size, unsigned int attribute, struct metal_io_region **io)
{
	struct fx_platform *fx = fx_of(rproc);
	struct remoteproc_mem *mem;
	size_t off;

	(void)attribute;
	fx->n_mmap++;
	if (*pa != METAL_BAD_PHYS || *da != METAL_BAD_PHYS)
		return NULL;
	off = (fx->pool_used + 63) & ~(size_t)63;
	if (size > FX_POOL_SIZE - off || fx->npool == 8)
		return NULL;
	fx->pool_used = off + size;
	*pa = FX_POOL_PA + off;
	*da = *pa;
	*io = &fx->pool_io;
	mem = &fx->pool_mems[fx->npool++];
	remoteproc_init_mem(mem, "pool", *pa, *da, size, &fx->pool_io);
	remoteproc_add_mem(rproc, mem);
	return fx->pool + off;
}

static int fx_handle_rsc(struct remoteproc *rproc, void *rsc, size_t len)
{
	struct fx_platform *fx = fx_of(rproc);

	fx->n_handle_rsc++;
	memcpy(&fx->last_rsc_type, rsc, 4);
	fx->last_rsc_len = len;
	return fx->fail_handle_rsc;
}

static int fx_config(struct remoteproc *rproc, void *data)
{
	(void)data;
	fx_of(rproc)->n_config++;
	return fx_of(rproc)->fail_config;
}

static int fx_start(struct remoteproc *rproc)
{
	fx_of(rproc)->n_start++;
	return fx_of(rproc)->fail_start;
}

static int fx_stop(struct remoteproc *rproc)
{
	fx_of(rproc)->n_stop++;
	return fx_of(rproc)->fail_stop;
}

static int fx_shutdown(struct remoteproc *rproc)
{
	fx_of(rproc)->n_shutdown++;
	return 0;
}

static int fx_notify(struct remoteproc *rproc, uint32_t id)
{
	fx_of(rproc)->n_notify++;
	fx_of(rproc)->last_notify = id;
	return 0;
}

const struct remoteproc_ops fx_ops = {
	.init = fx_init,
	.remove = fx_remove,
	.mmap = fx_mmap,
	.handle_rsc = fx_handle_rsc,
	.config = fx_config,
	.start = fx_start,
	.stop = fx_stop,
	.shutdown = fx_shutdown,
	.notify = fx_notify,
};

struct remoteproc *fx_setup(struct fx_platform *fx)
{
	memset(fx, 0, sizeof(*fx));
	memset(fx->ram, FX_FILL, sizeof(fx->ram));
	fx_log_errors = 0;
	return remoteproc_init(&fx->rproc, &fx_ops, fx);
}

int fx_ram_untouched(const struct fx_platform *fx)
{
	size_t i;

	for (i = 0; i < sizeof(fx->ram); i++)
		if (fx->ram[i] != FX_FILL)
			return 0;
	return 1;
}

unsigned char *fx_ram(struct fx_platform *fx, unsigned long da)
{
	return fx->ram + (da - FX_RAM_DA);
}

static int fx_open(void *store, const char *path, const void **img_data)
{
	struct fx_store *st = store;

	st->n_open++;
	snprintf(st->path, sizeof(st->path), "%s", path);
	*img_data = st->img;
	return (int)st->len;
}

static void fx_close(void *store)
{
	((struct fx_store *)store)->n_close++;
}

static int fx_load(void *store, size_t offset, size_t size, const void **data, metal_phys_addr_t pa,
		   struct metal_io_region *io, char is_blocking)
{
	struct fx_store *st = store;
	size_t n;

	(void)is_blocking;
	if (offset >= st->len)
		return -1;
	n = st->len - offset < size ? st->len - offset : size;
	if (st->max_chunk && n > st->max_chunk)
		n = st->max_chunk;
	if (pa == METAL_BAD_PHYS) {
		*data = st->img + offset;
		return (int)n;
	}
	st->n_seg_writes++;
	return metal_io_block_write(io, metal_io_phys_to_offset(io, pa), st->img + offset, (int)n);
}

const struct image_store_ops fx_store_ops = {
	.open = fx_open,
	.close = fx_close,
	.load = fx_load,
	.features = SUPPORT_SEEK,
};

void fx_store_init(struct fx_store *st, const void *img, size_t len)
{
	memset(st, 0, sizeof(*st));
	st->img = img;
	st->len = len;
}
