/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * amplink-bench: command line, the order of the measurements, several runs
 * per figure and their medians. Every figure is taken beside its floor in
 * the same run; the program never fails because a target is missed (exit
 * codes in bench.h).
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amplink/config.h>
#include <metal/sys.h>
#include <openamp/virtqueue.h>

#include "bench.h"

const unsigned int bench_ept_counts[BENCH_EPT_N] = {1, 16, 256, 1024};
const unsigned int bench_thread_counts[BENCH_THREAD_N] = {1, 2, 4};

#define BENCH_MAX_RUNS 51

/* Work per run: iterations or messages of each measurement. */
struct bench_sizes {
	int rtt_iters, rtt_max_ms;
	int spin_iters, efd_iters;
	int stream_msgs, stack_msgs, ept_msgs;
	int thread_ms; /* sending time of each sender-thread measurement */
};

static const struct bench_sizes bench_full = {20000,   2000,	100000,	 20000,
					      1000000, 4000000, 2000000, 250};
static const struct bench_sizes bench_quick = {3000, 500, 20000, 3000, 200000, 500000, 200000, 50};

static void bench_usage(FILE *f)
{
	fputs("usage: amplink bench [--quick] [--json] [--runs N] [--cpu A,B] [--footprint FILE]\n"
	      "                     [--only rtt|floor|stream|stack|endpoints|threads]\n"
	      "                     [--stream-mode poll|adaptive|blocking] [--no-event-idx]\n"
	      "(the same program is installed as amplink-bench)\n"
	      "RPMsg latency, throughput and scaling, each beside a floor measured in the same\n"
	      "run (spin and eventfd round trips between two processes, memcpy). Every figure\n"
	      "is the median of N runs (default 5; 3 with --quick).\n"
	      "  --quick          small runs (well under a minute)\n"
	      "  --json           print one JSON object instead of the table\n"
	      "  --cpu A,B        pin the host (its threads, in-process work) to CPU A, the\n"
	      "                   remote to CPU B\n"
	      "  --footprint F    code sizes from F (JSON or key=value: cm4_amplink_text,\n"
	      "                   cm4_image_text, cm4_image_data, cm4_image_bss, "
	      "rv32_amplink_text)\n"
	      "  --only G         measure one group only (for profiling)\n"
	      "  --stream-mode M  wait mode of both sides for streams and threads (default poll)\n"
	      "  --no-event-idx   the in-process pair does not offer VIRTIO_RING_F_EVENT_IDX (the\n"
	      "                   cross-process link negotiates what the build offers: see\n"
	      "                   event_idx in the output; -DAMPLINK_EVENT_IDX=OFF turns it off)\n"
	      "Exit: 0 measured (targets are reported, never enforced), 1 setup failed,\n"
	      "2 usage, 7 a measurement failed (lost or wrong message, timeout, peer died).\n",
	      f);
}

static int bench_parse_cpus(const char *v, struct bench_opts *o)
{
	cpu_set_t allowed;
	char *end;
	long a = strtol(v, &end, 10), b;

	if (end == v || *end != ',')
		return -1;
	v = end + 1;
	b = strtol(v, &end, 10);
	if (end == v || *end || a < 0 || b < 0 || a >= CPU_SETSIZE || b >= CPU_SETSIZE)
		return -1;
	if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0 || !CPU_ISSET((int)a, &allowed) ||
	    !CPU_ISSET((int)b, &allowed)) {
		fprintf(stderr, "amplink-bench: CPU %ld or %ld is not available\n", a, b);
		return -1;
	}
	o->cpu_a = (int)a;
	o->cpu_b = (int)b;
	return 0;
}

static bool bench_group_known(const char *g)
{
	static const char *const groups[] = {"rtt",   "floor",	   "stream",
					     "stack", "endpoints", "threads"};

	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		if (strcmp(g, groups[i]) == 0)
			return true;
	}
	return false;
}

static int bench_parse_mode(const char *v, enum amplink_lp_wait_mode *mode)
{
	if (strcmp(v, "poll") == 0)
		*mode = AMPLINK_LP_WAIT_POLL;
	else if (strcmp(v, "adaptive") == 0)
		*mode = AMPLINK_LP_WAIT_ADAPTIVE;
	else if (strcmp(v, "blocking") == 0)
		*mode = AMPLINK_LP_WAIT_BLOCKING;
	else
		return -1;
	return 0;
}

static int bench_parse(int argc, char **argv, struct bench_opts *o)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--quick") == 0) {
			o->quick = true;
		} else if (strcmp(a, "--json") == 0) {
			o->json = true;
		} else if (strcmp(a, "--no-event-idx") == 0) {
			o->no_event_idx = true;
		} else if (strcmp(a, "--runs") == 0 && v) {
			o->runs = atoi(argv[++i]);
			if (o->runs < 1 || o->runs > BENCH_MAX_RUNS)
				return -1;
		} else if (strcmp(a, "--cpu") == 0 && v) {
			if (bench_parse_cpus(argv[++i], o) < 0)
				return -1;
		} else if (strcmp(a, "--footprint") == 0 && v) {
			o->fp_file = argv[++i];
		} else if (strcmp(a, "--stream-mode") == 0 && v) {
			if (bench_parse_mode(argv[++i], &o->stream_mode) < 0)
				return -1;
		} else if (strcmp(a, "--only") == 0 && v) {
			o->only = argv[++i];
			if (!bench_group_known(o->only))
				return -1;
		} else {
			return -1;
		}
	}
	if (!o->runs)
		o->runs = o->quick ? 3 : 5;
	return 0;
}

static bool bench_want(const struct bench_opts *o, const char *group)
{
	return !o->only || strcmp(o->only, group) == 0;
}

/* Record one run's value @v (failure when <= 0). */
static void bench_put(struct bench_results *r, double *runs, int *n, double v)
{
	if (v > 0)
		runs[(*n)++] = v;
	else
		r->failures++;
}

/* Samples of the floors and round trips, one per run. */
struct bench_rtt_samples {
	double spin[BENCH_MAX_RUNS], efd[BENCH_MAX_RUNS];
	double p50[BENCH_RTT_N][BENCH_MAX_RUNS], p99[BENCH_RTT_N][BENCH_MAX_RUNS];
	double ratio[BENCH_RTT_N][BENCH_MAX_RUNS]; /* p50 / the floor of the same run */
	int nspin, nefd, n[BENCH_RTT_N], nratio[BENCH_RTT_N];
	double floor_now; /* floor taken just before the current mode, 0 = failed */
};

/* Take one floor sample (spin or eventfd) and remember it for the next mode. */
static void bench_floor_once(const struct bench_opts *o, const struct bench_sizes *z,
			     struct bench_results *r, struct bench_rtt_samples *s, bool spin)
{
	double v = spin ? bench_spin_rtt(z->spin_iters, z->rtt_max_ms, o->cpu_a, o->cpu_b)
			: bench_eventfd_rtt(z->efd_iters, z->rtt_max_ms, o->cpu_a, o->cpu_b);

	if (spin)
		bench_put(r, s->spin, &s->nspin, v);
	else
		bench_put(r, s->efd, &s->nefd, v);
	s->floor_now = v > 0 ? v : 0;
}

/* Record one round-trip result of variant @v. */
static void bench_rtt_put(struct bench_rtt_samples *s, int v, double p50, double p99)
{
	s->p50[v][s->n[v]] = p50;
	s->p99[v][s->n[v]++] = p99;
	if (s->floor_now > 0)
		s->ratio[v][s->nratio[v]++] = p50 / s->floor_now;
}

/*
 * One run of the round trips in @mode for variants @a and @b (b < 0: none),
 * on a pair opened for this run only. Returns 0, or -1 if the pair failed.
 */
static int bench_rtt_mode(const struct bench_opts *o, const struct bench_sizes *z,
			  struct bench_results *r, struct bench_rtt_samples *s,
			  enum amplink_lp_wait_mode mode, int a, int b)
{
	static const int len[BENCH_RTT_N] = {16, 16, 16, 496, 496};
	int v[2] = {a, b}, j;
	double x, y;
	struct bench_xpair *xp = bench_xpair_open(mode, o->cpu_b);

	if (!xp)
		return -1;
	r->xproc_event_idx = bench_xpair_event_idx(xp);
	for (j = 0; j < 2 && v[j] >= 0; j++) {
		if (bench_xpair_rtt(xp, len[v[j]], z->rtt_iters, z->rtt_max_ms, &x, &y) == 0)
			bench_rtt_put(s, v[j], x, y);
		else
			r->failures++;
	}
	return bench_xpair_close(xp);
}

/* One run: each mode right after the floor it is compared with. Returns 0 or -1. */
static int bench_rtt_run(const struct bench_opts *o, const struct bench_sizes *z,
			 struct bench_results *r, struct bench_rtt_samples *s)
{
	bool rtt = bench_want(o, "rtt");

	bench_floor_once(o, z, r, s, true);
	if (rtt &&
	    (bench_rtt_mode(o, z, r, s, AMPLINK_LP_WAIT_POLL, BENCH_RTT_POLL_16,
			    BENCH_RTT_POLL_496) ||
	     bench_rtt_mode(o, z, r, s, AMPLINK_LP_WAIT_ADAPTIVE, BENCH_RTT_ADAPTIVE_16, -1)))
		return -1;
	bench_floor_once(o, z, r, s, false);
	if (rtt && bench_rtt_mode(o, z, r, s, AMPLINK_LP_WAIT_BLOCKING, BENCH_RTT_BLOCKING_16,
				  BENCH_RTT_BLOCKING_496))
		return -1;
	return 0;
}

/*
 * Floors and round trips, interleaved so that each figure and its floor see
 * the same load; the ratios are medians of the per-run ratios.
 * Returns 0, or -1 if a pair failed.
 */
static int bench_rtts(const struct bench_opts *o, const struct bench_sizes *z,
		      struct bench_results *r)
{
	static struct bench_rtt_samples s;
	int k, i, ret = 0;

	memset(&s, 0, sizeof(s));
	for (k = 0; k < o->runs && ret == 0; k++)
		ret = bench_rtt_run(o, z, r, &s);
	r->spin_rtt = bench_median(s.spin, (size_t)s.nspin);
	r->eventfd_rtt = bench_median(s.efd, (size_t)s.nefd);
	for (i = 0; i < BENCH_RTT_N; i++) {
		r->rtt_p50[i] = bench_median(s.p50[i], (size_t)s.n[i]);
		r->rtt_p99[i] = bench_median(s.p99[i], (size_t)s.n[i]);
		r->rtt_ratio[i] = bench_median(s.ratio[i], (size_t)s.nratio[i]);
	}
	return ret;
}

/* A value that may be missing: kept when >= 0. */
static void bench_put_opt(double *runs, int *n, double v)
{
	if (v >= 0)
		runs[(*n)++] = v;
}

/* Median of @n values, or -1 when there are none. */
static double bench_median_opt(double *v, int n)
{
	return n > 0 ? bench_median(v, (size_t)n) : -1;
}

/* Per-message host counters of one measurement variant, one sample per run. */
struct bench_count_samples {
	double kicks[BENCH_MAX_RUNS], waits[BENCH_MAX_RUNS];
	int nk, nw;
};

/* Samples of the streams (MB/s, memcpy floor, host counters), one per run. */
struct bench_stream_samples {
	double mbps[BENCH_ST_N][BENCH_MAX_RUNS], memcpy[BENCH_ST_N][BENCH_MAX_RUNS];
	struct bench_count_samples c[BENCH_ST_N];
	int n[BENCH_ST_N], nm[BENCH_ST_N];
};

/*
 * Rates at each step of a scaling figure (endpoints 1..1024, threads 1..4), one
 * sample per run, and each rate's ratio to the first step's in the same run.
 */
#define BENCH_SCALE_MAX BENCH_EPT_N
struct bench_scale_samples {
	double rate[BENCH_SCALE_MAX][BENCH_MAX_RUNS], ratio[BENCH_SCALE_MAX][BENCH_MAX_RUNS];
	int n[BENCH_SCALE_MAX], nratio[BENCH_SCALE_MAX];
};

/* Record one run's rates @v[0..@nv-1] (failures when <= 0) and their ratios to v[0]. */
static void bench_scale_put(struct bench_results *r, struct bench_scale_samples *s, const double *v,
			    int nv)
{
	int i;

	for (i = 0; i < nv; i++) {
		bench_put(r, s->rate[i], &s->n[i], v[i]);
		if (i > 0 && v[i] > 0 && v[0] > 0)
			s->ratio[i][s->nratio[i]++] = v[i] / v[0];
	}
}

/* The medians of the rates and of the per-run ratios. */
static void bench_scale_medians(struct bench_scale_samples *s, int nv, double *rate, double *ratio)
{
	int i;

	for (i = 0; i < nv; i++) {
		rate[i] = bench_median(s->rate[i], (size_t)s->n[i]);
		ratio[i] = bench_median(s->ratio[i], (size_t)s->nratio[i]);
	}
}

/* Samples of the sender-thread rates and the host counters of each thread count. */
struct bench_thread_samples {
	struct bench_scale_samples s;
	struct bench_count_samples c[BENCH_THREAD_N];
};

/* Keep the host counters of the measurement just made on @xp. */
static void bench_counts_put(struct bench_count_samples *c, const struct bench_xpair *xp)
{
	double k, w;

	bench_xpair_per_msg(xp, &k, &w);
	bench_put_opt(c->kicks, &c->nk, k);
	bench_put_opt(c->waits, &c->nw, w);
}

/* One run of every stream variant on @xp, each beside its memcpy floor. */
static void bench_streams_once(const struct bench_sizes *z, struct bench_results *r,
			       struct bench_xpair *xp, struct bench_stream_samples *s)
{
	static const int len[BENCH_ST_N] = {16, 128, 496, 496};
	int i;

	for (i = 0; i < BENCH_ST_N; i++) {
		bench_put(r, s->mbps[i], &s->n[i],
			  bench_xpair_stream(xp, len[i], i == BENCH_ST_NOCOPY_496, z->stream_msgs));
		bench_counts_put(&s->c[i], xp);
		bench_put(r, s->memcpy[i], &s->nm[i],
			  bench_memcpy_mbps((size_t)len[i], AMPLINK_LP_DEFAULT_VRING_NUM,
					    (size_t)z->stream_msgs * (size_t)len[i]));
	}
}

/* One run of 1, 2 and 4 sender threads on @xp. */
static void bench_threads_once(const struct bench_sizes *z, struct bench_results *r,
			       struct bench_xpair *xp, struct bench_thread_samples *s)
{
	double v[BENCH_THREAD_N];
	int i;

	for (i = 0; i < BENCH_THREAD_N; i++) {
		v[i] = bench_xpair_threads(xp, bench_thread_counts[i], z->thread_ms);
		bench_counts_put(&s->c[i], xp);
	}
	bench_scale_put(r, &s->s, v, BENCH_THREAD_N);
}

/* The medians of the stream and thread samples. */
static void bench_streams_medians(struct bench_results *r, struct bench_stream_samples *st,
				  struct bench_thread_samples *th)
{
	int i;

	for (i = 0; i < BENCH_ST_N; i++) {
		r->stream_mbps[i] = bench_median(st->mbps[i], (size_t)st->n[i]);
		r->memcpy_mbps[i] = bench_median(st->memcpy[i], (size_t)st->nm[i]);
		r->stream_kicks[i] = bench_median_opt(st->c[i].kicks, st->c[i].nk);
		r->stream_waits[i] = bench_median_opt(st->c[i].waits, st->c[i].nw);
	}
	bench_scale_medians(&th->s, BENCH_THREAD_N, r->thread_rate, r->thread_ratio);
	for (i = 0; i < BENCH_THREAD_N; i++) {
		r->thread_kicks[i] = bench_median_opt(th->c[i].kicks, th->c[i].nk);
		r->thread_waits[i] = bench_median_opt(th->c[i].waits, th->c[i].nw);
	}
}

/* Streams and sender threads share one pair (both sides in o->stream_mode). Returns 0 or -1. */
static int bench_streams(const struct bench_opts *o, const struct bench_sizes *z,
			 struct bench_results *r)
{
	static struct bench_stream_samples st;
	static struct bench_thread_samples th;
	bool streams = bench_want(o, "stream"), threads = bench_want(o, "threads");
	struct bench_xpair *xp;
	int k;

	if (!streams && !threads)
		return 0;
	xp = bench_xpair_open(o->stream_mode, o->cpu_b);
	if (!xp)
		return -1;
	r->xproc_event_idx = bench_xpair_event_idx(xp);
	memset(&st, 0, sizeof(st));
	memset(&th, 0, sizeof(th));
	for (k = 0; k < o->runs; k++) {
		if (streams)
			bench_streams_once(z, r, xp, &st);
		if (threads)
			bench_threads_once(z, r, xp, &th);
	}
	bench_streams_medians(r, &st, &th);
	return bench_xpair_close(xp);
}

static void bench_inproc(const struct bench_opts *o, const struct bench_sizes *z,
			 struct bench_results *r)
{
	static struct bench_scale_samples ep;
	double s16[BENCH_MAX_RUNS], s496[BENCH_MAX_RUNS], v[BENCH_EPT_N];
	int n16 = 0, n496 = 0, k, i;
	/* Offered as the Linux transport offers it, unless the build or the user turns it off. */
	uint32_t feat = AMPLINK_CFG_EVENT_IDX && !o->no_event_idx ? VIRTIO_RING_F_EVENT_IDX : 0;

	r->inproc_event_idx = feat != 0 ? 1 : 0;
	memset(&ep, 0, sizeof(ep));
	bench_pin(o->cpu_a);
	for (k = 0; k < o->runs; k++) {
		if (bench_want(o, "stack")) {
			bench_put(r, s16, &n16, bench_stack_ns(16, z->stack_msgs, feat));
			bench_put(r, s496, &n496, bench_stack_ns(496, z->stack_msgs, feat));
		}
		if (!bench_want(o, "endpoints"))
			continue;
		for (i = 0; i < BENCH_EPT_N; i++)
			v[i] = bench_endpoints_rate(bench_ept_counts[i], z->ept_msgs, feat);
		bench_scale_put(r, &ep, v, BENCH_EPT_N);
	}
	r->stack_ns_16 = bench_median(s16, (size_t)n16);
	r->stack_ns_496 = bench_median(s496, (size_t)n496);
	bench_scale_medians(&ep, BENCH_EPT_N, r->ept_rate, r->ept_ratio);
}

/* How many CPUs this process may run on (the sender-thread figures depend on it). */
static int bench_cpus(void)
{
	cpu_set_t set;

	return sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set) : 0;
}

/* Run every wanted group. Returns an exit code. */
static int bench_run(const struct bench_opts *o, struct bench_results *r)
{
	const struct bench_sizes *z = o->quick ? &bench_quick : &bench_full;
	int setup = 0;

	if ((bench_want(o, "floor") || bench_want(o, "rtt")) && bench_rtts(o, z, r) < 0)
		setup = 1;
	if (bench_streams(o, z, r) < 0)
		setup = 1;
	if (bench_want(o, "stack") || bench_want(o, "endpoints"))
		bench_inproc(o, z, r);
	if (setup)
		return BENCH_EXIT_SETUP;
	return r->failures ? BENCH_EXIT_MEAS : BENCH_EXIT_OK;
}

int main(int argc, char **argv)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;
	struct bench_opts o = {.cpu_a = -1, .cpu_b = -1, .stream_mode = AMPLINK_LP_WAIT_POLL};
	static struct bench_results r = {.inproc_event_idx = -1, .xproc_event_idx = -1};
	int ret, i;

	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		bench_usage(stdout);
		return BENCH_EXIT_OK;
	}
	if (bench_parse(argc, argv, &o) < 0) {
		bench_usage(stderr);
		return BENCH_EXIT_USAGE;
	}
	for (i = 0; i < BENCH_FP_N; i++)
		r.footprint[i] = -1;
	if (o.fp_file && bench_read_footprint(o.fp_file, &r) < 0)
		fprintf(stderr, "amplink-bench: no footprint figures in %s\n", o.fp_file);
	r.cpus = bench_cpus(); /* before pinning: the CPUs the machine gives us */
	/* The host side, its threads and the in-process work all run on CPU A. */
	if (bench_pin(o.cpu_a) < 0) {
		fprintf(stderr, "amplink-bench: cannot pin to CPU %d\n", o.cpu_a);
		return BENCH_EXIT_SETUP;
	}
	params.log_level = METAL_LOG_WARNING;
	if (metal_init(&params) != 0)
		return BENCH_EXIT_SETUP;
	ret = bench_run(&o, &r);
	if (o.json)
		bench_print_json(&o, &r);
	else
		bench_print_table(&o, &r);
	metal_finish();
	return ret;
}
