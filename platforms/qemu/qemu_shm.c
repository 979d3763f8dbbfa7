/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The shared RAM of the emulated board: a 16 MiB file in /dev/shm that QEMU uses
 * as the board's RAM (memory-backend-file, share=on) and the host maps. File
 * offset 0 is guest address cfg.ram_base. The file is unlinked at once: QEMU
 * opens it through the descriptor it inherits (/proc/self/fd/N), so nothing is
 * left behind in /dev/shm even when the host is killed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <metal/log.h>

#include "qemu_private.h"

int qemu_shm_create(struct amplink_qemu *q)
{
	static unsigned int seq;
	int fd;

	snprintf(q->shm_path, sizeof(q->shm_path), "/dev/shm/amplink-qemu-%d-%u", (int)getpid(),
		 seq++);
	fd = open(q->shm_path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		metal_err("qemu: cannot create %s: %s", q->shm_path, strerror(errno));
		return -RPROC_ENOMEM;
	}
	if (ftruncate(fd, QEMU_RAM_SIZE) != 0) {
		metal_err("qemu: cannot size %s: %s", q->shm_path, strerror(errno));
		close(fd);
		unlink(q->shm_path);
		return -RPROC_ENOMEM;
	}
	q->ram = mmap(NULL, QEMU_RAM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	unlink(q->shm_path);
	if (q->ram == MAP_FAILED) {
		metal_err("qemu: cannot map %s: %s", q->shm_path, strerror(errno));
		q->ram = NULL;
		close(fd);
		return -RPROC_ENOMEM;
	}
	q->shm_fd = fd;
	snprintf(q->shm_path, sizeof(q->shm_path), "/proc/self/fd/%d", fd);
	return 0;
}

void qemu_shm_destroy(struct amplink_qemu *q)
{
	if (q->ram) {
		munmap(q->ram, QEMU_RAM_SIZE);
		q->ram = NULL;
		close(q->shm_fd);
		q->shm_fd = -1;
	}
}
