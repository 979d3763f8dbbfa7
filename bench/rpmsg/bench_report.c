/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * amplink-bench: the output. A readable table (each figure beside its floor,
 * the ratio, the target and the reference implementation's figure where one
 * exists), one JSON object with every key the brief names, and the reader
 * of the footprint file (JSON or key=value lines).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

const char *const bench_rtt_keys[BENCH_RTT_N] = {"poll_16", "adaptive_16", "blocking_16",
						 "poll_496", "blocking_496"};
const char *const bench_stream_keys[BENCH_ST_N] = {"copy_16", "copy_128", "copy_496", "nocopy_496"};
const char *const bench_fp_keys[BENCH_FP_N] = {"cm4_amplink_text", "cm4_image_text",
					       "cm4_image_data", "cm4_image_bss",
					       "rv32_amplink_text"};

/* Payload bytes of each stream variant. */
static const int bench_stream_len[BENCH_ST_N] = {16, 128, 496, 496};

/*
 * One ratio: figure / floor (or @pre, already computed run by run), and the
 * target it is held against (limit 0 = none).
 */
struct bench_ratio {
	const char *key;
	double num, den, pre;
	double limit; /* target: ratio <= limit (max) or >= limit (!max) */
	int max;
};

#define BENCH_RATIO_N 14

/* Fill @q with every ratio. */
static void bench_ratios(const struct bench_results *r, struct bench_ratio *q)
{
	const double *p = r->rtt_p50, *x = r->rtt_ratio, *s = r->stream_mbps, *m = r->memcpy_mbps;
	const double *e = r->ept_rate, *t = r->thread_rate;
	struct bench_ratio all[BENCH_RATIO_N] = {
		{"poll_16_vs_spin", p[BENCH_RTT_POLL_16], r->spin_rtt, x[BENCH_RTT_POLL_16], 2.0,
		 1},
		{"poll_496_vs_spin", p[BENCH_RTT_POLL_496], r->spin_rtt, x[BENCH_RTT_POLL_496], 0,
		 1},
		{"adaptive_16_vs_spin", p[BENCH_RTT_ADAPTIVE_16], r->spin_rtt,
		 x[BENCH_RTT_ADAPTIVE_16], 0, 1},
		{"blocking_16_vs_eventfd", p[BENCH_RTT_BLOCKING_16], r->eventfd_rtt,
		 x[BENCH_RTT_BLOCKING_16], 1.5, 1},
		{"blocking_496_vs_eventfd", p[BENCH_RTT_BLOCKING_496], r->eventfd_rtt,
		 x[BENCH_RTT_BLOCKING_496], 0, 1},
		{"copy_16_vs_memcpy", s[BENCH_ST_COPY_16], m[BENCH_ST_COPY_16], 0, 0, 0},
		{"copy_128_vs_memcpy", s[BENCH_ST_COPY_128], m[BENCH_ST_COPY_128], 0, 0, 0},
		{"copy_496_vs_memcpy", s[BENCH_ST_COPY_496], m[BENCH_ST_COPY_496], 0, 0, 0},
		{"nocopy_496_vs_memcpy", s[BENCH_ST_NOCOPY_496], m[BENCH_ST_NOCOPY_496], 0, 0, 0},
		{"endpoints_16_vs_1", e[1], e[0], r->ept_ratio[1], 0, 0},
		{"endpoints_256_vs_1", e[2], e[0], r->ept_ratio[2], 0, 0},
		{"endpoints_1024_vs_1", e[3], e[0], r->ept_ratio[3], 0.9, 0},
		{"threads_2_vs_1", t[1], t[0], r->thread_ratio[1], 0, 0},
		{"threads_4_vs_1", t[2], t[0], r->thread_ratio[2], 1.0, 0},
	};

	memcpy(q, all, sizeof(all));
}

static double bench_ratio_val(const struct bench_ratio *q)
{
	if (q->pre > 0)
		return q->pre;
	return q->num > 0 && q->den > 0 ? q->num / q->den : 0;
}

/* 1 met, 0 missed, -1 no target or no figure. */
static int bench_ratio_met(const struct bench_ratio *q)
{
	double v = bench_ratio_val(q);

	if (q->limit <= 0 || v <= 0)
		return -1;
	if (q->max)
		return v <= q->limit;
	/* "4 threads > 1 thread" is strict; ">= 90%" is not. */
	return q->limit == 1.0 ? v > q->limit : v >= q->limit;
}

/* ---- Footprint file ---- */

/* Find @key as a whole word in @text, then its number after ':' or '='. Returns it or -1. */
static long long bench_fp_find(const char *text, const char *key)
{
	size_t kl = strlen(key);
	const char *p = text;

	while ((p = strstr(p, key)) != NULL) {
		const char *q = p + kl;
		int word = (p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')) &&
			   !(isalnum((unsigned char)*q) || *q == '_');
		p = q;
		if (!word)
			continue;
		while (*q == '"' || *q == ' ' || *q == '\t')
			q++;
		if (*q != ':' && *q != '=')
			continue;
		q++;
		while (*q == ' ' || *q == '\t' || *q == '"')
			q++;
		if (isdigit((unsigned char)*q))
			return strtoll(q, NULL, 10);
		return -1;
	}
	return -1;
}

int bench_read_footprint(const char *path, struct bench_results *r)
{
	FILE *f = fopen(path, "r");
	char text[8192];
	size_t n;
	int i;

	for (i = 0; i < BENCH_FP_N; i++)
		r->footprint[i] = -1;
	if (!f)
		return -1;
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	for (i = 0; i < BENCH_FP_N; i++) {
		r->footprint[i] = bench_fp_find(text, bench_fp_keys[i]);
		if (r->footprint[i] >= 0)
			r->fp_present = true;
	}
	return r->fp_present ? 0 : -1;
}

/* ---- Table ---- */

/* " key value" of a per-message counter, '-' when unknown (< 0). */
static void bench_kick_item(const char *key, double v)
{
	if (v >= 0)
		printf(" %s %.4f", key, v);
	else
		printf(" %s -", key);
}

/* One table row; @ratio > 0 is printed instead of @v / @floor. */
static void bench_row_r(const char *name, double v, const char *unit, const char *floor_name,
			double floor, double ratio, const char *target)
{
	char fl[48] = "", ra[16] = "";

	if (floor > 0) {
		snprintf(fl, sizeof(fl), "%s %.0f", floor_name, floor);
		if (ratio > 0)
			snprintf(ra, sizeof(ra), "%.3f", ratio);
		else if (v > 0)
			snprintf(ra, sizeof(ra), "%.3f", v / floor);
	}
	if (v > 0)
		printf("  %-24s %12.0f %-5s %-20s %8s  %s\n", name, v, unit, fl, ra, target);
	else
		printf("  %-24s %12s %-5s %-20s %8s  %s\n", name, "-", unit, fl, ra, target);
}

static void bench_row(const char *name, double v, const char *unit, const char *floor_name,
		      double floor, const char *target)
{
	bench_row_r(name, v, unit, floor_name, floor, 0, target);
}

static const char *bench_verdict(const struct bench_ratio *q, int i)
{
	int met = bench_ratio_met(&q[i]);

	return met < 0 ? "" : met ? "met" : "MISSED";
}

static void bench_table_rtt(const struct bench_results *r, const struct bench_ratio *q)
{
	char t[64];
	int i;

	printf("Round trip, cross-process (p50; p99 in brackets), ns; ratio: median of per-run "
	       "ratios\n");
	for (i = 0; i < BENCH_RTT_N; i++) {
		int blocking = i == BENCH_RTT_BLOCKING_16 || i == BENCH_RTT_BLOCKING_496;
		int qi = i == BENCH_RTT_POLL_16 ? 0 : i == BENCH_RTT_BLOCKING_16 ? 3 : -1;
		char name[40];
		snprintf(name, sizeof(name), "%s (%.0f)", bench_rtt_keys[i], r->rtt_p99[i]);
		t[0] = '\0';
		if (qi >= 0)
			snprintf(t, sizeof(t), "target <= %.1fx %s", q[qi].limit,
				 bench_verdict(q, qi));
		if (i == BENCH_RTT_BLOCKING_16)
			strncat(t, "  (reference 83000)", sizeof(t) - strlen(t) - 1);
		bench_row_r(name, r->rtt_p50[i], "ns", blocking ? "eventfd" : "spin",
			    blocking ? r->eventfd_rtt : r->spin_rtt, r->rtt_ratio[i], t);
	}
}

static void bench_table_stream(const struct bench_results *r)
{
	char t[64];
	int i;

	printf("One-way stream, cross-process, MB/s (floor: memcpy of the same messages)\n");
	for (i = 0; i < BENCH_ST_N; i++) {
		t[0] = '\0';
		if (i == BENCH_ST_COPY_496)
			snprintf(t, sizeof(t), "target >= 1500 %s  (reference 102)",
				 r->stream_mbps[i] <= 0	     ? ""
				 : r->stream_mbps[i] >= 1500 ? "met"
							     : "MISSED");
		bench_row(bench_stream_keys[i], r->stream_mbps[i], "MB/s", "memcpy",
			  r->memcpy_mbps[i], t);
	}
	(void)bench_stream_len;
}

/* Key @i of the per-message counters: the stream variants, then threads_N. */
static void bench_count_key(int i, char *key, size_t len)
{
	if (i < BENCH_ST_N)
		snprintf(key, len, "%s", bench_stream_keys[i]);
	else
		snprintf(key, len, "threads_%u", bench_thread_counts[i - BENCH_ST_N]);
}

/* One per-message counter of the streams and thread runs on one line ('-': unknown). */
static void bench_table_counts(const char *title, const double *st, const double *th)
{
	char key[16];
	int i;

	printf("%s:", title);
	for (i = 0; i < BENCH_ST_N + BENCH_THREAD_N; i++) {
		bench_count_key(i, key, sizeof(key));
		bench_kick_item(key, i < BENCH_ST_N ? st[i] : th[i - BENCH_ST_N]);
	}
	printf("\n");
}

static void bench_table_scaling(const struct bench_results *r, const struct bench_ratio *q)
{
	char name[32], t[64];
	int i;

	printf("In-process stack cost per message, ns (no syscalls)\n");
	snprintf(t, sizeof(t), "target <= 60 %s  (reference 129)",
		 r->stack_ns_16 <= 0	? ""
		 : r->stack_ns_16 <= 60 ? "met"
					: "MISSED");
	bench_row("stack_ns_16", r->stack_ns_16, "ns", "", 0, t);
	bench_row("stack_ns_496", r->stack_ns_496, "ns", "", 0, "(reference 149)");
	printf("Endpoints, in-process msg/s (ratio: median of per-run ratios to 1 endpoint)\n");
	for (i = 0; i < BENCH_EPT_N; i++) {
		snprintf(name, sizeof(name), "endpoints_%u", bench_ept_counts[i]);
		snprintf(t, sizeof(t), "%s", i == 3 ? "target >= 0.90 " : "");
		if (i == 3)
			strncat(t, bench_verdict(q, 11), sizeof(t) - strlen(t) - 1);
		bench_row_r(name, r->ept_rate[i], "msg/s", i ? "1 ept" : "", i ? r->ept_rate[0] : 0,
			    r->ept_ratio[i], t);
	}
	printf("Sender threads, cross-process msg/s (ratio: median of per-run ratios to 1 thread; "
	       "%d CPUs)\n",
	       r->cpus);
	for (i = 0; i < BENCH_THREAD_N; i++) {
		snprintf(name, sizeof(name), "threads_%u", bench_thread_counts[i]);
		snprintf(t, sizeof(t), "%s", i == 2 ? "target > 1.00 " : "");
		if (i == 2)
			strncat(t, bench_verdict(q, 13), sizeof(t) - strlen(t) - 1);
		bench_row_r(name, r->thread_rate[i], "msg/s", i ? "1 thread" : "",
			    i ? r->thread_rate[0] : 0, r->thread_ratio[i], t);
	}
}

static void bench_table_fp(const struct bench_results *r)
{
	int i;

	printf("Footprint, bytes\n");
	if (!r->fp_present) {
		printf("  (no --footprint FILE given: sizes not reported; reference: 8180 text for "
		       "its "
		       "minimal Cortex-M4 remote echo, RPMsg-Lite 2516)\n");
		return;
	}
	for (i = 0; i < BENCH_FP_N; i++) {
		if (r->footprint[i] >= 0)
			printf("  %-24s %12lld%s\n", bench_fp_keys[i], r->footprint[i],
			       i == BENCH_FP_CM4_IMAGE_TEXT ? "  (reference 8180; RPMsg-Lite 2516)"
							    : "");
		else
			printf("  %-24s %12s\n", bench_fp_keys[i], "absent");
	}
}

static const char *bench_mode_name(enum amplink_lp_wait_mode m)
{
	return m == AMPLINK_LP_WAIT_POLL       ? "poll"
	       : m == AMPLINK_LP_WAIT_ADAPTIVE ? "adaptive"
					       : "blocking";
}

/* JSON of a flag that may be unknown: true, false, or null (< 0). */
static const char *bench_event_idx_json(int v)
{
	return v < 0 ? "null" : v ? "true" : "false";
}

/* "on", "off", or "-" when no link or pair was opened. */
static const char *bench_event_idx_name(int v)
{
	return v < 0 ? "-" : v ? "on" : "off";
}

void bench_print_table(const struct bench_opts *o, const struct bench_results *r)
{
	struct bench_ratio q[BENCH_RATIO_N];

	bench_ratios(r, q);
	printf("amplink-bench: %d run(s) per figure, medians%s; CPUs %d,%d (-1 = not pinned); "
	       "stream mode %s\n",
	       o->runs, o->quick ? ", quick mode" : "", o->cpu_a, o->cpu_b,
	       bench_mode_name(o->stream_mode));
	printf("EVENT_IDX: cross-process link %s, in-process pair %s\n",
	       bench_event_idx_name(r->xproc_event_idx), bench_event_idx_name(r->inproc_event_idx));
	if (o->no_event_idx && r->xproc_event_idx == 1)
		printf("  (--no-event-idx applies to the in-process pair; the Linux transport "
		       "offers EVENT_IDX\n   in this build: -DAMPLINK_EVENT_IDX=OFF to measure "
		       "the link without it)\n");
	printf("  %-24s %12s %-5s %-20s %8s  %s\n", "figure", "value", "unit", "floor", "ratio",
	       "target");
	printf("Floors: spin_rtt %.0f ns, eventfd_rtt %.0f ns\n", r->spin_rtt, r->eventfd_rtt);
	bench_table_rtt(r, q);
	bench_table_stream(r);
	bench_table_scaling(r, q);
	bench_table_counts("Host kicks per message", r->stream_kicks, r->thread_kicks);
	bench_table_counts("Host sends that waited for a buffer, per message", r->stream_waits,
			   r->thread_waits);
	bench_table_fp(r);
	if (r->failures)
		printf("%d measurement(s) failed\n", r->failures);
	printf("('-': not measured or failed; null in JSON)\n");
}

/* ---- JSON ---- */

/* Print "key": value (null when not measured), with @prec decimals. */
static void bench_jnum_prec(const char *key, double v, int last, int prec)
{
	if (v > 0)
		printf("\"%s\": %.*f%s", key, prec, v, last ? "" : ", ");
	else
		printf("\"%s\": null%s", key, last ? "" : ", ");
}

static void bench_jnum(const char *key, double v, int last)
{
	bench_jnum_prec(key, v, last, 1);
}

static void bench_jgroup(const char *name, const char *const *keys, const double *v, int n)
{
	int i;

	printf("  \"%s\": {", name);
	for (i = 0; i < n; i++)
		bench_jnum(keys[i], v[i], i == n - 1);
	printf("},\n");
}

static void bench_json_counts(const char *name, const unsigned int *counts, const double *v, int n)
{
	char key[16];
	int i;

	printf("  \"%s\": {", name);
	for (i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "%u", counts[i]);
		bench_jnum(key, v[i], i == n - 1);
	}
	printf("},\n");
}

/* "@name": one per-message counter of the streams and thread runs (null when unknown). */
static void bench_json_counts_per_msg(const char *name, const double *st, const double *th)
{
	char key[16];
	int i;

	printf("  \"%s\": {", name);
	for (i = 0; i < BENCH_ST_N + BENCH_THREAD_N; i++) {
		double v = i < BENCH_ST_N ? st[i] : th[i - BENCH_ST_N];

		bench_count_key(i, key, sizeof(key));
		if (v >= 0)
			printf("\"%s\": %.4f", key, v);
		else
			printf("\"%s\": null", key);
		printf("%s", i == BENCH_ST_N + BENCH_THREAD_N - 1 ? "},\n" : ", ");
	}
}

static void bench_json_fp(const struct bench_results *r)
{
	int i;

	printf("  \"footprint\": {");
	for (i = 0; i < BENCH_FP_N; i++) {
		if (r->fp_present && r->footprint[i] >= 0)
			printf("\"%s\": %lld", bench_fp_keys[i], r->footprint[i]);
		else
			printf("\"%s\": null", bench_fp_keys[i]);
		printf("%s", i == BENCH_FP_N - 1 ? "" : ", ");
	}
	printf("},\n");
	if (!r->fp_present)
		printf("  \"footprint_note\": \"no --footprint FILE given, or no figures in "
		       "it\",\n");
}

static void bench_json_ratios(const struct bench_results *r)
{
	struct bench_ratio q[BENCH_RATIO_N];
	int i;

	bench_ratios(r, q);
	printf("  \"ratios\": {");
	for (i = 0; i < BENCH_RATIO_N; i++)
		bench_jnum_prec(q[i].key, bench_ratio_val(&q[i]), i == BENCH_RATIO_N - 1, 3);
	printf("},\n");
	printf("  \"targets_met\": {");
	for (i = 0; i < BENCH_RATIO_N; i++) {
		if (q[i].limit > 0)
			printf("\"%s\": %s, ", q[i].key,
			       bench_ratio_met(&q[i]) == 1 ? "true" : "false");
	}
	printf("\"copy_496_mbps\": %s, \"stack_ns_16\": %s},\n",
	       r->stream_mbps[BENCH_ST_COPY_496] >= 1500 ? "true" : "false",
	       r->stack_ns_16 > 0 && r->stack_ns_16 <= 60 ? "true" : "false");
}

void bench_print_json(const struct bench_opts *o, const struct bench_results *r)
{
	const char *fkeys[2] = {"spin_rtt", "eventfd_rtt"};
	double floors[2] = {r->spin_rtt, r->eventfd_rtt};

	printf("{\n");
	bench_jgroup("rtt_ns", bench_rtt_keys, r->rtt_p50, BENCH_RTT_N);
	bench_jgroup("rtt_p99_ns", bench_rtt_keys, r->rtt_p99, BENCH_RTT_N);
	bench_jgroup("floor_ns", fkeys, floors, 2);
	bench_jgroup("stream_mbps", bench_stream_keys, r->stream_mbps, BENCH_ST_N);
	bench_jgroup("memcpy_mbps", bench_stream_keys, r->memcpy_mbps, BENCH_ST_N);
	printf("  ");
	bench_jnum("stack_ns_16", r->stack_ns_16, 0);
	bench_jnum("stack_ns_496", r->stack_ns_496, 0);
	printf("\n");
	bench_json_counts("endpoints", bench_ept_counts, r->ept_rate, BENCH_EPT_N);
	bench_json_counts("threads", bench_thread_counts, r->thread_rate, BENCH_THREAD_N);
	bench_json_counts_per_msg("host_kicks_per_msg", r->stream_kicks, r->thread_kicks);
	bench_json_counts_per_msg("host_waits_per_msg", r->stream_waits, r->thread_waits);
	bench_json_fp(r);
	bench_json_ratios(r);
	printf("  \"reference\": {\"rtt_16_ns\": 83000, \"stream_mbps\": 102, \"stack_ns_16\": "
	       "129, "
	       "\"stack_ns_496\": 149, \"cm4_echo_text\": 8180, \"rpmsg_lite_cm4_echo_text\": "
	       "2516},\n");
	printf("  \"event_idx\": {\"xproc\": %s, \"inproc\": %s},\n",
	       bench_event_idx_json(r->xproc_event_idx), bench_event_idx_json(r->inproc_event_idx));
	printf("  \"cpus\": %d,\n", r->cpus);
	printf("  \"runs\": %d, \"quick\": %s, \"cpu_a\": %d, \"cpu_b\": %d, \"stream_mode\": "
	       "\"%s\", "
	       "\"failures\": %d\n}\n",
	       o->runs, o->quick ? "true" : "false", o->cpu_a, o->cpu_b,
	       bench_mode_name(o->stream_mode), r->failures);
}
