/* Attachments of items and the practice's attachment library (C12). File
 * names, bytes and references are PHI, sealed to their row. */
#include "access.h"
#include "phi.h"
#include "routing.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sb_attachment_spec_init(sb_attachment_spec *spec)
{
	if (!spec)
		return SB_EINVAL;
	memset(spec, 0, sizeof *spec);
	spec->version = SB_ATTACHMENT_SPEC_VERSION;
	return SB_OK;
}

/* "type/subtype": printable ASCII without spaces, one '/' inside. */
static int check_content_type(sb_practice *p, const char *t)
{
	int rc = sb_check_text(p, t, SB_CONTENT_TYPE_MAX, "content_type");
	if (rc != SB_OK)
		return rc;
	const char *slash = strchr(t, '/');
	int ok = slash && slash != t && slash[1] && !strchr(slash + 1, '/');
	for (const char *c = t; ok && *c; c++)
		ok = *c > 0x20 && *c < 0x7f;
	return ok ? SB_OK : sb_fail(p, SB_EINVAL, "content_type is not of the form type/subtype");
}

static int check_spec(sb_practice *p, const sb_attachment_spec *s)
{
	if (s->version != SB_ATTACHMENT_SPEC_VERSION)
		return sb_fail(p, SB_EVERSION, "sb_attachment_spec version %u is not %u", s->version,
		               SB_ATTACHMENT_SPEC_VERSION);
	int rc = check_content_type(p, s->content_type);
	if (rc == SB_OK)
		rc = sb_check_text(p, s->file_name, SB_FILE_NAME_MAX, "file_name");
	if (rc != SB_OK)
		return rc;
	if (!s->file_name[0] || strchr(s->file_name, '/'))
		return sb_fail(p, SB_EINVAL, "file_name is empty or holds a '/'");
	if (!s->data == !s->media_ref)
		return sb_fail(p, SB_EINVAL, "an attachment has either bytes or a media reference");
	if (s->media_ref)
		return sb_check_text(p, s->media_ref, SB_MEDIA_REF_MAX, "media_ref");
	if (s->size > SB_ATTACHMENT_BYTES_MAX)
		return sb_fail(p, SB_ETOOBIG, "an attachment holds at most %u bytes", SB_ATTACHMENT_BYTES_MAX);
	return s->size ? SB_OK : sb_fail(p, SB_EINVAL, "an attachment's bytes are empty");
}

int sb_attachments_check(sb_practice *p, const sb_attachment_spec *specs, size_t n)
{
	if (n > SB_ATTACHMENTS_MAX)
		return sb_fail(p, SB_ETOOBIG, "a message has at most %u attachments", SB_ATTACHMENTS_MAX);
	if (n && !specs)
		return sb_fail(p, SB_EINVAL, "attachments are missing");
	int rc = SB_OK;
	for (size_t i = 0; rc == SB_OK && i < n; i++)
		rc = check_spec(p, &specs[i]);
	return rc;
}

/* --- writing --- */

/* Seal `n` bytes into column `column` of attachment `id`. */
static int put_sealed(sb_practice *p, sb_id id, const char *update_sql, const char *column, const void *v, size_t n)
{
	unsigned char *stored;
	size_t len;
	int rc = sb_phi_pack(p, &stored, &len, "sb_attachment", column, id, v, n);
	if (rc == SB_OK)
		rc = sb_db_exec(p->db, update_sql, "bi", stored, len, id);
	free(stored);
	return rc;
}

/* Store one checked attachment of item `item` (0: a library document). */
static int store_one(sb_practice *p, sb_id item, const sb_attachment_spec *s, int64_t now, sb_id *out_id)
{
	int rc = sb_db_one_int(p->db, out_id,
	                       "INSERT INTO sb_attachment (practice_id, item_id, content_type, file_name, size, created_at)"
	                       " VALUES (?, NULLIF(?, 0), ?, ?, ?, ?) RETURNING id",
	                       "iitbii", p->id, item, s->content_type, "", (size_t)0, (int64_t)s->size, now);
	if (rc == SB_OK)
		rc = put_sealed(p, *out_id, "UPDATE sb_attachment SET file_name = ? WHERE id = ?", "file_name", s->file_name,
		                strlen(s->file_name));
	if (rc == SB_OK && s->data)
		rc = put_sealed(p, *out_id, "UPDATE sb_attachment SET data = ? WHERE id = ?", "data", s->data, s->size);
	if (rc == SB_OK && s->media_ref)
		rc = put_sealed(p, *out_id, "UPDATE sb_attachment SET media_ref = ? WHERE id = ?", "media_ref", s->media_ref,
		                strlen(s->media_ref));
	return rc;
}

/* A stored attachment, opened: metadata into *a, bytes (when held) into a
 * malloc'd *data (free it) when data is not NULL. */
#define COLUMNS "id, item_id, content_type, file_name, size, data, media_ref, created_at"

static int open_row(sb_practice *p, sb_stmt *st, sb_attachment *a, unsigned char **data)
{
	size_t n = 0, len;
	memset(a, 0, sizeof *a);
	a->id = sb_db_col_int(p->db, st, 0);
	a->item_id = sb_db_col_int(p->db, st, 1);
	const char *t = sb_db_col_text(p->db, st, 2, &n);
	sb_copy_text(a->content_type, sizeof a->content_type, t, n);
	const void *b = sb_db_col_blob(p->db, st, 3, &n);
	int rc = sb_phi_unpack(p, a->file_name, sizeof a->file_name, &len, "sb_attachment", "file_name", a->id, b, n);
	a->size = sb_db_col_int(p->db, st, 4);
	a->has_data = sb_db_col_type(p->db, st, 5) != SB_STORE_NULL;
	a->created_at = sb_db_col_int(p->db, st, 7);
	b = sb_db_col_blob(p->db, st, 6, &n);
	if (rc == SB_OK && b)
		rc = sb_phi_unpack(p, a->media_ref, sizeof a->media_ref, &len, "sb_attachment", "media_ref", a->id, b, n);
	if (rc != SB_OK || !data || !a->has_data)
		return rc;
	b = sb_db_col_blob(p->db, st, 5, &n);
	*data = malloc((size_t)a->size + 1);
	if (!*data)
		return sb_fail(p, SB_ENOMEM, "out of memory");
	rc = sb_phi_unpack(p, (char *)*data, (size_t)a->size + 1, &len, "sb_attachment", "data", a->id, b, n);
	if (rc == SB_OK && len != (size_t)a->size)
		rc = sb_fail(p, SB_ECORRUPT, "an attachment's bytes do not match its size");
	return rc;
}

/* Library document `id`, opened with its bytes. */
static int load_document(sb_practice *p, sb_id id, sb_attachment *a, unsigned char **data)
{
	sb_stmt *st;
	int rc = sb_db_row(p->db, &st,
	                   "SELECT " COLUMNS " FROM sb_attachment"
	                   " WHERE id = ? AND practice_id = ? AND item_id IS NULL",
	                   "ii", id, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such document in the attachment library");
	if (rc != SB_OK)
		return rc;
	rc = open_row(p, st, a, data);
	sb_db_release(p->db, st);
	return rc;
}

static void free_data(unsigned char *data, int64_t size)
{
	if (data)
		sodium_memzero(data, (size_t)size);
	free(data);
}

/* Copy library document `doc` into item `item`. */
static int copy_document(sb_practice *p, sb_id item, sb_id doc, int64_t now)
{
	sb_attachment a;
	unsigned char *data = NULL;
	sb_id id;
	int rc = load_document(p, doc, &a, &data);
	sb_attachment_spec s = {SB_ATTACHMENT_SPEC_VERSION, a.content_type, a.file_name, data, (size_t)a.size,
	                        a.has_data ? NULL : a.media_ref};
	if (rc == SB_OK)
		rc = store_one(p, item, &s, now, &id);
	free_data(data, a.size);
	return rc;
}

int sb_attachments_store(sb_practice *p, sb_id item, const sb_attachment_spec *specs, size_t n, const sb_id *library,
                         size_t n_library, int64_t now)
{
	sb_id id;
	int rc = SB_OK;
	for (size_t i = 0; rc == SB_OK && i < n; i++)
		rc = store_one(p, item, &specs[i], now, &id);
	for (size_t i = 0; rc == SB_OK && i < n_library; i++)
		rc = copy_document(p, item, library[i], now);
	return rc;
}

/* --- for the carrier --- */

void sb_media_refs_free(char **refs, size_t n)
{
	for (size_t i = 0; refs && i < n; i++)
		free(refs[i]);
	free(refs);
}

int sb_media_refs(sb_practice *p, sb_id item, char ***out, size_t *out_count)
{
	sb_stmt *st;
	*out = NULL;
	*out_count = 0;
	int rc = sb_db_query(p->db, &st,
	                     "SELECT id, item_id, content_type, file_name, size, NULL, media_ref, created_at,"
	                     " data IS NOT NULL FROM sb_attachment WHERE item_id = ? ORDER BY id",
	                     "i", item);
	if (rc != SB_OK)
		return rc;
	char **refs = calloc(SB_ATTACHMENTS_MAX, sizeof *refs);
	if (!refs)
		rc = sb_fail(p, SB_ENOMEM, "out of memory");
	size_t n = 0;
	while (rc == SB_OK && n < SB_ATTACHMENTS_MAX && (rc = sb_db_step(p->db, st)) == SB_STORE_ROW) {
		sb_attachment a;
		rc = open_row(p, st, &a, NULL);
		char held[48];
		snprintf(held, sizeof held, "sb-attachment:%lld", (long long)a.id);
		const char *ref = sb_db_col_int(p->db, st, 8) ? held : a.media_ref;
		if (rc == SB_OK && !(refs[n++] = strdup(ref)))
			rc = sb_fail(p, SB_ENOMEM, "out of memory");
	}
	sb_db_release(p->db, st);
	if (rc < 0) {
		sb_media_refs_free(refs, n);
		return rc;
	}
	*out = refs;
	*out_count = n;
	return SB_OK;
}

/* --- reading --- */

typedef struct listing {
	sb_attachment *out;
	size_t *count, max;
	sb_id after;
} listing;

static int list_rows(sb_practice *p, const listing *l, const char *sql, sb_id key)
{
	sb_stmt *st;
	int rc = sb_db_query(p->db, &st, sql, "iii", key, l->after, (int64_t)l->max);
	if (rc != SB_OK)
		return rc;
	while ((rc = sb_db_step(p->db, st)) == SB_STORE_ROW && (rc = open_row(p, st, &l->out[*l->count], NULL)) == SB_OK)
		++*l->count;
	sb_db_release(p->db, st);
	return rc < 0 ? rc : SB_OK;
}

static int item_list_body(sb_practice *p, sb_id *item, const void *arg, int64_t now)
{
	(void)now;
	int rc = sb_db_one_int(p->db, NULL, "SELECT id FROM sb_item WHERE id = ? AND practice_id = ?", "ii", *item, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such item in this practice");
	return rc == SB_OK ? list_rows(p, arg,
	                               "SELECT " COLUMNS " FROM sb_attachment WHERE item_id = ? AND id > ? ORDER BY id LIMIT ?",
	                               *item)
	                   : rc;
}

int sb_item_attachments(sb_attachment *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id item, size_t max)
{
	int rc = sb_check_list(p, out, out_count, max, SB_ATTACHMENTS_MAX, 0, "after_id");
	if (rc == SB_OK)
		rc = sb_access_gate_patient(p, actor, item, sb_access_item, sb_access_own_item);
	if (rc != SB_OK)
		return rc;
	listing l = {out, out_count, max, 0};
	rc = sb_transact_patient(p, actor, "attachment.read", "item", &item, item_list_body, &l, "listing attachments");
	if (rc != SB_OK)
		*out_count = 0;
	return rc;
}

typedef struct reading {
	void *out;
	size_t room, *size;
} reading;

static int read_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	(void)now;
	const reading *r = arg;
	sb_stmt *st;
	sb_attachment a;
	unsigned char *data = NULL;
	int rc = sb_db_row(p->db, &st,
	                   "SELECT " COLUMNS " FROM sb_attachment"
	                   " WHERE id = ? AND practice_id = ?",
	                   "ii", *id, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such attachment in this practice");
	if (rc != SB_OK)
		return rc;
	rc = open_row(p, st, &a, &data);
	sb_db_release(p->db, st);
	*r->size = (size_t)a.size;
	if (rc == SB_OK && !a.has_data)
		rc = sb_fail(p, SB_ESTATE, "the attachment is a media reference: the host holds its bytes");
	else if (rc == SB_OK && r->room < (size_t)a.size)
		rc = sb_fail(p, SB_ETOOBIG, "the buffer is smaller than the attachment (%lld bytes)", (long long)a.size);
	else if (rc == SB_OK && a.size)
		memcpy(r->out, data, (size_t)a.size);
	free_data(data, a.size);
	return rc;
}

int sb_attachment_read(void *out, size_t room, size_t *out_size, sb_practice *p, sb_id actor, sb_id attachment)
{
	int rc = sb_check_open(p);
	if (rc != SB_OK)
		return rc;
	if (!out_size || (!out && room))
		return sb_fail(p, SB_EINVAL, "out_size is required, and out when room is not 0");
	*out_size = 0;
	if ((rc = sb_access_gate_patient(p, actor, attachment, sb_access_attachment, sb_access_own_attachment)) != SB_OK)
		return rc;
	reading r = {out, room, out_size};
	return sb_transact_patient(p, actor, "attachment.read", "attachment", &attachment, read_body, &r, "reading an attachment");
}

/* --- the library --- */

static int library_add_body(sb_practice *p, sb_id *id, const void *doc, int64_t now)
{
	return store_one(p, 0, doc, now, id);
}

int sb_library_add(sb_id *out_id, sb_practice *p, sb_id actor, const sb_attachment_spec *doc)
{
	int rc = sb_check_open(p);
	if (rc != SB_OK)
		return rc;
	if (!out_id || !doc)
		return sb_fail(p, SB_EINVAL, "out_id and doc are required");
	*out_id = 0;
	if ((rc = check_spec(p, doc)) != SB_OK)
		return rc;
	rc = sb_transact(p, actor, "library.add", "attachment", out_id, library_add_body, doc, "adding a library document");
	if (rc != SB_OK)
		*out_id = 0;
	return rc;
}

static int library_list_body(sb_practice *p, sb_id *none, const void *arg, int64_t now)
{
	(void)now;
	(void)none;
	return list_rows(p, arg,
	                 "SELECT " COLUMNS " FROM sb_attachment"
	                 " WHERE practice_id = ? AND item_id IS NULL AND id > ? ORDER BY id LIMIT ?",
	                 p->id);
}

int sb_library_list(sb_attachment *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id after_id, size_t max)
{
	int rc = sb_check_list(p, out, out_count, max, SB_LIBRARY_PAGE_MAX, after_id, "after_id");
	if (rc != SB_OK)
		return rc;
	listing l = {out, out_count, max, after_id};
	sb_id none = 0;
	rc = sb_transact(p, actor, "attachment.read", "library", &none, library_list_body, &l, "listing the library");
	if (rc != SB_OK)
		*out_count = 0;
	return rc;
}

static int library_remove_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	(void)arg;
	(void)now;
	int rc = sb_db_one_int(p->db, NULL,
	                       "DELETE FROM sb_attachment WHERE id = ? AND practice_id = ? AND item_id IS NULL RETURNING id",
	                       "ii", *id, p->id);
	return rc == SB_ENOTFOUND ? sb_fail(p, rc, "no such document in the attachment library") : rc;
}

int sb_library_remove(sb_practice *p, sb_id actor, sb_id id)
{
	int rc = sb_check_open(p);
	if (rc != SB_OK)
		return rc;
	rc = sb_transact(p, actor, "library.remove", "attachment", &id, library_remove_body, NULL,
	                 "removing a library document");
	return rc == SB_OK ? sb_purge(p) : rc;
}
