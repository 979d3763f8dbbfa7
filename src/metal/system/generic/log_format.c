/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A small printf-style formatter for bare-metal logging (no stdio there).
 * Conversions: %d %i %u %x %X %p %c %s %%, with flags '-' and '0', a width,
 * a precision for %s (also ".*"), and the length modifiers h, hh, l, ll, z,
 * j, t. Anything else is copied as is. Output is cut at the buffer's end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include "metal/port.h"

/* Output cursor: writes stop at end - 1, leaving room for the NUL. */
struct amplink_fmt_out {
	char *p;
	char *end;
};

/* One conversion's flags. */
struct amplink_fmt_spec {
	int left;
	char pad;
	int width;
	int prec;
	int len; /* 0 int, 1 long, 2 long long, 3 size_t/intmax/ptrdiff */
};

static void amplink_fmt_putc(struct amplink_fmt_out *out, char c)
{
	if (out->p < out->end - 1)
		*out->p++ = c;
}

/* Writes n bytes of s padded to the spec's width. */
static void amplink_fmt_field(struct amplink_fmt_out *out, const struct amplink_fmt_spec *spec,
			      const char *s, int n)
{
	int pad = spec->width > n ? spec->width - n : 0;

	if (!spec->left) {
		for (; pad > 0; pad--)
			amplink_fmt_putc(out, spec->pad);
	}
	while (n-- > 0)
		amplink_fmt_putc(out, *s++);
	for (; pad > 0; pad--)
		amplink_fmt_putc(out, ' ');
}

/* Formats an unsigned value (with an optional '-') in base 10 or 16. */
static void amplink_fmt_number(struct amplink_fmt_out *out, struct amplink_fmt_spec *spec,
			       uintmax_t v, int negative, unsigned int base, int upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[3 * sizeof(uintmax_t) + 2];
	int i = (int)sizeof(tmp);

	do {
		tmp[--i] = digits[v % base];
		v /= base;
	} while (v);
	if (negative && spec->pad == '0' && !spec->left) {
		amplink_fmt_putc(out, '-');
		if (spec->width > 0)
			spec->width--;
	} else if (negative) {
		tmp[--i] = '-';
	}
	amplink_fmt_field(out, spec, tmp + i, (int)sizeof(tmp) - i);
}

static uintmax_t amplink_fmt_uarg(const struct amplink_fmt_spec *spec, va_list *ap)
{
	switch (spec->len) {
	case 1:
		return va_arg(*ap, unsigned long);
	case 2:
		return va_arg(*ap, unsigned long long);
	case 3:
		return va_arg(*ap, size_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static intmax_t amplink_fmt_sarg(const struct amplink_fmt_spec *spec, va_list *ap)
{
	switch (spec->len) {
	case 1:
		return va_arg(*ap, long);
	case 2:
		return va_arg(*ap, long long);
	case 3:
		return va_arg(*ap, ptrdiff_t);
	default:
		return va_arg(*ap, int);
	}
}

/* Parses flags, width, precision and length at *fmt into spec. */
static const char *amplink_fmt_parse(const char *fmt, struct amplink_fmt_spec *spec, va_list *ap)
{
	*spec = (struct amplink_fmt_spec){.pad = ' ', .prec = -1};
	for (;; fmt++) {
		if (*fmt == '-')
			spec->left = 1;
		else if (*fmt == '0')
			spec->pad = '0';
		else
			break;
	}
	for (; *fmt >= '0' && *fmt <= '9'; fmt++)
		spec->width = spec->width * 10 + (*fmt - '0');
	if (*fmt == '.') {
		fmt++;
		spec->prec = 0;
		if (*fmt == '*') {
			spec->prec = va_arg(*ap, int);
			fmt++;
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			spec->prec = spec->prec * 10 + (*fmt - '0');
	}
	for (;; fmt++) {
		if (*fmt == 'h')
			continue;
		if (*fmt == 'l')
			spec->len++;
		else if (*fmt == 'j')
			spec->len = 2;
		else if (*fmt == 'z' || *fmt == 't')
			spec->len = 3;
		else
			break;
	}
	if (spec->width > 64)
		spec->width = 64;
	return fmt;
}

/* Handles one conversion character c. */
static void amplink_fmt_convert(struct amplink_fmt_out *out, struct amplink_fmt_spec *spec, char c,
				va_list *ap)
{
	const char *s;
	char ch;
	intmax_t sv;
	int n;

	switch (c) {
	case 'd':
	case 'i':
		sv = amplink_fmt_sarg(spec, ap);
		amplink_fmt_number(out, spec, sv < 0 ? (uintmax_t)0 - (uintmax_t)sv : (uintmax_t)sv,
				   sv < 0, 10, 0);
		break;
	case 'u':
		amplink_fmt_number(out, spec, amplink_fmt_uarg(spec, ap), 0, 10, 0);
		break;
	case 'x':
	case 'X':
		amplink_fmt_number(out, spec, amplink_fmt_uarg(spec, ap), 0, 16, c == 'X');
		break;
	case 'p':
		amplink_fmt_putc(out, '0');
		amplink_fmt_putc(out, 'x');
		amplink_fmt_number(out, spec, (uintptr_t)va_arg(*ap, void *), 0, 16, 0);
		break;
	case 'c':
		ch = (char)va_arg(*ap, int);
		amplink_fmt_field(out, spec, &ch, 1);
		break;
	case 's':
		s = va_arg(*ap, const char *);
		if (s == NULL)
			s = "(null)";
		for (n = 0; s[n] && (spec->prec < 0 || n < spec->prec); n++)
			;
		amplink_fmt_field(out, spec, s, n);
		break;
	case '%':
		amplink_fmt_putc(out, '%');
		break;
	default:
		amplink_fmt_putc(out, '%');
		amplink_fmt_putc(out, c);
		break;
	}
}

int amplink_log_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct amplink_fmt_out out = {buf, buf + size};
	struct amplink_fmt_spec spec;
	va_list args;

	if (size == 0)
		return 0;
	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			amplink_fmt_putc(&out, *fmt++);
			continue;
		}
		fmt = amplink_fmt_parse(fmt + 1, &spec, &args);
		if (*fmt == '\0')
			break;
		amplink_fmt_convert(&out, &spec, *fmt++, &args);
	}
	va_end(args);
	*out.p = '\0';
	return (int)(out.p - buf);
}
