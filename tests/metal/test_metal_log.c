/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Tests of metal logging: handler and run-time level, the short macros, the
 * default handler, and the compile-time ceiling (test_metal_log_off.c is
 * built with a lower AMPLINK_CFG_LOG_LEVEL).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <metal/log.h>
#include <metal/sys.h>
#include "check.h"

/* In test_metal_log_off.c: logs once at each level with the ceiling at 3 / -1. */
void log_off_err_only(void);
void log_off_none(int *evaluated);

static int seen;
static enum metal_log_level seen_level;
static char seen_text[256];

static void capture(enum metal_log_level level, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	vsnprintf(seen_text, sizeof(seen_text), format, ap);
	va_end(ap);
	seen_level = level;
	seen++;
}

static void test_handler_and_level(void)
{
	metal_log_handler old = metal_get_log_handler();
	enum metal_log_level old_level = metal_get_log_level();

	metal_set_log_handler(capture);
	CHECK(metal_get_log_handler() == capture);
	metal_set_log_level(METAL_LOG_WARNING);
	CHECK_EQ_INT(metal_get_log_level(), METAL_LOG_WARNING);
	seen = 0;
	metal_err("bad %d %s\n", 42, "thing");
	CHECK_EQ_INT(seen, 1);
	CHECK_EQ_INT(seen_level, METAL_LOG_ERROR);
	CHECK(strcmp(seen_text, "bad 42 thing\n") == 0);
	metal_warn("w\n");
	CHECK_EQ_INT(seen, 2);
	metal_info("not shown\n");
	metal_dbg("not shown\n");
	metal_log(METAL_LOG_NOTICE, "not shown\n");
	CHECK_EQ_INT(seen, 2);
	metal_set_log_level(METAL_LOG_DEBUG);
	metal_dbg("dbg %u\n", 7u);
	CHECK_EQ_INT(seen, 3);
	CHECK(strcmp(seen_text, "dbg 7\n") == 0);
	metal_log(METAL_LOG_EMERGENCY, "e\n");
	CHECK_EQ_INT(seen_level, METAL_LOG_EMERGENCY);
	metal_set_log_handler(NULL);
	metal_err("dropped\n");
	CHECK_EQ_INT(seen, 4);
	metal_set_log_handler(old);
	metal_set_log_level(old_level);
}

static void test_init_params(void)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;

	CHECK(params.log_handler == metal_default_log_handler);
	CHECK_EQ_INT(params.log_level, METAL_LOG_INFO);
	params.log_handler = capture;
	params.log_level = METAL_LOG_ERROR;
	REQUIRE(metal_init(&params) == 0);
	seen = 0;
	metal_err("x\n");
	metal_warn("y\n");
	CHECK_EQ_INT(seen, 1);
	metal_finish();
}

static void test_default_handler(void)
{
	/* Writes to stderr; must not crash on odd levels or empty text. */
	metal_default_log_handler(METAL_LOG_INFO, "default handler %s\n", "ok");
	metal_default_log_handler((enum metal_log_level)42, "odd level");
	metal_default_log_handler(METAL_LOG_DEBUG, "%s", "");
	CHECK(1);
}

static void test_compiled_out(void)
{
	metal_log_handler old = metal_get_log_handler();
	int evaluated = 0;

	metal_set_log_handler(capture);
	metal_set_log_level(METAL_LOG_DEBUG);
	seen = 0;
	log_off_err_only();
	CHECK_EQ_INT(seen, 1);
	CHECK_EQ_INT(seen_level, METAL_LOG_ERROR);
	log_off_none(&evaluated);
	CHECK_EQ_INT(seen, 1);
	CHECK_EQ_INT(evaluated, 1); /* arguments are still evaluated */
	metal_set_log_handler(old);
	metal_set_log_level(METAL_LOG_INFO);
}

int main(void)
{
	RUN(test_handler_and_level);
	RUN(test_init_params);
	RUN(test_default_handler);
	RUN(test_compiled_out);
	return check_summary();
}
