/* SPDX-License-Identifier: BSD-3-Clause */
/* The libmetal API version this layer reports (see <metal/version.h>). */
#include <metal/version.h>

int metal_ver_major(void)
{
	return METAL_VER_MAJOR;
}

int metal_ver_minor(void)
{
	return METAL_VER_MINOR;
}

int metal_ver_patch(void)
{
	return METAL_VER_PATCH;
}

const char *metal_ver(void)
{
	return METAL_VER;
}
