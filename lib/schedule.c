/* Scheduled automated texts (A3): stored sealed, claimed once by a pump,
 * sent through the ordinary outbox under a key that cannot repeat. */
#include "access.h"
#include "phi.h"
#include "routing.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sb_scheduled_sms_init(sb_scheduled_sms *s)
{
	if (!s)
		return SB_EINVAL;
	memset(s, 0, sizeof *s);
	s->version = SB_SCHEDULED_SMS_VERSION;
	return SB_OK;
}

/* The carrier's timer for the next waiting text, when the host keeps
 * timers. A failure is left for the next pump to mend. */
static void arm_timer(sb_practice *p)
{
	int64_t next = 0;
	if (!p->carrier.timer_start ||
	    sb_db_one_int(p->db, &next, "SELECT COALESCE(MIN(due_at), 0) FROM sb_schedule WHERE practice_id = ? AND state = ?",
	                  "ii", p->id, (int64_t)SB_SCHEDULE_PENDING) != SB_OK)
		return;
	if (next)
		p->carrier.timer_start(p->carrier.userdata, SB_SCHEDULE_TIMER, next);
	else if (p->carrier.timer_stop)
		p->carrier.timer_stop(p->carrier.userdata, SB_SCHEDULE_TIMER);
}

static int check_times(sb_practice *p, int64_t due_at, int64_t expires_at)
{
	if (due_at <= 0)
		return sb_fail(p, SB_EINVAL, "due_at must be a positive time");
	if (expires_at && expires_at <= due_at)
		return sb_fail(p, SB_EINVAL, "expires_at must be after due_at (or 0)");
	return SB_OK;
}

static int64_t expiry(int64_t due_at, int64_t expires_at)
{
	return expires_at ? expires_at : due_at + SB_SCHEDULE_GRACE_MS;
}

/* --- scheduling --- */

typedef struct creation {
	const sb_scheduled_sms *s;
	sb_id actor;
	char number[SB_PHONE_NUMBER_MAX]; /* E.164 of `to` */
} creation;

static int check_recipient(sb_practice *p, const sb_scheduled_sms *s, char *number)
{
	if ((s->contact != 0) == (s->to != NULL))
		return sb_fail(p, SB_EINVAL, "give exactly one of contact and to");
	if (s->to) {
		int rc = sb_check_nanp(p, s->to, "to", number);
		return rc == SB_OK ? sb_check_textable(p, number, "to") : rc;
	}
	int rc = sb_db_one_int(p->db, NULL, "SELECT id FROM sb_contact WHERE id = ? AND practice_id = ?", "ii", s->contact,
	                       p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such contact in this practice");
	if (rc == SB_OK)
		rc = sb_db_one_int(p->db, NULL, "SELECT id FROM sb_contact_address WHERE contact_id = ? AND kind = ? LIMIT 1",
		                   "ii", s->contact, (int64_t)SB_ADDRESS_PHONE);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, SB_ESTATE, "the contact has no phone number");
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "reading a contact");
}

static int check_scheduled(sb_practice *p, const sb_scheduled_sms *s, char *number)
{
	sb_pair pair;
	if (!s)
		return sb_fail(p, SB_EINVAL, "the scheduled text is required");
	if (s->version != SB_SCHEDULED_SMS_VERSION)
		return sb_fail(p, SB_EVERSION, "sb_scheduled_sms version %u is not %u", s->version, SB_SCHEDULED_SMS_VERSION);
	int rc = sb_check_text(p, s->body, SB_SMS_BODY_MAX, "body");
	if (rc == SB_OK && !s->body[0])
		rc = sb_fail(p, SB_EINVAL, "a scheduled text needs a body");
	if (rc == SB_OK && s->idempotency_key)
		rc = sb_check_text(p, s->idempotency_key, SB_IDEMPOTENCY_KEY_MAX, "idempotency_key");
	if (rc == SB_OK && (s->purpose < SB_PURPOSE_OTHER || s->purpose > SB_PURPOSE_REMINDER))
		rc = sb_fail(p, SB_EINVAL, "purpose must be an sb_schedule_purpose");
	if (rc == SB_OK)
		rc = check_times(p, s->due_at, s->expires_at);
	if (rc == SB_OK)
		rc = check_recipient(p, s, number);
	return rc == SB_OK ? sb_pair_by_endpoint(p, &pair, s->endpoint) : rc;
}

static int create_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	const creation *c = arg;
	const sb_scheduled_sms *s = c->s;
	int rc = sb_db_one_int(p->db, id,
	                       "INSERT INTO sb_schedule (practice_id, endpoint_id, contact_id, purpose, due_at, expires_at,"
	                       " state, host_key, created_by, created_at, updated_at) VALUES (?, ?, NULLIF(?, 0), ?, ?, ?, ?,"
	                       " ?, ?, ?, ?) ON CONFLICT (practice_id, host_key) DO NOTHING RETURNING id",
	                       "iiiiiiitiii", p->id, s->endpoint, s->contact, (int64_t)s->purpose, s->due_at,
	                       expiry(s->due_at, s->expires_at), (int64_t)SB_SCHEDULE_PENDING, s->idempotency_key,
	                       c->actor, now, now);
	if (rc == SB_ENOTFOUND) /* the key was used: the first scheduling answers */
		return sb_db_one_int(p->db, id, "SELECT id FROM sb_schedule WHERE practice_id = ? AND host_key = ?", "it",
		                     p->id, s->idempotency_key);
	if (rc == SB_OK)
		rc = sb_phi_store(p, "sb_schedule", "body", *id, s->body);
	return rc == SB_OK && s->to ? sb_phi_store(p, "sb_schedule", "recipient", *id, c->number) : rc;
}

int sb_schedule_create(sb_id *out_id, sb_practice *p, sb_id actor, const sb_scheduled_sms *s)
{
	creation *c = calloc(1, sizeof *c);
	int rc = sb_check_out(p, out_id, sizeof *out_id, "out_id");
	if (rc == SB_OK && !c)
		rc = sb_fail(p, SB_ENOMEM, "out of memory");
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc == SB_OK)
		rc = check_scheduled(p, s, c->number);
	if (rc == SB_OK)
		rc = sb_access_endpoint(p, actor, s->endpoint);
	if (rc == SB_OK) {
		c->s = s;
		c->actor = actor;
		rc = sb_transact(p, actor, "schedule.create", "schedule", out_id, create_body, c, "scheduling a text");
	}
	if (c)
		sodium_memzero(c->number, sizeof c->number);
	free(c);
	if (rc == SB_OK)
		arm_timer(p);
	else if (out_id)
		*out_id = 0;
	return rc;
}

/* --- reading --- */

#define SCHEDULED_COLUMNS                                                                                   \
	"s.id, s.endpoint_id, COALESCE(s.contact_id, 0), s.purpose, s.state, s.due_at, s.expires_at, s.created_by," \
	" s.created_at, s.updated_at, COALESCE(s.item_id, 0), COALESCE(i.conversation_id, 0), COALESCE(i.status, 0)" \
	" FROM sb_schedule s LEFT JOIN sb_item i ON i.id = s.item_id"

static void fill_scheduled(sb_db *db, sb_stmt *st, void *out, size_t i)
{
	sb_scheduled *s = (sb_scheduled *)out + i;
	s->id = sb_db_col_int(db, st, 0);
	s->endpoint_id = sb_db_col_int(db, st, 1);
	s->contact_id = sb_db_col_int(db, st, 2);
	s->purpose = (int)sb_db_col_int(db, st, 3);
	s->state = (int)sb_db_col_int(db, st, 4);
	s->due_at = sb_db_col_int(db, st, 5);
	s->expires_at = sb_db_col_int(db, st, 6);
	s->created_by = sb_db_col_int(db, st, 7);
	s->created_at = sb_db_col_int(db, st, 8);
	s->updated_at = sb_db_col_int(db, st, 9);
	s->item_id = sb_db_col_int(db, st, 10);
	s->conversation_id = sb_db_col_int(db, st, 11);
	s->message_status = (int)sb_db_col_int(db, st, 12);
}

/* The text's business number, once the actor is known to see it. */
static int gate(sb_practice *p, sb_id actor, sb_id id)
{
	sb_id endpoint = 0;
	int rc = sb_check_actor(p, actor);
	if (rc == SB_OK)
		rc = sb_db_one_int(p->db, &endpoint, "SELECT endpoint_id FROM sb_schedule WHERE id = ? AND practice_id = ?",
		                   "ii", id, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such scheduled text in this practice");
	if (rc != SB_OK)
		return sb_fail_store(p, rc, "reading a scheduled text");
	return sb_access_endpoint(p, actor, endpoint);
}

int sb_schedule_get(sb_scheduled *out, sb_practice *p, sb_id actor, sb_id id)
{
	sb_stmt *st;
	size_t n = 0;
	int rc = sb_check_out(p, out, sizeof *out, "out");
	if (rc == SB_OK)
		rc = gate(p, actor, id);
	if (rc != SB_OK)
		return rc;
	rc = sb_db_query(p->db, &st, "SELECT " SCHEDULED_COLUMNS " WHERE s.id = ?", "i", id);
	if (rc == SB_OK)
		rc = sb_db_fill(p->db, st, fill_scheduled, out, &n);
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "reading a scheduled text");
}

int sb_schedule_list(sb_scheduled *out, size_t *out_count, sb_practice *p, sb_id actor, int state, sb_id after_id,
                     size_t max)
{
	sb_stmt *st;
	int64_t due = INT64_MIN;
	int rc = sb_check_list(p, out, out_count, max, SB_SCHEDULE_PAGE_MAX, after_id, "after_id");
	if (rc == SB_OK && (state < 0 || state > SB_SCHEDULE_FAILED))
		rc = sb_fail(p, SB_EINVAL, "state must be 0 (any) or an sb_schedule_state");
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc == SB_OK && after_id) {
		rc = sb_db_one_int(p->db, &due, "SELECT due_at FROM sb_schedule WHERE id = ? AND practice_id = ?", "ii",
		                   after_id, p->id);
		if (rc == SB_ENOTFOUND)
			rc = sb_fail(p, rc, "after_id names no scheduled text of this practice");
	}
	if (rc != SB_OK)
		return rc;
	/* Two statements, so each walks its own index: (practice, state, due, id) or (practice, due, id). */
	rc = state ? sb_db_query(p->db, &st,
	                         "SELECT " SCHEDULED_COLUMNS " WHERE s.practice_id = ? AND s.state = ? AND (s.due_at > ? OR"
	                         " (s.due_at = ? AND s.id > ?)) AND s.endpoint_id IN (" SB_VISIBLE_ENDPOINTS ")"
	                         " ORDER BY s.due_at, s.id LIMIT ?",
	                         "iiiiiiiiiii", p->id, (int64_t)state, due, due, after_id, p->id, actor, actor, actor,
	                         actor, (int64_t)max)
	           : sb_db_query(p->db, &st,
	                         "SELECT " SCHEDULED_COLUMNS " WHERE s.practice_id = ? AND (s.due_at > ? OR"
	                         " (s.due_at = ? AND s.id > ?)) AND s.endpoint_id IN (" SB_VISIBLE_ENDPOINTS ")"
	                         " ORDER BY s.due_at, s.id LIMIT ?",
	                         "iiiiiiiiii", p->id, due, due, after_id, p->id, actor, actor, actor, actor, (int64_t)max);
	if (rc == SB_OK)
		rc = sb_db_fill(p->db, st, fill_scheduled, out, out_count);
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "listing scheduled texts");
}

/* --- changing a waiting text --- */

typedef struct change {
	int64_t due_at, expires_at; /* 0, 0: cancel */
} change;

static int change_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	const change *c = arg;
	int rc = c->due_at ? sb_db_one_int(p->db, NULL,
	                                   "UPDATE sb_schedule SET due_at = ?, expires_at = ?, updated_at = ? WHERE id = ?"
	                                   " AND state = ? RETURNING id",
	                                   "iiiii", c->due_at, expiry(c->due_at, c->expires_at), now, *id,
	                                   (int64_t)SB_SCHEDULE_PENDING)
	                   : sb_db_one_int(p->db, NULL,
	                                   "UPDATE sb_schedule SET state = ?, updated_at = ? WHERE id = ? AND state = ?"
	                                   " RETURNING id",
	                                   "iiii", (int64_t)SB_SCHEDULE_CANCELLED, now, *id, (int64_t)SB_SCHEDULE_PENDING);
	return rc == SB_ENOTFOUND ? sb_fail(p, SB_ESTATE, "the text is no longer waiting (sending, sent, cancelled or missed)")
	                          : rc;
}

static int change_waiting(sb_practice *p, sb_id actor, sb_id id, const change *c, const char *action, const char *what)
{
	int rc = sb_check_open(p);
	if (rc == SB_OK && c->due_at)
		rc = check_times(p, c->due_at, c->expires_at);
	if (rc == SB_OK)
		rc = gate(p, actor, id);
	if (rc == SB_OK)
		rc = sb_transact(p, actor, action, "schedule", &id, change_body, c, what);
	if (rc == SB_OK)
		arm_timer(p);
	return rc;
}

int sb_schedule_reschedule(sb_practice *p, sb_id actor, sb_id id, int64_t due_at, int64_t expires_at)
{
	change c = {due_at, expires_at};
	if (due_at == 0 && sb_check_open(p) == SB_OK)
		return sb_fail(p, SB_EINVAL, "due_at must be a positive time");
	return change_waiting(p, actor, id, &c, "schedule.change", "rescheduling a text");
}

int sb_schedule_cancel(sb_practice *p, sb_id actor, sb_id id)
{
	change c = {0, 0};
	return change_waiting(p, actor, id, &c, "schedule.cancel", "cancelling a text");
}

/* --- the pump --- */

/* The next text to take: due and waiting, or claimed by a pump that has
 * been silent for SB_OUTBOX_STALE_MS (it died: its key keeps this once). */
static int next_due(sb_practice *p, int64_t now, sb_id *id)
{
	int rc = sb_db_one_int(p->db, id,
	                       "SELECT id FROM sb_schedule WHERE practice_id = ? AND state = ? AND due_at <= ?"
	                       " ORDER BY due_at, id LIMIT 1",
	                       "iii", p->id, (int64_t)SB_SCHEDULE_PENDING, now);
	if (rc == SB_ENOTFOUND)
		rc = sb_db_one_int(p->db, id,
		                   "SELECT id FROM sb_schedule WHERE practice_id = ? AND state = ? AND due_at <= ?"
		                   " AND claimed_at <= ? ORDER BY due_at, id LIMIT 1",
		                   "iiii", p->id, (int64_t)SB_SCHEDULE_SENDING, now, now - SB_OUTBOX_STALE_MS);
	return rc;
}

/* Claim it (SENDING) or, past its expiry, mark it MISSED: one pump wins. */
static int claim(sb_practice *p, sb_id id, int64_t now, int64_t *state)
{
	return sb_db_one_int(p->db, state,
	                     "UPDATE sb_schedule SET state = CASE WHEN expires_at < ? THEN ? ELSE ? END, claimed_at = ?,"
	                     " updated_at = ? WHERE id = ? AND (state = ? OR (state = ? AND claimed_at <= ?)) RETURNING state",
	                     "iiiiiiiii", now, (int64_t)SB_SCHEDULE_MISSED, (int64_t)SB_SCHEDULE_SENDING, now, now, id,
	                     (int64_t)SB_SCHEDULE_PENDING, (int64_t)SB_SCHEDULE_SENDING, now - SB_OUTBOX_STALE_MS);
}

typedef struct text {
	sb_id endpoint, contact;
	char to[SB_PHONE_NUMBER_MAX];
	char body[SB_SMS_BODY_MAX + 1];
} text;

static int load_text(sb_practice *p, sb_id id, text *t)
{
	sb_stmt *st;
	int rc = sb_db_row(p->db, &st, "SELECT endpoint_id, COALESCE(contact_id, 0), recipient, body FROM sb_schedule WHERE id = ?",
	                   "i", id);
	if (rc != SB_OK)
		return rc;
	t->endpoint = sb_db_col_int(p->db, st, 0);
	t->contact = sb_db_col_int(p->db, st, 1);
	rc = sb_phi_column(p, st, 2, "sb_schedule", "recipient", id, t->to, sizeof t->to);
	if (rc == SB_OK)
		rc = sb_phi_column(p, st, 3, "sb_schedule", "body", id, t->body, sizeof t->body);
	sb_db_release(p->db, st);
	return rc;
}

/* Send a claimed text as the system, and record what it became. */
static int send_one(sb_practice *p, sb_id id, text *t, sb_pump_report *out)
{
	char key[SB_IDEMPOTENCY_KEY_MAX + 1];
	sb_outbound_sms m;
	sb_sent sent;
	int rc = load_text(p, id, t);
	if (rc != SB_OK)
		return sb_fail_store(p, rc, "reading a scheduled text");
	snprintf(key, sizeof key, "sb-schedule-%lld", (long long)id);
	sb_outbound_sms_init(&m);
	m.endpoint = t->endpoint;
	m.contact = t->contact;
	m.to = t->contact ? NULL : t->to;
	m.body = t->body;
	m.idempotency_key = key;
	int sent_rc = sb_sms_send(&sent, p, SB_ACTOR_SYSTEM, &m);
	sodium_memzero(t, sizeof *t);
	if (sent_rc == SB_EBUSY || sent_rc == SB_ESTORE || sent_rc == SB_ENOMEM)
		return sent_rc; /* still claimed: taken again once stale */
	int state = sent_rc == SB_OK ? SB_SCHEDULE_SENT : SB_SCHEDULE_FAILED;
	++*(sent_rc == SB_OK ? &out->sent : &out->failed);
	rc = sb_db_exec(p->db, "UPDATE sb_schedule SET state = ?, item_id = NULLIF(?, 0) WHERE id = ?", "iii", (int64_t)state,
	                sent.item_id, id);
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "recording a scheduled text");
}

int sb_schedule_pump(sb_pump_report *out, sb_practice *p, size_t max)
{
	int64_t now = 0;
	text *t = NULL;
	int rc = sb_check_out(p, out, sizeof *out, "out");
	if (rc == SB_OK && (max < 1 || max > SB_SCHEDULE_PAGE_MAX))
		rc = sb_fail(p, SB_EINVAL, "max must be 1..%u", SB_SCHEDULE_PAGE_MAX);
	if (rc == SB_OK && !p->carrier.send_sms)
		rc = sb_fail(p, SB_ENOTSUP, "the carrier has no send_sms callback");
	if (rc == SB_OK)
		rc = sb_now(p, &now);
	if (rc == SB_OK && !(t = malloc(sizeof *t)))
		rc = sb_fail(p, SB_ENOMEM, "out of memory");
	for (size_t done = 0; rc == SB_OK && done < max; done++) {
		sb_id id = 0;
		int64_t state = 0;
		rc = next_due(p, now, &id);
		if (rc == SB_ENOTFOUND) {
			rc = SB_OK;
			break;
		}
		if (rc == SB_OK && (rc = claim(p, id, now, &state)) == SB_ENOTFOUND) {
			rc = SB_OK; /* another pump took it */
			continue;
		}
		if (rc == SB_OK && state == SB_SCHEDULE_MISSED) {
			out->missed++;
			rc = sb_audit_append(p, SB_ACTOR_SYSTEM, "schedule.missed", "schedule", id);
		} else if (rc == SB_OK)
			rc = send_one(p, id, t, out);
		if (rc != SB_OK && rc != SB_EBUSY)
			rc = sb_fail_store(p, rc, "pumping scheduled texts");
	}
	free(t);
	if (rc == SB_OK)
		rc = sb_db_one_int(p->db, &out->next_due,
		                   "SELECT COALESCE(MIN(due_at), 0) FROM sb_schedule WHERE practice_id = ? AND state = ?", "ii",
		                   p->id, (int64_t)SB_SCHEDULE_PENDING);
	if (rc == SB_OK)
		arm_timer(p);
	return rc;
}
