/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one system call newlib needs besides the file calls (those come from
 * src/services/proxy_newlib.c): _sbrk over a static heap in .bss, because
 * newlib's stdio allocates its FILE structures and buffers with malloc. The
 * heap is PFW_HEAP_SIZE bytes and never grows into the stack; the other
 * images have no heap at all.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#ifndef PFW_HEAP_SIZE
#define PFW_HEAP_SIZE (8u * 1024u)
#endif

static uint8_t pfw_heap[PFW_HEAP_SIZE] __attribute__((aligned(8)));
static size_t pfw_heap_used;

void *_sbrk(ptrdiff_t incr);

/* Grows the heap by @incr bytes. Returns the old end, or (void *)-1 with ENOMEM. */
void *_sbrk(ptrdiff_t incr)
{
	size_t old = pfw_heap_used;

	if ((incr > 0 && (size_t)incr > PFW_HEAP_SIZE - old) || (incr < 0 && (size_t)-incr > old)) {
		errno = ENOMEM;
		return (void *)-1;
	}
	pfw_heap_used = old + (size_t)incr;
	return &pfw_heap[old];
}
