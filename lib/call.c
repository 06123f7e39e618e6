/*
 * The call engine (call.h). One event is one transaction: the call's row is
 * locked and read with its legs into a `call`, the handlers decide and run
 * the carrier commands, and the changed rows are written back. Handlers
 * never read the clock or the store for state: what they need is in the
 * struct, so a script of events has one outcome.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notify_internal.h"
#include "access.h"
#include "call_internal.h"
#include "mailbox_internal.h"
#include "routing.h"
#include "tree_internal.h"
#include "utf8.h"
#include "voice_internal.h"

/* --- loading and saving --- */

#define CALL_COLUMNS                                                                                         \
	"c.id, c.endpoint_id, c.origin, c.phase, c.conversation_id, c.contact_id, c.teammate_id, c.desk_phone_id," \
	" c.unknown_caller, c.node, c.tries, c.digits, c.route, c.route_target, c.step, c.timer, c.voicemail_item," \
	" c.outcome, c.started_at, c.answered_at, c.ended_at"

static void read_call(call *c, sb_db *db, sb_stmt *st)
{
	int64_t v[21];
	for (int i = 0; i < 21; i++)
		v[i] = i == 11 ? 0 : sb_db_col_int(db, st, i);
	sb_db_col_copy(db, st, 11, c->digits, sizeof c->digits);
	c->id = v[0], c->endpoint = v[1], c->origin = (int)v[2], c->phase = (int)v[3], c->conversation = v[4];
	c->contact = v[5], c->teammate = v[6], c->desk_phone = v[7], c->unknown = (int)v[8], c->node = v[9];
	c->tries = (int)v[10], c->route = (int)v[12], c->route_target = v[13], c->step = v[14], c->timer = v[15];
	c->voicemail_item = v[16], c->outcome = (int)v[17], c->started_at = v[18], c->answered_at = v[19];
	c->ended_at = v[20];
}

/* Read and lock the call's row, by its id or by one of its legs' carrier
 * ids (one statement either way). It is the event's first statement, so
 * concurrent events on one call queue here; SQLite's write transaction
 * already serialises them. */
static int load_call(call *c, const char *leg_id)
{
	sb_practice *p = c->p;
	sb_stmt *st;
	int rc = leg_id ? sb_db_row(p->db, &st,
	                            "SELECT " CALL_COLUMNS " FROM sb_call_leg l JOIN sb_call c ON c.id = l.call_id"
	                            " WHERE l.practice_id = ? AND l.carrier_id = ?{for_update}",
	                            "it", p->id, leg_id)
	                : sb_db_row(p->db, &st,
	                            "SELECT " CALL_COLUMNS " FROM sb_call c WHERE c.id = ? AND c.practice_id = ?{for_update}",
	                            "ii", c->id, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, leg_id ? "no call has this leg" : "no such call in this practice");
	if (rc != SB_OK)
		return rc;
	read_call(c, p->db, st);
	sb_db_release(p->db, st);
	return SB_OK;
}

/* Remember what the store holds for a leg. */
static void leg_stored(leg *l)
{
	l->stored[0] = l->role, l->stored[1] = l->state, l->stored[2] = l->timer;
	l->carrier_stored = l->carrier[0] != '\0';
}

static int load_legs(call *c)
{
	sb_practice *p = c->p;
	sb_stmt *st;
	c->n = 0;
	int rc = sb_db_query(p->db, &st,
	                     "SELECT id, role, state, teammate_id, timer, COALESCE(carrier_id, ''), target"
	                     " FROM sb_call_leg WHERE call_id = ? ORDER BY id",
	                     "i", c->id);
	while (rc == SB_OK && (rc = sb_db_step(p->db, st)) == SB_STORE_ROW && c->n < SB_CALL_LEGS_MAX) {
		leg *l = &c->legs[c->n++];
		memset(l, 0, sizeof *l);
		l->id = sb_db_col_int(p->db, st, 0);
		l->role = (int)sb_db_col_int(p->db, st, 1);
		l->state = (int)sb_db_col_int(p->db, st, 2);
		l->teammate = sb_db_col_int(p->db, st, 3);
		l->timer = sb_db_col_int(p->db, st, 4);
		sb_db_col_copy(p->db, st, 5, l->carrier, sizeof l->carrier);
		sb_db_col_copy(p->db, st, 6, l->target, sizeof l->target);
		leg_stored(l);
		rc = SB_OK;
	}
	sb_db_release(p->db, st);
	return rc < 0 ? rc : SB_OK;
}

/* The columns save_call() writes, to see whether an event changed any. */
static void row_of(const call *c, int64_t out[CALL_ROW])
{
	const int64_t v[CALL_ROW] = {c->phase, c->conversation, c->contact, c->teammate, c->node, c->tries, c->route,
	                             c->route_target, c->step, c->timer, c->voicemail_item, c->outcome,
	                             c->answered_at, c->ended_at};
	memcpy(out, v, sizeof v);
}

void sb_call_mark(call *c)
{
	row_of(c, c->loaded);
	memcpy(c->loaded_digits, c->digits, sizeof c->digits);
}

/* Write the call's row if the event changed it. The conversation, which
 * only a new call sets, is written apart: naming an indexed column in an
 * UPDATE rewrites its index entry even when the value is the same. */
static int save_call(call *c)
{
	int64_t now[CALL_ROW];
	row_of(c, now);
	if (!memcmp(now, c->loaded, sizeof now) && !strcmp(c->digits, c->loaded_digits))
		return SB_OK; /* nothing changed: no write (ringing, early media, late repeats) */
	int rc = SB_OK;
	if (c->conversation != c->loaded[1])
		rc = sb_db_exec(c->p->db, "UPDATE sb_call SET conversation_id = ? WHERE id = ?", "ii", c->conversation, c->id);
	if (rc == SB_OK)
		rc = sb_db_exec(c->p->db,
		                "UPDATE sb_call SET phase = ?, contact_id = ?, teammate_id = ?, node = ?, tries = ?, digits = ?,"
		                " route = ?, route_target = ?, step = ?, timer = ?, voicemail_item = ?, outcome = ?,"
		                " answered_at = ?, ended_at = ? WHERE id = ?",
		                "iiiiitiiiiiiiii", (int64_t)c->phase, c->contact, c->teammate, c->node, (int64_t)c->tries,
		                c->digits, (int64_t)c->route, c->route_target, c->step, c->timer, c->voicemail_item,
		                (int64_t)c->outcome, c->answered_at, c->ended_at, c->id);
	if (rc == SB_OK)
		sb_call_mark(c);
	return rc;
}

/* A new leg is inserted whole; a stored one has only what changed written
 * (its carrier id, indexed, only the once it is placed). */
static int save_leg(call *c, leg *l)
{
	sb_db *db = c->p->db;
	const char *carrier = l->carrier[0] ? l->carrier : NULL;
	int rc = SB_OK;
	if (!l->id)
		rc = sb_db_one_int(db, &l->id,
		                   "INSERT INTO sb_call_leg (practice_id, call_id, carrier_id, role, state, teammate_id, target,"
		                   " timer) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		                   "iitiiiti", c->p->id, c->id, carrier, (int64_t)l->role, (int64_t)l->state, l->teammate,
		                   l->target, l->timer);
	else if (carrier && !l->carrier_stored)
		rc = sb_db_exec(db, "UPDATE sb_call_leg SET role = ?, state = ?, timer = ?, carrier_id = ? WHERE id = ?",
		                "iiiti", (int64_t)l->role, (int64_t)l->state, l->timer, carrier, l->id);
	else if (l->stored[0] != l->role || l->stored[1] != l->state || l->stored[2] != l->timer)
		rc = sb_db_exec(db, "UPDATE sb_call_leg SET role = ?, state = ?, timer = ? WHERE id = ?", "iiii",
		                (int64_t)l->role, (int64_t)l->state, l->timer, l->id);
	if (rc == SB_OK)
		leg_stored(l);
	return rc;
}

int sb_call_save(call *c)
{
	int rc = SB_OK;
	for (size_t i = 0; rc == SB_OK && i < c->n; i++)
		rc = save_leg(c, &c->legs[i]);
	return rc == SB_OK ? save_call(c) : rc;
}

/* The struct an event works on: a new call's (id 0), or the stored call
 * found by id or by one of its legs. */
static int begin(sb_practice *p, sb_id id, const char *leg_id, int64_t now, call **out)
{
	call *c = *out = malloc(sizeof *c);
	if (!c)
		return sb_fail(p, SB_ENOMEM, "out of memory");
	memset(c, 0, offsetof(call, legs)); /* not the 16 KiB of legs: every event pays for this */
	c->p = p;
	c->id = id;
	c->now = now;
	if (!id && !leg_id)
		return SB_OK;
	int rc = load_call(c, leg_id);
	if (rc == SB_OK)
		sb_call_mark(c);
	return rc == SB_OK ? load_legs(c) : rc;
}

int sb_call_begin(sb_practice *p, sb_id id, int64_t now, call **out)
{
	return begin(p, id, NULL, now, out);
}

int sb_call_leg_add(call *c, leg **out, int role, sb_id teammate, const char *target, const char *carrier)
{
	*out = NULL;
	if (c->n >= SB_CALL_LEGS_MAX)
		return sb_fail(c->p, SB_ELIMIT, "a call has at most %u legs", SB_CALL_LEGS_MAX);
	leg *l = *out = &c->legs[c->n++];
	memset(l, 0, sizeof *l);
	l->role = role;
	l->teammate = teammate;
	sb_copy_text(l->target, sizeof l->target, target, strlen(target));
	if (carrier) {
		sb_copy_text(l->carrier, sizeof l->carrier, carrier, strlen(carrier));
		l->state = LEG_UP;
	}
	return SB_OK;
}

/* --- commands --- */

static void timer_name(const call *c, int64_t step, char out[48])
{
	snprintf(out, 48, "sb-call-%lld-%lld", (long long)c->id, (long long)step);
}

int sb_call_arm(call *c, int64_t *slot, int64_t ms)
{
	int rc = sb_call_disarm(c, slot);
	char name[48];
	timer_name(c, ++c->step, name);
	*slot = c->step;
	return rc == SB_OK ? sb_carrier_invoke(c->p, timer_start, name, c->now + ms) : rc;
}

/* Stopping is a courtesy: a fired timer that no slot holds changes nothing. */
int sb_call_disarm(call *c, int64_t *slot)
{
	char name[48];
	int64_t step = *slot;
	*slot = 0;
	if (!step || !c->p->carrier.timer_stop)
		return SB_OK;
	timer_name(c, step, name);
	return sb_carrier_invoke(c->p, timer_stop, name);
}

int sb_call_play(call *c, leg *l, int kind, const char *content, int loop)
{
	sb_play play = {1, kind, content, loop};
	return sb_carrier_invoke(c->p, call_play, l->carrier, &play);
}

int sb_call_say(call *c, leg *l, const char *text)
{
	return sb_call_play(c, l, SB_PLAY_SPEECH, text, 0);
}

/* Place a leg showing the business number. A leg the carrier refuses has
 * failed (*placed 0) and the call goes on; only the store failing is an error. */
int sb_call_business(call *c)
{
	sb_stmt *st;
	if (c->business[0])
		return SB_OK;
	int rc = sb_db_row(c->p->db, &st, "SELECT address FROM sb_endpoint WHERE id = ?", "i", c->endpoint);
	if (rc != SB_OK)
		return rc;
	sb_db_col_copy(c->p->db, st, 0, c->business, sizeof c->business);
	sb_db_release(c->p->db, st);
	return SB_OK;
}

int sb_call_place(call *c, leg *l, const char *to, int64_t timeout_ms, int *placed)
{
	*placed = 0;
	int rc = sb_call_business(c);
	if (rc != SB_OK)
		return rc;
	char ref[24];
	snprintf(ref, sizeof ref, "%lld", (long long)c->id);
	sb_call_originate req = {1, ref, c->business, to, timeout_ms};
	rc = sb_carrier_invoke(c->p, call_originate, &req, l->carrier, sizeof l->carrier);
	*placed = rc == SB_OK && l->carrier[0];
	l->state = *placed ? LEG_RINGING : LEG_ENDED;
	if (!*placed)
		l->carrier[0] = '\0';
	return SB_OK;
}

/* End a leg whatever it is doing: cancel while it rings, hang up once answered. */
int sb_call_drop(call *c, leg *l)
{
	int rc = sb_call_disarm(c, &l->timer);
	int was = l->state;
	l->state = LEG_ENDED;
	if (rc != SB_OK || was == LEG_ENDED || was == LEG_PENDING)
		return rc;
	return was == LEG_RINGING ? sb_carrier_invoke(c->p, call_cancel, l->carrier)
	                          : sb_carrier_invoke(c->p, call_hangup, l->carrier);
}

/* Drop every live leg but `keep` (may be NULL). */
int sb_call_drop_others(call *c, const leg *keep)
{
	int rc = SB_OK;
	for (size_t i = 0; rc == SB_OK && i < c->n; i++)
		if (&c->legs[i] != keep && c->legs[i].state != LEG_ENDED)
			rc = sb_call_drop(c, &c->legs[i]);
	return rc;
}

int sb_call_bridge(call *c, leg *a, leg *b)
{
	a->state = b->state = LEG_UP;
	return sb_carrier_invoke(c->p, call_bridge, a->carrier, b->carrier);
}

leg *sb_call_role(call *c, int role)
{
	for (size_t i = c->n; i > 0; i--)
		if (c->legs[i - 1].role == role && c->legs[i - 1].state != LEG_ENDED)
			return &c->legs[i - 1];
	return NULL;
}

/* --- the end of a call --- */

static int64_t duration(const call *c)
{
	return c->answered_at ? c->now - c->answered_at : c->now - c->started_at;
}

/* V8: one call item per call, on its conversation's timeline. */
static int call_item(call *c)
{
	if (!c->conversation) /* a desk phone's 911 call has none */
		return SB_OK;
	sb_item_row row = {.conversation = c->conversation, .kind = SB_ITEM_CALL,
	                   .direction = c->origin == SB_ORIGIN_INBOUND ? SB_DIRECTION_INBOUND : SB_DIRECTION_OUTBOUND,
	                   .at = c->started_at, .author = c->origin == SB_ORIGIN_INBOUND ? SB_ACTOR_SYSTEM : c->teammate,
	                   .duration_ms = duration(c), .outcome = c->outcome, .call = c->id};
	sb_id item;
	int rc = sb_item_insert(c->p, &row, &item);
	if (rc == SB_OK && !c->voicemail_item) /* a voicemail gave its own notice */
		rc = sb_notice_for_item(c->p, &row, item);
	return rc == SB_OK ? sb_audit_append(c->p, SB_ACTOR_SYSTEM, "call.record", "item", item) : rc;
}

int sb_call_finish(call *c, int outcome)
{
	int rc = sb_call_drop_others(c, NULL);
	if (rc == SB_OK)
		rc = sb_call_disarm(c, &c->timer);
	int counted = c->phase != SB_PHASE_RESERVED; /* an access number never dialled is no call */
	c->phase = SB_PHASE_ENDED;
	c->outcome = c->answered_at ? SB_CALL_ANSWERED : outcome;
	c->ended_at = c->now;
	return rc == SB_OK && counted ? call_item(c) : rc;
}

/* --- events --- */

static int check_digits(sb_practice *p, const char *d)
{
	int rc = sb_check_text(p, d, SB_DIGITS_MAX, "digits");
	for (const char *k = d; rc == SB_OK && *k; k++)
		if (!((*k >= '0' && *k <= '9') || *k == '*' || *k == '#'))
			rc = sb_fail(p, SB_EINVAL, "digits hold only 0-9, * and #");
	if (rc == SB_OK && !*d)
		rc = sb_fail(p, SB_EINVAL, "digits must not be empty");
	return rc;
}

static int check_event(sb_practice *p, const sb_call_event *ev)
{
	if (ev->version != SB_CALL_EVENT_VERSION)
		return sb_fail(p, SB_EVERSION, "sb_call_event version %u is not %u", ev->version, SB_CALL_EVENT_VERSION);
	if (ev->kind < SB_LEG_RINGING || ev->kind > SB_TIMER_FIRED)
		return sb_fail(p, SB_EINVAL, "unknown event kind %d", ev->kind);
	const char *id = ev->kind == SB_TIMER_FIRED ? ev->timer_id : ev->leg_id;
	int rc = sb_check_text(p, id, SB_CARRIER_ID_MAX - 1, ev->kind == SB_TIMER_FIRED ? "timer_id" : "leg_id");
	if (rc == SB_OK && ev->event_id)
		rc = sb_check_text(p, ev->event_id, SB_CARRIER_ID_MAX - 1, "event_id");
	if (rc == SB_OK && ev->kind == SB_LEG_FAILED && (ev->reason < SB_FAILED_BUSY || ev->reason > SB_FAILED_UNREACHABLE))
		rc = sb_fail(p, SB_EINVAL, "unknown failure reason %d", ev->reason);
	if (rc == SB_OK && ev->kind == SB_LEG_DIGITS)
		rc = ev->digits ? check_digits(p, ev->digits) : sb_fail(p, SB_EINVAL, "digits are required");
	if (rc == SB_OK && ev->kind == SB_LEG_RECORDED) {
		if (ev->duration_ms < 0)
			rc = sb_fail(p, SB_EINVAL, "duration_ms must not be negative");
		else
			rc = ev->media_ref ? sb_check_text(p, ev->media_ref, SB_MEDIA_REF_MAX, "media_ref")
			                   : sb_fail(p, SB_EINVAL, "a recording needs its media_ref");
	}
	return rc;
}

/* Which call a timer is about: its name carries the call and the step. */
static int timer_call(sb_practice *p, const char *timer_id, sb_id *call_id, int64_t *step)
{
	long long id = 0, s = 0;
	char tail;
	if (sscanf(timer_id, "sb-call-%lld-%lld%c", &id, &s, &tail) != 2 || id <= 0 || s <= 0)
		return sb_fail(p, SB_ENOTFOUND, "the timer is not one of this library's");
	*call_id = id;
	*step = s;
	return SB_OK;
}

/* A repeated carrier event id changes nothing (C15). */
static int first_time(call *c, const char *event_id, int *first)
{
	*first = 1;
	if (!event_id)
		return SB_OK;
	int rc = sb_db_one_int(c->p->db, NULL,
	                       "INSERT INTO sb_call_event (call_id, event_id) VALUES (?, ?)"
	                       " ON CONFLICT (call_id, event_id) DO NOTHING RETURNING call_id",
	                       "it", c->id, event_id);
	if (rc == SB_ENOTFOUND) {
		*first = 0;
		return SB_OK;
	}
	return rc;
}

static leg *leg_by_carrier(call *c, const char *carrier)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->legs[i].carrier, carrier) == 0)
			return &c->legs[i];
	return NULL;
}

static leg *leg_by_timer(call *c, int64_t step)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->legs[i].timer == step && c->legs[i].state != LEG_ENDED)
			return &c->legs[i];
	return NULL;
}

static int handle(call *c, const sb_call_event *ev, int64_t step)
{
	if (ev->kind == SB_TIMER_FIRED) {
		if (c->phase == SB_PHASE_ENDED)
			return SB_OK;
		if (step == c->timer) {
			c->timer = 0;
			return sb_call_on_timer(c, NULL);
		}
		leg *l = leg_by_timer(c, step);
		if (l)
			l->timer = 0;
		return l ? sb_call_on_timer(c, l) : SB_OK; /* replaced or spent: nothing to do */
	}
	leg *l = leg_by_carrier(c, ev->leg_id);
	if (!l)
		return SB_OK;
	if (l->state == LEG_ENDED) { /* a leg we ended answered anyway: it must not stay up */
		if (ev->kind == SB_LEG_ANSWERED)
			return sb_carrier_invoke(c->p, call_hangup, l->carrier);
		if (ev->kind == SB_LEG_RECORDED && l->role == ROLE_CALLER)
			return sb_call_on_recorded(c, l, ev);
		return SB_OK;
	}
	switch (ev->kind) {
	case SB_LEG_ANSWERED: return l->state == LEG_RINGING ? sb_call_on_answer(c, l) : SB_OK;
	case SB_LEG_FAILED: return sb_call_on_gone(c, l, ev->reason);
	case SB_LEG_HANGUP: return sb_call_on_gone(c, l, 0);
	case SB_LEG_DIGITS: {
		int rc = SB_OK;
		for (const char *k = ev->digits; rc == SB_OK && *k && l->state != LEG_ENDED; k++)
			rc = sb_call_on_key(c, l, *k);
		return rc;
	}
	case SB_LEG_PLAYED: return sb_call_on_played(c, l);
	case SB_LEG_RECORDED: return sb_call_on_recorded(c, l, ev);
	default: return SB_OK; /* ringing and early media are never an answer */
	}
}

typedef struct feed {
	const sb_call_event *ev;
	int64_t step;
	int refusal;
} feed;

static int feed_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	feed *f = (feed *)arg;
	call *c;
	int first = 0;
	int rc = begin(p, *id, *id ? NULL : f->ev->leg_id, now, &c); /* a leg's event finds its call by the leg */
	*id = c ? c->id : 0;
	if (rc == SB_OK)
		rc = first_time(c, f->ev->event_id, &first);
	if (rc == SB_OK && first)
		rc = handle(c, f->ev, f->step);
	if (rc == SB_ETRANSFER) { /* refused: nothing changes, the call goes on */
		f->refusal = rc;
		rc = SB_OK;
	} else if (rc == SB_OK && first) {
		rc = sb_call_save(c);
	}
	free(c);
	return rc;
}

/* Run `body` on call `id` in one transaction, unaudited: calls are the
 * carrier's traffic, and what they write (items) audits itself. */
int sb_call_transact(sb_practice *p, sb_id *id, sb_step body, void *arg, const char *what)
{
	int64_t now;
	int rc = sb_now(p, &now);
	if (rc != SB_OK)
		return rc;
	if ((rc = sb_db_begin(p->db)) == SB_OK) {
		rc = sb_audit_lock(p);
		rc = sb_db_end(p->db, rc == SB_OK ? body(p, id, arg, now) : rc);
	}
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, what);
}

int sb_call_event_init(sb_call_event *ev, int kind)
{
	if (!ev)
		return SB_EINVAL;
	memset(ev, 0, sizeof *ev);
	ev->version = SB_CALL_EVENT_VERSION;
	ev->kind = kind;
	return SB_OK;
}

int sb_call_feed(sb_id *out_call, sb_practice *p, const sb_call_event *ev)
{
	int rc = sb_check_open(p);
	if (rc != SB_OK)
		return rc;
	if (out_call)
		*out_call = 0;
	if (!ev)
		return sb_fail(p, SB_EINVAL, "the event is required");
	feed f = {ev, 0, SB_OK};
	sb_id id = 0;
	if ((rc = check_event(p, ev)) != SB_OK)
		return rc;
	if (ev->kind == SB_TIMER_FIRED && (rc = timer_call(p, ev->timer_id, &id, &f.step)) != SB_OK)
		return rc;
	rc = sb_call_transact(p, &id, feed_body, &f, "handling a call event");
	if (rc == SB_OK && f.refusal)
		rc = sb_fail(p, f.refusal, "outbound calls cannot be transferred (V9)");
	if (rc == SB_OK && out_call)
		*out_call = id;
	return rc;
}

/* --- reading --- */

int sb_call_get(sb_call *out, sb_practice *p, sb_id actor, sb_id id)
{
	int rc = sb_check_out(p, out, sizeof *out, "out");
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	sb_stmt *st;
	if (rc == SB_OK &&
	    (rc = sb_db_row(p->db, &st,
	                    "SELECT endpoint_id, conversation_id, teammate_id, origin, phase, outcome, unknown_caller,"
	                    " voicemail_item, started_at, answered_at, ended_at FROM sb_call WHERE id = ? AND practice_id = ?",
	                    "ii", id, p->id)) == SB_OK) {
		out->id = id;
		out->endpoint_id = sb_db_col_int(p->db, st, 0);
		out->conversation_id = sb_db_col_int(p->db, st, 1);
		out->teammate_id = sb_db_col_int(p->db, st, 2);
		out->origin = (int)sb_db_col_int(p->db, st, 3);
		out->phase = (int)sb_db_col_int(p->db, st, 4);
		out->outcome = (int)sb_db_col_int(p->db, st, 5);
		out->unknown_caller = (int)sb_db_col_int(p->db, st, 6);
		out->voicemail_item = sb_db_col_int(p->db, st, 7);
		out->started_at = sb_db_col_int(p->db, st, 8);
		out->answered_at = sb_db_col_int(p->db, st, 9);
		out->ended_at = sb_db_col_int(p->db, st, 10);
		sb_db_release(p->db, st);
		rc = sb_access_endpoint(p, actor, out->endpoint_id);
		if (rc != SB_OK)
			memset(out, 0, sizeof *out);
	} else if (rc == SB_ENOTFOUND) {
		return sb_fail(p, rc, "no such call in this practice");
	}
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "reading a call");
}
