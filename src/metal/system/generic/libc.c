/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The string/memory functions amplink uses, for targets without a C library
 * (riscv64-unknown-elf) or firmware linked with -nostdlib. All are weak and
 * byte-at-a-time: small rather than fast, and with -ffunction-sections and
 * --gc-sections only the ones referenced are kept. On Cortex-M with newlib
 * these are chosen over newlib's when the link pulls amplink first, which
 * costs a little memcpy speed and saves code; a board that prefers newlib's
 * (or an optimised) memcpy defines its own, which wins over these.
 * AMPLINK_LIBC_NAME lets a host test build them under other names.
 */
#include <stddef.h>
#include <amplink/libc.h>
#include <metal/compiler.h>

#ifndef AMPLINK_LIBC_NAME
#define AMPLINK_LIBC_NAME(name) name
#endif

metal_weak void *AMPLINK_LIBC_NAME(memcpy)(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

metal_weak void *AMPLINK_LIBC_NAME(memmove)(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return dst;
	if (d < s || d >= s + n) {
		while (n--)
			*d++ = *s++;
	} else {
		while (n--)
			d[n] = s[n];
	}
	return dst;
}

metal_weak void *AMPLINK_LIBC_NAME(memset)(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

metal_weak int AMPLINK_LIBC_NAME(memcmp)(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a;
	const unsigned char *y = b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x < *y ? -1 : 1;
	}
	return 0;
}

metal_weak int AMPLINK_LIBC_NAME(strncmp)(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		unsigned char x = (unsigned char)*a;
		unsigned char y = (unsigned char)*b;

		if (x != y)
			return x < y ? -1 : 1;
		if (x == '\0')
			break;
	}
	return 0;
}

metal_weak size_t AMPLINK_LIBC_NAME(strlen)(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

metal_weak size_t AMPLINK_LIBC_NAME(strnlen)(const char *s, size_t maxlen)
{
	size_t n = 0;

	while (n < maxlen && s[n])
		n++;
	return n;
}
