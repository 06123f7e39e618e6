/*
 * Outbound calls (V1–V3, V10, V11): click-to-call rings the teammate first,
 * call from any phone waits for the teammate to dial an access number; then
 * both ring the patient showing the business number. The patient's number
 * is read from the conversation when needed, never stored with the call.
 */
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "call_internal.h"
#include "routing.h"
#include "voice_internal.h"

int sb_dial_spec_init(sb_dial_spec *s)
{
	if (!s)
		return SB_EINVAL;
	memset(s, 0, sizeof *s);
	s->version = SB_DIAL_SPEC_VERSION;
	return SB_OK;
}

typedef struct dial {
	const sb_dial_spec *spec;
	sb_id actor;
	sb_pair pair;                      /* the business number and the patient */
	char phone[SB_DEVICE_MAX + 1];     /* the teammate's phone, or the desk phone's device */
	char emergency[8];                 /* "911" or "933" from a desk phone with an address (V10) */
	sb_access *access;                 /* call from any phone: the reservation */
} dial;

/* The teammate's own phone: as given, else their first ring number, else their login phone. */
static int own_phone(sb_practice *p, dial *d)
{
	if (d->spec->from_phone)
		return sb_check_nanp(p, d->spec->from_phone, "from_phone", d->phone);
	sb_stmt *st;
	int rc = sb_db_row(p->db, &st,
	                   "SELECT COALESCE((SELECT number FROM sb_teammate_ring WHERE teammate_id = t.id"
	                   " ORDER BY position LIMIT 1), t.login_phone, '') FROM sb_teammate t WHERE t.id = ?",
	                   "i", d->actor);
	if (rc != SB_OK)
		return rc;
	sb_db_col_copy(p->db, st, 0, d->phone, sizeof d->phone);
	sb_db_release(p->db, st);
	return d->phone[0] ? SB_OK : sb_fail(p, SB_ESTATE, "the teammate has no phone to call from: give from_phone");
}

static int desk_phone(sb_practice *p, dial *d, int *registered)
{
	sb_desk_phone desk;
	int rc = sb_desk_phone_by_id(p, d->spec->desk_phone_id, &desk);
	if (rc != SB_OK)
		return rc;
	if (desk.teammate_id != d->actor)
		return sb_access_deny(p, d->actor, "desk_phone", desk.id, "a teammate calls from their own desk phone");
	sb_copy_text(d->phone, sizeof d->phone, desk.device, strlen(desk.device));
	*registered = desk.address[0] != '\0';
	return SB_OK;
}

/* The destination: NANP only (V11); emergency and N11 codes go to the
 * device's own dialer (V10), but a registered desk phone may dial 911. */
static int destination(sb_practice *p, dial *d, int registered)
{
	sb_phone ph;
	if (sb_phone_parse(&ph, d->spec->to) != SB_OK)
		return sb_fail(p, SB_EPHONE, "to: %s", sb_phone_problem_text(ph.problem));
	if (ph.kind == SB_PHONE_EMERGENCY || ph.kind == SB_PHONE_SERVICE) {
		int e911 = strcmp(ph.number, "911") == 0 || strcmp(ph.number, "933") == 0;
		if (!(registered && e911))
			return sb_fail(p, SB_EEMERGENCY, "%s goes through the device's own dialer (V10)", ph.number);
		sb_copy_text(d->emergency, sizeof d->emergency, ph.number, strlen(ph.number));
		return SB_OK;
	}
	if (!sb_phone_is_nanp(&ph))
		return sb_fail(p, SB_EPHONE, "outbound calls reach NANP numbers only (V11)");
	return sb_pair_external(p, &d->pair, ph.number, "to");
}

static int check_dial(sb_practice *p, dial *d, int any_phone)
{
	const sb_dial_spec *s = d->spec;
	if (s->version != SB_DIAL_SPEC_VERSION)
		return sb_fail(p, SB_EVERSION, "sb_dial_spec version %u is not %u", s->version, SB_DIAL_SPEC_VERSION);
	if (!s->to || s->endpoint_id <= 0 || s->desk_phone_id < 0)
		return sb_fail(p, SB_EINVAL, "to and a business number are required");
	if (any_phone && s->desk_phone_id)
		return sb_fail(p, SB_EINVAL, "a desk phone calls directly, without an access number");
	int rc = sb_check_text(p, s->to, SB_PHONE_INPUT_MAX, "to");
	if (rc == SB_OK && s->from_phone)
		rc = sb_check_text(p, s->from_phone, SB_PHONE_INPUT_MAX, "from_phone");
	if (rc == SB_OK)
		rc = sb_check_actor(p, d->actor);
	if (rc == SB_OK && d->actor == SB_ACTOR_SYSTEM)
		rc = sb_fail(p, SB_EINVAL, "a teammate places calls, not the system");
	if (rc == SB_OK)
		rc = sb_call_check_carrier(p);
	if (rc == SB_OK)
		rc = sb_pair_by_endpoint(p, &d->pair, s->endpoint_id);
	if (rc == SB_OK && d->pair.business_number[0] != '+')
		rc = sb_fail(p, SB_ESTATE, "calls show a business number, not a link");
	if (rc == SB_OK) /* V1: only a number the teammate is a member of */
		rc = sb_access_endpoint(p, d->actor, s->endpoint_id);
	int registered = 0;
	if (rc == SB_OK)
		rc = s->desk_phone_id ? desk_phone(p, d, &registered) : own_phone(p, d);
	return rc == SB_OK ? destination(p, d, registered) : rc;
}

/* A new outbound call with its patient leg waiting to be placed. */
static int open_call(sb_practice *p, dial *d, int origin, int phase, int64_t now, call *c)
{
	sb_delivery del;
	memset(&del, 0, sizeof del);
	int rc = sb_db_one_int(p->db, &c->id,
	                       "INSERT INTO sb_call (practice_id, endpoint_id, origin, phase, teammate_id, desk_phone_id,"
	                       " started_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
	                       "iiiiiii", p->id, d->pair.endpoint, (int64_t)origin, (int64_t)phase, d->actor,
	                       d->spec->desk_phone_id, now);
	if (rc == SB_OK && !d->emergency[0])
		rc = sb_conversation_touch(p, &d->pair, 0, now, &del);
	c->p = p;
	c->now = now;
	c->endpoint = d->pair.endpoint;
	c->conversation = del.conversation_id;
	c->contact = del.contact_id;
	c->teammate = d->actor;
	c->desk_phone = d->spec->desk_phone_id;
	c->origin = origin;
	c->phase = phase;
	c->started_at = now;
	sb_copy_text(c->business, sizeof c->business, d->pair.business_number, strlen(d->pair.business_number));
	leg *patient;
	return rc == SB_OK ? sb_call_leg_add(c, &patient, ROLE_PATIENT, 0, d->emergency, NULL) : rc;
}

/* --- click-to-call (V2) --- */

/* A new outbound call's transaction: `start` it, then store it. */
static int outbound(sb_practice *p, sb_id *id, dial *d, int64_t now, int (*start)(call *, dial *))
{
	call *c;
	int rc = sb_call_begin(p, 0, now, &c);
	if (rc == SB_OK)
		rc = start(c, d);
	if (rc == SB_OK)
		rc = sb_call_save(c);
	*id = c ? c->id : 0;
	free(c);
	return rc;
}

static int click_start(call *c, dial *d)
{
	sb_practice *p = c->p;
	sb_voice_config cfg;
	int placed = 0;
	int rc = open_call(p, d, SB_ORIGIN_CLICK, SB_PHASE_CALLING_TEAMMATE, c->now, c);
	leg *agent;
	if (rc == SB_OK)
		rc = sb_call_leg_add(c, &agent, ROLE_AGENT, d->actor, d->phone, NULL);
	if (rc == SB_OK)
		rc = sb_voice_config_load(p, c->endpoint, &cfg);
	if (rc == SB_OK) /* the teammate's phone shows the business number too (V5) */
		rc = sb_call_place(c, agent, d->phone, cfg.ring_timeout_ms, &placed);
	if (rc == SB_OK && !placed)
		rc = sb_fail(p, SB_EUSER, "the carrier could not ring the teammate's phone");
	return rc == SB_OK ? sb_call_arm(c, &c->timer, cfg.ring_timeout_ms) : rc;
}

static int click_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	return outbound(p, id, (dial *)arg, now, click_start);
}

int sb_call_dial(sb_id *out_call, sb_practice *p, sb_id actor, const sb_dial_spec *spec)
{
	int rc = sb_check_out(p, out_call, sizeof *out_call, "out_call");
	if (rc != SB_OK)
		return rc;
	if (!spec)
		return sb_fail(p, SB_EINVAL, "spec is required");
	dial d = {.spec = spec, .actor = actor};
	if ((rc = check_dial(p, &d, 0)) != SB_OK)
		return rc;
	sb_id id = 0;
	rc = sb_transact(p, actor, "call.dial", "call", &id, click_body, &d, "placing a call");
	if (rc == SB_OK)
		*out_call = id;
	return rc;
}

/* --- call from any phone (V3) --- */

static int claim(call *c, dial *d, int64_t now)
{
	sb_practice *p = c->p;
	int64_t lifetime = 0;
	int rc = sb_db_one_int(p->db, &lifetime, "SELECT access_lifetime_ms FROM sb_practice WHERE id = ?", "i", p->id);
	if (rc != SB_OK)
		return rc;
	lifetime = lifetime ? lifetime : SB_ACCESS_LIFETIME_DEFAULT;
	sb_stmt *st;
	rc = sb_db_row(p->db, &st,
	               "UPDATE sb_access_number SET call_id = ?, from_phone = ?, expires_at = ?"
	               " WHERE practice_id = ? AND expires_at <= ? AND number = (SELECT number FROM sb_access_number"
	               " WHERE practice_id = ? AND expires_at <= ? ORDER BY expires_at, number LIMIT 1) RETURNING number",
	               "itiiiii", c->id, d->phone, now + lifetime, p->id, now, p->id, now);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, SB_ELIMIT, "every access number is reserved: try again later or add numbers");
	if (rc != SB_OK)
		return rc;
	sb_db_col_copy(p->db, st, 0, d->access->number, sizeof d->access->number);
	sb_db_release(p->db, st);
	d->access->call_id = c->id;
	d->access->expires_at = now + lifetime;
	sb_copy_text(d->access->from_phone, sizeof d->access->from_phone, d->phone, strlen(d->phone));
	return sb_call_arm(c, &c->timer, lifetime); /* an access number never dialled ends quietly */
}

static int reserve_start(call *c, dial *d)
{
	int rc = open_call(c->p, d, SB_ORIGIN_ANY_PHONE, SB_PHASE_RESERVED, c->now, c);
	return rc == SB_OK ? claim(c, d, c->now) : rc;
}

static int reserve_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	return outbound(p, id, (dial *)arg, now, reserve_start);
}

int sb_call_reserve(sb_access *out, sb_practice *p, sb_id actor, const sb_dial_spec *spec)
{
	int rc = sb_check_out(p, out, sizeof *out, "out");
	if (rc != SB_OK)
		return rc;
	if (!spec)
		return sb_fail(p, SB_EINVAL, "spec is required");
	dial d = {.spec = spec, .actor = actor, .access = out};
	if ((rc = check_dial(p, &d, 1)) != SB_OK)
		return rc;
	sb_id id = 0;
	rc = sb_transact(p, actor, "call.reserve", "call", &id, reserve_body, &d, "reserving an access number");
	if (rc != SB_OK)
		memset(out, 0, sizeof *out);
	return rc;
}

typedef struct arrival {
	const char *leg_id;
} arrival;

static int arrival_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	const arrival *a = arg;
	call *c;
	int rc = sb_call_begin(p, *id, now, &c);
	if (rc == SB_OK && c->phase != SB_PHASE_RESERVED)
		rc = sb_fail(p, SB_ESTATE, "the access number was used already");
	leg *agent;
	if (rc == SB_OK)
		rc = sb_call_leg_add(c, &agent, ROLE_AGENT, c->teammate, "", a->leg_id);
	if (rc == SB_OK)
		rc = sb_carrier_invoke(p, call_answer, agent->carrier);
	if (rc == SB_OK)
		rc = sb_call_disarm(c, &c->timer);
	if (rc == SB_OK)
		rc = sb_dial_patient(c, agent);
	if (rc == SB_OK)
		rc = sb_call_save(c);
	free(c);
	return rc;
}

int sb_dial_arrival(sb_id *out_call, sb_practice *p, const char *from, const char *to, const char *leg_id)
{
	char number[SB_PHONE_NUMBER_MAX], caller[SB_PHONE_NUMBER_MAX];
	if (sb_check_nanp(p, to, "to", number) != SB_OK)
		return sb_fail(p, SB_EROUTE, "the call is not to a business number of the practice");
	sb_stmt *st;
	int rc = sb_db_row(p->db, &st,
	                   "SELECT call_id, from_phone, expires_at FROM sb_access_number WHERE practice_id = ? AND number = ?",
	                   "it", p->id, number);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, SB_EROUTE, "the call is not to a business number or access number of the practice");
	if (rc != SB_OK)
		return sb_fail_store(p, rc, "taking a call");
	sb_id id = sb_db_col_int(p->db, st, 0);
	int64_t expires = sb_db_col_int(p->db, st, 2), now = 0;
	char reserved_for[SB_PHONE_NUMBER_MAX];
	sb_db_col_copy(p->db, st, 1, reserved_for, sizeof reserved_for);
	sb_db_release(p->db, st);
	if ((rc = sb_now(p, &now)) != SB_OK)
		return rc;
	if (id <= 0)
		return sb_fail(p, SB_ESTATE, "the access number is not reserved");
	if (now >= expires)
		return sb_fail(p, SB_EEXPIRED, "the access number's reservation has expired (V3)");
	if (sb_check_nanp(p, from, "from", caller) != SB_OK || strcmp(caller, reserved_for) != 0)
		return sb_fail(p, SB_EDENIED, "the access number answers only the phone it was reserved for (V3)");
	arrival a = {leg_id};
	rc = sb_call_transact(p, &id, arrival_body, &a, "connecting an access number");
	if (rc == SB_OK)
		*out_call = id;
	return rc;
}

/* --- both: ring the patient, bridge --- */

int sb_dial_patient(call *c, leg *agent)
{
	leg *patient = NULL;
	for (size_t i = 0; i < c->n && !patient; i++)
		if (c->legs[i].role == ROLE_PATIENT && c->legs[i].state == LEG_PENDING)
			patient = &c->legs[i];
	if (!patient)
		return sb_call_finish(c, SB_CALL_FAILED);
	sb_pair pair;
	sb_voice_config cfg;
	int rc = sb_voice_config_load(c->p, c->endpoint, &cfg);
	if (rc == SB_OK && !patient->target[0])
		rc = sb_pair_of_conversation(c->p, &pair, c->conversation);
	int placed = 0;
	agent->state = LEG_UP;
	c->phase = SB_PHASE_CALLING_PATIENT;
	if (rc == SB_OK) /* the patient sees the business number (V1) */
		rc = sb_call_place(c, patient, patient->target[0] ? patient->target : pair.external, cfg.ring_timeout_ms,
		                   &placed);
	if (rc == SB_OK && !placed)
		return sb_call_finish(c, SB_CALL_FAILED);
	if (rc == SB_OK) /* the teammate waits with ringback */
		rc = sb_call_play(c, agent, SB_PLAY_RINGBACK, NULL, 1);
	return rc == SB_OK ? sb_call_arm(c, &c->timer, cfg.ring_timeout_ms) : rc;
}

int sb_dial_answer(call *c, leg *l)
{
	leg *agent = sb_call_role(c, ROLE_AGENT);
	if (l->role == ROLE_AGENT && c->phase == SB_PHASE_CALLING_TEAMMATE) {
		int rc = sb_call_disarm(c, &c->timer);
		return rc == SB_OK ? sb_dial_patient(c, l) : rc;
	}
	if (l->role != ROLE_PATIENT || c->phase != SB_PHASE_CALLING_PATIENT || !agent)
		return sb_call_drop(c, l);
	int rc = sb_call_disarm(c, &c->timer);
	c->phase = SB_PHASE_CONNECTED;
	c->answered_at = c->now;
	return rc == SB_OK ? sb_call_bridge(c, agent, l) : rc;
}

static int failure_outcome(int reason)
{
	switch (reason) {
	case SB_FAILED_BUSY: return SB_CALL_BUSY;
	case SB_FAILED_UNREACHABLE: return SB_CALL_FAILED;
	default: return SB_CALL_MISSED; /* no answer, rejected, or hung up while ringing */
	}
}

int sb_dial_gone(call *c, leg *l, int reason)
{
	l->state = LEG_ENDED;
	if (l->role == ROLE_PATIENT && c->phase == SB_PHASE_CALLING_PATIENT)
		return sb_call_finish(c, failure_outcome(reason));
	return sb_call_finish(c, SB_CALL_CANCELED); /* the teammate gave up, or either side ended the talk */
}

int sb_dial_timer(call *c)
{
	if (c->phase == SB_PHASE_CALLING_PATIENT)
		return sb_call_finish(c, SB_CALL_MISSED);
	return sb_call_finish(c, SB_CALL_CANCELED);
}
