/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Remote side of the Linux-process backend: at start-up the firmware maps
 * the window its host passed (fd named by AMPLINK_LPR_ENV_FD), finds the
 * table copy and its trace buffer, routes metal log output into the trace
 * ring (errors also still reach stderr), and attaches to the link.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <metal/log.h>

#include "lp_rproc_private.h"

static unsigned char *lpr_rwin;
static size_t lpr_rwin_size;
static void *lpr_ring;
static size_t lpr_ring_len;
static pthread_mutex_t lpr_trace_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *const lpr_level_names[] = {"emerg",	 "alert",  "crit", "error",
					      "warning", "notice", "info", "debug"};

/* Appends one line (a newline is added when missing). */
static void lpr_trace_line(const char *prefix, const char *fmt, va_list ap)
{
	char line[512];
	int n = 0, m;

	if (!lpr_ring)
		return;
	if (prefix)
		n = snprintf(line, sizeof(line), "%s: ", prefix);
	m = vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	if (m < 0)
		return;
	n = (size_t)(n + m) >= sizeof(line) - 1 ? (int)sizeof(line) - 2 : n + m;
	if (n == 0 || line[n - 1] != '\n')
		line[n++] = '\n';
	pthread_mutex_lock(&lpr_trace_lock);
	lpr_trace_append(lpr_ring, lpr_ring_len, line, (size_t)n);
	pthread_mutex_unlock(&lpr_trace_lock);
}

void amplink_lpr_trace_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	lpr_trace_line(NULL, fmt, ap);
	va_end(ap);
}

/* metal log handler: every message to the trace, errors also to stderr. */
static void lpr_log_handler(enum metal_log_level level, const char *format, ...)
{
	va_list ap;
	unsigned int l = (unsigned int)level;

	va_start(ap, format);
	lpr_trace_line(l < 8 ? lpr_level_names[l] : "log", format, ap);
	va_end(ap);
	if (level <= METAL_LOG_ERROR) {
		va_start(ap, format);
		vfprintf(stderr, format, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
}

/* Maps the window named in the environment; no variable is not an error. */
static int lpr_remote_map(void)
{
	const char *v = getenv(AMPLINK_LPR_ENV_FD);
	struct stat st;
	char *end;
	long fd;
	void *p;

	if (!v)
		return 0;
	fd = strtol(v, &end, 10);
	unsetenv(AMPLINK_LPR_ENV_FD);
	if (*end || fd < 0 || fd > 65535 || fstat((int)fd, &st) < 0 ||
	    st.st_size < (off_t)LPR_TABLE_OFF || st.st_size > (off_t)AMPLINK_LPR_WINDOW_SIZE)
		return -EBADF;
	p = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, (int)fd, 0);
	close((int)fd);
	if (p == MAP_FAILED)
		return -errno;
	lpr_rwin = p;
	lpr_rwin_size = (size_t)st.st_size;
	if (lpr_window_trace(lpr_rwin, lpr_rwin_size, &lpr_ring, &lpr_ring_len) == 0)
		metal_set_log_handler(lpr_log_handler);
	return 0;
}

int amplink_lp_remote_from_env(const struct amplink_lp_config *cfg, struct amplink_lp **lp)
{
	int ret = lpr_remote_map();

	if (ret)
		return ret;
	ret = amplink_lp_remote_open(cfg, lp);
	if (ret == 0 && lpr_ring)
		metal_info("remote attached to its host (pid %d, trace %zu bytes)", (int)getpid(),
			   lpr_ring_len);
	return ret;
}

const struct resource_table *amplink_lpr_remote_table(size_t *len)
{
	size_t l;
	const void *t = lpr_window_table(lpr_rwin, lpr_rwin_size, &l);

	if (t && len)
		*len = l;
	return t;
}
