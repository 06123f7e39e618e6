/* The audit trail: append-only, hash-chained, PHI-free. */
#include "access.h"
#include "internal.h"

#include <string.h>

/* Actions and kinds come from a closed alphabet so that no free text, and so
 * no PHI, can reach the trail. */
static int check_word(sb_practice *p, const char *w, size_t room, const char *extra, const char *field)
{
	if (!w)
		return sb_fail(p, SB_EINVAL, "audit %s is missing", field);
	size_t n = strnlen(w, room);
	if (n >= room)
		return sb_fail(p, SB_ETOOBIG, "audit %s is longer than %zu bytes", field, room - 1);
	if (n == 0)
		return sb_fail(p, SB_EINVAL, "audit %s is empty", field);
	for (size_t i = 0; i < n; i++) {
		char c = w[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || (c && strchr(extra, c))))
			return sb_fail(p, SB_EINVAL, "audit %s may hold only a-z, 0-9, _%s", field, extra);
	}
	return SB_OK;
}

typedef struct audit_row {
	int64_t seq, at;
	sb_id actor;
	const char *action, *kind;
	sb_id object;
} audit_row;

static void row_hash(const sb_practice *p, const unsigned char prev[SB_HASH_BYTES], const audit_row *r,
                     unsigned char out[SB_HASH_BYTES])
{
	sb_chain_hasher h;
	sb_chain_start(&h, p->keys);
	sb_chain_add(&h, prev, SB_HASH_BYTES);
	sb_chain_add_i64(&h, p->id);
	sb_chain_add_i64(&h, r->seq);
	sb_chain_add_i64(&h, r->at);
	sb_chain_add_i64(&h, r->actor);
	sb_chain_add_str(&h, r->action);
	sb_chain_add_str(&h, r->kind);
	sb_chain_add_i64(&h, r->object);
	sb_chain_end(&h, out);
}

/* The chain head from a row of (last sequence number, its hash): zeros
 * before any entry. Releases the row. */
static int take_head(sb_practice *p, sb_stmt *st, int64_t *seq, unsigned char head[SB_HASH_BYTES])
{
	size_t n = 0;
	const void *b = sb_db_col_blob(p->db, st, 1, &n);
	*seq = sb_db_col_int(p->db, st, 0);
	memset(head, 0, SB_HASH_BYTES);
	if (b && n == SB_HASH_BYTES)
		memcpy(head, b, n);
	int whole = (b && n == SB_HASH_BYTES) || (!b && *seq == 0);
	sb_db_release(p->db, st);
	return whole ? SB_OK : sb_fail(p, SB_ECORRUPT, "the audit chain head is damaged");
}

static int head_row(sb_practice *p, int rc)
{
	return rc == SB_ENOTFOUND ? sb_fail(p, SB_ECORRUPT, "the practice row is missing") : rc;
}

/* The tip this transaction appends after, read at its first entry. The
 * practice row's lock ({for_update}) queues concurrent writers of the
 * practice (other connections, other processes) until this transaction
 * ends, so the chain cannot fork; with READ COMMITTED each then sees the tip
 * left before it. After an undo of entries not yet written back, the trail's
 * last row is the tip. */
static int load_tip(sb_practice *p)
{
	sb_audit_tip *t = &p->audit;
	sb_stmt *st;
	if (t->loaded)
		return SB_OK;
	int rc = sb_db_row(p->db, &st, "SELECT audit_seq, audit_head FROM sb_practice WHERE id = ?{for_update}", "i",
	                   p->id);
	rc = rc == SB_OK ? take_head(p, st, &t->seq, t->head) : head_row(p, rc);
	if (rc == SB_OK && t->unflushed) {
		rc = sb_db_row(p->db, &st, "SELECT seq, hash FROM sb_audit WHERE practice_id = ? ORDER BY seq DESC LIMIT 1",
		               "i", p->id);
		rc = rc == SB_OK ? take_head(p, st, &t->seq, t->head) : rc == SB_ENOTFOUND ? SB_OK : rc;
	}
	t->loaded = rc == SB_OK;
	return rc;
}

int sb_audit_lock(sb_practice *p)
{
	/* A SQLite write transaction holds the whole file from its BEGIN (the
	 * driver contract's `begin(write)`), so the row lock would add nothing:
	 * the tip is read at the first entry, and a transaction that writes none
	 * (most call events) saves the statement. */
	return sb_db_dialect(p->db) == SB_STORE_DIALECT_SQLITE ? SB_OK : load_tip(p);
}

int sb_audit_flush(sb_practice *p)
{
	int rc = p->audit.unflushed ? load_tip(p) : SB_OK;
	if (rc == SB_OK && p->audit.unflushed)
		rc = sb_db_exec(p->db, "UPDATE sb_practice SET audit_seq = ?, audit_head = ? WHERE id = ?", "ibi",
		                p->audit.seq, p->audit.head, (size_t)SB_HASH_BYTES, p->id);
	memset(&p->audit, 0, sizeof p->audit); /* the transaction ends either way */
	return rc;
}

void sb_audit_forget(sb_practice *p, int depth)
{
	p->audit.loaded = 0;
	if (depth == 0)
		p->audit.unflushed = 0;
}

/* In a transaction: one row, after the tip. */
static int append(sb_practice *p, audit_row *r)
{
	unsigned char hash[SB_HASH_BYTES];
	sb_audit_tip *t = &p->audit;
	int rc = load_tip(p);
	if (rc != SB_OK)
		return rc;
	r->seq = t->seq + 1;
	row_hash(p, t->head, r, hash);
	rc = sb_db_exec(p->db,
	                "INSERT INTO sb_audit (practice_id, seq, at, actor, action, object_kind, object_id,"
	                " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	                "iiiittibb", p->id, r->seq, r->at, r->actor, r->action, r->kind, r->object, t->head,
	                (size_t)SB_HASH_BYTES, hash, (size_t)SB_HASH_BYTES);
	if (rc == SB_OK) {
		t->seq = r->seq;
		memcpy(t->head, hash, SB_HASH_BYTES);
		t->unflushed = 1;
	}
	return rc;
}

int sb_audit_append(sb_practice *p, sb_id actor, const char *action, const char *kind, sb_id object)
{
	audit_row r = {0, 0, actor, action, kind, object};
	int rc = sb_now(p, &r.at);
	if (rc != SB_OK || sb_db_depth(p->db) > 0)
		return rc == SB_OK ? append(p, &r) : rc;
	if ((rc = sb_db_begin(p->db)) != SB_OK)
		return rc;
	return sb_db_end(p->db, append(p, &r));
}

static int check_ids(sb_practice *p, sb_id actor, sb_id object)
{
	if (object < 0)
		return sb_fail(p, SB_EINVAL, "object id is negative");
	return sb_check_actor(p, actor);
}

int sb_audit_record(sb_practice *p, sb_id actor, const char *action, const char *object_kind, sb_id object_id)
{
	int rc = sb_check_open(p);
	if (rc == SB_OK)
		rc = check_ids(p, actor, object_id);
	if (rc == SB_OK)
		rc = check_word(p, action, SB_AUDIT_ACTION_MAX, ".", "action");
	if (rc == SB_OK)
		rc = check_word(p, object_kind, SB_AUDIT_KIND_MAX, "", "object kind");
	if (rc != SB_OK)
		return rc;
	rc = sb_audit_append(p, actor, action, object_kind, object_id);
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "recording an audit entry");
}

static void fill_entry(sb_practice *p, sb_stmt *st, sb_audit_entry *e)
{
	size_t n;
	const char *t;
	e->seq = sb_db_col_int(p->db, st, 0);
	e->at = sb_db_col_int(p->db, st, 1);
	e->actor = sb_db_col_int(p->db, st, 2);
	t = sb_db_col_text(p->db, st, 3, &n);
	sb_copy_text(e->action, sizeof e->action, t, n);
	t = sb_db_col_text(p->db, st, 4, &n);
	sb_copy_text(e->object_kind, sizeof e->object_kind, t, n);
	e->object_id = sb_db_col_int(p->db, st, 5);
}

static int read_page(sb_practice *p, sb_audit_entry *out, size_t *count, int64_t after, size_t max)
{
	sb_stmt *st;
	int rc = sb_db_query(p->db, &st,
	                     "SELECT seq, at, actor, action, object_kind, object_id FROM sb_audit"
	                     " WHERE practice_id = ? AND seq > ? ORDER BY seq LIMIT ?",
	                     "iii", p->id, after, (int64_t)max);
	while (rc == SB_OK && (rc = sb_db_step(p->db, st)) == SB_STORE_ROW) {
		fill_entry(p, st, &out[*count]);
		++*count;
		rc = SB_OK;
	}
	sb_db_release(p->db, st);
	return rc < 0 ? rc : SB_OK;
}

int sb_audit_head(int64_t *out_seq, sb_practice *p)
{
	int rc = sb_check_open(p);
	if (rc != SB_OK)
		return rc;
	if (!out_seq)
		return sb_fail(p, SB_EINVAL, "out_seq is required");
	if (sb_db_depth(p->db) > 0) { /* the tip may not be written back yet */
		rc = load_tip(p);
		*out_seq = p->audit.seq;
	} else {
		rc = sb_db_one_int(p->db, out_seq, "SELECT audit_seq FROM sb_practice WHERE id = ?", "i", p->id);
	}
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "reading the audit head");
}

int sb_audit_read(sb_audit_entry *out, size_t *out_count, sb_practice *p, sb_id actor, int64_t after_seq, size_t max)
{
	int rc = sb_check_open(p);
	if (rc != SB_OK)
		return rc;
	if (!out || !out_count)
		return sb_fail(p, SB_EINVAL, "out and out_count are required");
	*out_count = 0;
	if ((rc = sb_check_page(p, max, SB_AUDIT_READ_MAX, after_seq, "after_seq")) != SB_OK)
		return rc;
	if ((rc = check_ids(p, actor, 0)) != SB_OK)
		return rc;
	rc = sb_db_begin(p->db);
	if (rc == SB_OK) {
		rc = read_page(p, out, out_count, after_seq, max);
		if (rc == SB_OK)
			rc = sb_audit_append(p, actor, "audit.read", "audit", 0);
		rc = sb_db_end(p->db, rc);
	}
	if (rc != SB_OK) {
		*out_count = 0;
		return sb_fail_store(p, rc, "reading the audit trail");
	}
	return SB_OK;
}

/* Check one stored row against the chain so far; on success `prev` moves on. */
static int verify_row(sb_practice *p, sb_stmt *st, int64_t expect_seq, unsigned char prev[SB_HASH_BYTES])
{
	size_t n_action, n_kind, n_prev, n_hash;
	audit_row r;
	r.seq = sb_db_col_int(p->db, st, 0);
	r.at = sb_db_col_int(p->db, st, 1);
	r.actor = sb_db_col_int(p->db, st, 2);
	r.action = sb_db_col_text(p->db, st, 3, &n_action);
	r.kind = sb_db_col_text(p->db, st, 4, &n_kind);
	r.object = sb_db_col_int(p->db, st, 5);
	const void *stored_prev = sb_db_col_blob(p->db, st, 6, &n_prev);
	const void *stored_hash = sb_db_col_blob(p->db, st, 7, &n_hash);
	if (r.seq != expect_seq)
		return sb_fail(p, SB_ECORRUPT, "audit entry %lld is missing", (long long)expect_seq);
	unsigned char hash[SB_HASH_BYTES];
	row_hash(p, prev, &r, hash);
	if (n_prev != SB_HASH_BYTES || n_hash != SB_HASH_BYTES || memcmp(stored_prev, prev, SB_HASH_BYTES) != 0 ||
	    memcmp(stored_hash, hash, SB_HASH_BYTES) != 0)
		return sb_fail(p, SB_ECORRUPT, "audit entry %lld was altered", (long long)r.seq);
	memcpy(prev, hash, SB_HASH_BYTES);
	return SB_OK;
}

static int verify_chain(sb_practice *p, int64_t *rows)
{
	unsigned char prev[SB_HASH_BYTES] = {0};
	int rc = load_tip(p);
	int64_t head_seq = p->audit.seq;
	sb_stmt *st = NULL;
	if (rc == SB_OK)
		rc = sb_db_query(p->db, &st,
		                 "SELECT seq, at, actor, action, object_kind, object_id, prev_hash, hash"
		                 " FROM sb_audit WHERE practice_id = ? ORDER BY seq",
		                 "i", p->id);
	while (rc == SB_OK && (rc = sb_db_step(p->db, st)) == SB_STORE_ROW)
		rc = verify_row(p, st, *rows + 1, prev) == SB_OK ? (++*rows, SB_OK) : SB_ECORRUPT;
	sb_db_release(p->db, st);
	if (rc < 0)
		return rc;
	if (*rows != head_seq)
		return sb_fail(p, SB_ECORRUPT, "the audit trail ends at %lld but its head says %lld", (long long)*rows,
		               (long long)head_seq);
	if (memcmp(prev, p->audit.head, SB_HASH_BYTES) != 0)
		return sb_fail(p, SB_ECORRUPT, "the audit chain head does not match its last entry");
	return SB_OK;
}

int sb_audit_verify(int64_t *out_rows, sb_practice *p, sb_id actor)
{
	int64_t rows = 0;
	int rc = sb_check_open(p);
	if (rc == SB_OK)
		rc = check_ids(p, actor, 0);
	if (rc != SB_OK)
		return rc;
	rc = sb_db_begin(p->db);
	if (rc == SB_OK) {
		rc = verify_chain(p, &rows);
		if (rc == SB_OK)
			rc = sb_audit_append(p, actor, "audit.verify", "audit", 0);
		rc = sb_db_end(p->db, rc);
	}
	if (out_rows)
		*out_rows = rows;
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "verifying the audit trail");
}

static int transact(sb_practice *p, int (*check)(sb_practice *, sb_id), sb_id actor, const char *action,
                    const char *kind, sb_id *id, sb_step body, const void *arg, const char *what)
{
	int64_t now;
	int rc = check(p, actor);
	if (rc == SB_OK)
		rc = sb_now(p, &now);
	if (rc != SB_OK)
		return rc;
	if ((rc = sb_db_begin(p->db)) == SB_OK) {
		rc = sb_audit_lock(p);
		if (rc == SB_OK)
			rc = body(p, id, arg, now);
		if (rc == SB_OK)
			rc = sb_audit_append(p, actor, action, kind, *id);
		rc = sb_db_end(p->db, rc);
	}
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, what);
}

int sb_transact(sb_practice *p, sb_id actor, const char *action, const char *kind, sb_id *id, sb_step body,
                const void *arg, const char *what)
{
	return transact(p, sb_check_actor, actor, action, kind, id, body, arg, what);
}

int sb_transact_patient(sb_practice *p, sb_id actor, const char *action, const char *kind, sb_id *id, sb_step body,
                        const void *arg, const char *what)
{
	return transact(p, sb_check_patient_or_teammate, actor, action, kind, id, body, arg, what);
}
