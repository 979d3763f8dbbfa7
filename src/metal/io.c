/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * I/O region set-up and the block operations (read, write, fill) with their
 * bounds checks; the scalar accessors are inline in <metal/io.h>.
 */
#include <limits.h>
#include <stdint.h>
#include <amplink/libc.h>
#include <metal/errno.h>
#include <metal/io.h>

void metal_io_init(struct metal_io_region *io, void *virt, const metal_phys_addr_t *physmap,
		   size_t size, unsigned int page_shift, unsigned int mem_flags,
		   const struct metal_io_ops *ops)
{
	unsigned long bits = sizeof(unsigned long) * CHAR_BIT;

	io->virt = virt;
	io->physmap = physmap;
	io->size = size;
	io->page_shift = page_shift;
	io->page_mask = page_shift >= bits ? (metal_phys_addr_t)-1
					   : ((metal_phys_addr_t)1 << page_shift) - 1;
	io->mem_flags = mem_flags;
	if (ops)
		io->ops = *ops;
	else
		memset(&io->ops, 0, sizeof(io->ops)); /* smaller than copying a zero table */
}

void metal_io_finish(struct metal_io_region *io)
{
	if (io->ops.close)
		io->ops.close(io);
}

/*
 * Checks a block access and cuts len at the end of the region. Returns the
 * usable length, or a negative errno.
 */
static int metal_io_block_len(struct metal_io_region *io, unsigned long offset, int len)
{
	if (len < 0)
		return -EINVAL;
	if (offset >= io->size)
		return -ERANGE;
	if ((size_t)len > io->size - offset)
		len = (int)(io->size - offset);
	return len;
}

/* Orders the block copy like a seq_cst access when the caller asked for that. */
static void metal_io_block_fence(void)
{
	atomic_thread_fence(memory_order_seq_cst);
}

int metal_io_block_read(struct metal_io_region *io, unsigned long offset, void *restrict dst,
			int len)
{
	unsigned char *src;

	len = metal_io_block_len(io, offset, len);
	if (len <= 0)
		return len;
	if (dst == NULL)
		return -EINVAL;
	if (io->ops.block_read)
		return io->ops.block_read(io, offset, dst, memory_order_seq_cst, len);
	src = metal_io_virt(io, offset);
	if (src == NULL)
		return -ERANGE;
	metal_io_block_fence();
	memcpy(dst, src, (size_t)len);
	return len;
}

int metal_io_block_write(struct metal_io_region *io, unsigned long offset, const void *restrict src,
			 int len)
{
	unsigned char *dst;

	len = metal_io_block_len(io, offset, len);
	if (len <= 0)
		return len;
	if (src == NULL)
		return -EINVAL;
	if (io->ops.block_write)
		return io->ops.block_write(io, offset, src, memory_order_seq_cst, len);
	dst = metal_io_virt(io, offset);
	if (dst == NULL)
		return -ERANGE;
	memcpy(dst, src, (size_t)len);
	metal_io_block_fence();
	return len;
}

int metal_io_block_set(struct metal_io_region *io, unsigned long offset, unsigned char value,
		       int len)
{
	unsigned char *dst;

	len = metal_io_block_len(io, offset, len);
	if (len <= 0)
		return len;
	if (io->ops.block_set) {
		io->ops.block_set(io, offset, value, memory_order_seq_cst, len);
		return len;
	}
	dst = metal_io_virt(io, offset);
	if (dst == NULL)
		return -ERANGE;
	memset(dst, value, (size_t)len);
	metal_io_block_fence();
	return len;
}
