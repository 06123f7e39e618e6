/**
 * @file switchboard/version.h
 * @brief Library version, at compile time and at run time.
 *
 * ABI policy: releases with the same major version are ABI-compatible; the
 * shared library's SONAME carries the major version.
 */
#ifndef SWITCHBOARD_VERSION_H
#define SWITCHBOARD_VERSION_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SB_VERSION_MAJOR 0
#define SB_VERSION_MINOR 1
#define SB_VERSION_PATCH 0
#define SB_VERSION_STRING "0.1.0"
/** The version as one comparable number: major * 10000 + minor * 100 + patch. */
#define SB_VERSION_NUMBER (SB_VERSION_MAJOR * 10000 + SB_VERSION_MINOR * 100 + SB_VERSION_PATCH)

/**
 * The version of the library that is running (which may differ from the
 * headers a program was compiled against).
 *
 * @return SB_VERSION_NUMBER of the running library.
 */
SB_EXTERN int sb_version(void);

/** @return the running library's version as static text, e.g. "0.1.0". */
SB_EXTERN const char *sb_version_string(void);

#ifdef __cplusplus
}
#endif

#endif
