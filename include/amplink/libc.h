/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The few C library string/memory functions amplink's portable code uses.
 * Hosted builds get them from <string.h>; freestanding builds (no <string.h>,
 * e.g. riscv64-unknown-elf) get declarations here and the definitions from
 * the generic port (src/metal/system/generic/libc.c, weak, one per section).
 * strnlen is POSIX, not C11: it is declared here in every build.
 */
#ifndef AMPLINK_LIBC_H
#define AMPLINK_LIBC_H

#include <stddef.h>

#if defined(__has_include)
#if __has_include(<string.h>)
#define AMPLINK_HAVE_STRING_H 1
#endif
#endif

#ifdef __cplusplus
extern "C" {
#endif

#if defined(AMPLINK_HAVE_STRING_H)
#include <string.h>
#else
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
int strncmp(const char *a, const char *b, size_t n);
size_t strlen(const char *s);
#endif

size_t strnlen(const char *s, size_t maxlen);

#ifdef __cplusplus
}
#endif

#endif /* AMPLINK_LIBC_H */
