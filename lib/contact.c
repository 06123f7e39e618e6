/* Contacts: names, notes, numbers and e-mails, all PHI (phi.h). */
#include "internal.h"
#include "phi.h"
#include "link_internal.h"
#include "routing.h"
#include "terms.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* An address as given, normalised, and as the blind index finds it. */
typedef struct address {
	int kind;
	char value[SB_ADDRESS_MAX + 1]; /* E.164, or the e-mail as given */
	size_t len;
	unsigned char lookup[SB_HASH_BYTES];
} address;

static int parse_address(sb_practice *p, int kind, const char *value, address *a)
{
	memset(a, 0, sizeof *a);
	a->kind = kind;
	if (kind != SB_ADDRESS_PHONE && kind != SB_ADDRESS_EMAIL)
		return sb_fail(p, SB_EINVAL, "unknown address kind %d", kind);
	if (!value)
		return sb_fail(p, SB_EINVAL, "the address is missing");
	if (kind == SB_ADDRESS_PHONE) {
		sb_phone ph;
		if (sb_phone_parse(&ph, value) != SB_OK)
			return sb_fail(p, SB_EPHONE, "not a phone number: %s", sb_phone_problem_text(ph.problem));
		a->len = strlen(ph.number);
		memcpy(a->value, ph.number, a->len + 1);
		sb_phi_lookup(p, a->lookup, "phone", a->value, a->len);
		return SB_OK;
	}
	int rc = sb_check_email(p, value, "e-mail address");
	if (rc != SB_OK)
		return rc;
	a->len = strlen(value);
	memcpy(a->value, value, a->len + 1);
	char lower[SB_ADDRESS_MAX + 1];
	for (size_t i = 0; i <= a->len; i++) /* ASCII case only: how mail systems match in practice */
		lower[i] = (char)(value[i] >= 'A' && value[i] <= 'Z' ? value[i] - 'A' + 'a' : value[i]);
	sb_phi_lookup(p, a->lookup, "email", lower, a->len);
	return SB_OK;
}

static int check_name(sb_practice *p, const char *name)
{
	int rc = sb_check_text(p, name, SB_CONTACT_NAME_MAX, "name");
	return rc == SB_OK && !name[0] ? sb_fail(p, SB_EINVAL, "name is empty") : rc;
}

static int not_found(sb_practice *p, int rc)
{
	return rc == SB_ENOTFOUND ? sb_fail(p, rc, "no such contact in this practice") : rc;
}

/* The two sealed fields of a contact; their SQL is fixed text, never built from input. */
typedef struct field {
	const char *column;
	const char *update_sql;
	const char *select_sql;
} field;

static const field NAME = {"name",
	"UPDATE sb_contact SET name = ?, saved = 1, updated_at = ? WHERE id = ? AND practice_id = ? RETURNING id",
	"SELECT name FROM sb_contact WHERE id = ? AND practice_id = ?"};
static const field NOTES = {"notes",
	"UPDATE sb_contact SET notes = ?, updated_at = ? WHERE id = ? AND practice_id = ? RETURNING id",
	"SELECT notes FROM sb_contact WHERE id = ? AND practice_id = ?"};

/* Seal `text` into a field of contact `id`: SB_ENOTFOUND when no such contact. */
static int put_field(sb_practice *p, sb_id id, const field *f, const char *text, int64_t now)
{
	unsigned char *stored;
	size_t len;
	int rc = sb_phi_pack(p, &stored, &len, "sb_contact", f->column, id, text, strlen(text));
	if (rc != SB_OK)
		return rc;
	rc = sb_db_one_int(p->db, NULL, f->update_sql, "biii", stored, len, now, id, p->id);
	free(stored);
	return not_found(p, rc);
}

/* Open a stored field into out; a NULL field reads as "". */
static int get_field(sb_practice *p, sb_stmt *st, int col, sb_id id, const field *f, char *out, size_t room,
                     size_t *out_len)
{
	size_t n = 0;
	const void *b = sb_db_col_blob(p->db, st, col, &n);
	*out_len = 0;
	out[0] = '\0';
	return b ? sb_phi_unpack(p, out, room, out_len, "sb_contact", f->column, id, b, n) : SB_OK;
}

static int in_transaction(sb_practice *p, sb_id actor, sb_id *id, const char *action, sb_step body, const void *arg,
                          const char *what)
{
	return sb_transact(p, actor, action, "contact", id, body, arg, what);
}

/* Replace the search terms of contact `id` with those of `name`. */
static int index_name(sb_practice *p, sb_id id, const char *name)
{
	sb_term terms[SB_NAME_TERMS_MAX];
	size_t n = sb_terms_of_name(p, terms, SB_NAME_TERMS_MAX, name);
	int rc = sb_db_exec(p->db, "DELETE FROM sb_contact_term WHERE contact_id = ?", "i", id);
	for (size_t i = 0; rc == SB_OK && i < n; i++)
		rc = sb_db_exec(p->db, "INSERT INTO sb_contact_term (practice_id, term, contact_id) VALUES (?, ?, ?)", "ibi",
		                p->id, terms[i], (size_t)SB_HASH_BYTES, id);
	return rc;
}

/* Name a contact: the sealed name and its search terms. */
static int put_name(sb_practice *p, sb_id id, const char *name, int64_t now)
{
	int rc = put_field(p, id, &NAME, name, now);
	return rc == SB_OK ? index_name(p, id, name) : rc;
}

static int create_body(sb_practice *p, sb_id *id, const void *name, int64_t now)
{
	int rc = sb_db_one_int(p->db, id,
	                       "INSERT INTO sb_contact (practice_id, saved, created_at, updated_at)"
	                       " VALUES (?, 1, ?, ?) RETURNING id",
	                       "iii", p->id, now, now);
	return rc == SB_OK ? put_name(p, *id, name, now) : rc;
}

int sb_contact_create(sb_id *out_id, sb_practice *p, sb_id actor, const char *name)
{
	int rc = sb_check_out(p, out_id, sizeof *out_id, "out_id");
	if (rc != SB_OK)
		return rc;
	if ((rc = check_name(p, name)) != SB_OK)
		return rc;
	rc = in_transaction(p, actor, out_id, "contact.create", create_body, name, "creating a contact");
	if (rc != SB_OK)
		*out_id = 0;
	return rc;
}

static int save_body(sb_practice *p, sb_id *id, const void *name, int64_t now)
{
	return put_name(p, *id, name, now);
}

int sb_contact_save(sb_practice *p, sb_id actor, sb_id id, const char *name)
{
	int rc = sb_check_open(p);
	if (rc == SB_OK)
		rc = check_name(p, name);
	return rc == SB_OK ? in_transaction(p, actor, &id, "contact.update", save_body, name, "saving a contact") : rc;
}

static int notes_body(sb_practice *p, sb_id *id, const void *notes, int64_t now)
{
	return put_field(p, *id, &NOTES, notes, now);
}

int sb_contact_set_notes(sb_practice *p, sb_id actor, sb_id id, const char *notes)
{
	int rc = sb_check_open(p);
	if (rc == SB_OK)
		rc = sb_check_text(p, notes, SB_CONTACT_NOTES_MAX, "notes");
	return rc == SB_OK ? in_transaction(p, actor, &id, "contact.update", notes_body, notes, "setting notes") : rc;
}

/* --- reads --- */

typedef struct read_contact {
	sb_contact *out;
} read_contact;

static int get_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	(void)now;
	sb_contact *c = ((const read_contact *)arg)->out;
	sb_stmt *st;
	int rc = sb_db_row(p->db, &st,
	                   "SELECT saved, name, created_at, updated_at FROM sb_contact WHERE id = ? AND practice_id = ?",
	                   "ii", *id, p->id);
	if (rc != SB_OK)
		return not_found(p, rc);
	size_t n;
	c->id = *id;
	c->saved = (int)sb_db_col_int(p->db, st, 0);
	rc = get_field(p, st, 1, *id, &NAME, c->name, sizeof c->name, &n);
	c->created_at = sb_db_col_int(p->db, st, 2);
	c->updated_at = sb_db_col_int(p->db, st, 3);
	sb_db_release(p->db, st);
	return rc;
}

int sb_contact_name(sb_practice *p, sb_id id, char *out, size_t room)
{
	sb_stmt *st;
	size_t n;
	out[0] = '\0';
	int rc = sb_db_row(p->db, &st, "SELECT saved, name FROM sb_contact WHERE id = ? AND practice_id = ?", "ii", id, p->id);
	if (rc != SB_OK)
		return not_found(p, rc);
	if (sb_db_col_int(p->db, st, 0))
		rc = get_field(p, st, 1, id, &NAME, out, room, &n);
	sb_db_release(p->db, st);
	return rc;
}

int sb_contact_get(sb_contact *out, sb_practice *p, sb_id actor, sb_id id)
{
	int rc = sb_check_out(p, out, sizeof *out, "out");
	if (rc != SB_OK)
		return rc;
	read_contact arg = {out};
	rc = in_transaction(p, actor, &id, "contact.read", get_body, &arg, "reading a contact");
	if (rc != SB_OK)
		memset(out, 0, sizeof *out);
	return rc;
}

typedef struct read_notes {
	char *out;
	size_t room, *len;
} read_notes;

static int notes_read_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	(void)now;
	const read_notes *r = arg;
	sb_stmt *st;
	int rc = sb_db_row(p->db, &st, NOTES.select_sql, "ii", *id, p->id);
	if (rc != SB_OK)
		return not_found(p, rc);
	rc = get_field(p, st, 0, *id, &NOTES, r->out, r->room, r->len);
	sb_db_release(p->db, st);
	return rc;
}

int sb_contact_get_notes(char *out, size_t room, size_t *out_len, sb_practice *p, sb_id actor, sb_id id)
{
	int rc = sb_check_open(p);
	if (rc != SB_OK)
		return rc;
	if (!out || !out_len || room == 0)
		return sb_fail(p, SB_EINVAL, "out, out_len and room are required");
	out[0] = '\0';
	*out_len = 0;
	read_notes arg = {out, room, out_len};
	rc = in_transaction(p, actor, &id, "contact.read", notes_read_body, &arg, "reading notes");
	if (rc != SB_OK) {
		out[0] = '\0';
		*out_len = 0;
	}
	return rc;
}

/* --- addresses --- */

static int contact_exists(sb_practice *p, sb_id id)
{
	return not_found(p, sb_db_one_int(p->db, NULL, "SELECT id FROM sb_contact WHERE id = ? AND practice_id = ?",
	                                  "ii", id, p->id));
}

typedef struct add_address {
	const address *a;
	sb_id *out_id;
} add_address;

/* Give contact `contact` address `a`: SB_ENOTFOUND (undescribed, nothing
 * written) when a contact of the practice already holds it. */
static int insert_address(sb_practice *p, sb_id contact, const address *a, int64_t now, sb_id *out_id)
{
	int rc = sb_db_insert_id(p->db, out_id,
	                         "INSERT INTO sb_contact_address (practice_id, contact_id, kind, lookup, added_at)"
	                         " VALUES (?, ?, ?, ?, ?) ON CONFLICT (practice_id, kind, lookup) DO NOTHING{returning_id}",
	                         "iiibi", p->id, contact, (int64_t)a->kind, a->lookup, (size_t)SB_HASH_BYTES, now);
	unsigned char *stored = NULL;
	size_t len = 0;
	if (rc == SB_OK)
		rc = sb_phi_pack(p, &stored, &len, "sb_contact_address", "value", *out_id, a->value, a->len);
	if (rc == SB_OK)
		rc = sb_db_exec(p->db, "UPDATE sb_contact_address SET value = ? WHERE id = ?", "bi", stored, len, *out_id);
	free(stored);
	return rc;
}

static int count_addresses(sb_practice *p, sb_id contact, int64_t *out)
{
	return sb_db_one_int(p->db, out, "SELECT COUNT(*) FROM sb_contact_address WHERE contact_id = ?", "i", contact);
}

static int add_body(sb_practice *p, sb_id *contact, const void *arg, int64_t now)
{
	const add_address *add = arg;
	int64_t held = 0;
	int rc = contact_exists(p, *contact);
	if (rc == SB_OK)
		rc = count_addresses(p, *contact, &held);
	if (rc != SB_OK)
		return rc;
	if (held >= (int64_t)SB_CONTACT_ADDRESSES_MAX)
		return sb_fail(p, SB_ETOOBIG, "a contact holds at most %u numbers and e-mails", SB_CONTACT_ADDRESSES_MAX);
	rc = insert_address(p, *contact, add->a, now, add->out_id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, SB_ECONFLICT, "a contact of this practice already holds this %s",
		               add->a->kind == SB_ADDRESS_PHONE ? "number" : "e-mail address");
	return rc;
}

int sb_contact_add_address(sb_id *out_id, sb_practice *p, sb_id actor, sb_id contact, int kind, const char *value)
{
	address a;
	int rc = sb_check_out(p, out_id, sizeof *out_id, "out_id");
	if (rc != SB_OK)
		return rc;
	if ((rc = parse_address(p, kind, value, &a)) != SB_OK)
		return rc;
	add_address arg = {&a, out_id};
	rc = in_transaction(p, actor, &contact, "contact.address_add", add_body, &arg, "adding an address");
	if (rc != SB_OK)
		*out_id = 0;
	return rc;
}

static int remove_body(sb_practice *p, sb_id *contact, const void *arg, int64_t now)
{
	(void)now;
	const address *a = arg;
	int rc = sb_db_one_int(p->db, NULL,
	                       "DELETE FROM sb_contact_address WHERE practice_id = ? AND kind = ? AND lookup = ?"
	                       " AND contact_id = ? RETURNING id",
	                       "iibi", p->id, (int64_t)a->kind, a->lookup, (size_t)SB_HASH_BYTES, *contact);
	return rc == SB_ENOTFOUND ? sb_fail(p, rc, "the contact does not hold this address") : rc;
}

int sb_contact_remove_address(sb_practice *p, sb_id actor, sb_id contact, int kind, const char *value)
{
	address a;
	int rc = sb_check_open(p);
	if (rc == SB_OK)
		rc = parse_address(p, kind, value, &a);
	return rc == SB_OK ? in_transaction(p, actor, &contact, "contact.address_remove", remove_body, &a,
	                                    "removing an address")
	                   : rc;
}

typedef struct list_addresses {
	sb_contact_address *out;
	size_t *count, max;
} list_addresses;

static int list_body(sb_practice *p, sb_id *contact, const void *arg, int64_t now)
{
	(void)now;
	const list_addresses *l = arg;
	sb_stmt *st;
	int rc = contact_exists(p, *contact);
	if (rc == SB_OK)
		rc = sb_db_query(p->db, &st,
		                 "SELECT id, kind, value, added_at FROM sb_contact_address WHERE contact_id = ?"
		                 " ORDER BY id LIMIT ?",
		                 "ii", *contact, (int64_t)l->max);
	if (rc != SB_OK)
		return rc;
	while ((rc = sb_db_step(p->db, st)) == SB_STORE_ROW) {
		sb_contact_address *e = &l->out[*l->count];
		size_t n = 0, len;
		e->id = sb_db_col_int(p->db, st, 0);
		e->kind = (int)sb_db_col_int(p->db, st, 1);
		const void *b = sb_db_col_blob(p->db, st, 2, &n);
		e->added_at = sb_db_col_int(p->db, st, 3);
		rc = sb_phi_unpack(p, e->value, sizeof e->value, &len, "sb_contact_address", "value", e->id, b, n);
		if (rc != SB_OK)
			break;
		++*l->count;
	}
	sb_db_release(p->db, st);
	return rc < 0 ? rc : SB_OK;
}

int sb_contact_addresses(sb_contact_address *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id contact,
                         size_t max)
{
	int rc = sb_check_open(p);
	if (rc != SB_OK)
		return rc;
	if (!out || !out_count)
		return sb_fail(p, SB_EINVAL, "out and out_count are required");
	*out_count = 0;
	if ((rc = sb_check_page(p, max, SB_CONTACT_ADDRESSES_MAX, 0, "")) != SB_OK)
		return rc;
	list_addresses arg = {out, out_count, max};
	rc = in_transaction(p, actor, &contact, "contact.read", list_body, &arg, "listing a contact's addresses");
	if (rc != SB_OK)
		*out_count = 0;
	return rc;
}

/* The contact holding an address: one probe of the unique blind index;
 * SB_ENOTFOUND (not described: for a search it is no failure) when none. */
static int holder_of(sb_practice *p, const address *a, sb_id *out)
{
	return sb_db_one_int(p->db, out,
	                     "SELECT contact_id FROM sb_contact_address WHERE practice_id = ? AND kind = ? AND lookup = ?",
	                     "iib", p->id, (int64_t)a->kind, a->lookup, (size_t)SB_HASH_BYTES);
}

static int find_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	(void)now;
	int rc = holder_of(p, arg, id);
	return rc == SB_ENOTFOUND ? sb_fail(p, rc, "no contact holds this address") : rc;
}

int sb_contact_find(sb_id *out_id, sb_practice *p, sb_id actor, int kind, const char *value)
{
	address a;
	int rc = sb_check_out(p, out_id, sizeof *out_id, "out_id");
	if (rc != SB_OK)
		return rc;
	if ((rc = parse_address(p, kind, value, &a)) != SB_OK)
		return rc;
	rc = in_transaction(p, actor, out_id, "contact.find", find_body, &a, "finding a contact");
	if (rc != SB_OK)
		*out_id = 0;
	return rc;
}

/* --- search --- */

/* Contacts holding every term of the query. Fewer than four terms repeat the
 * last one (IN ignores the repeats) and COUNT(*) is compared with how many
 * there really are: one statement for every query. The primary key
 * (practice_id, term, contact_id) serves each probe. */
static const char search_sql[] =
	"SELECT contact_id FROM sb_contact_term WHERE practice_id = ? AND term IN (?, ?, ?, ?) AND contact_id > ?"
	" GROUP BY contact_id HAVING COUNT(*) = ? ORDER BY contact_id LIMIT ?";

typedef struct search {
	const char *query;
	sb_id after, *out;
	size_t *count, max;
} search;

static int search_by_number(sb_practice *p, const search *s)
{
	address a;
	sb_id id = 0;
	int rc = parse_address(p, SB_ADDRESS_PHONE, s->query, &a);
	if (rc == SB_OK)
		rc = holder_of(p, &a, &id);
	if (rc == SB_OK && id > s->after)
		s->out[(*s->count)++] = id;
	return rc == SB_ENOTFOUND ? SB_OK : rc;
}

static int search_by_name(sb_practice *p, const search *s)
{
	sb_term t[SB_QUERY_TERMS_MAX];
	size_t n = sb_terms_of_query(p, t, SB_QUERY_TERMS_MAX, s->query);
	if (n == 0)
		return sb_fail(p, SB_EINVAL, "the query has no letters or digits");
	for (size_t i = n; i < SB_QUERY_TERMS_MAX; i++)
		memcpy(t[i], t[n - 1], SB_HASH_BYTES);
	sb_stmt *st;
	size_t h = SB_HASH_BYTES;
	int rc = sb_db_query(p->db, &st, search_sql, "ibbbbiii", p->id, t[0], h, t[1], h, t[2], h, t[3], h, s->after,
	                     (int64_t)n, (int64_t)s->max);
	while (rc == SB_OK && (rc = sb_db_step(p->db, st)) == SB_STORE_ROW) {
		s->out[(*s->count)++] = sb_db_col_int(p->db, st, 0);
		rc = SB_OK;
	}
	sb_db_release(p->db, st);
	return rc < 0 ? rc : SB_OK;
}

static int search_body(sb_practice *p, sb_id *none, const void *arg, int64_t now)
{
	(void)now;
	const search *s = arg;
	sb_phone ph;
	*none = 0;
	return sb_phone_parse(&ph, s->query) == SB_OK ? search_by_number(p, s) : search_by_name(p, s);
}

int sb_contact_search(sb_id *out_ids, size_t *out_count, sb_practice *p, sb_id actor, const char *query,
                      sb_id after_id, size_t max)
{
	int rc = sb_check_open(p);
	if (rc != SB_OK)
		return rc;
	if (!out_ids || !out_count)
		return sb_fail(p, SB_EINVAL, "out_ids and out_count are required");
	*out_count = 0;
	if ((rc = sb_check_page(p, max, SB_CONTACT_SEARCH_MAX, after_id, "after_id")) != SB_OK ||
	    (rc = sb_check_text(p, query, SB_CONTACT_NAME_MAX, "query")) != SB_OK)
		return rc;
	search s = {query, after_id, out_ids, out_count, max};
	sb_id none = 0;
	rc = in_transaction(p, actor, &none, "contact.search", search_body, &s, "searching contacts");
	if (rc != SB_OK)
		*out_count = 0;
	return rc;
}

/* --- traffic and merging --- */

static address phone_address(const char *e164, const unsigned char *lookup)
{
	address a = {.kind = SB_ADDRESS_PHONE, .len = strlen(e164)};
	memcpy(a.value, e164, a.len + 1);
	memcpy(a.lookup, lookup, SB_HASH_BYTES);
	return a;
}

int sb_contact_create_holder(sb_practice *p, const char *e164, const unsigned char *lookup, int64_t now, sb_id *out,
                             int *created)
{
	address a = phone_address(e164, lookup);
	*created = 0;
	int rc = sb_db_insert_id(p->db, out,
	                         "INSERT INTO sb_contact (practice_id, saved, created_at, updated_at) VALUES (?, 0, ?, ?)"
	                         "{returning_id}",
	                         "iii", p->id, now, now);
	sb_id address_id;
	if (rc == SB_OK)
		rc = insert_address(p, *out, &a, now, &address_id);
	if (rc == SB_ENOTFOUND) { /* a concurrent writer gave the number a holder first */
		rc = sb_db_exec(p->db, "DELETE FROM sb_contact WHERE id = ?", "i", *out);
		return rc == SB_OK ? holder_of(p, &a, out) : rc;
	}
	*created = rc == SB_OK;
	return rc;
}

int sb_contact_hold(sb_practice *p, const char *e164, const unsigned char *lookup, int64_t now, sb_id *out,
                    int *created)
{
	address a = phone_address(e164, lookup);
	*created = 0;
	int rc = holder_of(p, &a, out);
	return rc == SB_ENOTFOUND ? sb_contact_create_holder(p, e164, lookup, now, out, created) : rc;
}

/* A contact's saved flag, name and notes, read for a merge. */
typedef struct whole {
	int saved;
	char name[SB_CONTACT_NAME_MAX + 1];
	char notes[SB_CONTACT_NOTES_MAX + 1];
	size_t notes_len;
} whole;

static int load_whole(sb_practice *p, sb_id id, whole *w)
{
	sb_stmt *st;
	size_t n;
	int rc = sb_db_row(p->db, &st, "SELECT saved, name, notes FROM sb_contact WHERE id = ? AND practice_id = ?", "ii",
	                   id, p->id);
	if (rc != SB_OK)
		return not_found(p, rc);
	w->saved = (int)sb_db_col_int(p->db, st, 0);
	rc = get_field(p, st, 1, id, &NAME, w->name, sizeof w->name, &n);
	if (rc == SB_OK)
		rc = get_field(p, st, 2, id, &NOTES, w->notes, sizeof w->notes, &w->notes_len);
	sb_db_release(p->db, st);
	return rc;
}

/* Keep's notes, then gone's: nothing is lost, or the merge is refused. */
static int merge_notes(sb_practice *p, sb_id keep, whole *k, const whole *g, int64_t now)
{
	static const char gap[] = "\n\n";
	if (!g->notes_len)
		return SB_OK;
	size_t sep = k->notes_len ? sizeof gap - 1 : 0;
	if (k->notes_len + sep + g->notes_len > SB_CONTACT_NOTES_MAX)
		return sb_fail(p, SB_ETOOBIG, "the merged notes would be longer than %u bytes", SB_CONTACT_NOTES_MAX);
	memcpy(k->notes + k->notes_len, gap, sep);
	memcpy(k->notes + k->notes_len + sep, g->notes, g->notes_len + 1);
	return put_field(p, keep, &NOTES, k->notes, now);
}

static int move_everything(sb_practice *p, sb_id keep, sb_id gone)
{
	int rc = sb_db_exec(p->db, "UPDATE sb_contact_address SET contact_id = ? WHERE contact_id = ?", "ii", keep, gone);
	if (rc == SB_OK)
		rc = sb_db_exec(p->db,
		                "INSERT INTO sb_regarding (conversation_id, contact_id) SELECT conversation_id, ?"
		                " FROM sb_regarding WHERE contact_id = ? ON CONFLICT DO NOTHING",
		                "ii", keep, gone);
	if (rc == SB_OK)
		rc = sb_db_exec(p->db, "DELETE FROM sb_regarding WHERE contact_id = ?", "i", gone);
	if (rc == SB_OK)
		rc = sb_db_exec(p->db,
		                "INSERT INTO sb_contact_tag (contact_id, tag_id) SELECT ?, tag_id FROM sb_contact_tag"
		                " WHERE contact_id = ? ON CONFLICT DO NOTHING",
		                "ii", keep, gone);
	/* Patient accounts and invitations follow the contact (L4). */
	if (rc == SB_OK)
		rc = sb_db_exec(p->db, "UPDATE sb_account SET contact_id = ? WHERE contact_id = ?", "ii", keep, gone);
	if (rc == SB_OK)
		rc = sb_db_exec(p->db, "UPDATE sb_invitation SET contact_id = ? WHERE contact_id = ?", "ii", keep, gone);
	return rc == SB_OK ? sb_invitation_sync_contact(p, keep) : rc;
}

int sb_contact_delete_row(sb_practice *p, sb_id id)
{
	int rc = sb_db_exec(p->db, "DELETE FROM sb_contact_term WHERE contact_id = ?", "i", id);
	if (rc == SB_OK)
		rc = sb_db_exec(p->db, "DELETE FROM sb_regarding WHERE contact_id = ?", "i", id);
	if (rc == SB_OK)
		rc = sb_db_exec(p->db, "DELETE FROM sb_contact_tag WHERE contact_id = ?", "i", id);
	return rc == SB_OK ? sb_db_exec(p->db, "DELETE FROM sb_contact WHERE id = ?", "i", id) : rc;
}

typedef struct merge {
	sb_id gone, actor;
} merge;

static int merge_body(sb_practice *p, sb_id *keep, const void *arg, int64_t now)
{
	const merge *m = arg;
	whole *k = malloc(sizeof *k), *g = malloc(sizeof *g);
	int64_t held_k = 0, held_g = 0;
	int rc = k && g ? SB_OK : sb_fail(p, SB_ENOMEM, "out of memory");
	if (rc == SB_OK && (rc = load_whole(p, *keep, k)) == SB_OK && (rc = load_whole(p, m->gone, g)) == SB_OK &&
	    (rc = count_addresses(p, *keep, &held_k)) == SB_OK && (rc = count_addresses(p, m->gone, &held_g)) == SB_OK &&
	    held_k + held_g > (int64_t)SB_CONTACT_ADDRESSES_MAX)
		rc = sb_fail(p, SB_ETOOBIG, "together the contacts hold more than %u numbers and e-mails",
		             SB_CONTACT_ADDRESSES_MAX);
	if (rc == SB_OK && !k->saved && g->saved)
		rc = put_name(p, *keep, g->name, now);
	if (rc == SB_OK)
		rc = merge_notes(p, *keep, k, g, now);
	if (rc == SB_OK)
		rc = move_everything(p, *keep, m->gone);
	if (rc == SB_OK)
		rc = sb_contact_delete_row(p, m->gone);
	if (rc == SB_OK)
		rc = sb_audit_append(p, m->actor, "contact.delete", "contact", m->gone);
	if (k)
		sodium_memzero(k, sizeof *k);
	if (g)
		sodium_memzero(g, sizeof *g);
	free(k);
	free(g);
	return rc;
}

int sb_contact_merge(sb_practice *p, sb_id actor, sb_id keep, sb_id gone)
{
	int rc = sb_check_open(p);
	if (rc != SB_OK)
		return rc;
	if (keep == gone)
		return sb_fail(p, SB_EINVAL, "a contact cannot be merged into itself");
	if (keep < 0 || gone < 0)
		return sb_fail(p, SB_EINVAL, "contact ids are negative");
	merge m = {gone, actor};
	return in_transaction(p, actor, &keep, "contact.merge", merge_body, &m, "merging contacts");
}

int sb_contact_take_number(sb_practice *p, sb_id contact, const char *e164, const unsigned char *lookup, int64_t now)
{
	address a = {.kind = SB_ADDRESS_PHONE, .len = strlen(e164)};
	memcpy(a.value, e164, a.len + 1);
	memcpy(a.lookup, lookup, SB_HASH_BYTES);
	sb_id holder = 0, address_id;
	int64_t held = 0;
	int rc = contact_exists(p, contact);
	if (rc == SB_OK && (rc = holder_of(p, &a, &holder)) == SB_OK && holder == contact)
		return sb_fail(p, SB_ESTATE, "the contact already holds this number");
	if ((rc == SB_OK || rc == SB_ENOTFOUND) && (rc = count_addresses(p, contact, &held)) == SB_OK &&
	    held >= (int64_t)SB_CONTACT_ADDRESSES_MAX)
		return sb_fail(p, SB_ETOOBIG, "a contact holds at most %u numbers and e-mails", SB_CONTACT_ADDRESSES_MAX);
	if (rc != SB_OK)
		return rc;
	if (!holder)
		return insert_address(p, contact, &a, now, &address_id);
	rc = sb_db_exec(p->db, "UPDATE sb_contact_address SET contact_id = ? WHERE practice_id = ? AND kind = ? AND lookup = ?",
	                "iiib", contact, p->id, (int64_t)SB_ADDRESS_PHONE, a.lookup, (size_t)SB_HASH_BYTES);
	/* An unsaved contact left with nothing was only ever this number: it goes, its marks move. */
	int64_t left = 1;
	if (rc == SB_OK)
		rc = sb_db_one_int(p->db, &left,
		                   "SELECT saved + (SELECT COUNT(*) FROM sb_contact_address WHERE contact_id = ?)"
		                   " FROM sb_contact WHERE id = ?",
		                   "ii", holder, holder);
	if (rc == SB_OK && left == 0 && (rc = move_everything(p, contact, holder)) == SB_OK)
		rc = sb_contact_delete_row(p, holder);
	return rc;
}

int sb_contact_first_address(sb_practice *p, sb_id contact, int kind, char out[SB_ADDRESS_MAX + 1])
{
	sb_stmt *st;
	size_t n = 0, len;
	out[0] = '\0';
	int rc = contact_exists(p, contact);
	if (rc != SB_OK)
		return rc;
	rc = sb_db_row(p->db, &st,
	               "SELECT id, value FROM sb_contact_address WHERE contact_id = ? AND kind = ? ORDER BY id LIMIT 1", "ii",
	               contact, (int64_t)kind);
	if (rc != SB_OK)
		return rc == SB_ENOTFOUND ? SB_OK : rc; /* it has none */
	const void *b = sb_db_col_blob(p->db, st, 1, &n);
	rc = sb_phi_unpack(p, out, SB_ADDRESS_MAX + 1, &len, "sb_contact_address", "value", sb_db_col_int(p->db, st, 0), b,
	                   n);
	sb_db_release(p->db, st);
	return rc;
}
