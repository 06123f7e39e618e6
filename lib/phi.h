/*
 * Protected health information at rest. Internal.
 *
 * A PHI field is stored as bytes: sealed under the practice's key when it has
 * one (the associated data names table, column and row, so a value cannot be
 * moved to another row), else the UTF-8 text as it is. Values that must be
 * found (phone numbers, e-mails, name prefixes) are also stored as a blind
 * index: a keyed hash within a domain, equal for equal inputs.
 */
#ifndef SB_PHI_H
#define SB_PHI_H

#include "internal.h"

/* The stored form of `n` bytes of text, malloc'd into *out (free it);
 * SB_ENOMEM with the detail set. */
int sb_phi_pack(sb_practice *p, unsigned char **out, size_t *out_len, const char *table, const char *column,
                sb_id row, const char *text, size_t n);
/* In the caller's transaction: store `text` as `table`.`column` of row `id`
 * (names fixed by the caller, never input), sealed when there is a key; the
 * sealed copy is wiped from memory after. */
int sb_phi_store(sb_practice *p, const char *table, const char *column, sb_id id, const char *text);
/* The text of a stored value into out (room bytes, NUL-terminated, cut at
 * room - 1); *out_len gets its full length. SB_ECRYPTO (detail set) when a
 * sealed value does not open: another key, or an altered or moved row. */
int sb_phi_unpack(sb_practice *p, char *out, size_t room, size_t *out_len, const char *table, const char *column,
                  sb_id row, const void *stored, size_t stored_len);
/* sb_phi_unpack() of column `col` of a row being read (`table`.`column` of
 * row `row`); "" when the column is NULL. */
int sb_phi_column(sb_practice *p, sb_stmt *st, int col, const char *table, const char *column, sb_id row, char *out,
                  size_t room);
/* The blind index of a value within a domain ("phone", "email", "name"). */
void sb_phi_lookup(sb_practice *p, unsigned char out[SB_HASH_BYTES], const char *domain, const char *value,
                   size_t n);

#endif
