/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The proxy tests' in-process fixture (see proxy_fixture.h).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proxy_fixture.h"

static struct pf *pf_cur;

static void pf_bind(struct rpmsg_device *rdev, const char *name, uint32_t dest)
{
	if (pf_cur && !strcmp(name, AMPLINK_PROXY_SERVICE_NAME))
		amplink_proxy_host_attach(pf_cur->host, rdev, dest);
}

static int pf_wait(void *arg, uint32_t slice_us)
{
	struct pf *f = arg;

	if (f->no_pump || rh_pump(&f->h) == 0)
		usleep(slice_us / 10);
	return 0;
}

int pf_setup(struct pf *f, bool walk, int con_out, int con_in)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->root, sizeof(f->root), "/tmp/proxytest.XXXXXX");
	if (!mkdtemp(f->root))
		return -1;
	if (amplink_proxy_host_create(f->root, con_out, con_out, con_in, &f->host))
		return -1;
	amplink_proxy_host_set_walk(f->host, walk);
	pf_cur = f;
	if (rh_init(&f->h, 256, true, pf_bind, NULL)) {
		fprintf(stderr, "rh_init failed\n");
		return -1;
	}
	if (amplink_proxy_client_init(&f->c, &f->h.remote.rvdev.rdev, pf_wait, f))
		return -1;
	rh_pump(&f->h);
	if (f->c.ept.dest_addr == RPMSG_ADDR_ANY)
		fprintf(stderr, "pf_setup: client not bound (host up %d)\n",
			amplink_proxy_host_open_count(f->host));
	return f->c.ept.dest_addr == RPMSG_ADDR_ANY ? -1 : 0;
}

void pf_teardown(struct pf *f)
{
	char cmd[128];

	amplink_proxy_client_deinit(&f->c);
	rh_pump(&f->h);
	rh_fini(&f->h);
	amplink_proxy_host_destroy(f->host);
	pf_cur = NULL;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->root);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", f->root);
}

const char *pf_path(const struct pf *f, const char *name)
{
	static char buf[512];

	snprintf(buf, sizeof(buf), "%s/%s", f->root, name);
	return buf;
}
