/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private to the remoteproc core: the amplink flag bits kept in struct
 * remoteproc, the unlocked lifecycle steps the public calls and crash
 * recovery share, and the storage of the parsed resource-table copy.
 */
#ifndef AMPLINK_RPROC_LIFECYCLE_H
#define AMPLINK_RPROC_LIFECYCLE_H

#include <stddef.h>
#include <amplink/config.h>
#include <openamp/remoteproc.h>
#include <openamp/remoteproc_loader.h>

/* struct remoteproc_amplink.flags */
#define AMPLINK_RPROC_F_ATTACHED 0x1u /* running remote we did not start */
#define AMPLINK_RPROC_F_DETACHED 0x2u /* let go of while running */
#define AMPLINK_RPROC_F_RECOVERY 0x4u /* restart after a crash */

/* Largest resource table accepted: AMPLINK_CFG_RSC_TABLE_MAX in <amplink/config.h>. */

/* remoteproc_load_noblock phases (struct remoteproc_amplink.load_phase) */
enum rproc_load_phase {
	RPROC_PHASE_IDLE = 0,
	RPROC_PHASE_HEADERS,
	RPROC_PHASE_RSC,
	RPROC_PHASE_DATA,
};

/* rproc_rsc_copy_get - private buffer of @size bytes for the table copy, or NULL. */
void *rproc_rsc_copy_get(struct remoteproc *rproc, size_t size);

/* rproc_rsc_copy_put - release the table copy of @rproc (if any). */
void rproc_rsc_copy_put(struct remoteproc *rproc);

/* rproc_forget_rsc - drop the resource table, its copy and the notify ids. Lock held. */
void rproc_forget_rsc(struct remoteproc *rproc);

/*
 * rproc_rsc_target_ok - the parsed table's address maps to target memory
 * (checked before any segment is written). Returns 0 or -error.
 */
int rproc_rsc_target_ok(struct remoteproc *rproc);

/* rproc_rsc_install - copy the parsed table into the loaded image. Returns 0 or -error. */
int rproc_rsc_install(struct remoteproc *rproc);

/* rproc_check_machine - the image's e_machine is the expected one. Returns 0 or -error. */
int rproc_check_machine(struct remoteproc *rproc, void *img_info);

/* rproc_load_locked - remoteproc_load with the lock held. Returns 0 or -error. */
int rproc_load_locked(struct remoteproc *rproc, const char *path, void *store,
		      const struct image_store_ops *store_ops, void **img_info);

/* rproc_config_locked - remoteproc_config with the lock held. Returns 0 or -error. */
int rproc_config_locked(struct remoteproc *rproc, void *data);

/* rproc_start_locked - remoteproc_start with the lock held. Returns 0 or -error. */
int rproc_start_locked(struct remoteproc *rproc);

#endif /* AMPLINK_RPROC_LIFECYCLE_H */
