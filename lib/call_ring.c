/*
 * Inbound calls (V4–V8, V11, V12): a phone tree, the numbers to ring with
 * screening, and voicemail; and the dispatch of every event by leg role.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "notify_internal.h"
#include "access.h"
#include "call_internal.h"
#include "mailbox_internal.h"
#include "phi.h"
#include "routing.h"
#include "tree_internal.h"
#include "voice_internal.h"

static const char DEFAULT_GREETING[] =
	"Nobody can take your call right now. Please leave your name, your number and a message after the tone.";

/* --- who rings (V4, T8) --- */

typedef struct target {
	sb_id teammate;
	char number[SB_PHONE_NUMBER_MAX];
} target;

typedef struct targets {
	target t[SB_CALL_TARGETS_MAX];
	size_t n;
} targets;

static void add_target(targets *ts, sb_id teammate, const char *number)
{
	for (size_t i = 0; i < ts->n; i++)
		if (strcmp(ts->t[i].number, number) == 0)
			return; /* one number rings once */
	if (ts->n < SB_CALL_TARGETS_MAX) {
		ts->t[ts->n].teammate = teammate;
		sb_copy_text(ts->t[ts->n++].number, SB_PHONE_NUMBER_MAX, number, strlen(number));
	}
}

/* The teammates a route names, before the T8 check. */
static int candidates(call *c, int route, sb_id who, sb_id *ids, size_t *n)
{
	sb_practice *p = c->p;
	if (route == SB_ROUTE_TEAMMATE) {
		ids[0] = who;
		*n = 1;
		return SB_OK;
	}
	*n = 0;
	if (route == SB_ROUTE_TEAM)
		return sb_db_ids(p->db, ids, n, SB_CALL_TARGETS_MAX * 4,
		                 "SELECT m.teammate_id FROM sb_team_member m JOIN sb_team t ON t.id = m.team_id"
		                 " WHERE m.team_id = ? AND t.practice_id = ? ORDER BY m.teammate_id",
		                 "ii", who, p->id);
	/* the number's owner teammate, its owner team's members, its members */
	return sb_db_ids(p->db, ids, n, SB_CALL_TARGETS_MAX * 4,
	                 "SELECT owner_id FROM sb_endpoint WHERE id = ? AND owner_kind = 1"
	                 " UNION SELECT m.teammate_id FROM sb_endpoint e JOIN sb_team_member m ON m.team_id = e.owner_id"
	                 " WHERE e.id = ? AND e.owner_kind = 2"
	                 " UNION SELECT teammate_id FROM sb_endpoint_member WHERE endpoint_id = ? ORDER BY 1",
	                 "iii", c->endpoint, c->endpoint, c->endpoint);
}

/* A teammate's numbers ring when they are active and see the number (T8). */
static int add_teammate(call *c, sb_id teammate, targets *ts)
{
	sb_practice *p = c->p;
	int64_t status = 0;
	int sees = 0;
	int rc = sb_db_one_int(p->db, &status, "SELECT status FROM sb_teammate WHERE id = ? AND practice_id = ?", "ii",
	                       teammate, p->id);
	if (rc == SB_ENOTFOUND || (rc == SB_OK && status != SB_TEAMMATE_ACTIVE))
		return SB_OK;
	if (rc == SB_OK)
		rc = sb_access_sees_endpoint(p, teammate, c->endpoint, &sees);
	if (rc != SB_OK || !sees)
		return rc;
	sb_stmt *st;
	char number[SB_PHONE_NUMBER_MAX];
	rc = sb_db_query(p->db, &st, "SELECT number FROM sb_teammate_ring WHERE teammate_id = ? ORDER BY position", "i",
	                 teammate);
	while (rc == SB_OK && (rc = sb_db_step(p->db, st)) == SB_STORE_ROW) {
		sb_db_col_copy(p->db, st, 0, number, sizeof number);
		add_target(ts, teammate, number);
		rc = SB_OK;
	}
	sb_db_release(p->db, st);
	return rc < 0 ? rc : SB_OK;
}

static int collect(call *c, sb_voice_config *cfg, int route, sb_id who, targets *ts)
{
	sb_id ids[SB_CALL_TARGETS_MAX * 4];
	size_t n = 0;
	int rc = candidates(c, route, who, ids, &n);
	for (size_t i = 0; rc == SB_OK && i < n; i++)
		rc = add_teammate(c, ids[i], ts);
	if (rc != SB_OK || route != SB_ROUTE_NUMBER)
		return rc;
	if ((rc = sb_voice_extras_load(c->p, c->endpoint, cfg)) != SB_OK)
		return rc;
	for (size_t i = 0; i < cfg->extra_count; i++)
		add_target(ts, 0, cfg->extra_numbers[i]);
	return SB_OK;
}

/* --- ringing (V4) --- */

static int live_targets(const call *c)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->legs[i].role == ROLE_TARGET && (c->legs[i].state == LEG_RINGING || c->legs[i].state == LEG_SCREENING))
			return 1;
	return 0;
}

static leg *first_pending(call *c)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->legs[i].role == ROLE_TARGET && c->legs[i].state == LEG_PENDING)
			return &c->legs[i];
	return NULL;
}

static int one_at_a_time(const sb_voice_config *cfg)
{
	return cfg->ring_mode == SB_RING_SEQUENTIAL || cfg->ring_mode == SB_RING_ROUND_ROBIN;
}

/* Place one target: ringing one at a time times each one out itself, after
 * its own timeout when it has one. */
static int place_target(call *c, const sb_voice_config *cfg, leg *l)
{
	int placed = 0;
	int64_t ms = cfg->ring_timeout_ms;
	int rc = one_at_a_time(cfg) ? sb_voice_ring_timeout(c->p, cfg, l->target, &ms) : SB_OK;
	if (rc == SB_OK)
		rc = sb_call_place(c, l, l->target, ms, &placed);
	if (rc == SB_OK && placed && one_at_a_time(cfg))
		rc = sb_call_arm(c, &l->timer, ms);
	return rc;
}

/* Round robin (seed 001): each call starts one target further on than the
 * number's last; the turn is counted per business number. */
static int rotate(call *c, targets *ts)
{
	int64_t turn = 0;
	int rc = sb_db_one_int(c->p->db, &turn,
	                       "UPDATE sb_endpoint SET ring_turn = ring_turn + 1 WHERE id = ? RETURNING ring_turn - 1", "i",
	                       c->endpoint);
	if (rc != SB_OK || ts->n < 2)
		return rc;
	targets was = *ts;
	size_t first = (size_t)(turn % (int64_t)ts->n);
	for (size_t i = 0; i < ts->n; i++)
		ts->t[i] = was.t[(first + i) % ts->n];
	return SB_OK;
}

/* After a target leaves: the next in turn, or voicemail when nobody is left. */
static int advance(call *c)
{
	if (c->phase != SB_PHASE_RINGING || live_targets(c))
		return SB_OK;
	sb_voice_config cfg;
	leg *next = first_pending(c);
	int rc = next ? sb_voice_config_load(c->p, c->endpoint, &cfg) : SB_OK; /* the settings only to place one */
	while (rc == SB_OK && !live_targets(c) && (next = first_pending(c)) != NULL)
		rc = place_target(c, &cfg, next);
	return rc == SB_OK && !live_targets(c) ? sb_call_voicemail(c) : rc;
}

int sb_call_ring(call *c, int route, sb_id who)
{
	sb_voice_config cfg;
	targets ts = {.n = 0};
	int rc = sb_voice_config_load(c->p, c->endpoint, &cfg);
	if (rc == SB_OK)
		rc = collect(c, &cfg, route, who, &ts);
	if (rc != SB_OK)
		return rc;
	if (ts.n == 0)
		return sb_call_voicemail(c);
	if (cfg.ring_mode == SB_RING_ROUND_ROBIN && (rc = rotate(c, &ts)) != SB_OK)
		return rc;
	leg *caller = sb_call_role(c, ROLE_CALLER);
	c->phase = SB_PHASE_RINGING;
	c->route = route;
	c->route_target = who;
	rc = caller ? sb_call_play(c, caller, SB_PLAY_RINGBACK, NULL, 1) : SB_OK; /* the caller never waits in silence */
	leg *l;
	for (size_t i = 0; rc == SB_OK && i < ts.n; i++)
		rc = sb_call_leg_add(c, &l, ROLE_TARGET, ts.t[i].teammate, ts.t[i].number, NULL);
	if (rc != SB_OK || one_at_a_time(&cfg))
		return rc == SB_OK ? advance(c) : rc;
	while (rc == SB_OK && (l = first_pending(c)) != NULL)
		rc = place_target(c, &cfg, l);
	if (rc == SB_OK)
		rc = sb_call_arm(c, &c->timer, cfg.ring_timeout_ms);
	return rc == SB_OK ? advance(c) : rc;
}

/* --- screening (V6) --- */

/* "Call from Ada Lovelace", "Call from 4 1 5, 5 5 5, 0 1 9 9", or unknown. */
static int whisper_text(call *c, char *out, size_t room)
{
	char name[SB_CONTACT_NAME_MAX + 1] = "";
	int rc = c->contact ? sb_contact_name(c->p, c->contact, name, sizeof name) : SB_OK;
	if (rc != SB_OK)
		return rc;
	if (name[0]) {
		snprintf(out, room, "Call from %s. Press 1 to connect.", name);
		return sb_audit_append(c->p, SB_ACTOR_SYSTEM, "call.screen", "contact", c->contact);
	}
	sb_pair pair;
	if (c->unknown || sb_pair_of_conversation(c->p, &pair, c->conversation) != SB_OK) {
		snprintf(out, room, "Call from an unknown number. Press 1 to connect.");
		return SB_OK;
	}
	const char *d = pair.external + 2; /* +1NPANXXXXXX */
	snprintf(out, room, "Call from %c %c %c, %c %c %c, %c %c %c %c. Press 1 to connect.", d[0], d[1], d[2], d[3], d[4],
	         d[5], d[6], d[7], d[8], d[9]);
	return SB_OK;
}

static int screen(call *c, leg *l)
{
	sb_voice_config cfg;
	char text[SB_CONTACT_NAME_MAX + 64];
	int rc = sb_voice_config_load(c->p, c->endpoint, &cfg);
	l->state = LEG_SCREENING;
	if (rc == SB_OK)
		rc = whisper_text(c, text, sizeof text);
	if (rc == SB_OK)
		rc = sb_call_say(c, l, text);
	return rc == SB_OK ? sb_call_arm(c, &l->timer, cfg.screen_timeout_ms) : rc;
}

/* A screened teammate pressed 1: the first one takes the call. */
static int accept(call *c, leg *l)
{
	leg *caller = sb_call_role(c, ROLE_CALLER);
	if (c->phase != SB_PHASE_RINGING || !caller)
		return sb_call_drop(c, l); /* someone else was first */
	int rc = sb_call_disarm(c, &c->timer);
	if (rc == SB_OK)
		rc = sb_call_disarm(c, &l->timer);
	for (size_t i = 0; rc == SB_OK && i < c->n; i++)
		if (c->legs[i].role == ROLE_TARGET && &c->legs[i] != l && c->legs[i].state != LEG_ENDED)
			rc = sb_call_drop(c, &c->legs[i]);
	c->phase = SB_PHASE_CONNECTED;
	c->teammate = l->teammate;
	if (!c->answered_at)
		c->answered_at = c->now;
	l->role = ROLE_AGENT;
	return rc == SB_OK ? sb_call_bridge(c, caller, l) : rc;
}

/* --- voicemail (V7) --- */

int sb_call_voicemail(call *c)
{
	int rc = SB_OK;
	for (size_t i = 0; rc == SB_OK && i < c->n; i++)
		if (c->legs[i].role == ROLE_TARGET && c->legs[i].state != LEG_ENDED)
			rc = sb_call_drop(c, &c->legs[i]);
	if (rc == SB_OK)
		rc = sb_call_disarm(c, &c->timer);
	leg *caller = sb_call_role(c, ROLE_CALLER);
	if (rc != SB_OK || !caller)
		return rc == SB_OK ? sb_call_finish(c, SB_CALL_MISSED) : rc;
	sb_voice_config cfg;
	if ((rc = sb_voice_config_load(c->p, c->endpoint, &cfg)) != SB_OK)
		return rc;
	c->phase = SB_PHASE_GREETING;
	return cfg.greeting_media[0] ? sb_call_play(c, caller, SB_PLAY_MEDIA, cfg.greeting_media, 0)
	                             : sb_call_say(c, caller, cfg.greeting[0] ? cfg.greeting : DEFAULT_GREETING);
}

static int record(call *c, leg *caller)
{
	sb_voice_config cfg;
	int rc = sb_voice_config_load(c->p, c->endpoint, &cfg);
	if (rc == SB_OK)
		rc = sb_call_play(c, caller, SB_PLAY_BEEP, NULL, 0);
	sb_record rec = {1, cfg.voicemail_max_ms, "#"};
	c->phase = SB_PHASE_RECORDING;
	return rc == SB_OK ? sb_carrier_invoke(c->p, call_record, caller->carrier, &rec) : rc;
}

/* The voicemail lands in the caller's conversation, found again by its pair
 * so that it counts as a new inbound item (C9, C13). */
static int voicemail_item(call *c, const leg *caller, const sb_call_event *ev)
{
	sb_pair pair;
	sb_delivery d;
	memset(&pair, 0, sizeof pair);
	memset(&d, 0, sizeof d);
	pair.endpoint = c->endpoint;
	int rc = SB_OK;
	if (c->unknown)
		sb_pair_unknown(c->p, &pair);
	else
		rc = sb_pair_of_conversation(c->p, &pair, c->conversation);
	if (rc == SB_OK)
		rc = sb_conversation_touch(c->p, &pair, 1, c->now, &d);
	sb_item_row row = {.conversation = d.conversation_id, .kind = SB_ITEM_VOICEMAIL,
	                   .direction = SB_DIRECTION_INBOUND, .at = c->now, .author = SB_ACTOR_SYSTEM,
	                   .media_ref = ev->media_ref, .carrier_id = caller->carrier, .duration_ms = ev->duration_ms,
	                   .call = c->id};
	if (rc == SB_OK)
		rc = sb_item_insert(c->p, &row, &c->voicemail_item);
	if (rc == SB_ENOTFOUND) /* the host recorded this voicemail itself already */
		return SB_OK;
	if (rc == SB_OK)
		rc = sb_notice_for_item(c->p, &row, c->voicemail_item);
	return rc == SB_OK ? sb_audit_append(c->p, SB_ACTOR_SYSTEM, "call.record", "item", c->voicemail_item) : rc;
}

/* --- phone trees (V12) --- */

static int prompt(call *c, const char *before)
{
	sb_tree_node_info node;
	leg *caller = sb_call_role(c, ROLE_CALLER);
	int rc = sb_tree_node_load(c->p, c->route_target, (size_t)c->node, &node);
	if (rc == SB_ENOTFOUND) /* the tree changed under the call: ring the number instead */
		return sb_call_ring(c, SB_ROUTE_NUMBER, 0);
	if (rc != SB_OK || !caller)
		return rc;
	if (node.prompt_media[0])
		return sb_call_play(c, caller, SB_PLAY_MEDIA, node.prompt_media, 0);
	char text[SB_TREE_PROMPT_MAX + 64];
	snprintf(text, sizeof text, "%s%s", before, node.prompt);
	return sb_call_say(c, caller, text);
}

int sb_call_menu(call *c, sb_id tree, int64_t node)
{
	c->phase = SB_PHASE_MENU;
	c->route_target = tree;
	c->node = node;
	c->tries = 0;
	int rc = sb_call_disarm(c, &c->timer);
	return rc == SB_OK ? prompt(c, "") : rc;
}

static int take(call *c, const sb_tree_branch *b)
{
	int rc = sb_call_disarm(c, &c->timer);
	if (rc != SB_OK)
		return rc;
	if (b->route == SB_ROUTE_MENU)
		return sb_call_menu(c, c->route_target, b->target);
	if (b->route == SB_ROUTE_VOICEMAIL)
		return sb_call_voicemail(c);
	int sees = 1;
	if (b->auto_assign && b->route == SB_ROUTE_TEAMMATE)
		rc = sb_access_sees_endpoint(c->p, b->target, c->endpoint, &sees);
	if (rc == SB_OK && b->auto_assign && sees)
		rc = sb_mailbox_move(c->p, c->conversation, b->route == SB_ROUTE_TEAM ? SB_MAILBOX_TEAM : SB_MAILBOX_TEAMMATE,
		                     b->target, SB_EVENT_ASSIGNED, SB_ACTOR_SYSTEM, c->now);
	return rc == SB_OK ? sb_call_ring(c, b->route, b->target) : rc;
}

/* No key in time, or a key with no branch: prompt again, or the fallback. */
static int miss(call *c)
{
	sb_tree_node_info node;
	int rc = sb_tree_node_load(c->p, c->route_target, (size_t)c->node, &node);
	if (rc == SB_ENOTFOUND)
		return sb_call_ring(c, SB_ROUTE_NUMBER, 0);
	if (rc != SB_OK)
		return rc;
	if (++c->tries >= node.tries)
		return take(c, &node.fallback);
	return prompt(c, "Sorry, that is not an option. ");
}

static int menu_key(call *c, char key)
{
	sb_tree_node_info node;
	int rc = sb_tree_node_load(c->p, c->route_target, (size_t)c->node, &node);
	if (rc == SB_ENOTFOUND)
		return sb_call_ring(c, SB_ROUTE_NUMBER, 0);
	for (size_t i = 0; rc == SB_OK && i < node.branch_count; i++)
		if (node.branches[i].key == key)
			return take(c, &node.branches[i]);
	return rc == SB_OK ? miss(c) : rc;
}

/* --- the start of an inbound call --- */

/* An international, withheld or unparsable-but-marked caller (V11). */
static int unknown_caller(const char *from)
{
	static const char *const withheld[] = {"", "anonymous", "unknown", "private", "restricted", "unavailable"};
	for (size_t i = 0; i < sizeof withheld / sizeof withheld[0]; i++)
		if (strcasecmp(from, withheld[i]) == 0)
			return 1;
	sb_phone ph;
	return sb_phone_parse(&ph, from) == SB_OK && !sb_phone_is_nanp(&ph);
}

typedef struct arrival {
	const char *from, *leg_id;
	sb_pair pair;
	int unknown;
} arrival;

static int arrive_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	const arrival *a = arg;
	sb_delivery d;
	memset(&d, 0, sizeof d);
	int rc = sb_db_one_int(p->db, id,
	                       "INSERT INTO sb_call (practice_id, endpoint_id, origin, phase, unknown_caller, started_at)"
	                       " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
	                       "iiiiii", p->id, a->pair.endpoint, (int64_t)SB_ORIGIN_INBOUND, (int64_t)SB_PHASE_RINGING,
	                       (int64_t)a->unknown, now);
	if (rc == SB_OK)
		rc = sb_conversation_touch(p, &a->pair, 1, now, &d);
	call *c = NULL;
	if (rc != SB_OK || (rc = sb_call_begin(p, 0, now, &c)) != SB_OK) {
		free(c);
		return rc;
	}
	c->id = *id;
	c->endpoint = a->pair.endpoint;
	c->conversation = d.conversation_id;
	c->contact = d.contact_id;
	c->origin = SB_ORIGIN_INBOUND;
	c->phase = SB_PHASE_RINGING;
	c->unknown = a->unknown;
	c->started_at = now;
	sb_copy_text(c->business, sizeof c->business, a->pair.business_number, strlen(a->pair.business_number));
	sb_voice_config cfg;
	leg *caller;
	rc = sb_call_leg_add(c, &caller, ROLE_CALLER, 0, "", a->leg_id);
	if (rc == SB_OK)
		rc = sb_carrier_invoke(p, call_answer, caller->carrier);
	if (rc == SB_OK)
		rc = sb_voice_config_load(p, c->endpoint, &cfg);
	if (rc == SB_OK)
		rc = cfg.tree_id ? sb_call_menu(c, cfg.tree_id, 0) : sb_call_ring(c, SB_ROUTE_NUMBER, 0);
	if (rc == SB_OK)
		rc = sb_call_save(c);
	free(c);
	return rc;
}

/* The carrier commands a call cannot do without. */
int sb_call_check_carrier(sb_practice *p)
{
	const sb_carrier *k = &p->carrier;
	if (!k->call_originate || !k->call_cancel || !k->call_answer || !k->call_play || !k->call_hold ||
	    !k->call_bridge || !k->call_record || !k->call_hangup || !k->timer_start)
		return sb_fail(p, SB_ENOTSUP, "calls need the carrier's call commands and timer_start");
	return SB_OK;
}

int sb_call_inbound(sb_id *out_call, sb_practice *p, const char *from, const char *to, const char *leg_id)
{
	int rc = sb_check_out(p, out_call, sizeof *out_call, "out_call");
	if (rc != SB_OK)
		return rc;
	if (!from || !to || !leg_id)
		return sb_fail(p, SB_EINVAL, "from, to and leg_id are required");
	if ((rc = sb_check_text(p, from, SB_PHONE_INPUT_MAX, "from")) != SB_OK ||
	    (rc = sb_check_text(p, leg_id, SB_CARRIER_ID_MAX - 1, "leg_id")) != SB_OK ||
	    (rc = sb_check_text(p, to, SB_PHONE_INPUT_MAX, "to")) != SB_OK)
		return rc;
	if (!*leg_id)
		return sb_fail(p, SB_EINVAL, "leg_id must not be empty");
	if ((rc = sb_call_check_carrier(p)) != SB_OK)
		return rc;
	/* C15: the same leg again is the same call */
	if (sb_db_one_int(p->db, out_call, "SELECT call_id FROM sb_call_leg WHERE practice_id = ? AND carrier_id = ?", "it",
	                  p->id, leg_id) == SB_OK)
		return SB_OK;
	arrival a = {from, leg_id, {0}, unknown_caller(from)};
	rc = sb_pair_by_number(p, &a.pair, to);
	if (rc == SB_EROUTE)
		return sb_dial_arrival(out_call, p, from, to, leg_id);
	if (rc == SB_OK && !a.unknown)
		rc = sb_pair_external(p, &a.pair, from, "from");
	else if (rc == SB_OK)
		sb_pair_unknown(p, &a.pair);
	sb_id id = 0;
	if (rc == SB_OK)
		rc = sb_call_transact(p, &id, arrive_body, &a, "taking an inbound call");
	if (rc == SB_OK)
		*out_call = id;
	return rc;
}

/* --- dispatch: what an event means depends on the leg's role --- */

int sb_call_on_answer(call *c, leg *l)
{
	switch (l->role) {
	case ROLE_TARGET: return c->phase == SB_PHASE_RINGING ? screen(c, l) : sb_call_drop(c, l);
	case ROLE_TRANSFER: return sb_xfer_answer(c, l);
	default: return sb_dial_answer(c, l);
	}
}

static int caller_gone(call *c, leg *l)
{
	l->state = LEG_ENDED;
	/* Abandoned while the practice still tried (ringing, screening, the
	 * tree): canceled. Once sent to voicemail nobody answered: missed. */
	if (c->phase == SB_PHASE_RINGING || c->phase == SB_PHASE_MENU)
		return sb_call_finish(c, SB_CALL_CANCELED);
	if (c->phase != SB_PHASE_RECORDING)
		return sb_call_finish(c, SB_CALL_MISSED);
	int rc = sb_call_drop_others(c, NULL); /* the recording still arrives */
	return rc == SB_OK ? sb_call_arm(c, &c->timer, SB_RECORDING_GRACE) : rc;
}

int sb_call_on_gone(call *c, leg *l, int reason)
{
	if (c->origin != SB_ORIGIN_INBOUND)
		return sb_dial_gone(c, l, reason);
	switch (l->role) {
	case ROLE_CALLER: return caller_gone(c, l);
	case ROLE_TARGET: {
		int rc = sb_call_disarm(c, &l->timer);
		l->state = LEG_ENDED; /* a screen hung up counts as no answer (V6) */
		return rc == SB_OK ? advance(c) : rc;
	}
	default: return sb_xfer_gone(c, l);
	}
}

int sb_call_on_key(call *c, leg *l, char key)
{
	if (l->role == ROLE_TARGET)
		return l->state == LEG_SCREENING && key == '1' ? accept(c, l) : SB_OK;
	if (l->role == ROLE_CALLER)
		return c->phase == SB_PHASE_MENU ? menu_key(c, key) : SB_OK;
	return sb_xfer_key(c, l, key);
}

int sb_call_on_played(call *c, leg *l)
{
	if (l->role != ROLE_CALLER)
		return SB_OK;
	if (c->phase == SB_PHASE_GREETING)
		return record(c, l);
	if (c->phase != SB_PHASE_MENU)
		return SB_OK;
	sb_tree_node_info node; /* the prompt is over: now the caller's time to press runs */
	int rc = sb_tree_node_load(c->p, c->route_target, (size_t)c->node, &node);
	return rc == SB_OK ? sb_call_arm(c, &c->timer, node.timeout_ms) : rc == SB_ENOTFOUND ? SB_OK : rc;
}

int sb_call_on_recorded(call *c, leg *l, const sb_call_event *ev)
{
	if (l->role != ROLE_CALLER || c->phase != SB_PHASE_RECORDING)
		return SB_OK;
	int rc = voicemail_item(c, l, ev);
	if (rc == SB_OK && l->state != LEG_ENDED)
		rc = sb_call_drop(c, l);
	return rc == SB_OK ? sb_call_finish(c, SB_CALL_MISSED) : rc;
}

int sb_call_on_timer(call *c, leg *l)
{
	if (l) { /* a target rang out (sequential), or its screen heard no key (V6) */
		int rc = sb_call_drop(c, l);
		return rc == SB_OK ? advance(c) : rc;
	}
	switch (c->phase) {
	case SB_PHASE_RINGING: { /* the round is over for those still ringing */
		int rc = SB_OK;
		for (size_t i = 0; rc == SB_OK && i < c->n; i++)
			if (c->legs[i].role == ROLE_TARGET && c->legs[i].state == LEG_RINGING)
				rc = sb_call_drop(c, &c->legs[i]);
		return rc == SB_OK ? advance(c) : rc;
	}
	case SB_PHASE_MENU: return miss(c);
	case SB_PHASE_RECORDING: return sb_call_finish(c, SB_CALL_MISSED); /* the recording never came */
	case SB_PHASE_RESERVED:
	case SB_PHASE_CALLING_TEAMMATE:
	case SB_PHASE_CALLING_PATIENT: return sb_dial_timer(c);
	default: return sb_xfer_timer(c);
	}
}

/* --- transcripts (V7) --- */

typedef struct transcript {
	const char *text;
	sb_id item;
} transcript;

static int transcript_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	const transcript *t = arg;
	(void)now;
	sb_stmt *st;
	char current[SB_ITEM_TEXT_MAX + 1];
	int rc = sb_db_row(p->db, &st, "SELECT body FROM sb_item WHERE id = ?", "i", t->item);
	if (rc != SB_OK)
		return rc;
	rc = sb_phi_column(p, st, 0, "sb_item", "body", t->item, current, sizeof current);
	sb_db_release(p->db, st);
	*id = t->item;
	if (rc != SB_OK || strcmp(current, t->text) == 0)
		return rc;
	if (current[0])
		return sb_fail(p, SB_ECONFLICT, "the voicemail has another transcript already");
	return sb_phi_store(p, "sb_item", "body", t->item, t->text);
}

int sb_voicemail_transcript(sb_practice *p, sb_id actor, const char *leg_id, const char *text)
{
	int rc = sb_check_open(p);
	if (rc != SB_OK)
		return rc;
	if (!leg_id || !text)
		return sb_fail(p, SB_EINVAL, "leg_id and text are required");
	if ((rc = sb_check_text(p, leg_id, SB_CARRIER_ID_MAX - 1, "leg_id")) != SB_OK ||
	    (rc = sb_check_text(p, text, SB_ITEM_TEXT_MAX, "text")) != SB_OK || (rc = sb_check_actor(p, actor)) != SB_OK)
		return rc;
	if (!*text)
		return sb_fail(p, SB_EINVAL, "text must not be empty");
	transcript t = {text, 0};
	sb_id conversation = 0;
	int kind = 0;
	rc = sb_item_by_carrier(p, SB_DIRECTION_INBOUND, leg_id, &t.item, &conversation, &kind);
	if (rc == SB_ENOTFOUND || (rc == SB_OK && kind != SB_ITEM_VOICEMAIL))
		return sb_fail(p, SB_ENOTFOUND, "no voicemail was left on that leg");
	if (rc == SB_OK)
		rc = sb_access_gate(p, actor, conversation, sb_access_conversation);
	sb_id item = t.item;
	return rc == SB_OK ? sb_transact(p, actor, "voicemail.transcript", "item", &item, transcript_body, &t,
	                                 "adding a transcript")
	                   : sb_fail_store(p, rc, "adding a transcript");
}
