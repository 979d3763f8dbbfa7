/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Loading a firmware for the tool: check the file first so the message
 * names the cause exactly (missing, not a regular file, not readable, not
 * ELF, wrong class), then create the remote and load it through remoteproc
 * (whose own messages name a bad table entry), with a progress line for
 * images over 1 MB.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <amplink/remoteproc.h>

#include "commands.h"
#include "tool_rproc.h"

/* tool_exit_for() - the exit code for a backend error. */
int tool_exit_for(int err)
{
	if (err == -ENOENT)
		return AMPLINK_EXIT_NOENT;
	if (err == -ENODATA || err == -ENOMSG || err == -E2BIG ||
	    (AMPLINK_LPR_IS_RPROC_ERR(err) &&
	     err != AMPLINK_LPR_RPROC_ERR(AMPLINK_RPROC_ERR_STATE)))
		return AMPLINK_EXIT_BADIMAGE;
	if (err == AMPLINK_LPR_RPROC_ERR(AMPLINK_RPROC_ERR_STATE))
		return AMPLINK_EXIT_STATE;
	if (err == -ETIMEDOUT)
		return AMPLINK_EXIT_TIMEOUT;
	return AMPLINK_EXIT_FAILURE;
}

static int tool_precheck_fail(const char *fw, const char *why, int code)
{
	fprintf(stderr, "amplink: %s: %s\n", fw, why);
	return code;
}

/* Checks the file and its ELF identification; returns an exit code. */
static int tool_precheck(const char *fw)
{
	unsigned char id[EI_NIDENT];
	struct stat st;
	ssize_t n;
	int fd;

	if (stat(fw, &st) < 0)
		return tool_precheck_fail(fw, errno == ENOENT ? "no such file" : strerror(errno),
					  errno == ENOENT ? AMPLINK_EXIT_NOENT
							  : AMPLINK_EXIT_FAILURE);
	if (!S_ISREG(st.st_mode))
		return tool_precheck_fail(fw, "not a regular file", AMPLINK_EXIT_BADIMAGE);
	fd = open(fw, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return tool_precheck_fail(fw, strerror(errno), AMPLINK_EXIT_FAILURE);
	n = read(fd, id, sizeof(id));
	close(fd);
	if (n < (ssize_t)sizeof(id) || memcmp(id, ELFMAG, SELFMAG) != 0)
		return tool_precheck_fail(fw, "not an ELF file", AMPLINK_EXIT_BADIMAGE);
	if (id[EI_CLASS] != (sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32)) {
		fprintf(stderr,
			"amplink: %s: wrong ELF class (%s), this host runs %d-bit programs\n", fw,
			id[EI_CLASS] == ELFCLASS32   ? "32-bit"
			: id[EI_CLASS] == ELFCLASS64 ? "64-bit"
						     : "invalid",
			(int)sizeof(void *) * 8);
		return AMPLINK_EXIT_BADIMAGE;
	}
	if (access(fw, X_OK) < 0)
		return tool_precheck_fail(fw, "not executable", AMPLINK_EXIT_BADIMAGE);
	return AMPLINK_EXIT_OK;
}

static void tool_progress(size_t done, size_t total, void *priv)
{
	(void)priv;
	if (isatty(2))
		fprintf(stderr, "\rloading: %3u%% (%zu of %zu KB)%s",
			(unsigned)(done * 100 / total), done >> 10, total >> 10,
			done == total ? "\n" : "");
	else if (done == total)
		fprintf(stderr, "loading: 100%% (%zu KB)\n", total >> 10);
}

/* The e_machine of the programs this host runs. */
static unsigned int tool_host_machine(void)
{
#if defined(__x86_64__)
	return EM_X86_64;
#elif defined(__aarch64__)
	return EM_AARCH64;
#elif defined(__i386__)
	return EM_386;
#elif defined(__arm__)
	return EM_ARM;
#elif defined(__riscv)
	return EM_RISCV;
#else
	return 0;
#endif
}

/*
 * tool_load() - check, create and load the remote described by @o. Prints
 * the error. Returns an exit code; on AMPLINK_EXIT_OK *@out is set.
 */
int tool_load(const struct tool_load_opts *o, struct amplink_lpr **out)
{
	struct amplink_lpr_config cfg;
	struct amplink_lpr *r;
	int ret = tool_precheck(o->firmware);

	if (ret != AMPLINK_EXIT_OK)
		return ret;
	amplink_lpr_config_init(&cfg);
	cfg.name = o->name;
	cfg.args = o->args;
	cfg.ns_bind_cb = tool_ept_bind;
	cfg.link_down = tool_ept_down;
	cfg.progress = tool_progress;
	ret = amplink_lpr_create(&cfg, &r);
	if (ret) {
		fprintf(stderr, "amplink: cannot create remote '%s': %s\n", o->name,
			strerror(-ret));
		return AMPLINK_EXIT_FAILURE;
	}
	amplink_remoteproc_set_machine(amplink_lpr_remoteproc(r), tool_host_machine());
	ret = amplink_lpr_load(r, o->firmware);
	if (ret) {
		fprintf(stderr, "amplink: %s: %s\n", o->firmware, amplink_lpr_strerror(ret));
		amplink_lpr_destroy(r);
		return tool_exit_for(ret);
	}
	if (o->recovery)
		amplink_lpr_set_recovery(r, 1);
	*out = r;
	return AMPLINK_EXIT_OK;
}
