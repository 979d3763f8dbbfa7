/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Compiler differences hidden behind macros: weak symbols, alignment, packed
 * structures, format checking and unused markers (gcc and clang; other
 * compilers get safe fallbacks where one exists).
 */
#ifndef METAL_COMPILER_H
#define METAL_COMPILER_H

#if defined(__GNUC__) || defined(__clang__)
#define metal_weak     __attribute__((weak))
#define metal_align(n) __attribute__((aligned(n)))
#define METAL_PACKED_BEGIN
#define METAL_PACKED_END	     __attribute__((__packed__))
#define metal_printf_like(fmt, args) __attribute__((format(printf, fmt, args)))
#define metal_maybe_unused	     __attribute__((unused))
#define metal_likely(x)		     __builtin_expect(!!(x), 1)
#define metal_unlikely(x)	     __builtin_expect(!!(x), 0)
#elif defined(__ICCARM__)
#define metal_weak	   __weak
#define metal_align(n)	   _Pragma("data_alignment=" #n)
#define METAL_PACKED_BEGIN __packed
#define METAL_PACKED_END
#define metal_printf_like(fmt, args)
#define metal_maybe_unused
#define metal_likely(x)	  (x)
#define metal_unlikely(x) (x)
#else
#error "metal/compiler.h: unsupported compiler"
#endif

#endif /* METAL_COMPILER_H */
