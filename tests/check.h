/*
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * A minimal test harness: checks that record failures and keep going, and a
 * summary line. Each test program is one ctest test.
 *
 *   static void test_something(void) { CHECK(x == 1); CHECK_EQ_INT(a, b); }
 *   int main(void) { RUN(test_something); return check_summary(); }
 */
#ifndef AMPLINK_TESTS_CHECK_H
#define AMPLINK_TESTS_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;
static int check_count;
static const char *check_current = "";

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		check_count++;                                                                     \
		if (!(cond)) {                                                                     \
			check_failures++;                                                          \
			fprintf(stderr, "%s:%d: %s: CHECK failed: %s\n", __FILE__, __LINE__,       \
				check_current, #cond);                                             \
		}                                                                                  \
	} while (0)

#define CHECK_EQ_INT(a, b)                                                                         \
	do {                                                                                       \
		long long check_a_ = (long long)(a), check_b_ = (long long)(b);                    \
		check_count++;                                                                     \
		if (check_a_ != check_b_) {                                                        \
			check_failures++;                                                          \
			fprintf(stderr, "%s:%d: %s: CHECK_EQ failed: %s == %lld, %s == %lld\n",    \
				__FILE__, __LINE__, check_current, #a, check_a_, #b, check_b_);    \
		}                                                                                  \
	} while (0)

#define CHECK_MEM_EQ(a, b, n) CHECK(memcmp((a), (b), (n)) == 0)

/* Fatal variant: stop the current test function on failure. */
#define REQUIRE(cond)                                                                              \
	do {                                                                                       \
		int check_ok_ = !!(cond);                                                          \
		CHECK(check_ok_);                                                                  \
		if (!check_ok_)                                                                    \
			return;                                                                    \
	} while (0)

#define RUN(fn)                                                                                    \
	do {                                                                                       \
		int check_before_ = check_failures;                                                \
		check_current = #fn;                                                               \
		fn();                                                                              \
		printf("%s %s\n", check_failures == check_before_ ? "ok  " : "FAIL", #fn);         \
		fflush(stdout);                                                                    \
	} while (0)

/* Prints the checks run and failed; returns the process exit status. */
static inline int check_summary(void)
{
	printf("%d checks, %d failed\n", check_count, check_failures);
	return check_failures ? 1 : 0;
}

#endif
