/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * amplink extensions to remoteproc: precise error codes for the ELF loader
 * and the resource-table parser, the expected-machine check, attach/detach to
 * a remote that is already running, crash reporting and recovery (restart
 * with the same firmware), and the Linux sysfs name of a remoteproc's state.
 */
#ifndef AMPLINK_REMOTEPROC_H
#define AMPLINK_REMOTEPROC_H

#include <stddef.h>
#include <openamp/remoteproc.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Error codes beyond the standard RPROC_* ones. Like those they are positive
 * numbers returned negated (e.g. -AMPLINK_RPROC_ERR_ELF_MAGIC).
 */
#define AMPLINK_RPROC_ERR_STATE		  (RPROC_EMAX + 1)  /* not allowed in this state */
#define AMPLINK_RPROC_ERR_ELF_TRUNC	  (RPROC_EMAX + 2)  /* image shorter than a header */
#define AMPLINK_RPROC_ERR_ELF_MAGIC	  (RPROC_EMAX + 3)  /* not "\177ELF" */
#define AMPLINK_RPROC_ERR_ELF_CLASS	  (RPROC_EMAX + 4)  /* neither ELF32 nor ELF64 */
#define AMPLINK_RPROC_ERR_ELF_DATA	  (RPROC_EMAX + 5)  /* not little-endian */
#define AMPLINK_RPROC_ERR_ELF_MACHINE	  (RPROC_EMAX + 6)  /* e_machine not the expected one */
#define AMPLINK_RPROC_ERR_ELF_HDR	  (RPROC_EMAX + 7)  /* bad type, version or sizes */
#define AMPLINK_RPROC_ERR_ELF_PHDR	  (RPROC_EMAX + 8)  /* program header table bad */
#define AMPLINK_RPROC_ERR_ELF_SHDR	  (RPROC_EMAX + 9)  /* section headers / names bad */
#define AMPLINK_RPROC_ERR_ELF_SEG_RANGE	  (RPROC_EMAX + 10) /* segment overflows / outside file */
#define AMPLINK_RPROC_ERR_ELF_SEG_OVERLAP (RPROC_EMAX + 11) /* two PT_LOAD segments overlap */
#define AMPLINK_RPROC_ERR_ELF_SEG_NOMEM	  (RPROC_EMAX + 12) /* segment outside target memory */
#define AMPLINK_RPROC_ERR_ELF_NO_SEG	  (RPROC_EMAX + 13) /* no loadable segment */
#define AMPLINK_RPROC_ERR_RSC_OFFSET	  (RPROC_EMAX + 14) /* entry offset outside the table */
#define AMPLINK_RPROC_ERR_RSC_ENTRY	  (RPROC_EMAX + 15) /* entry runs past the table */
#define AMPLINK_RPROC_ERR_RSC_VRING	  (RPROC_EMAX + 16) /* vring num/align invalid */
#define AMPLINK_RPROC_ERR_RSC_RANGE	  (RPROC_EMAX + 17) /* absurd length, address wraps */
#define AMPLINK_RPROC_ERR_RSC_MAP	  (RPROC_EMAX + 18) /* memory could not be mapped */
#define AMPLINK_RPROC_ERR_IMG_STORE	  (RPROC_EMAX + 19) /* image store failed / short */
#define AMPLINK_RPROC_ERR_RSC_NOTIFYID	  (RPROC_EMAX + 20) /* notify id taken / none free */

/**
 * amplink_remoteproc_set_machine - refuse images built for another CPU
 * @rproc: the remote processor
 * @machine: expected ELF e_machine (EM_ARM, EM_RISCV, ...), 0 = accept any
 *
 * Takes effect on the next remoteproc_load / remoteproc_load_noblock.
 * Returns 0, or -RPROC_EINVAL when @rproc is NULL.
 */
int amplink_remoteproc_set_machine(struct remoteproc *rproc, unsigned int machine);

/**
 * amplink_remoteproc_attach - take charge of a remote that is already running
 * @rproc: remote processor in OFFLINE or READY state (or detached)
 *
 * Nothing is loaded or started: the remote runs firmware someone else
 * booted. The resource table, if any, is given beforehand with
 * remoteproc_set_rsc_table. Takes the rproc lock; may not be called from an
 * interrupt handler. Returns 0 (state RUNNING, sysfs name "attached") or
 * -AMPLINK_RPROC_ERR_STATE.
 */
int amplink_remoteproc_attach(struct remoteproc *rproc);

/**
 * amplink_remoteproc_detach - let go of a running remote without stopping it
 * @rproc: remote processor in RUNNING state with no virtio device left
 *
 * The remote keeps running; the rproc goes to OFFLINE with sysfs name
 * "detached" and can be attached again. Takes the rproc lock.
 * Returns 0, -AMPLINK_RPROC_ERR_STATE, or -RPROC_EAGAIN while virtio
 * devices created with remoteproc_create_virtio still exist.
 */
int amplink_remoteproc_detach(struct remoteproc *rproc);

/**
 * amplink_remoteproc_crashed - report that the remote crashed
 * @rproc: remote processor in RUNNING or SUSPENDED state
 *
 * Moves it to RPROC_ERROR (sysfs "crashed") and logs one line. Does not
 * restart it: a thread that may sleep calls amplink_remoteproc_recover.
 * Takes the rproc lock (not from a hard interrupt handler on Linux).
 * Returns 1 when recovery is enabled, 0 when not, -AMPLINK_RPROC_ERR_STATE
 * when the remote was not running.
 */
int amplink_remoteproc_crashed(struct remoteproc *rproc);

/**
 * amplink_remoteproc_set_recovery - enable or disable crash recovery
 * @rproc: the remote processor
 * @enabled: non-zero to enable (the default is disabled)
 *
 * Returns 0, or -RPROC_EINVAL when @rproc is NULL.
 */
int amplink_remoteproc_set_recovery(struct remoteproc *rproc, int enabled);

/**
 * amplink_remoteproc_recover - restart a crashed remote with the same firmware
 * @rproc: remote processor in RPROC_ERROR state, recovery enabled, loaded
 *         earlier with remoteproc_load (whose store must still be valid)
 *
 * Stops the remote, forgets the old resource table, configures it again with
 * the same config data, reloads the same image through the same store and
 * starts it. The caller removes its virtio devices first and creates them
 * again afterwards. May sleep (it calls the platform ops).
 * Returns 0 (state RUNNING), -AMPLINK_RPROC_ERR_STATE, -RPROC_EAGAIN (virtio
 * devices left), -RPROC_EINVAL (recovery disabled or no firmware recorded),
 * or the error of the failing step (the state is then RPROC_ERROR).
 */
int amplink_remoteproc_recover(struct remoteproc *rproc);

/**
 * amplink_remoteproc_state_name - the remote's state in Linux sysfs words
 * @rproc: the remote processor (NULL gives "invalid")
 *
 * Lock-free read, any context. Returns "offline", "suspended", "running",
 * "crashed", "attached", "detached" or "invalid"; never NULL.
 */
const char *amplink_remoteproc_state_name(const struct remoteproc *rproc);

/**
 * amplink_elf_set_image_len - tell the ELF loader the image's total length
 * @img_info: loader state from elf_load_header
 * @len: image length in bytes (0 = unknown)
 *
 * With a known length the loader refuses tables, segments and sections that
 * lie beyond the end of the file before anything is written.
 * Returns 0, or -RPROC_EINVAL when @img_info is NULL.
 */
int amplink_elf_set_image_len(void *img_info, size_t len);

/**
 * amplink_elf_get_machine - e_machine of a parsed ELF header
 * @img_info: loader state with the ELF header parsed
 *
 * Returns e_machine, or -RPROC_EINVAL when no ELF header is parsed yet.
 */
int amplink_elf_get_machine(void *img_info);

#ifdef __cplusplus
}
#endif

#endif /* AMPLINK_REMOTEPROC_H */
