/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host endpoints of the amplink tool: one per name-service announcement of
 * the remote (bound to its address), the slot a round trip waits in, and
 * their teardown when the link goes down. One link per tool process, so the
 * table is static.
 */
#include <stdio.h>
#include <string.h>

#include "tool_rproc.h"

static struct tool_ept tool_epts[TOOL_MAX_EPTS];
static long long tool_first_ns;
static FILE *tool_ept_log;

static int tool_ept_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	struct tool_ept *e = priv;

	(void)ept;
	(void)src;
	if (e->wait_buf && !e->wait_done) {
		e->wait_len = len < e->wait_cap ? len : e->wait_cap;
		memcpy(e->wait_buf, data, e->wait_len);
		e->wait_done = 1;
	}
	return RPMSG_SUCCESS;
}

static void tool_ept_unbind(struct rpmsg_endpoint *ept)
{
	struct tool_ept *e = ept->priv;

	if (tool_ept_log)
		fprintf(tool_ept_log, "remote withdrew %s\n", e->name);
	rpmsg_destroy_ept(ept);
	e->used = 0;
}

/*
 * tool_ept_bind() - ns_bind_cb: create a host endpoint for @name at @dest
 * (the proxy service goes to the proxy host when it is on).
 */
void tool_ept_bind(struct rpmsg_device *rdev, const char *name, uint32_t dest)
{
	int i;

	if (tool_proxy_bind(rdev, name, dest)) {
		if (!tool_first_ns)
			tool_first_ns = tool_now_ns();
		return;
	}
	for (i = 0; i < TOOL_MAX_EPTS && tool_epts[i].used; i++)
		;
	if (i == TOOL_MAX_EPTS)
		return;
	memset(&tool_epts[i], 0, sizeof(tool_epts[i]));
	snprintf(tool_epts[i].name, sizeof(tool_epts[i].name), "%s", name);
	if (rpmsg_create_ept(&tool_epts[i].ept, rdev, tool_epts[i].name, RPMSG_ADDR_ANY, dest,
			     tool_ept_cb, tool_ept_unbind) != RPMSG_SUCCESS)
		return;
	tool_epts[i].ept.priv = &tool_epts[i];
	tool_epts[i].used = 1;
	if (!tool_first_ns)
		tool_first_ns = tool_now_ns();
	if (tool_ept_log)
		fprintf(tool_ept_log, "remote announced %-14s at 0x%x (host endpoint 0x%x)\n", name,
			(unsigned)dest, (unsigned)tool_epts[i].ept.addr);
}

/* tool_ept_down() - link_down callback: destroy every host endpoint. */
void tool_ept_down(struct amplink_lpr *r, void *priv)
{
	(void)r;
	(void)priv;
	tool_ept_drop_all();
}

/* tool_ept_drop_all() - destroy every host endpoint (before the link goes). */
void tool_ept_drop_all(void)
{
	int i;

	tool_proxy_detach();
	for (i = 0; i < TOOL_MAX_EPTS; i++) {
		if (tool_epts[i].used) {
			rpmsg_destroy_ept(&tool_epts[i].ept);
			tool_epts[i].used = 0;
		}
	}
}

/* tool_ept_find() - the bound endpoint named @name (NULL = the first), or NULL. */
struct tool_ept *tool_ept_find(const char *name)
{
	int i;

	for (i = 0; i < TOOL_MAX_EPTS; i++) {
		if (tool_epts[i].used && (!name || !strcmp(tool_epts[i].name, name)))
			return &tool_epts[i];
	}
	return NULL;
}

/* tool_ept_at() - slot @i if bound, else NULL. */
struct tool_ept *tool_ept_at(int i)
{
	return i >= 0 && i < TOOL_MAX_EPTS && tool_epts[i].used ? &tool_epts[i] : NULL;
}

/* tool_ept_count() - bound endpoints. */
int tool_ept_count(void)
{
	int i, n = 0;

	for (i = 0; i < TOOL_MAX_EPTS; i++)
		n += tool_epts[i].used;
	return n;
}

/* tool_ept_first_ns() - when the first announcement arrived (0 = none yet). */
long long tool_ept_first_ns(void)
{
	return tool_first_ns;
}

/* tool_ept_reset_first() - forget it (before a (re)start). */
void tool_ept_reset_first(void)
{
	tool_first_ns = 0;
}

/* tool_ept_set_verbose() - print announcements to @f (NULL = quiet). */
void tool_ept_set_verbose(FILE *f)
{
	tool_ept_log = f;
}
