/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private to the proxy server: what its transport bindings (rpmsg endpoint in
 * proxy_rpmsg.c, I/O callback in proxy_server.c) share when they start one.
 */
#ifndef AMPLINK_SRC_SERVICES_PROXY_SERVER_H
#define AMPLINK_SRC_SERVICES_PROXY_SERVER_H

#include <amplink/proxy.h>

/*
 * proxy_server_reset - clear @s's endpoint, reassembly and counters and set
 * its handler, @gone hook and @priv, before a binding sets how replies leave.
 * The server must not be up.
 */
void proxy_server_reset(struct amplink_proxy_server *s, amplink_proxy_handler_fn handler,
			amplink_proxy_gone_fn gone, void *priv);

#endif
