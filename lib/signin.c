/* Teammate sign-in: Argon2id password hashes and a lockout per teammate.
 * Hashing is slow on purpose, so it never runs inside a transaction. */
#include "access.h"

#include <sodium.h>
#include <string.h>

/* Verified against when no teammate holds the login, so an unknown login
 * costs what a wrong password costs. Its password is not a valid one. */
static const char unknown_login_hash[] =
	"$argon2id$v=19$m=65536,t=2,p=1$Aru+YGyQAL6ZzsC6OvZmrg$S7r1vVmfro5BEZ5CxTSZ5SqQf2F3CKAKxRu+/DKDqDQ";

static int check_password(sb_practice *p, const char *password)
{
	int rc = sb_check_text(p, password, SB_PASSWORD_MAX, "password");
	if (rc == SB_OK && strlen(password) < SB_PASSWORD_MIN)
		rc = sb_fail(p, SB_EINVAL, "a password has at least %u bytes", SB_PASSWORD_MIN);
	return rc;
}

static int hash_password(sb_practice *p, const char *password, char out[crypto_pwhash_STRBYTES])
{
	if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return sb_fail(p, SB_ENOMEM, "no memory to hash the password");
	return SB_OK;
}

/* The teammate exists in this practice and was not removed. */
static int password_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	int rc = sb_access_not_removed(p, *id);
	if (rc == SB_OK)
		rc = sb_db_exec(p->db,
		                "INSERT INTO sb_teammate_password (teammate_id, practice_id, hash, set_at, failures, locked_until)"
		                " VALUES (?, ?, ?, ?, 0, 0) ON CONFLICT (teammate_id) DO UPDATE SET hash = excluded.hash,"
		                " set_at = excluded.set_at, failures = 0, locked_until = 0",
		                "iiti", *id, p->id, (const char *)arg, now);
	return rc;
}

int sb_teammate_password_set(sb_practice *p, sb_id actor, sb_id teammate, const char *password)
{
	char hash[crypto_pwhash_STRBYTES];
	int rc = sb_check_open(p);
	if (rc == SB_OK)
		rc = check_password(p, password);
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc == SB_OK && actor != teammate)
		rc = sb_access_admin(p, actor, "set other teammates' passwords");
	if (rc == SB_OK)
		rc = sb_access_not_removed(p, teammate);
	if (rc == SB_OK)
		rc = hash_password(p, password, hash);
	if (rc == SB_OK)
		rc = sb_transact(p, actor, "teammate.password", "teammate", &teammate, password_body, hash,
		                 "setting a password");
	sodium_memzero(hash, sizeof hash);
	return rc;
}

/* --- signing in --- */

/* What the store holds for a login phone. */
typedef struct holder {
	sb_id id; /* 0: no active teammate has the login */
	char hash[crypto_pwhash_STRBYTES];
	int64_t locked_until;
} holder;

static int find_holder(sb_practice *p, const char *login, holder *h)
{
	sb_stmt *st;
	size_t n = 0;
	memset(h, 0, sizeof *h);
	int rc = sb_db_row(p->db, &st,
	                   "SELECT t.id, w.hash, w.locked_until FROM sb_teammate t"
	                   " LEFT JOIN sb_teammate_password w ON w.teammate_id = t.id"
	                   " WHERE t.practice_id = ? AND t.login_phone = ? AND t.removed_at IS NULL AND t.status = 2",
	                   "it", p->id, login);
	if (rc == SB_ENOTFOUND)
		return SB_OK;
	if (rc != SB_OK)
		return sb_fail_store(p, rc, "signing in");
	h->id = sb_db_col_int(p->db, st, 0);
	const char *hash = sb_db_col_text(p->db, st, 1, &n);
	if (hash && n < sizeof h->hash)
		memcpy(h->hash, hash, n);
	h->locked_until = sb_db_col_int(p->db, st, 2);
	sb_db_release(p->db, st);
	return SB_OK;
}

typedef struct attempt {
	const holder *h;
	int outcome; /* SB_OK, SB_EDENIED or SB_ELIMIT */
} attempt;

/* Count a wrong password; the SB_SIGNIN_TRIES-th in a row locks. */
static int count_failure(sb_practice *p, attempt *a, int64_t now)
{
	int64_t failures = 0;
	int rc = sb_db_one_int(p->db, &failures,
	                       "UPDATE sb_teammate_password SET failures = failures + 1 WHERE teammate_id = ?"
	                       " RETURNING failures",
	                       "i", a->h->id);
	if (rc == SB_OK && failures >= (int64_t)SB_SIGNIN_TRIES) {
		a->outcome = SB_ELIMIT;
		rc = sb_db_exec(p->db, "UPDATE sb_teammate_password SET failures = 0, locked_until = ? WHERE teammate_id = ?",
		                "ii", now + SB_SIGNIN_LOCK_MS, a->h->id);
	}
	return rc == SB_ENOTFOUND ? SB_OK : rc; /* no password row: nothing to count */
}

static const char *action_of(int outcome)
{
	return outcome == SB_OK ? "teammate.sign_in" : outcome == SB_ELIMIT ? "teammate.sign_in_locked"
	                                                                    : "teammate.sign_in_refused";
}

/* Record the attempt's outcome and its audit entry in one transaction. */
static int record_attempt(sb_practice *p, attempt *a, int64_t now)
{
	int rc = sb_db_begin(p->db);
	if (rc != SB_OK)
		return sb_fail_store(p, rc, "signing in");
	if (a->outcome == SB_OK)
		rc = sb_db_exec(p->db, "UPDATE sb_teammate_password SET failures = 0 WHERE teammate_id = ?", "i", a->h->id);
	else if (a->outcome == SB_EDENIED && a->h->id)
		rc = count_failure(p, a, now);
	if (rc == SB_OK)
		rc = sb_audit_append(p, a->outcome == SB_OK ? a->h->id : SB_ACTOR_SYSTEM, action_of(a->outcome), "teammate",
		                     a->h->id);
	rc = sb_db_end(p->db, rc);
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "signing in");
}

/* Locked out, or the password against the stored (or the stand-in) hash. */
static int judge(const holder *h, const char *password, int64_t now)
{
	if (h->id && h->locked_until > now)
		return SB_ELIMIT;
	const char *hash = h->hash[0] ? h->hash : unknown_login_hash;
	int right = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
	return right && h->hash[0] ? SB_OK : SB_EDENIED;
}

static int refusal(sb_practice *p, int outcome)
{
	if (outcome == SB_ELIMIT)
		return sb_fail(p, SB_ELIMIT, "too many wrong passwords: signing in is locked for %d minutes",
		               SB_SIGNIN_LOCK_MS / 60000);
	return sb_fail(p, SB_EDENIED, "wrong login phone or password");
}

int sb_teammate_sign_in(sb_id *out_teammate, sb_practice *p, const char *login_phone, const char *password)
{
	char login[SB_PHONE_NUMBER_MAX];
	holder h;
	int64_t now = 0;
	int rc = sb_check_out(p, out_teammate, sizeof *out_teammate, "out_teammate");
	if (rc == SB_OK)
		rc = sb_check_text(p, password, SB_PASSWORD_MAX, "password");
	if (rc == SB_OK)
		rc = sb_check_nanp(p, login_phone, "the login phone", login);
	if (rc == SB_OK)
		rc = sb_now(p, &now);
	if (rc == SB_OK)
		rc = find_holder(p, login, &h);
	if (rc != SB_OK)
		return rc;
	attempt a = {&h, judge(&h, password, now)};
	rc = record_attempt(p, &a, now);
	if (rc == SB_OK && a.outcome == SB_OK)
		*out_teammate = h.id;
	sodium_memzero(&h, sizeof h);
	return rc == SB_OK && a.outcome != SB_OK ? refusal(p, a.outcome) : rc;
}
