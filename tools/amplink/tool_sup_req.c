/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The requests a supervisor answers: status (text or JSON: state, firmware,
 * pid, endpoints with their counters, device statistics), stop, trace,
 * ping, detach. Each answer starts with "<exit-code> <message>\n".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amplink/remoteproc.h>
#include <amplink/rpmsg.h>
#include <metal/utilities.h>
#include <openamp/rpmsg_virtio.h>

#include "commands.h"
#include "tool_rproc.h"

#define TOOL_TRACE_MAX (64U << 10)

/* tool_json_str() - @s as a JSON string (quoted, escaped). */
void tool_json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static int tool_dev_stats(struct tool_sup *s, struct amplink_rpmsg_stats *st)
{
	struct rpmsg_device *rdev = s->be->rpmsg(s->r);

	memset(st, 0, sizeof(*st));
	if (!rdev)
		return -1;
	return amplink_rpmsg_virtio_get_stats(
		metal_container_of(rdev, struct rpmsg_virtio_device, rdev), st);
}

static void tool_status_epts(FILE *out, int json)
{
	struct amplink_rpmsg_ept_stats es;
	int i, first = 1;

	for (i = 0; i < TOOL_MAX_EPTS; i++) {
		struct tool_ept *e = tool_ept_at(i);

		if (!e)
			continue;
		memset(&es, 0, sizeof(es));
		amplink_rpmsg_ept_get_stats(&e->ept, &es);
		if (json) {
			fprintf(out, "%s{\"name\":", first ? "" : ",");
			tool_json_str(out, e->name);
			fprintf(out,
				",\"local\":%u,\"remote\":%u,\"tx_msgs\":%llu,\"rx_msgs\":%llu,"
				"\"tx_bytes\":%llu,\"rx_bytes\":%llu}",
				(unsigned)e->ept.addr, (unsigned)e->ept.dest_addr,
				(unsigned long long)es.tx_msgs, (unsigned long long)es.rx_msgs,
				(unsigned long long)es.tx_bytes, (unsigned long long)es.rx_bytes);
		} else {
			fprintf(out, "  %-16s host 0x%-4x remote 0x%-4x tx %llu rx %llu\n", e->name,
				(unsigned)e->ept.addr, (unsigned)e->ept.dest_addr,
				(unsigned long long)es.tx_msgs, (unsigned long long)es.rx_msgs);
		}
		first = 0;
	}
}

/* Milliseconds from start to the first announcement, or -1. */
static double tool_first_ms(const struct tool_sup *s)
{
	return s->first_msg_ns ? (double)(s->first_msg_ns - s->started_ns) / 1e6 : -1.0;
}

static void tool_status_json(struct tool_sup *s, FILE *out, const char *state)
{
	struct amplink_rpmsg_stats st;

	tool_dev_stats(s, &st);
	fprintf(out, "{\"name\":");
	tool_json_str(out, s->name);
	fprintf(out, ",\"state\":\"%s\",\"firmware\":", state);
	tool_json_str(out, s->be->firmware(s->r));
	fprintf(out,
		",\"backend\":\"%s\",\"pid\":%d,\"recovery\":%s,\"restarts\":%u,"
		"\"first_announce_ms\":%.3f",
		s->be->kind, s->be->pid(s->r), s->recovery ? "true" : "false",
		s->be->restarts(s->r), tool_first_ms(s));
	s->be->status(s->r, out, 1);
	tool_proxy_status(out, 1);
	fprintf(out, ",\"endpoints\":[");
	tool_status_epts(out, 1);
	fprintf(out,
		"],\"stats\":{\"tx_msgs\":%llu,\"rx_msgs\":%llu,\"tx_bytes\":%llu,"
		"\"rx_bytes\":%llu,\"tx_waits\":%llu,\"drops\":%llu}}\n",
		(unsigned long long)st.tx_msgs, (unsigned long long)st.rx_msgs,
		(unsigned long long)st.tx_bytes, (unsigned long long)st.rx_bytes,
		(unsigned long long)st.tx_waits,
		(unsigned long long)(st.drop_bad_len + st.drop_no_ept + st.drop_bad_ns));
}

/* tool_sup_status() - the status of s's remote, text or JSON. */
void tool_sup_status(struct tool_sup *s, FILE *out, int json)
{
	const char *state = amplink_remoteproc_state_name(s->be->rproc(s->r));
	const char *fw = s->be->firmware(s->r);
	struct amplink_rpmsg_stats st;

	if (json) {
		tool_status_json(s, out, state);
		return;
	}
	tool_dev_stats(s, &st);
	fprintf(out, "name:      %s\nstate:     %s\nfirmware:  %s\npid:       %d\n", s->name, state,
		fw[0] ? fw : "(attached)", s->be->pid(s->r));
	fprintf(out, "recovery:  %s, %u restart(s)\n", s->recovery ? "enabled" : "disabled",
		s->be->restarts(s->r));
	if (tool_first_ms(s) >= 0)
		fprintf(out, "first announcement %.3f ms after start\n", tool_first_ms(s));
	s->be->status(s->r, out, 0);
	tool_proxy_status(out, 0);
	fprintf(out, "endpoints: %d\n", tool_ept_count());
	tool_status_epts(out, 0);
	fprintf(out, "messages:  tx %llu (%llu bytes) rx %llu (%llu bytes), drops %llu\n",
		(unsigned long long)st.tx_msgs, (unsigned long long)st.tx_bytes,
		(unsigned long long)st.rx_msgs, (unsigned long long)st.rx_bytes,
		(unsigned long long)(st.drop_bad_len + st.drop_no_ept + st.drop_bad_ns));
}

static int tool_req_trace(struct tool_sup *s, FILE *out)
{
	char *buf = malloc(TOOL_TRACE_MAX);
	long n;

	if (!buf) {
		fprintf(out, "%d out of memory\n", AMPLINK_EXIT_FAILURE);
		return AMPLINK_EXIT_FAILURE;
	}
	n = s->be->trace(s->r, buf, TOOL_TRACE_MAX);
	if (n < 0) {
		fprintf(out, "%d no trace buffer (%s)\n", AMPLINK_EXIT_STATE,
			s->be->strerror((int)n));
		free(buf);
		return AMPLINK_EXIT_STATE;
	}
	fprintf(out, "0 ok\n%s", buf);
	free(buf);
	return AMPLINK_EXIT_OK;
}

static int tool_req_ping(struct tool_sup *s, const char *args, FILE *out)
{
	struct tool_ping_result res;
	char ept[RPMSG_NAME_SIZE] = "";
	unsigned long size = 0, count = 0;
	struct tool_ept *e;
	int ret;

	if (sscanf(args, "%lu %lu %31s", &size, &count, ept) < 2 || size == 0 || count == 0) {
		fprintf(out, "%d bad ping request\n", AMPLINK_EXIT_USAGE);
		return AMPLINK_EXIT_USAGE;
	}
	if (s->be->rproc(s->r)->state != RPROC_RUNNING) {
		fprintf(out, "%d the remote is %s\n", AMPLINK_EXIT_STATE,
			amplink_remoteproc_state_name(s->be->rproc(s->r)));
		return AMPLINK_EXIT_STATE;
	}
	e = tool_ept_find(ept[0] && strcmp(ept, "-") ? ept : "rpmsg-echo");
	if (!e)
		e = tool_ept_find(NULL);
	if (!e || !s->be->rpmsg(s->r)) {
		fprintf(out, "%d no endpoint to ping (state %s)\n", AMPLINK_EXIT_STATE,
			amplink_remoteproc_state_name(s->be->rproc(s->r)));
		return AMPLINK_EXIT_STATE;
	}
	ret = tool_ping(s->be->pump, s->r, e, size, (unsigned int)count, &res);
	if (ret || res.errors) {
		fprintf(out, "%d %u of %lu round trips failed%s\n",
			ret == -ETIMEDOUT ? AMPLINK_EXIT_TIMEOUT : AMPLINK_EXIT_PEER, res.errors,
			count, ret ? " (link lost or timed out)" : "");
		tool_ping_print(out, e->name, size, &res);
		return ret == -ETIMEDOUT ? AMPLINK_EXIT_TIMEOUT : AMPLINK_EXIT_PEER;
	}
	fprintf(out, "0 ok\n");
	tool_ping_print(out, e->name, size, &res);
	return AMPLINK_EXIT_OK;
}

static int tool_req_stop(struct tool_sup *s, FILE *out)
{
	int ret = s->be->stop(s->r);

	if (ret == -EOPNOTSUPP) {
		fprintf(out, "%d attached remote: use 'amplink detach %s'\n", AMPLINK_EXIT_STATE,
			s->name);
		return AMPLINK_EXIT_STATE;
	}
	fprintf(out, "0 ok\n");
	s->be->stopped(s->r, s->name, out);
	s->quit = 1;
	return AMPLINK_EXIT_OK;
}

/*
 * tool_sup_handle() - answer request @req into @out; *@code gets the exit
 * code. Returns *@code.
 */
int tool_sup_handle(struct tool_sup *s, const char *req, FILE *out, int *code)
{
	int ret = AMPLINK_EXIT_OK;

	if (!strcmp(req, "status") || !strcmp(req, "status-json")) {
		fprintf(out, "0 ok\n");
		tool_sup_status(s, out, req[6] == '-');
	} else if (!strcmp(req, "trace")) {
		ret = tool_req_trace(s, out);
	} else if (!strncmp(req, "ping ", 5)) {
		ret = tool_req_ping(s, req + 5, out);
	} else if (!strcmp(req, "stop")) {
		ret = tool_req_stop(s, out);
	} else if (!strcmp(req, "detach")) {
		ret = s->be->detach(s->r) ? AMPLINK_EXIT_STATE : AMPLINK_EXIT_OK;
		if (ret)
			fprintf(out, "%d not attached: a started remote is stopped, not detached\n",
				ret);
		else
			fprintf(out, "0 ok\n");
		s->quit = !ret;
	} else {
		ret = AMPLINK_EXIT_USAGE;
		fprintf(out, "%d unknown request '%s'\n", ret, req);
	}
	*code = ret;
	return ret;
}
