/**
 * @file switchboard/common.h
 * @brief Types and macros shared by every switchboard header.
 *
 * Threads: nothing here has state.
 */
#ifndef SWITCHBOARD_COMMON_H
#define SWITCHBOARD_COMMON_H

#include <stddef.h>
#include <stdint.h>

/** Marks a function exported from the shared library. Everything else is hidden. */
#if defined(_WIN32) && defined(SB_BUILDING_SHARED)
#define SB_EXTERN __declspec(dllexport)
#elif defined(__GNUC__) && __GNUC__ >= 4
#define SB_EXTERN __attribute__((visibility("default")))
#else
#define SB_EXTERN
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** Identifier of a stored object (practice row, teammate, audit row, ...). Always > 0 when valid. */
typedef int64_t sb_id;

/** The actor that stands for the library or the host itself, not a person. */
#define SB_ACTOR_SYSTEM ((sb_id)0)

/** Bytes of a master key (XChaCha20-Poly1305 / crypto_kdf key size). */
#define SB_KEY_BYTES 32u

/** SB_KEY_BYTES as a function, for bindings that cannot read macros. */
SB_EXTERN size_t sb_key_bytes(void);

#ifdef __cplusplus
}
#endif

#endif
