/* SPDX-License-Identifier: BSD-3-Clause */
/* Linux port of memory allocation: the C library's malloc and free. */
#include <stdlib.h>
#include <metal/alloc.h>

void *metal_allocate_memory(unsigned int size)
{
	return malloc(size);
}

void metal_free_memory(void *ptr)
{
	free(ptr);
}
