/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In-process fixture of the proxy tests: the rpmsg harness (host and remote
 * over one memory region), a host proxy service serving a fresh temporary
 * directory, and a client on the remote whose wait hook pumps the harness.
 */
#ifndef AMPLINK_TESTS_PROXY_FIXTURE_H
#define AMPLINK_TESTS_PROXY_FIXTURE_H

#include <amplink/proxy.h>

#include "rpmsg_harness.h"

struct pf {
	struct rh h;
	struct amplink_proxy_host *host;
	struct amplink_proxy_client c;
	char root[64];
	bool no_pump; /* the wait hook delivers nothing (timeouts) */
};

/* pf_setup - bring everything up (@walk: resolve without openat2). Returns 0 or -1. */
int pf_setup(struct pf *f, bool walk, int con_out, int con_in);

/* pf_teardown - take it down and delete the directory tree. */
void pf_teardown(struct pf *f);

/* pf_path - @name under the root, in a static buffer. */
const char *pf_path(const struct pf *f, const char *name);

#endif
