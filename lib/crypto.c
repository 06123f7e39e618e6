#include "crypto.h"

#include <sodium.h>
#include <string.h>

#include "switchboard/errors.h"

_Static_assert(sizeof(((sb_chain_hasher *)0)->state) >= sizeof(crypto_generichash_state),
               "sb_chain_hasher too small for crypto_generichash_state");
_Static_assert(SB_KEY_BYTES == crypto_kdf_KEYBYTES, "master key size");
_Static_assert(SB_SEAL_OVERHEAD == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES +
                                   crypto_aead_xchacha20poly1305_ietf_ABYTES, "seal overhead");

#define SUBKEY_BYTES 32u

struct sb_keys {
	unsigned char seal[SUBKEY_BYTES];
	unsigned char blind[SUBKEY_BYTES];
	unsigned char audit[SUBKEY_BYTES];
};

size_t sb_key_bytes(void)
{
	return SB_KEY_BYTES;
}

/* sodium_init() is itself thread-safe (libsodium >= 1.0.11). */
int sb_crypto_init(void)
{
	return sodium_init() < 0 ? SB_ERROR : SB_OK;
}

int sb_keys_derive(sb_keys **out, const unsigned char *master, uint64_t key_id)
{
	sb_keys *k = sodium_malloc(sizeof *k);
	if (!k)
		return SB_ENOMEM;
	/* Contexts are exactly crypto_kdf_CONTEXTBYTES (8) characters. */
	crypto_kdf_derive_from_key(k->seal, sizeof k->seal, key_id, "sb_seal_", master);
	crypto_kdf_derive_from_key(k->blind, sizeof k->blind, key_id, "sb_blind", master);
	crypto_kdf_derive_from_key(k->audit, sizeof k->audit, key_id, "sb_audit", master);
	sodium_mprotect_readonly(k);
	*out = k;
	return SB_OK;
}

void sb_keys_free(sb_keys *keys)
{
	sodium_free(keys); /* zeroes before unmapping; accepts NULL */
}

/* table NUL column NUL row(le64): unambiguous whatever the names are. */
static size_t associated_data(unsigned char *ad, size_t cap, const char *table, const char *column, sb_id row)
{
	size_t t = strlen(table) + 1, c = strlen(column) + 1;
	if (t + c + 8 > cap)
		return 0;
	memcpy(ad, table, t);
	memcpy(ad + t, column, c);
	uint64_t r = (uint64_t)row;
	for (int i = 0; i < 8; i++)
		ad[t + c + (size_t)i] = (unsigned char)(r >> (8 * i));
	return t + c + 8;
}

void sb_seal(const sb_keys *keys, unsigned char *out, const void *plain, size_t len,
             const char *table, const char *column, sb_id row)
{
	unsigned char ad[200];
	size_t adlen = associated_data(ad, sizeof ad, table, column, row);
	unsigned char *nonce = out;
	randombytes_buf(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, NULL,
	                                           plain, len, ad, adlen, NULL, nonce, keys->seal);
}

int sb_unseal(const sb_keys *keys, unsigned char *out, const unsigned char *sealed, size_t len,
              const char *table, const char *column, sb_id row)
{
	if (len < SB_SEAL_OVERHEAD)
		return SB_ECRYPTO;
	unsigned char ad[200];
	size_t adlen = associated_data(ad, sizeof ad, table, column, row);
	const size_t nb = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(out, NULL, NULL, sealed + nb, len - nb, ad, adlen,
	                                               sealed, keys->seal) != 0)
		return SB_ECRYPTO;
	return SB_OK;
}

void sb_blind_index(const sb_keys *keys, unsigned char out[SB_HASH_BYTES], const char *domain,
                    const void *value, size_t len)
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, keys ? keys->blind : NULL, keys ? SUBKEY_BYTES : 0, SB_HASH_BYTES);
	crypto_generichash_update(&st, (const unsigned char *)domain, strlen(domain) + 1);
	crypto_generichash_update(&st, value, len);
	crypto_generichash_final(&st, out, SB_HASH_BYTES);
}

void sb_chain_start(sb_chain_hasher *h, const sb_keys *keys)
{
	crypto_generichash_init((crypto_generichash_state *)(void *)h->state, keys ? keys->audit : NULL,
	                        keys ? SUBKEY_BYTES : 0, SB_HASH_BYTES);
}

void sb_chain_add(sb_chain_hasher *h, const void *data, size_t len)
{
	crypto_generichash_update((crypto_generichash_state *)(void *)h->state, data, len);
}

void sb_chain_add_i64(sb_chain_hasher *h, int64_t v)
{
	unsigned char b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)((uint64_t)v >> (8 * i));
	sb_chain_add(h, b, sizeof b);
}

/* Length-prefixed, so ("ab","c") and ("a","bc") hash differently. */
void sb_chain_add_str(sb_chain_hasher *h, const char *s)
{
	size_t n = strlen(s);
	sb_chain_add_i64(h, (int64_t)n);
	sb_chain_add(h, s, n);
}

void sb_chain_end(sb_chain_hasher *h, unsigned char out[SB_HASH_BYTES])
{
	crypto_generichash_final((crypto_generichash_state *)(void *)h->state, out, SB_HASH_BYTES);
}

uint64_t sb_random_u64(void)
{
	uint64_t v;
	randombytes_buf(&v, sizeof v);
	return v;
}

int sb_random_token(char *out, size_t cap, size_t nbytes)
{
	unsigned char raw[64];
	if (nbytes == 0 || nbytes > sizeof raw ||
	    cap < sodium_base64_ENCODED_LEN(nbytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING))
		return SB_EINVAL;
	randombytes_buf(raw, nbytes);
	sodium_bin2base64(out, cap, raw, nbytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
	return SB_OK;
}

void sb_random_code6(char out[7])
{
	uint32_t n = randombytes_uniform(1000000u);
	for (int i = 5; i >= 0; i--, n /= 10)
		out[i] = (char)('0' + n % 10);
	out[6] = '\0';
}
