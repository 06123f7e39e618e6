#include "phi.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

int sb_phi_pack(sb_practice *p, unsigned char **out, size_t *out_len, const char *table, const char *column,
                sb_id row, const char *text, size_t n)
{
	*out_len = p->keys ? n + SB_SEAL_OVERHEAD : n;
	*out = malloc(*out_len ? *out_len : 1);
	if (!*out)
		return sb_fail(p, SB_ENOMEM, "out of memory");
	if (p->keys)
		sb_seal(p->keys, *out, text, n, table, column, row);
	else if (n)
		memcpy(*out, text, n);
	return SB_OK;
}

int sb_phi_unpack(sb_practice *p, char *out, size_t room, size_t *out_len, const char *table, const char *column,
                  sb_id row, const void *stored, size_t stored_len)
{
	if (!p->keys) {
		*out_len = stored_len;
		sb_copy_text(out, room, stored, stored_len);
		return SB_OK;
	}
	if (stored_len < SB_SEAL_OVERHEAD)
		return sb_fail(p, SB_ECRYPTO, "a sealed %s.%s is damaged", table, column);
	*out_len = stored_len - SB_SEAL_OVERHEAD;
	unsigned char *plain = malloc(*out_len + 1);
	if (!plain)
		return sb_fail(p, SB_ENOMEM, "out of memory");
	int rc = sb_unseal(p->keys, plain, stored, stored_len, table, column, row);
	if (rc == SB_OK)
		sb_copy_text(out, room, (const char *)plain, *out_len);
	sodium_memzero(plain, *out_len);
	free(plain);
	return rc == SB_OK ? SB_OK : sb_fail(p, SB_ECRYPTO, "a sealed %s.%s does not open: altered, moved, or another key",
	                                     table, column);
}

void sb_phi_lookup(sb_practice *p, unsigned char out[SB_HASH_BYTES], const char *domain, const char *value, size_t n)
{
	sb_blind_index(p->keys, out, domain, value, n);
}

int sb_phi_store(sb_practice *p, const char *table, const char *column, sb_id id, const char *text)
{
	unsigned char *sealed = NULL;
	size_t n = 0;
	char sql[96];
	int rc = sb_phi_pack(p, &sealed, &n, table, column, id, text, strlen(text));
	snprintf(sql, sizeof sql, "UPDATE %s SET %s = ? WHERE id = ?", table, column);
	if (rc == SB_OK)
		rc = sb_db_exec(p->db, sql, "bi", sealed, n, id);
	if (sealed)
		sodium_memzero(sealed, n);
	free(sealed);
	return rc;
}

int sb_phi_column(sb_practice *p, sb_stmt *st, int col, const char *table, const char *column, sb_id row, char *out,
                  size_t room)
{
	size_t n = 0, len = 0;
	const void *b = sb_db_col_blob(p->db, st, col, &n);
	out[0] = '\0';
	return b ? sb_phi_unpack(p, out, room, &len, table, column, row, b, n) : SB_OK;
}
