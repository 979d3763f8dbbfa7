/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The result lines of the UML guest programs (guest_rpmsg.c, guest_proxy.c):
 * "CHECK <name> PASS|FAIL <detail>", counted for their closing
 * "GUEST DONE pass=N fail=M", which tests/uml/uml_test.sh judges.
 */
#ifndef AMPLINK_TESTS_UML_GUEST_CHECK_H
#define AMPLINK_TESTS_UML_GUEST_CHECK_H

#include <stdarg.h>
#include <stdio.h>

static int n_pass, n_fail;

static void check(const char *name, int ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* check - print one result line (flushed) and count it. */
static void check(const char *name, int ok, const char *fmt, ...)
{
	va_list ap;

	printf("CHECK %s %s ", name, ok ? "PASS" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (ok)
		n_pass++;
	else
		n_fail++;
}

#endif
