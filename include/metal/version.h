/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Version of the libmetal API this layer implements (1.10.0, so code written
 * for libmetal 1.10 accepts it).
 */
#ifndef METAL_VERSION_H
#define METAL_VERSION_H

#ifdef __cplusplus
extern "C" {
#endif

#define METAL_VER_MAJOR 1
#define METAL_VER_MINOR 10
#define METAL_VER_PATCH 0
#define METAL_VER	"1.10.0"

/* metal_ver_major - Returns the major version number. Any context. */
int metal_ver_major(void);
/* metal_ver_minor - Returns the minor version number. Any context. */
int metal_ver_minor(void);
/* metal_ver_patch - Returns the patch level. Any context. */
int metal_ver_patch(void);
/* metal_ver - Returns the version as a static "major.minor.patch" string. */
const char *metal_ver(void);

#ifdef __cplusplus
}
#endif

#endif /* METAL_VERSION_H */
