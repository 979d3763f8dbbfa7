/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Version of the OpenAMP API this library implements (the standard's
 * version numbers, so applications that check them keep working).
 */
#ifndef OPENAMP_VERSION_H
#define OPENAMP_VERSION_H

#ifdef __cplusplus
extern "C" {
#endif

#define OPENAMP_VERSION_MAJOR 1
#define OPENAMP_VERSION_MINOR 10
#define OPENAMP_VERSION_PATCH 0
#define OPENAMP_VERSION	      "1.10.0"

/* openamp_version_major - the major version number. */
int openamp_version_major(void);

/* openamp_version_minor - the minor version number. */
int openamp_version_minor(void);

/* openamp_version_patch - the patch level. */
int openamp_version_patch(void);

/* openamp_version - the version as "major.minor.patch". */
const char *openamp_version(void);

#ifdef __cplusplus
}
#endif

#endif /* OPENAMP_VERSION_H */
