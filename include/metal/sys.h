/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * System-wide state of the metal layer: the basic address/irq types, the
 * "bad" sentinels, the init parameters and metal_init/metal_finish (which
 * call the port's metal_sys_init/metal_sys_finish).
 */
#ifndef METAL_SYS_H
#define METAL_SYS_H

#include <amplink/config.h>
#include <metal/list.h>
#include <metal/log.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A physical (bus/device) address. */
typedef unsigned long metal_phys_addr_t;
/* An interrupt: a vector number on bare metal, a file descriptor on Linux. */
typedef int metal_irq_t;

#define METAL_BAD_PHYS	 ((metal_phys_addr_t)-1)
#define METAL_BAD_OFFSET ((unsigned long)-1)
#define METAL_BAD_VA	 ((void *)-1)
#define METAL_BAD_IRQ	 ((metal_irq_t)-1)

/* What metal_init configures. */
struct metal_init_params {
	metal_log_handler log_handler;	/* NULL: no log output */
	enum metal_log_level log_level; /* messages above it are dropped */
};

/*
 * The default log handler: the port's, or none when logging is compiled out
 * (AMPLINK_CFG_LOG_LEVEL < 0), so that the formatter is not linked.
 */
#if AMPLINK_CFG_LOG_LEVEL < 0
#define AMPLINK_DEFAULT_LOG_HANDLER NULL
#else
#define AMPLINK_DEFAULT_LOG_HANDLER metal_default_log_handler
#endif

/* Default log handler, level INFO. */
#define METAL_INIT_DEFAULTS                                                                        \
	{                                                                                          \
		.log_handler = AMPLINK_DEFAULT_LOG_HANDLER, .log_level = METAL_LOG_INFO,           \
	}

/* State shared by every port. Valid (statically initialised) before init. */
struct metal_common_state {
	enum metal_log_level log_level;
	metal_log_handler log_handler;
	struct metal_list bus_list;
	struct metal_list generic_shmem_list;
	struct metal_list generic_device_list;
	int ref_count;
};

/* The single instance of the common state. */
extern struct metal_common_state amplink_metal_common;

/*
 * metal_init - initialise the metal layer (log settings, port, generic bus).
 * Reference-counted: only the first call does the work and the last
 * metal_finish undoes it; later calls keep the first call's parameters. Not
 * thread-safe against concurrent init/finish. params may be NULL (defaults).
 * Returns 0 or a negative errno from the port.
 */
int metal_init(const struct metal_init_params *params);

/* metal_finish - drop one metal_init reference; the last one cleans up. */
void metal_finish(void);

/*
 * metal_sys_init - port hook run by the first metal_init. Returns 0 or a
 * negative errno.
 */
int metal_sys_init(const struct metal_init_params *params);

/* metal_sys_finish - port hook run by the last metal_finish. */
void metal_sys_finish(void);

#ifdef __cplusplus
}
#endif

#endif /* METAL_SYS_H */
