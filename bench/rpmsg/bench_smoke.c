/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_smoke: runs "amplink bench --quick --json" once (the command and its
 * arguments are argv[1..]: the tool, or amplink-bench itself) and checks only the shape of its
 * answer: exit status 0, one JSON object that parses, every key the benchmark promises, every
 * figure a number > 0 (footprint figures may be null when no
 * --footprint file is given). Timing values are never judged.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "check.h"

#define SMOKE_MAX_VALUES 256
#define SMOKE_OUT_MAX	 65536

/* One parsed value: its dotted path, and its number (is_null: JSON null). */
struct smoke_value {
	char path[128];
	double num;
	int is_num, is_null;
};

static struct smoke_value values[SMOKE_MAX_VALUES];
static int nvalues;

/* A tiny JSON reader: objects, numbers, null, true/false, plain strings. */
struct smoke_parser {
	const char *p;
	int bad;
};

static void smoke_ws(struct smoke_parser *s)
{
	while (isspace((unsigned char)*s->p))
		s->p++;
}

/* Read a string without escapes into @out. Returns 0 or -1. */
static int smoke_string(struct smoke_parser *s, char *out, size_t len)
{
	size_t n = 0;

	if (*s->p != '"')
		return -1;
	s->p++;
	while (*s->p && *s->p != '"' && *s->p != '\\') {
		if (n + 1 < len)
			out[n++] = *s->p;
		s->p++;
	}
	out[n] = '\0';
	if (*s->p != '"')
		return -1;
	s->p++;
	return 0;
}

static void smoke_object(struct smoke_parser *s, const char *prefix);

static void smoke_value_at(struct smoke_parser *s, const char *path)
{
	struct smoke_value *v = nvalues < SMOKE_MAX_VALUES ? &values[nvalues] : NULL;
	char tmp[128], *end;

	smoke_ws(s);
	if (*s->p == '{') {
		smoke_object(s, path);
		return;
	}
	if (!v) {
		s->bad = 1;
		return;
	}
	memset(v, 0, sizeof(*v));
	snprintf(v->path, sizeof(v->path), "%s", path);
	if (strncmp(s->p, "null", 4) == 0) {
		v->is_null = 1;
		s->p += 4;
	} else if (strncmp(s->p, "true", 4) == 0 || strncmp(s->p, "false", 5) == 0) {
		s->p += s->p[0] == 't' ? 4 : 5;
	} else if (*s->p == '"') {
		if (smoke_string(s, tmp, sizeof(tmp)) < 0)
			s->bad = 1;
	} else {
		v->num = strtod(s->p, &end);
		if (end == s->p)
			s->bad = 1;
		v->is_num = 1;
		s->p = end;
	}
	nvalues++;
}

static void smoke_object(struct smoke_parser *s, const char *prefix)
{
	char key[64], path[128];

	s->p++; /* '{' */
	smoke_ws(s);
	if (*s->p == '}') {
		s->p++;
		return;
	}
	while (!s->bad) {
		smoke_ws(s);
		if (smoke_string(s, key, sizeof(key)) < 0) {
			s->bad = 1;
			return;
		}
		smoke_ws(s);
		if (*s->p++ != ':') {
			s->bad = 1;
			return;
		}
		snprintf(path, sizeof(path), "%s%s%s", prefix, *prefix ? "." : "", key);
		smoke_value_at(s, path);
		smoke_ws(s);
		if (*s->p == ',') {
			s->p++;
		} else if (*s->p == '}') {
			s->p++;
			return;
		} else {
			s->bad = 1;
		}
	}
}

static const struct smoke_value *smoke_find(const char *path)
{
	for (int i = 0; i < nvalues; i++) {
		if (strcmp(values[i].path, path) == 0)
			return &values[i];
	}
	return NULL;
}

/* Every key the benchmark promises (footprint ones may be null). */
static const char *const required[] = {"rtt_ns.poll_16",
				       "rtt_ns.adaptive_16",
				       "rtt_ns.blocking_16",
				       "rtt_ns.poll_496",
				       "rtt_ns.blocking_496",
				       "rtt_p99_ns.poll_16",
				       "rtt_p99_ns.adaptive_16",
				       "rtt_p99_ns.blocking_16",
				       "rtt_p99_ns.poll_496",
				       "rtt_p99_ns.blocking_496",
				       "floor_ns.spin_rtt",
				       "floor_ns.eventfd_rtt",
				       "stream_mbps.copy_16",
				       "stream_mbps.copy_128",
				       "stream_mbps.copy_496",
				       "stream_mbps.nocopy_496",
				       "memcpy_mbps.copy_16",
				       "memcpy_mbps.copy_128",
				       "memcpy_mbps.copy_496",
				       "memcpy_mbps.nocopy_496",
				       "stack_ns_16",
				       "stack_ns_496",
				       "endpoints.1",
				       "endpoints.16",
				       "endpoints.256",
				       "endpoints.1024",
				       "threads.1",
				       "threads.2",
				       "threads.4",
				       "ratios.poll_16_vs_spin",
				       "ratios.blocking_16_vs_eventfd",
				       "ratios.copy_496_vs_memcpy",
				       "ratios.endpoints_1024_vs_1",
				       "ratios.threads_4_vs_1"};
static const char *const footprint[] = {"footprint.cm4_amplink_text", "footprint.cm4_image_text",
					"footprint.cm4_image_data", "footprint.cm4_image_bss",
					"footprint.rv32_amplink_text"};

static char out[SMOKE_OUT_MAX];
static int run_status = -1;

/* Run the benchmark; its stdout goes to out[]. */
static void run_bench(int argc, char **argv)
{
	char cmd[4096] = "";
	size_t n = 0, got;
	FILE *f;

	for (int i = 1; i < argc; i++) {
		strncat(cmd, "'", sizeof(cmd) - strlen(cmd) - 1);
		strncat(cmd, argv[i], sizeof(cmd) - strlen(cmd) - 1);
		strncat(cmd, "' ", sizeof(cmd) - strlen(cmd) - 1);
	}
	f = popen(cmd, "r");
	if (!f)
		return;
	while ((got = fread(out + n, 1, sizeof(out) - 1 - n, f)) > 0)
		n += got;
	out[n] = '\0';
	run_status = pclose(f);
}

static void test_exit_status(void)
{
	CHECK(WIFEXITED(run_status) && WEXITSTATUS(run_status) == 0);
}

static void test_json_shape(void)
{
	struct smoke_parser s = {out, 0};

	smoke_ws(&s);
	REQUIRE(*s.p == '{');
	smoke_object(&s, "");
	CHECK(!s.bad);
	smoke_ws(&s);
	CHECK(*s.p == '\0'); /* one object, nothing after it */
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		const struct smoke_value *v = smoke_find(required[i]);
		if (!v || !v->is_num || !(v->num > 0))
			fprintf(stderr, "missing or not > 0: %s\n", required[i]);
		CHECK(v && v->is_num && v->num > 0);
	}
	for (size_t i = 0; i < sizeof(footprint) / sizeof(footprint[0]); i++) {
		const struct smoke_value *v = smoke_find(footprint[i]);
		CHECK(v && (v->is_null || (v->is_num && v->num > 0)));
	}
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_smoke COMMAND [ARGS...]\n");
		return 2;
	}
	run_bench(argc, argv);
	RUN(test_exit_status);
	RUN(test_json_shape);
	return check_summary();
}
