/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Umbrella header: includes the standard OpenAMP headers this library ships
 * (those present in this installation).
 */
#ifndef OPENAMP_OPEN_AMP_H
#define OPENAMP_OPEN_AMP_H

#include <openamp/rpmsg.h>
#include <openamp/rpmsg_virtio.h>
#include <openamp/version.h>
#include <openamp/virtio.h>
#include <openamp/virtqueue.h>

#if defined(__has_include)
#if __has_include(<openamp/remoteproc.h>)
#include <openamp/remoteproc.h>
#endif
#if __has_include(<openamp/remoteproc_virtio.h>)
#include <openamp/remoteproc_virtio.h>
#endif
#if __has_include(<openamp/remoteproc_loader.h>)
#include <openamp/remoteproc_loader.h>
#endif
#if __has_include(<openamp/elf_loader.h>)
#include <openamp/elf_loader.h>
#endif
#if __has_include(<openamp/rpmsg_rpc_client_server.h>)
#include <openamp/rpmsg_rpc_client_server.h>
#endif
#endif

#endif /* OPENAMP_OPEN_AMP_H */
