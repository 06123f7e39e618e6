/* Call settings of business numbers, desk phones and the access pool (voice.h). */
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "internal.h"
#include "voice_internal.h"

/* --- a business number's call settings --- */

int sb_voice_settings_init(sb_voice_settings *s)
{
	if (!s)
		return SB_EINVAL;
	memset(s, 0, sizeof *s);
	s->version = SB_VOICE_SETTINGS_VERSION;
	return SB_OK;
}

/* 0 (the default) or a bound in SB_VOICE_MS_MIN..SB_VOICE_MS_MAX. */
static int check_ms(sb_practice *p, int64_t ms, const char *field)
{
	if (ms != 0 && (ms < SB_VOICE_MS_MIN || ms > SB_VOICE_MS_MAX))
		return sb_fail(p, SB_EINVAL, "%s must be 0 or %d..%d ms", field, SB_VOICE_MS_MIN, SB_VOICE_MS_MAX);
	return SB_OK;
}

static int check_optional(sb_practice *p, const char *s, size_t max, const char *field)
{
	return s ? sb_check_text(p, s, max, field) : SB_OK;
}

typedef struct checked_settings {
	const sb_voice_settings *s;
	char extra[SB_EXTRA_NUMBERS_MAX][SB_PHONE_NUMBER_MAX];
} checked_settings;

static int check_settings(sb_practice *p, checked_settings *c)
{
	const sb_voice_settings *s = c->s;
	if (s->version != SB_VOICE_SETTINGS_VERSION)
		return sb_fail(p, SB_EVERSION, "sb_voice_settings version %u is not %u", s->version,
		               SB_VOICE_SETTINGS_VERSION);
	if (s->ring_mode != SB_RING_SIMULTANEOUS && s->ring_mode != SB_RING_SEQUENTIAL &&
	    s->ring_mode != SB_RING_ROUND_ROBIN)
		return sb_fail(p, SB_EINVAL, "unknown ring mode %d", s->ring_mode);
	if (s->tree_id < 0)
		return sb_fail(p, SB_EINVAL, "tree_id must not be negative");
	if (s->extra_count > SB_EXTRA_NUMBERS_MAX || (s->extra_count && !s->extra_numbers))
		return sb_fail(p, SB_EINVAL, "extra_numbers must hold 0..%u numbers", SB_EXTRA_NUMBERS_MAX);
	int rc = check_ms(p, s->ring_timeout_ms, "ring_timeout_ms");
	if (rc == SB_OK)
		rc = check_ms(p, s->screen_timeout_ms, "screen_timeout_ms");
	if (rc == SB_OK)
		rc = check_ms(p, s->voicemail_max_ms, "voicemail_max_ms");
	if (rc == SB_OK)
		rc = check_optional(p, s->greeting, SB_GREETING_MAX, "greeting");
	if (rc == SB_OK)
		rc = check_optional(p, s->greeting_media, SB_MEDIA_REF_MAX, "greeting_media");
	if (rc == SB_OK && s->greeting && *s->greeting && s->greeting_media && *s->greeting_media)
		rc = sb_fail(p, SB_EINVAL, "a greeting is spoken or recorded, not both");
	for (size_t i = 0; rc == SB_OK && i < s->extra_count; i++)
		rc = sb_check_nanp(p, s->extra_numbers[i], "an extra number", c->extra[i]);
	return rc;
}

/* A business number that takes calls: exists here, is a number, is active. */
static int load_number(sb_practice *p, sb_id endpoint)
{
	sb_stmt *st;
	int rc = sb_db_row(p->db, &st, "SELECT kind, retired_at FROM sb_endpoint WHERE id = ? AND practice_id = ?", "ii",
	                   endpoint, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such business number in this practice");
	if (rc != SB_OK)
		return rc;
	int64_t kind = sb_db_col_int(p->db, st, 0), retired = sb_db_col_int(p->db, st, 1);
	sb_db_release(p->db, st);
	if (kind != SB_ENDPOINT_BUSINESS_NUMBER)
		return sb_fail(p, SB_ESTATE, "only business numbers take calls");
	return retired ? sb_fail(p, SB_ESTATE, "the business number is retired") : SB_OK;
}

static int settings_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	const checked_settings *c = arg;
	const sb_voice_settings *s = c->s;
	(void)now;
	int rc = load_number(p, *id);
	if (rc == SB_OK && s->tree_id &&
	    sb_db_one_int(p->db, NULL, "SELECT id FROM sb_tree WHERE id = ? AND practice_id = ?", "ii", s->tree_id,
	                  p->id) == SB_ENOTFOUND)
		rc = sb_fail(p, SB_ENOTFOUND, "no such phone tree in this practice");
	if (rc == SB_OK)
		rc = sb_db_exec(p->db,
		                "UPDATE sb_endpoint SET ring_mode = ?, ring_timeout_ms = ?, screen_timeout_ms = ?,"
		                " voicemail_max_ms = ?, greeting = ?, greeting_media = ?, tree_id = ? WHERE id = ?",
		                "iiiittii", (int64_t)s->ring_mode, s->ring_timeout_ms, s->screen_timeout_ms,
		                s->voicemail_max_ms, s->greeting ? s->greeting : "",
		                s->greeting_media ? s->greeting_media : "", s->tree_id, *id);
	if (rc == SB_OK)
		rc = sb_db_exec(p->db, "DELETE FROM sb_endpoint_ring WHERE endpoint_id = ?", "i", *id);
	for (size_t i = 0; rc == SB_OK && i < s->extra_count; i++)
		rc = sb_db_exec(p->db, "INSERT INTO sb_endpoint_ring (endpoint_id, position, number) VALUES (?, ?, ?)", "iit",
		                *id, (int64_t)i, c->extra[i]);
	return rc;
}

int sb_voice_settings_set(sb_practice *p, sb_id actor, sb_id endpoint, const sb_voice_settings *s)
{
	int rc = sb_check_open(p);
	if (rc != SB_OK)
		return rc;
	if (!s)
		return sb_fail(p, SB_EINVAL, "settings are required");
	checked_settings c = {s, {{0}}};
	if ((rc = check_settings(p, &c)) != SB_OK || (rc = sb_check_actor(p, actor)) != SB_OK ||
	    (rc = sb_access_endpoint_owner(p, actor, endpoint)) != SB_OK)
		return rc;
	return sb_transact(p, actor, "voice.settings", "endpoint", &endpoint, settings_body, &c,
	                   "changing call settings");
}

/* --- one number's ring timeout --- */

typedef struct ring_timeout {
	char number[SB_PHONE_NUMBER_MAX];
	int64_t ms;
} ring_timeout;

static int ring_timeout_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	const ring_timeout *t = arg;
	(void)now;
	int rc = load_number(p, *id);
	if (rc == SB_OK && !t->ms)
		return sb_db_exec(p->db, "DELETE FROM sb_ring_timeout WHERE endpoint_id = ? AND number = ?", "it", *id,
		                  t->number);
	return rc == SB_OK ? sb_db_exec(p->db,
	                                "INSERT INTO sb_ring_timeout (endpoint_id, number, timeout_ms) VALUES (?, ?, ?)"
	                                " ON CONFLICT (endpoint_id, number) DO UPDATE SET timeout_ms = excluded.timeout_ms",
	                                "iti", *id, t->number, t->ms)
	                   : rc;
}

int sb_ring_timeout_set(sb_practice *p, sb_id actor, sb_id endpoint, const char *number, int64_t timeout_ms)
{
	ring_timeout t = {"", timeout_ms};
	int rc = sb_check_open(p);
	if (rc == SB_OK)
		rc = sb_check_nanp(p, number, "number", t.number);
	if (rc == SB_OK)
		rc = check_ms(p, timeout_ms, "timeout_ms");
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc == SB_OK)
		rc = sb_access_endpoint_owner(p, actor, endpoint);
	return rc == SB_OK ? sb_transact(p, actor, "voice.ring_timeout", "endpoint", &endpoint, ring_timeout_body, &t,
	                                 "changing a ring timeout")
	                   : rc;
}

int sb_voice_ring_timeout(sb_practice *p, const sb_voice_config *cfg, const char *number, int64_t *out_ms)
{
	int rc = sb_db_one_int(p->db, out_ms, "SELECT timeout_ms FROM sb_ring_timeout WHERE endpoint_id = ? AND number = ?",
	                       "it", cfg->endpoint_id, number);
	if (rc == SB_ENOTFOUND)
		*out_ms = cfg->ring_timeout_ms;
	return rc == SB_ENOTFOUND ? SB_OK : rc;
}

static int64_t or_default(int64_t v, int64_t def)
{
	return v ? v : def;
}

int sb_voice_config_load(sb_practice *p, sb_id endpoint, sb_voice_config *out)
{
	sb_stmt *st;
	memset(out, 0, sizeof *out);
	int rc = sb_db_row(p->db, &st,
	                   "SELECT ring_mode, ring_timeout_ms, screen_timeout_ms, voicemail_max_ms, greeting,"
	                   " greeting_media, tree_id FROM sb_endpoint WHERE id = ? AND practice_id = ?",
	                   "ii", endpoint, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such business number in this practice");
	if (rc != SB_OK)
		return rc;
	out->endpoint_id = endpoint;
	out->ring_mode = (int)sb_db_col_int(p->db, st, 0);
	out->ring_timeout_ms = or_default(sb_db_col_int(p->db, st, 1), SB_RING_TIMEOUT_DEFAULT);
	out->screen_timeout_ms = or_default(sb_db_col_int(p->db, st, 2), SB_SCREEN_TIMEOUT_DEFAULT);
	out->voicemail_max_ms = or_default(sb_db_col_int(p->db, st, 3), SB_VOICEMAIL_MAX_DEFAULT);
	sb_db_col_copy(p->db, st, 4, out->greeting, sizeof out->greeting);
	sb_db_col_copy(p->db, st, 5, out->greeting_media, sizeof out->greeting_media);
	out->tree_id = sb_db_col_int(p->db, st, 6);
	sb_db_release(p->db, st);
	return SB_OK;
}

int sb_voice_extras_load(sb_practice *p, sb_id endpoint, sb_voice_config *out)
{
	sb_stmt *st;
	out->extra_count = 0;
	int rc = sb_db_query(p->db, &st, "SELECT number FROM sb_endpoint_ring WHERE endpoint_id = ? ORDER BY position",
	                     "i", endpoint);
	while (rc == SB_OK && (rc = sb_db_step(p->db, st)) == SB_STORE_ROW && out->extra_count < SB_EXTRA_NUMBERS_MAX) {
		sb_db_col_copy(p->db, st, 0, out->extra_numbers[out->extra_count++], SB_PHONE_NUMBER_MAX);
		rc = SB_OK;
	}
	sb_db_release(p->db, st);
	return rc < 0 ? rc : SB_OK;
}

/* A business number's settings, for an actor who sees it (T8). */
static int readable_config(sb_practice *p, sb_id actor, sb_id endpoint, sb_voice_config *out)
{
	int rc = sb_check_actor(p, actor);
	if (rc == SB_OK)
		rc = sb_access_endpoint(p, actor, endpoint);
	if (rc == SB_OK)
		rc = load_number(p, endpoint);
	return rc == SB_OK ? sb_voice_config_load(p, endpoint, out) : rc;
}

int sb_voice_settings_get(sb_voice_config *out, sb_practice *p, sb_id actor, sb_id endpoint)
{
	int rc = sb_check_out(p, out, sizeof *out, "out");
	if (rc == SB_OK)
		rc = readable_config(p, actor, endpoint, out);
	if (rc == SB_OK)
		rc = sb_voice_extras_load(p, endpoint, out);
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "reading call settings");
}

int sb_ring_timeout_get(int64_t *out_ms, sb_practice *p, sb_id actor, sb_id endpoint, const char *number)
{
	char e164[SB_PHONE_NUMBER_MAX];
	sb_voice_config cfg;
	int rc = sb_check_out(p, out_ms, sizeof *out_ms, "out_ms");
	if (rc == SB_OK)
		rc = sb_check_nanp(p, number, "number", e164);
	if (rc == SB_OK)
		rc = readable_config(p, actor, endpoint, &cfg);
	if (rc == SB_OK)
		rc = sb_voice_ring_timeout(p, &cfg, e164, out_ms);
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "reading a ring timeout");
}

/* --- desk phones --- */

/* 2..6 digits, not starting with 0 (the operator) or 9 (an outside line, 911). */
static int check_extension(sb_practice *p, const char *ext)
{
	size_t n = strlen(ext);
	int ok = n >= 2 && n <= 6 && ext[0] != '0' && ext[0] != '9';
	for (size_t i = 0; ok && i < n; i++)
		ok = ext[i] >= '0' && ext[i] <= '9';
	return ok ? SB_OK : sb_fail(p, SB_EINVAL, "an extension is 2..6 digits, not starting with 0 or 9");
}

typedef struct desk {
	sb_id teammate;
	const char *extension, *device, *address;
} desk;

static int desk_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	const desk *d = arg;
	int rc = sb_access_active_teammate(p, d->teammate);
	if (rc == SB_OK && sb_db_one_int(p->db, NULL, "SELECT id FROM sb_desk_phone WHERE practice_id = ? AND extension = ?",
	                                 "it", p->id, d->extension) == SB_OK)
		rc = sb_fail(p, SB_ECONFLICT, "the extension is taken");
	if (rc == SB_OK)
		rc = sb_db_one_int(p->db, id,
		                   "INSERT INTO sb_desk_phone (practice_id, teammate_id, extension, device, address, created_at)"
		                   " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
		                   "iittti", p->id, d->teammate, d->extension, d->device,
		                   d->address ? d->address : "", now);
	return rc;
}

int sb_desk_phone_add(sb_id *out_id, sb_practice *p, sb_id actor, sb_id teammate, const char *extension,
                      const char *device, const char *address)
{
	int rc = sb_check_out(p, out_id, sizeof *out_id, "out_id");
	if (rc != SB_OK)
		return rc;
	if (!extension || !device)
		return sb_fail(p, SB_EINVAL, "extension and device are required");
	if (teammate <= 0)
		return sb_fail(p, SB_EINVAL, "teammate id must be positive");
	if ((rc = check_extension(p, extension)) != SB_OK || (rc = sb_check_text(p, device, SB_DEVICE_MAX, "device")) != SB_OK ||
	    (rc = check_optional(p, address, SB_POSTAL_ADDRESS_MAX, "address")) != SB_OK)
		return rc;
	if (!*device)
		return sb_fail(p, SB_EINVAL, "device must not be empty");
	if ((rc = sb_check_actor(p, actor)) != SB_OK || (rc = sb_access_admin(p, actor, "add desk phones")) != SB_OK)
		return rc;
	desk d = {teammate, extension, device, address};
	return sb_transact(p, actor, "desk_phone.add", "desk_phone", out_id, desk_body, &d, "adding a desk phone");
}

#define DESK_COLUMNS "SELECT id, teammate_id, extension, device, address, created_at FROM sb_desk_phone"

/* One desk phone from a statement over DESK_COLUMNS; SB_ENOTFOUND when none. */
static int desk_row(sb_practice *p, sb_stmt *st, int rc, sb_desk_phone *out)
{
	if (rc != SB_OK)
		return rc;
	out->id = sb_db_col_int(p->db, st, 0);
	out->teammate_id = sb_db_col_int(p->db, st, 1);
	sb_db_col_copy(p->db, st, 2, out->extension, sizeof out->extension);
	sb_db_col_copy(p->db, st, 3, out->device, sizeof out->device);
	sb_db_col_copy(p->db, st, 4, out->address, sizeof out->address);
	out->created_at = sb_db_col_int(p->db, st, 5);
	sb_db_release(p->db, st);
	return SB_OK;
}

int sb_desk_phone_by_id(sb_practice *p, sb_id id, sb_desk_phone *out)
{
	sb_stmt *st = NULL;
	int rc = sb_db_row(p->db, &st, DESK_COLUMNS " WHERE id = ? AND practice_id = ?", "ii", id, p->id);
	rc = desk_row(p, st, rc, out);
	return rc == SB_ENOTFOUND ? sb_fail(p, rc, "no such desk phone in this practice") : rc;
}

int sb_desk_phone_by_extension(sb_practice *p, const char *extension, sb_desk_phone *out)
{
	sb_stmt *st = NULL;
	int rc = sb_db_row(p->db, &st, DESK_COLUMNS " WHERE practice_id = ? AND extension = ?", "it", p->id, extension);
	return desk_row(p, st, rc, out);
}

/* Checked, then `body` audited as `action` by an admin (`what` for the refusal). */
static int admin_change(sb_practice *p, sb_id actor, sb_id id, const char *action, sb_step body, const void *arg,
                        const char *what, const char *failing)
{
	int rc = sb_check_open(p);
	if (rc == SB_OK && id <= 0)
		rc = sb_fail(p, SB_EINVAL, "id must be positive");
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc == SB_OK)
		rc = sb_access_admin(p, actor, what);
	return rc == SB_OK ? sb_transact(p, actor, action, "desk_phone", &id, body, arg, failing) : rc;
}

int sb_desk_phone_get(sb_desk_phone *out, sb_practice *p, sb_id actor, sb_id id)
{
	int rc = sb_check_out(p, out, sizeof *out, "out");
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc == SB_OK)
		rc = sb_desk_phone_by_id(p, id, out);
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "reading a desk phone");
}

static int remove_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	(void)arg;
	(void)now;
	int rc = sb_db_one_int(p->db, NULL, "DELETE FROM sb_desk_phone WHERE id = ? AND practice_id = ? RETURNING id", "ii",
	                       *id, p->id);
	return rc == SB_ENOTFOUND ? sb_fail(p, rc, "no such desk phone in this practice") : rc;
}

int sb_desk_phone_remove(sb_practice *p, sb_id actor, sb_id id)
{
	return admin_change(p, actor, id, "desk_phone.remove", remove_body, NULL, "remove desk phones",
	                    "removing a desk phone");
}

/* --- the access pool --- */

typedef struct pool {
	char (*numbers)[SB_PHONE_NUMBER_MAX];
	size_t count;
	int64_t lifetime;
} pool;

/* Is `number` among the first n of the new pool? */
static int in_pool(const pool *o, const char *number)
{
	for (size_t i = 0; i < o->count; i++)
		if (strcmp(o->numbers[i], number) == 0)
			return 1;
	return 0;
}

/* Numbers that leave the pool go, with their reservations; numbers that
 * stay keep theirs; new ones arrive free. */
static int pool_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	const pool *o = arg;
	(void)id;
	(void)now;
	sb_stmt *st;
	char gone[64][SB_PHONE_NUMBER_MAX];
	size_t n_gone;
	int rc;
	do { /* in batches, so that no statement stays open across the deletes */
		n_gone = 0;
		rc = sb_db_query(p->db, &st, "SELECT number FROM sb_access_number WHERE practice_id = ? ORDER BY number", "i",
		                 p->id);
		while (rc == SB_OK && n_gone < 64 && (rc = sb_db_step(p->db, st)) == SB_STORE_ROW) {
			sb_db_col_copy(p->db, st, 0, gone[n_gone], SB_PHONE_NUMBER_MAX);
			n_gone += !in_pool(o, gone[n_gone]);
			rc = SB_OK;
		}
		rc = rc < 0 ? rc : SB_OK;
		sb_db_release(p->db, st);
		for (size_t i = 0; rc == SB_OK && i < n_gone; i++)
			rc = sb_db_exec(p->db, "DELETE FROM sb_access_number WHERE practice_id = ? AND number = ?", "it", p->id,
			                gone[i]);
	} while (rc == SB_OK && n_gone == 64);
	for (size_t i = 0; rc == SB_OK && i < o->count; i++) {
		if (sb_db_one_int(p->db, NULL,
		                  "SELECT id FROM sb_endpoint WHERE practice_id = ? AND kind = 1 AND address = ?"
		                  " AND retired_at IS NULL",
		                  "it", p->id, o->numbers[i]) == SB_OK)
			rc = sb_fail(p, SB_ECONFLICT, "access number %zu is a business number", i + 1);
		else
			rc = sb_db_exec(p->db,
			                "INSERT INTO sb_access_number (practice_id, number) VALUES (?, ?)"
			                " ON CONFLICT (practice_id, number) DO NOTHING",
			                "it", p->id, o->numbers[i]);
	}
	if (rc == SB_OK)
		rc = sb_db_exec(p->db, "UPDATE sb_practice SET access_lifetime_ms = ? WHERE id = ?", "ii", o->lifetime, p->id);
	return rc;
}

int sb_access_pool_set(sb_practice *p, sb_id actor, const char *const *numbers, size_t count, int64_t lifetime_ms)
{
	int rc = sb_check_open(p);
	if (rc != SB_OK)
		return rc;
	if (count > SB_ACCESS_POOL_MAX || (count && !numbers))
		return sb_fail(p, SB_EINVAL, "the pool holds 0..%u numbers", SB_ACCESS_POOL_MAX);
	if (lifetime_ms != 0 && (lifetime_ms < SB_VOICE_MS_MIN || lifetime_ms > 86400000))
		return sb_fail(p, SB_EINVAL, "lifetime_ms must be 0 or %d ms .. 24 h", SB_VOICE_MS_MIN);
	pool o = {count ? calloc(count, sizeof *o.numbers) : NULL, count, lifetime_ms};
	if (count && !o.numbers)
		return sb_fail(p, SB_ENOMEM, "out of memory");
	for (size_t i = 0; rc == SB_OK && i < count; i++) {
		rc = sb_check_nanp(p, numbers[i], "an access number", o.numbers[i]);
		for (size_t k = 0; rc == SB_OK && k < i; k++)
			if (strcmp(o.numbers[k], o.numbers[i]) == 0)
				rc = sb_fail(p, SB_EINVAL, "access numbers %zu and %zu are the same", k + 1, i + 1);
	}
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc == SB_OK)
		rc = sb_access_admin(p, actor, "change the access pool");
	sb_id practice = p->id;
	if (rc == SB_OK)
		rc = sb_transact(p, actor, "access_pool.set", "practice", &practice, pool_body, &o,
		                 "changing the access pool");
	free(o.numbers);
	return rc;
}
