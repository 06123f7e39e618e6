/*
 * Cryptography over libsodium. Internal.
 *
 * A practice's keys are derived from the host's master key with crypto_kdf,
 * selected by the practice's random key_id, one subkey per purpose, so a leak
 * of one purpose's key reveals nothing of another's and practices never share
 * a key. Keys live in guarded, locked memory and are wiped on free.
 */
#ifndef SB_CRYPTO_H
#define SB_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "switchboard/common.h"

#define SB_HASH_BYTES 32u
/* Sealed size = nonce + ciphertext + tag. */
#define SB_SEAL_OVERHEAD (24u + 16u)

typedef struct sb_keys sb_keys;

/* Initialise libsodium; safe to call any number of times from any thread. */
int sb_crypto_init(void);

int sb_keys_derive(sb_keys **out, const unsigned char *master, uint64_t key_id);
void sb_keys_free(sb_keys *keys);

/* Seal `len` bytes into `out` (len + SB_SEAL_OVERHEAD bytes). The associated
 * data names the table, column and row, so a sealed value only opens where it
 * was written. */
void sb_seal(const sb_keys *keys, unsigned char *out, const void *plain, size_t len,
             const char *table, const char *column, sb_id row);
/* Open `len` sealed bytes into `out` (len - SB_SEAL_OVERHEAD bytes).
 * SB_ECRYPTO when the value was altered, moved or sealed with another key. */
int sb_unseal(const sb_keys *keys, unsigned char *out, const unsigned char *sealed, size_t len,
              const char *table, const char *column, sb_id row);

/* A keyed blind index of `value` within `domain` ("phone", "email"), so equal
 * values can be found without storing them in clear. */
void sb_blind_index(const sb_keys *keys, unsigned char out[SB_HASH_BYTES], const char *domain,
                    const void *value, size_t len);

/* The audit chain's hash: keyed with the practice's audit key when there is
 * one, plain BLAKE2b otherwise (keys may be NULL). */
typedef struct sb_chain_hasher {
	unsigned char state[384]; /* >= sizeof(crypto_generichash_state), checked in crypto.c */
} sb_chain_hasher;
void sb_chain_start(sb_chain_hasher *h, const sb_keys *keys);
void sb_chain_add(sb_chain_hasher *h, const void *data, size_t len);
void sb_chain_add_i64(sb_chain_hasher *h, int64_t v);
void sb_chain_add_str(sb_chain_hasher *h, const char *s);
void sb_chain_end(sb_chain_hasher *h, unsigned char out[SB_HASH_BYTES]);

uint64_t sb_random_u64(void);
/* `nbytes` random bytes as unpadded base64url into out (cap >= 4*nbytes/3 + 2). */
int sb_random_token(char *out, size_t cap, size_t nbytes);
/* A uniformly random six-digit code, "000000".."999999". */
void sb_random_code6(char out[7]);

#endif
