/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The proxy demo's sequence, shared by every remote that runs it (the
 * Linux-process example examples/proxy_demo.c and `amplink serve
 * --vhost-user SOCK --proxy-demo`): write demo.txt on the host, read it back
 * and compare, list the directory, printing each step on the host's console.
 */
#ifndef AMPLINK_EXAMPLES_PROXY_DEMO_STEPS_H
#define AMPLINK_EXAMPLES_PROXY_DEMO_STEPS_H

#include <amplink/proxy.h>

/* What the demo writes to demo.txt (and expects to read back). */
extern const char proxy_demo_text[];

/* proxy_demo_say - print @msg on the host's console (errors ignored). */
void proxy_demo_say(struct amplink_proxy_client *c, const char *msg);

/*
 * proxy_demo_steps - run the sequence through @c (calls block in @c's wait
 * hook); its last console line is "proxy_demo: ok" or "proxy_demo: FAILED".
 * Not from an rpmsg callback. Returns 0, or the failed step: 1 writing or
 * reading back demo.txt, 2 listing the directory, 3 a path out of the served
 * directory ("../outside.txt") was not refused with EACCES.
 */
int proxy_demo_steps(struct amplink_proxy_client *c);

#endif
