/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Tests of metal I/O regions: address conversions and their bounds, the page
 * map (one page with page_shift -1, several pages, none), scalar accesses of
 * every width, the block operations and an ops table that overrides them.
 */
#include <stdint.h>
#include <string.h>
#include <metal/errno.h>
#include <metal/io.h>
#include "check.h"

static uint8_t mem[256];

static void test_one_page(void)
{
	metal_phys_addr_t phys = 0x80000000UL;
	struct metal_io_region io;

	metal_io_init(&io, mem, &phys, sizeof(mem), (unsigned int)-1, 0, NULL);
	CHECK_EQ_INT(metal_io_region_size(&io), sizeof(mem));
	CHECK(metal_io_virt(&io, 0) == mem);
	CHECK(metal_io_virt(&io, 255) == mem + 255);
	CHECK(metal_io_virt(&io, 256) == NULL);
	CHECK(metal_io_virt(&io, (unsigned long)-1) == NULL);
	CHECK_EQ_INT(metal_io_phys(&io, 0), 0x80000000UL);
	CHECK_EQ_INT(metal_io_phys(&io, 100), 0x80000064UL);
	CHECK(metal_io_phys(&io, 256) == METAL_BAD_PHYS);
	CHECK_EQ_INT(metal_io_virt_to_offset(&io, mem + 17), 17);
	CHECK(metal_io_virt_to_offset(&io, mem + 256) == METAL_BAD_OFFSET);
	CHECK(metal_io_virt_to_offset(&io, (void *)((uintptr_t)mem - 1)) == METAL_BAD_OFFSET);
	CHECK_EQ_INT(metal_io_phys_to_offset(&io, 0x80000010UL), 0x10);
	CHECK(metal_io_phys_to_offset(&io, 0x80000100UL) == METAL_BAD_OFFSET);
	CHECK(metal_io_phys_to_offset(&io, 0x7fffffffUL) == METAL_BAD_OFFSET);
	CHECK(metal_io_phys_to_virt(&io, 0x80000020UL) == mem + 0x20);
	CHECK(metal_io_phys_to_virt(&io, 0x90000000UL) == NULL);
	CHECK_EQ_INT(metal_io_virt_to_phys(&io, mem + 3), 0x80000003UL);
	CHECK(metal_io_virt_to_phys(&io, (void *)((uintptr_t)mem + 300)) == METAL_BAD_PHYS);
}

static void test_pages(void)
{
	/* 4 pages of 64 bytes, scattered and out of order. */
	static const metal_phys_addr_t map[4] = {0x3000, 0x1000, 0x4000, 0x2000};
	struct metal_io_region io;

	metal_io_init(&io, mem, map, sizeof(mem), 6, 0, NULL);
	CHECK_EQ_INT(io.page_mask, 63);
	CHECK_EQ_INT(metal_io_phys(&io, 0), 0x3000);
	CHECK_EQ_INT(metal_io_phys(&io, 65), 0x1001);
	CHECK_EQ_INT(metal_io_phys(&io, 255), 0x203f);
	CHECK_EQ_INT(metal_io_phys_to_offset(&io, 0x4005), 133);
	CHECK_EQ_INT(metal_io_phys_to_offset(&io, 0x2000), 192);
	CHECK(metal_io_phys_to_offset(&io, 0x5000) == METAL_BAD_OFFSET);
	CHECK(metal_io_phys_to_offset(&io, 0x1040) == METAL_BAD_OFFSET);
	/* The last page is partial: phys past size is outside. */
	metal_io_init(&io, mem, map, 200, 6, 0, NULL);
	CHECK_EQ_INT(metal_io_phys_to_offset(&io, 0x2007), 199);
	CHECK(metal_io_phys_to_offset(&io, 0x2008) == METAL_BAD_OFFSET);
}

static void test_no_physmap(void)
{
	struct metal_io_region io;

	metal_io_init(&io, mem, NULL, sizeof(mem), 0, 0, NULL);
	CHECK(metal_io_phys(&io, 0) == METAL_BAD_PHYS);
	CHECK(metal_io_phys_to_offset(&io, 0) == METAL_BAD_OFFSET);
	CHECK(metal_io_virt_to_phys(&io, mem) == METAL_BAD_PHYS);
	CHECK(metal_io_virt(&io, 4) == mem + 4);
}

static void test_widths(void)
{
	struct metal_io_region io;

	memset(mem, 0, sizeof(mem));
	metal_io_init(&io, mem, NULL, sizeof(mem), (unsigned int)-1, 0, NULL);
	metal_io_write8(&io, 1, 0xab);
	metal_io_write16(&io, 2, 0xbeef);
	metal_io_write32(&io, 4, 0xdeadbeef);
	metal_io_write64(&io, 8, 0x0123456789abcdefULL);
	CHECK_EQ_INT(mem[1], 0xab);
	CHECK_EQ_INT(metal_io_read8(&io, 1), 0xab);
	CHECK_EQ_INT(metal_io_read16(&io, 2), 0xbeef);
	CHECK_EQ_INT(metal_io_read32(&io, 4), 0xdeadbeef);
	CHECK(metal_io_read64(&io, 8) == 0x0123456789abcdefULL);
	CHECK_EQ_INT(metal_io_read32_explicit(&io, 4, memory_order_acquire), 0xdeadbeef);
	metal_io_write32_explicit(&io, 4, 7, memory_order_release);
	metal_io_write8_explicit(&io, 0, 9, memory_order_relaxed);
	metal_io_write16_explicit(&io, 2, 10, memory_order_relaxed);
	metal_io_write64_explicit(&io, 8, 11, memory_order_relaxed);
	CHECK_EQ_INT(metal_io_read8_explicit(&io, 0, memory_order_relaxed), 9);
	CHECK_EQ_INT(metal_io_read16_explicit(&io, 2, memory_order_relaxed), 10);
	CHECK_EQ_INT(metal_io_read32(&io, 4), 7);
	CHECK_EQ_INT(metal_io_read64_explicit(&io, 8, memory_order_relaxed), 11);
	/* Out of range: reads give 0, writes are dropped; width must fit too. */
	CHECK_EQ_INT(metal_io_read32(&io, 256), 0);
	CHECK_EQ_INT(metal_io_read32(&io, 254), 0);
	CHECK_EQ_INT(metal_io_read64(&io, 249), 0);
	CHECK_EQ_INT(metal_io_read(&io, 0, memory_order_seq_cst, 3), 0);
	mem[255] = 0x5a;
	metal_io_write16(&io, 255, 0xffff);
	CHECK_EQ_INT(mem[255], 0x5a);
	CHECK_EQ_INT(metal_io_read8(&io, 255), 0x5a);
}

static void test_blocks(void)
{
	struct metal_io_region io;
	uint8_t buf[300];
	int i;

	for (i = 0; i < 256; i++)
		mem[i] = (uint8_t)i;
	metal_io_init(&io, mem, NULL, sizeof(mem), (unsigned int)-1, 0, NULL);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ_INT(metal_io_block_read(&io, 10, buf, 20), 20);
	CHECK_EQ_INT(buf[0], 10);
	CHECK_EQ_INT(buf[19], 29);
	CHECK_EQ_INT(metal_io_block_read(&io, 250, buf, 20), 6);
	CHECK_EQ_INT(buf[5], 255);
	CHECK_EQ_INT(metal_io_block_read(&io, 256, buf, 1), -ERANGE);
	CHECK_EQ_INT(metal_io_block_read(&io, (unsigned long)-1, buf, 1), -ERANGE);
	CHECK_EQ_INT(metal_io_block_read(&io, 0, buf, -1), -EINVAL);
	CHECK_EQ_INT(metal_io_block_read(&io, 0, buf, 0), 0);
	memset(buf, 0xee, sizeof(buf));
	CHECK_EQ_INT(metal_io_block_write(&io, 100, buf, 4), 4);
	CHECK_EQ_INT(mem[99], 99);
	CHECK_EQ_INT(mem[100], 0xee);
	CHECK_EQ_INT(mem[103], 0xee);
	CHECK_EQ_INT(mem[104], 104);
	CHECK_EQ_INT(metal_io_block_write(&io, 254, buf, 300), 2);
	CHECK_EQ_INT(metal_io_block_write(&io, 256, buf, 1), -ERANGE);
	CHECK_EQ_INT(metal_io_block_set(&io, 200, 0x11, 3), 3);
	CHECK_EQ_INT(mem[199], 199);
	CHECK_EQ_INT(mem[200], 0x11);
	CHECK_EQ_INT(mem[202], 0x11);
	CHECK_EQ_INT(mem[203], 203);
	CHECK_EQ_INT(metal_io_block_set(&io, 255, 0, 100), 1);
	CHECK_EQ_INT(mem[255], 0);
	CHECK_EQ_INT(metal_io_block_set(&io, 300, 0, 1), -ERANGE);
}

/* An ops table that records calls and fakes a shifted address map. */
static int ops_calls;
static int ops_closed;

static uint64_t ops_read(struct metal_io_region *io, unsigned long offset, memory_order order,
			 int width)
{
	(void)io;
	(void)order;
	ops_calls++;
	return offset * 10 + (uint64_t)width;
}

static void ops_write(struct metal_io_region *io, unsigned long offset, uint64_t value,
		      memory_order order, int width)
{
	(void)io;
	(void)order;
	(void)width;
	ops_calls++;
	mem[offset % 256] = (uint8_t)(value + 1);
}

static int ops_block_read(struct metal_io_region *io, unsigned long offset, void *restrict dst,
			  memory_order order, int len)
{
	(void)io;
	(void)offset;
	(void)order;
	ops_calls++;
	memset(dst, 0x77, (size_t)len);
	return len;
}

static int ops_block_write(struct metal_io_region *io, unsigned long offset,
			   const void *restrict src, memory_order order, int len)
{
	(void)io;
	(void)offset;
	(void)src;
	(void)order;
	ops_calls++;
	return len - 1;
}

static void ops_block_set(struct metal_io_region *io, unsigned long offset, unsigned char value,
			  memory_order order, int len)
{
	(void)io;
	(void)offset;
	(void)value;
	(void)order;
	(void)len;
	ops_calls++;
}

static metal_phys_addr_t ops_offset_to_phys(struct metal_io_region *io, unsigned long offset)
{
	(void)io;
	return offset + 0x1000000UL;
}

static unsigned long ops_phys_to_offset(struct metal_io_region *io, metal_phys_addr_t phys)
{
	(void)io;
	return phys >= 0x1000000UL && phys < 0x1000100UL ? phys - 0x1000000UL : METAL_BAD_OFFSET;
}

static void ops_close(struct metal_io_region *io)
{
	(void)io;
	ops_closed++;
}

static void test_ops(void)
{
	static const struct metal_io_ops ops = {
		.read = ops_read,
		.write = ops_write,
		.block_read = ops_block_read,
		.block_write = ops_block_write,
		.block_set = ops_block_set,
		.close = ops_close,
		.offset_to_phys = ops_offset_to_phys,
		.phys_to_offset = ops_phys_to_offset,
	};
	struct metal_io_region io;
	uint8_t buf[8];

	metal_io_init(&io, mem, NULL, sizeof(mem), (unsigned int)-1, 0, &ops);
	ops_calls = 0;
	CHECK_EQ_INT(metal_io_read32(&io, 3), 34);
	CHECK_EQ_INT(metal_io_read8(&io, 3), 31);
	metal_io_write16(&io, 5, 41);
	CHECK_EQ_INT(mem[5], 42);
	CHECK_EQ_INT(metal_io_block_read(&io, 0, buf, 8), 8);
	CHECK_EQ_INT(buf[7], 0x77);
	CHECK_EQ_INT(metal_io_block_write(&io, 0, buf, 8), 7);
	CHECK_EQ_INT(metal_io_block_set(&io, 0, 1, 8), 8);
	CHECK_EQ_INT(ops_calls, 6);
	/* Bounds are still checked before the ops see a block access. */
	CHECK_EQ_INT(metal_io_block_read(&io, 256, buf, 8), -ERANGE);
	CHECK_EQ_INT(ops_calls, 6);
	CHECK_EQ_INT(metal_io_phys(&io, 5), 0x1000005UL);
	CHECK_EQ_INT(metal_io_phys_to_offset(&io, 0x1000010UL), 0x10);
	CHECK(metal_io_phys_to_virt(&io, 0x1000010UL) == mem + 0x10);
	CHECK(metal_io_phys_to_virt(&io, 0x2000000UL) == NULL);
	CHECK_EQ_INT(metal_io_virt_to_phys(&io, mem + 1), 0x1000001UL);
	ops_closed = 0;
	metal_io_finish(&io);
	CHECK_EQ_INT(ops_closed, 1);
	/* Without close op, finish does nothing. */
	metal_io_init(&io, mem, NULL, sizeof(mem), 0, 0, NULL);
	metal_io_finish(&io);
	CHECK_EQ_INT(ops_closed, 1);
}

int main(void)
{
	RUN(test_one_page);
	RUN(test_pages);
	RUN(test_no_physmap);
	RUN(test_widths);
	RUN(test_blocks);
	RUN(test_ops);
	return check_summary();
}
