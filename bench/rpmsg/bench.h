/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * amplink-bench: declarations shared by the benchmark's files. The program
 * measures RPMsg latency, throughput and scaling and prints every figure
 * beside a floor measured in the same run (spin and eventfd round trips,
 * memcpy bandwidth), because on a shared machine only the ratio means much.
 *
 * Files: bench_main.c (options, runs, medians), bench_time.c (clock, sorting,
 * CPU pinning), bench_floor.c (the floors), bench_pair.c (an in-process
 * host/remote pair), bench_inproc.c (stack cost, endpoint scaling),
 * bench_xproc.c (cross-process round trips, streams, sender threads),
 * bench_report.c (table, JSON, footprint file).
 */
#ifndef AMPLINK_BENCH_RPMSG_BENCH_H
#define AMPLINK_BENCH_RPMSG_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <amplink/linux_process.h>

/* Exit codes of amplink-bench, those of the `amplink` tool (docs/cli.md, "bench"). */
#define BENCH_EXIT_OK	 0 /* every figure measured (missed targets do not count) */
#define BENCH_EXIT_SETUP 1 /* a pair, region or process could not be set up */
#define BENCH_EXIT_USAGE 2 /* bad command line */
#define BENCH_EXIT_MEAS	 7 /* some measurement failed (lost message, timeout, peer died) */

/* Round-trip variants, in the order of the JSON keys. */
enum bench_rtt {
	BENCH_RTT_POLL_16,
	BENCH_RTT_ADAPTIVE_16,
	BENCH_RTT_BLOCKING_16,
	BENCH_RTT_POLL_496,
	BENCH_RTT_BLOCKING_496,
	BENCH_RTT_N
};

/* One-way stream variants. */
enum bench_stream {
	BENCH_ST_COPY_16,
	BENCH_ST_COPY_128,
	BENCH_ST_COPY_496,
	BENCH_ST_NOCOPY_496,
	BENCH_ST_N
};

/* Endpoint counts and sender thread counts measured. */
#define BENCH_EPT_N    4
#define BENCH_THREAD_N 3
extern const unsigned int bench_ept_counts[BENCH_EPT_N];
extern const unsigned int bench_thread_counts[BENCH_THREAD_N];
extern const char *const bench_rtt_keys[BENCH_RTT_N];
extern const char *const bench_stream_keys[BENCH_ST_N];

/* Footprint figures read from --footprint FILE (bytes); < 0 = absent. */
enum bench_fp {
	BENCH_FP_CM4_AMPLINK_TEXT,
	BENCH_FP_CM4_IMAGE_TEXT,
	BENCH_FP_CM4_IMAGE_DATA,
	BENCH_FP_CM4_IMAGE_BSS,
	BENCH_FP_RV32_AMPLINK_TEXT,
	BENCH_FP_N
};
extern const char *const bench_fp_keys[BENCH_FP_N];

/* Command-line options. */
struct bench_opts {
	bool quick;
	bool json;
	int runs;	     /* measurements per figure; the median is reported */
	int cpu_a, cpu_b;    /* host / remote CPUs, -1 = not pinned */
	const char *fp_file; /* footprint file, NULL = none */
	const char *only; /* run only this group (rtt, floor, stream, stack, endpoints, threads) */
	enum amplink_lp_wait_mode stream_mode; /* both sides of the stream/threads pair */
	bool no_event_idx; /* the in-process pair does not offer VIRTIO_RING_F_EVENT_IDX */
};

/* Every figure (medians over the runs); 0 = not measured. */
struct bench_results {
	double rtt_p50[BENCH_RTT_N], rtt_p99[BENCH_RTT_N];
	double rtt_ratio[BENCH_RTT_N]; /* median of per-run p50 / floor of that run */
	double spin_rtt, eventfd_rtt;
	double stream_mbps[BENCH_ST_N], memcpy_mbps[BENCH_ST_N];
	double stack_ns_16, stack_ns_496;
	double ept_rate[BENCH_EPT_N], thread_rate[BENCH_THREAD_N];
	double ept_ratio[BENCH_EPT_N];	     /* median of per-run rate(N) / rate(1) */
	double thread_ratio[BENCH_THREAD_N]; /* the same for threads */
	/* Per message sent (medians; < 0 = unknown): host notifications, and host sends that had
	 * to wait for a free buffer. */
	double stream_kicks[BENCH_ST_N], thread_kicks[BENCH_THREAD_N];
	double stream_waits[BENCH_ST_N], thread_waits[BENCH_THREAD_N];
	int cpus; /* CPUs this process may run on */
	long long footprint[BENCH_FP_N];
	bool fp_present;
	int inproc_event_idx; /* the in-process pair offered EVENT_IDX: 1, 0, -1 = no pair */
	int xproc_event_idx;  /* the cross-process link negotiated it: 1, 0, -1 = no link */
	int failures;	      /* measurements that failed */
};

/* ---- bench_time.c ---- */

/* bench_now_ns() - CLOCK_MONOTONIC in nanoseconds. */
long long bench_now_ns(void);

/* bench_sort() - sort @n doubles ascending in place. */
void bench_sort(double *v, size_t n);

/* bench_pct() - the @pct percentile (0..100) of @n sorted values; 0 if n == 0. */
double bench_pct(const double *sorted, size_t n, double pct);

/* bench_median() - median of @n values (sorts them in place); 0 if n == 0. */
double bench_median(double *v, size_t n);

/* bench_pin() - pin the calling thread to @cpu (< 0: leave as is). Returns 0 or -errno. */
int bench_pin(int cpu);

/* ---- bench_floor.c ---- */

/*
 * bench_spin_rtt() / bench_eventfd_rtt() - median round trip in ns of one
 * cache line bounced by spinning / an eventfd wake-up, between this process
 * (on @cpu_a) and a forked child (on @cpu_b), over @iters trips bounded by
 * @max_ms. Returns the figure, or a negative value on failure.
 */
double bench_spin_rtt(int iters, int max_ms, int cpu_a, int cpu_b);
double bench_eventfd_rtt(int iters, int max_ms, int cpu_a, int cpu_b);

/*
 * bench_memcpy_mbps() - MB/s (1e6 bytes/s) of copying @msg_len-byte messages
 * into rotating 512-byte slots of a ring of @slots buffers, @total_bytes in
 * all: the floor of a copying stream. Returns the figure (> 0).
 */
double bench_memcpy_mbps(size_t msg_len, unsigned int slots, size_t total_bytes);

/* ---- bench_inproc.c ---- */

/*
 * bench_stack_ns() - in-process cost in ns per @len-byte message, host to
 * remote, both roles in this thread, notifications deferred (no syscalls),
 * @msgs messages; the device offers the ring @features (0 or
 * VIRTIO_RING_F_EVENT_IDX). Returns the figure, or a negative value on failure.
 */
double bench_stack_ns(int len, int msgs, uint32_t features);

/*
 * bench_endpoints_rate() - in-process messages per second from the host to
 * @nept remote endpoints (round robin), @msgs messages of 16 bytes, ring
 * @features as above. Returns the rate, or a negative value on failure.
 */
double bench_endpoints_rate(unsigned int nept, int msgs, uint32_t features);

/* ---- bench_xproc.c ---- */

/* A host with a forked remote that offers an echo and a sink endpoint. */
struct bench_xpair;

/*
 * bench_xpair_open() - create the host side, fork the remote (pinned to
 * @cpu_b) with both sides in @mode, and bind to the remote's endpoints.
 * Returns the pair or NULL (a line on stderr says why).
 */
struct bench_xpair *bench_xpair_open(enum amplink_lp_wait_mode mode, int cpu_b);

/* bench_xpair_event_idx() - 1 if the pair's link negotiated VIRTIO_RING_F_EVENT_IDX, else 0. */
int bench_xpair_event_idx(const struct bench_xpair *xp);

/*
 * bench_xpair_per_msg() - per message of the last stream or threads
 * measurement: *@kicks notifications the host sent, *@waits host sends that
 * waited for a buffer; both < 0 if unknown (failed, no statistics).
 */
void bench_xpair_per_msg(const struct bench_xpair *xp, double *kicks, double *waits);

/* bench_xpair_close() - stop and reap the remote, free the pair. Returns 0 or -1 (remote failed).
 */
int bench_xpair_close(struct bench_xpair *xp);

/*
 * bench_xpair_rtt() - @iters round trips of @len bytes (bounded by @max_ms),
 * every echo checked; *@p50 and *@p99 get the percentiles in ns.
 * Returns 0 or -1.
 */
int bench_xpair_rtt(struct bench_xpair *xp, int len, int iters, int max_ms, double *p50,
		    double *p99);

/*
 * bench_xpair_stream() - send @msgs messages of @len bytes one way (@nocopy:
 * filled in place in the TX buffer), wait until the remote counted them all.
 * Returns MB/s (1e6 payload bytes/s), or a negative value on failure.
 */
double bench_xpair_stream(struct bench_xpair *xp, int len, bool nocopy, int msgs);

/*
 * bench_xpair_threads() - @nthreads threads, each with its own endpoint,
 * send 16-byte messages to the remote's sink concurrently for @ms
 * milliseconds (so all of them send for the whole time: no tail where
 * fewer are left); the sink must have counted every message sent.
 * Returns messages delivered per second (until the sink's count came
 * back), or a negative value on failure.
 */
double bench_xpair_threads(struct bench_xpair *xp, unsigned int nthreads, int ms);

/* ---- bench_report.c ---- */

/* bench_read_footprint() - fill @r->footprint from @path (JSON or key=value). Returns 0 or -1. */
int bench_read_footprint(const char *path, struct bench_results *r);

/* bench_print_table() - the readable table with floors, ratios and targets. */
void bench_print_table(const struct bench_opts *o, const struct bench_results *r);

/* bench_print_json() - one JSON object with every figure, ratio and target. */
void bench_print_json(const struct bench_opts *o, const struct bench_results *r);

#endif /* AMPLINK_BENCH_RPMSG_BENCH_H */
