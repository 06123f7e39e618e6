/* The call engine (V1–V12) and its pitfalls, each as a script of events. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#define CALLER "+12125550142"
#define PHONE2 "+16175550102" /* teammate 2, the front desk's owner */
#define PHONE3 "+16175550103" /* teammate 3, a member */
#define PHONE4 "+16175550104" /* teammate 4, not a member (T8) */
#define EXTRA "+16175550199"  /* the front desk's extra number */

/* A carrier that writes every command as one transcript line; the legs it
 * places are L1, L2, … and the timers it starts are remembered by name. */
typedef struct voice_carrier {
	sb_carrier carrier;
	char log[32768];
	size_t len;
	int legs;
	int fail_play;                /* non-zero: call_play fails */
	const char *refuse_to;        /* originate to this number fails */
	char timers[64][48];
	int n_timers;
} voice_carrier;

typedef struct world {
	char *path;
	test_clock clock;
	voice_carrier vc;
	sb_practice *p;
	sb_id front, billing, team, contact;
} world;

static void note(voice_carrier *v, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(v->log + v->len, sizeof v->log - v->len, fmt, ap);
	va_end(ap);
	if (n > 0 && v->len + (size_t)n + 1 < sizeof v->log) {
		v->len += (size_t)n;
		v->log[v->len++] = '\n';
		v->log[v->len] = '\0';
	}
}

static int vc_originate(void *ud, const sb_call_originate *r, char *out, size_t cap)
{
	voice_carrier *v = ud;
	if (v->refuse_to && strcmp(v->refuse_to, r->to) == 0)
		return -1;
	snprintf(out, cap, "L%d", ++v->legs);
	note(v, "originate %s to=%s from=%s timeout=%lld", out, r->to, r->from, (long long)r->timeout_ms);
	return 0;
}
static int vc_cancel(void *ud, const char *leg) { note(ud, "cancel %s", leg); return 0; }
static int vc_answer(void *ud, const char *leg) { note(ud, "answer %s", leg); return 0; }
static int vc_hangup(void *ud, const char *leg) { note(ud, "hangup %s", leg); return 0; }
static int vc_hold(void *ud, const char *leg, int on) { note(ud, "hold %s %d", leg, on); return 0; }
static int vc_bridge(void *ud, const char *a, const char *b) { note(ud, "bridge %s %s", a, b); return 0; }
static int vc_play(void *ud, const char *leg, const sb_play *p)
{
	static const char *const kinds[] = {"say", "media", "ringback", "hold", "beep"};
	voice_carrier *v = ud;
	if (v->fail_play)
		return -1;
	note(v, "%s %s%s%s%s", kinds[p->kind], leg, p->content ? " " : "", p->content ? p->content : "",
	     p->loop ? " (loop)" : "");
	return 0;
}
static int vc_record(void *ud, const char *leg, const sb_record *r)
{
	note(ud, "record %s max=%lld", leg, (long long)r->max_ms);
	return 0;
}
static int vc_timer_start(void *ud, const char *t, int64_t due)
{
	voice_carrier *v = ud;
	snprintf(v->timers[v->n_timers++ % 64], 48, "%s", t);
	(void)due;
	return 0;
}
static int vc_timer_stop(void *ud, const char *t)
{
	(void)ud;
	(void)t;
	return 0;
}

static void voice_carrier_init(voice_carrier *v)
{
	memset(v, 0, sizeof *v);
	sb_carrier k = {SB_CARRIER_VERSION, v, NULL, NULL, vc_originate, vc_cancel, vc_answer, vc_play, vc_hold,
	                vc_bridge, vc_record, vc_hangup, vc_timer_start, vc_timer_stop};
	v->carrier = k;
}

static sb_practice *open_practice(world *w)
{
	sb_practice_options o = SB_PRACTICE_OPTIONS_INIT;
	o.store_path = w->path;
	o.clock = &w->clock.clock;
	o.carrier = &w->vc.carrier;
	sb_practice *p = NULL;
	if (sb_practice_open(&p, &o) != SB_OK)
		fail_msg("open failed: %s", sb_practice_errmsg(p));
	return p;
}

/* Teammates 1..4 (1 the admin); the front desk owned by 2 with member 3,
 * one extra number; teammate 4 rings for nothing it does not see. */
static int setup(void **state)
{
	world *w = test_calloc(1, sizeof *w);
	w->path = test_db_path();
	test_clock_init(&w->clock, 1000000);
	voice_carrier_init(&w->vc);
	w->p = open_practice(w);
	test_add_teammates(w->p, 4);
	sb_practice *p = w->p;
	assert_int_equal(sb_business_number_create(&w->front, p, 1, TEST_FRONT, "Front desk"), SB_OK);
	assert_int_equal(sb_business_number_create(&w->billing, p, 1, TEST_BILLING, "Billing"), SB_OK);
	test_ring_number(p, 2, PHONE2);
	test_ring_number(p, 3, PHONE3);
	test_ring_number(p, 4, PHONE4);
	assert_int_equal(sb_endpoint_set_owner(p, 1, w->front, SB_OWNER_TEAMMATE, 2), SB_OK);
	assert_int_equal(sb_endpoint_member_add(p, 1, w->front, 3), SB_OK);
	sb_voice_settings v;
	sb_voice_settings_init(&v);
	const char *extra = EXTRA;
	v.extra_numbers = &extra;
	v.extra_count = 1;
	assert_int_equal(sb_voice_settings_set(p, 1, w->front, &v), SB_OK);
	assert_int_equal(sb_contact_create(&w->contact, p, 1, "Ada Lovelace"), SB_OK);
	sb_id address;
	assert_int_equal(sb_contact_add_address(&address, p, 1, w->contact, SB_ADDRESS_PHONE, CALLER), SB_OK);
	assert_int_equal(sb_team_create(&w->team, p, 1, "Nurses"), SB_OK);
	assert_int_equal(sb_team_member_add(p, 1, w->team, 3), SB_OK);
	assert_int_equal(sb_team_member_add(p, 1, w->team, 4), SB_OK);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	world *w = *state;
	sb_practice_free(w->p);
	test_db_remove(w->path);
	test_free(w);
	return 0;
}

/* --- the script --- */

/* The transcript so far, then forget it. */
static char *take(world *w)
{
	static char copy[32768];
	memcpy(copy, w->vc.log, w->vc.len + 1);
	w->vc.len = 0;
	w->vc.log[0] = '\0';
	return copy;
}

static void expect(const char *log, const char *line)
{
	char want[300];
	snprintf(want, sizeof want, "%s\n", line);
	if (!strstr(log, want))
		fail_msg("transcript lacks \"%s\":\n%s", line, log);
}

static void expect_not(const char *log, const char *line)
{
	if (strstr(log, line))
		fail_msg("transcript has \"%s\":\n%s", line, log);
}

static int count(const char *log, const char *what)
{
	int n = 0;
	for (const char *s = log; (s = strstr(s, what)) != NULL; s += strlen(what))
		n++;
	return n;
}

static int feed(world *w, int kind, const char *leg, const char *digits, const char *event_id)
{
	sb_call_event ev;
	sb_call_event_init(&ev, kind);
	ev.leg_id = leg;
	ev.digits = digits;
	ev.event_id = event_id;
	ev.reason = SB_FAILED_NO_ANSWER;
	if (kind == SB_LEG_RECORDED) {
		ev.media_ref = "https://media.example/vm/1.wav";
		ev.duration_ms = 31000;
	}
	return sb_call_feed(NULL, w->p, &ev);
}

static void on(world *w, int kind, const char *leg)
{
	int rc = feed(w, kind, leg, NULL, NULL);
	if (rc != SB_OK)
		fail_msg("event %d on %s: %s (%s)", kind, leg, sb_strerror(rc), sb_practice_errmsg(w->p));
}

static void press(world *w, const char *leg, const char *digits)
{
	int rc = feed(w, SB_LEG_DIGITS, leg, digits, NULL);
	if (rc != SB_OK)
		fail_msg("keys %s on %s: %s (%s)", digits, leg, sb_strerror(rc), sb_practice_errmsg(w->p));
}

static void fire(world *w, const char *timer)
{
	sb_call_event ev;
	sb_call_event_init(&ev, SB_TIMER_FIRED);
	ev.timer_id = timer;
	int rc = sb_call_feed(NULL, w->p, &ev);
	if (rc != SB_OK)
		fail_msg("timer %s: %s (%s)", timer, sb_strerror(rc), sb_practice_errmsg(w->p));
}

static const char *last_timer(world *w)
{
	return w->vc.timers[(w->vc.n_timers - 1) % 64];
}

static sb_id arrive(world *w, const char *from, const char *leg)
{
	sb_id call = 0;
	int rc = sb_call_inbound(&call, w->p, from, TEST_FRONT, leg);
	if (rc != SB_OK)
		fail_msg("inbound: %s (%s)", sb_strerror(rc), sb_practice_errmsg(w->p));
	return call;
}

static sb_call state_of(world *w, sb_id id)
{
	sb_call c;
	assert_int_equal(sb_call_get(&c, w->p, SB_ACTOR_SYSTEM, id), SB_OK);
	return c;
}

/* The newest item of the call's conversation. */
static sb_item last_item(world *w, sb_id conversation)
{
	static sb_item items[4];
	size_t n = 0;
	assert_int_equal(sb_timeline_page(items, &n, w->p, SB_ACTOR_SYSTEM, conversation, 0, 4), SB_OK);
	assert_true(n > 0);
	return items[0];
}

/* Ring, screen, accept: the call connected to L1 (teammate 2). */
static sb_id connect(world *w)
{
	sb_id id = arrive(w, CALLER, "C1");
	on(w, SB_LEG_ANSWERED, "L1");
	press(w, "L1", "1");
	take(w);
	return id;
}

/* --- V4, V5, V6, T8: simultaneous ringing with screening --- */

static void test_ring_screen_accept(void **state)
{
	world *w = *state;
	sb_id id = arrive(w, CALLER, "C1");
	char *log = take(w);
	expect(log, "answer C1");
	expect(log, "ringback C1 (loop)");
	expect(log, "originate L1 to=" PHONE2 " from=" TEST_FRONT " timeout=20000"); /* V5 */
	expect(log, "originate L2 to=" PHONE3 " from=" TEST_FRONT " timeout=20000");
	expect(log, "originate L3 to=" EXTRA " from=" TEST_FRONT " timeout=20000");
	expect_not(log, PHONE4); /* T8: not a member, not rung */
	assert_int_equal(state_of(w, id).phase, SB_PHASE_RINGING);

	on(w, SB_LEG_ANSWERED, "L1");
	log = take(w);
	expect(log, "say L1 Call from Ada Lovelace. Press 1 to connect.");
	expect_not(log, "cancel"); /* pitfall: the others keep ringing while one screens */

	press(w, "L1", "1");
	log = take(w);
	expect(log, "bridge C1 L1");
	expect(log, "cancel L2");
	expect(log, "cancel L3");
	sb_call c = state_of(w, id);
	assert_int_equal(c.phase, SB_PHASE_CONNECTED);
	assert_int_equal(c.teammate_id, 2);

	w->clock.now += 65000;
	on(w, SB_LEG_HANGUP, "C1");
	expect(take(w), "hangup L1");
	c = state_of(w, id);
	assert_int_equal(c.phase, SB_PHASE_ENDED);
	assert_int_equal(c.outcome, SB_CALL_ANSWERED);
	sb_item item = last_item(w, c.conversation_id); /* V8 */
	assert_int_equal(item.kind, SB_ITEM_CALL);
	assert_int_equal(item.direction, SB_DIRECTION_INBOUND);
	assert_int_equal(item.outcome, SB_CALL_ANSWERED);
	assert_int_equal(item.duration_ms, 65000);
	assert_int_equal(item.at, c.started_at);
	/* The item leads back to its call, and carries the caller's leg id (issue 24). */
	assert_string_equal(item.carrier_id, "C1");
	sb_id call = 0;
	assert_int_equal(sb_item_call(&call, w->p, 2, item.id), SB_OK);
	assert_int_equal(call, id);
	test_expect_error(w->p, sb_item_call(&call, w->p, 4, item.id), SB_EDENIED, ""); /* T8 */
	test_expect_error(w->p, sb_item_call(NULL, w->p, 2, item.id), SB_EINVAL, "out_call");
	test_expect_error(w->p, sb_item_call(&call, w->p, 2, 999), SB_ENOTFOUND, "no such item");
	sb_id note;
	assert_int_equal(sb_note_add(&note, w->p, 2, c.conversation_id, "called back"), SB_OK);
	test_expect_error(w->p, sb_item_call(&call, w->p, 2, note), SB_ENOTFOUND, "no call");
}

/* The number shown in the whisper when the caller is nobody's saved contact. */
static void test_whisper_number(void **state)
{
	world *w = *state;
	arrive(w, "+13125550177", "C1");
	on(w, SB_LEG_ANSWERED, "L2");
	expect(take(w), "say L2 Call from 3 1 2, 5 5 5, 0 1 7 7. Press 1 to connect.");
}

/* --- the pitfalls --- */

static void test_early_media_is_no_answer(void **state)
{
	world *w = *state;
	sb_id id = arrive(w, CALLER, "C1");
	take(w);
	on(w, SB_LEG_EARLY_MEDIA, "L1");
	on(w, SB_LEG_RINGING, "L1");
	press(w, "L1", "1"); /* a key during early media is not an acceptance either */
	char *log = take(w);
	expect_not(log, "say");
	expect_not(log, "bridge");
	assert_int_equal(state_of(w, id).phase, SB_PHASE_RINGING);
}

static void test_two_accepts_one_bridge(void **state)
{
	world *w = *state;
	sb_id id = arrive(w, CALLER, "C1");
	on(w, SB_LEG_ANSWERED, "L1");
	on(w, SB_LEG_ANSWERED, "L2");
	take(w);
	press(w, "L2", "1");
	press(w, "L1", "1");
	char *log = take(w);
	assert_int_equal(count(log, "bridge"), 1);
	expect(log, "bridge C1 L2");
	expect(log, "hangup L1");
	assert_int_equal(state_of(w, id).teammate_id, 3);
}

static void test_caller_hangs_up_while_screening(void **state)
{
	world *w = *state;
	sb_id id = arrive(w, CALLER, "C1");
	on(w, SB_LEG_ANSWERED, "L1");
	take(w);
	on(w, SB_LEG_HANGUP, "C1");
	char *log = take(w);
	expect(log, "hangup L1");
	expect(log, "cancel L2");
	expect(log, "cancel L3");
	sb_call c = state_of(w, id); /* abandoned: the header's CANCELED */
	assert_int_equal(c.outcome, SB_CALL_CANCELED);
	assert_int_equal(last_item(w, c.conversation_id).outcome, SB_CALL_CANCELED);
}

static void test_caller_hangs_up_while_ringing(void **state)
{
	world *w = *state;
	sb_id id = arrive(w, CALLER, "C1");
	take(w);
	on(w, SB_LEG_HANGUP, "C1");
	char *log = take(w);
	assert_int_equal(count(log, "cancel"), 3);
	assert_int_equal(state_of(w, id).outcome, SB_CALL_CANCELED);
}

/* Hung up during the voicemail greeting: sent to voicemail, nobody
 * answered, no message: missed, not abandoned. */
static void test_caller_hangs_up_during_the_greeting(void **state)
{
	world *w = *state;
	sb_id id = arrive(w, CALLER, "C1");
	const char *ring_timer = last_timer(w);
	take(w);
	fire(w, ring_timer);
	assert_int_equal(state_of(w, id).phase, SB_PHASE_GREETING);
	on(w, SB_LEG_HANGUP, "C1");
	assert_int_equal(state_of(w, id).outcome, SB_CALL_MISSED);
}

static void test_screen_without_key_is_no_answer(void **state)
{
	world *w = *state;
	sb_id id = arrive(w, CALLER, "C1");
	on(w, SB_LEG_ANSWERED, "L1");
	const char *screen_timer = last_timer(w);
	take(w);
	fire(w, screen_timer);
	char *log = take(w);
	expect(log, "hangup L1");
	expect_not(log, "bridge");
	expect_not(log, "cancel L2");
	assert_int_equal(state_of(w, id).phase, SB_PHASE_RINGING);
	/* the others fail too: voicemail, never a bridge */
	on(w, SB_LEG_FAILED, "L2");
	on(w, SB_LEG_HANGUP, "L3");
	log = take(w);
	expect(log, "say C1 Nobody can take your call right now. Please leave your name, your number and a message after the tone.");
	assert_int_equal(state_of(w, id).phase, SB_PHASE_GREETING);
}

/* --- V7: voicemail, with a transcript later --- */

static void test_voicemail(void **state)
{
	world *w = *state;
	sb_id id = arrive(w, CALLER, "C1");
	const char *ring_timer = last_timer(w);
	take(w);
	fire(w, ring_timer); /* nobody answered in time */
	char *log = take(w);
	assert_int_equal(count(log, "cancel"), 3);
	expect(log, "say C1 Nobody can take your call right now. Please leave your name, your number and a message after the tone.");
	on(w, SB_LEG_PLAYED, "C1");
	log = take(w);
	expect(log, "beep C1");
	expect(log, "record C1 max=120000");
	assert_int_equal(state_of(w, id).phase, SB_PHASE_RECORDING);
	on(w, SB_LEG_HANGUP, "C1"); /* callers hang up to end a message; the recording follows */
	on(w, SB_LEG_RECORDED, "C1");
	sb_call c = state_of(w, id);
	assert_int_equal(c.phase, SB_PHASE_ENDED);
	assert_int_equal(c.outcome, SB_CALL_MISSED);
	assert_true(c.voicemail_item > 0);
	sb_item items[4];
	size_t n = 0;
	assert_int_equal(sb_timeline_page(items, &n, w->p, 2, c.conversation_id, 0, 4), SB_OK);
	assert_int_equal(n, 2);
	const sb_item *vm = items[0].kind == SB_ITEM_VOICEMAIL ? &items[0] : &items[1];
	assert_int_equal(vm->kind, SB_ITEM_VOICEMAIL);
	/* Both the call and its voicemail lead back to the call, with the caller's leg id. */
	for (size_t i = 0; i < 2; i++) {
		sb_id call = 0;
		assert_int_equal(sb_item_call(&call, w->p, 2, items[i].id), SB_OK);
		assert_int_equal(call, id);
		assert_string_equal(items[i].carrier_id, "C1");
	}
	assert_int_equal(vm->duration_ms, 31000);
	assert_string_equal(vm->media_ref, "https://media.example/vm/1.wav");
	on(w, SB_LEG_RECORDED, "C1"); /* a repeat changes nothing */
	assert_int_equal(state_of(w, id).voicemail_item, c.voicemail_item);

	assert_int_equal(sb_voicemail_transcript(w->p, SB_ACTOR_SYSTEM, "C1", "Please call me back."), SB_OK);
	assert_int_equal(sb_voicemail_transcript(w->p, SB_ACTOR_SYSTEM, "C1", "Please call me back."), SB_OK);
	test_expect_error(w->p, sb_voicemail_transcript(w->p, SB_ACTOR_SYSTEM, "C1", "Other"), SB_ECONFLICT,
	                  "another transcript");
	test_expect_error(w->p, sb_voicemail_transcript(w->p, SB_ACTOR_SYSTEM, "nope", "x"), SB_ENOTFOUND, "no voicemail");
	test_expect_error(w->p, sb_voicemail_transcript(w->p, 4, "C1", "x"), SB_EDENIED, ""); /* T8 */
	assert_int_equal(sb_timeline_page(items, &n, w->p, 2, c.conversation_id, 0, 4), SB_OK);
	vm = items[0].kind == SB_ITEM_VOICEMAIL ? &items[0] : &items[1];
	assert_string_equal(vm->text, "Please call me back.");
}

static void test_voicemail_settings(void **state)
{
	world *w = *state;
	sb_voice_settings v;
	sb_voice_settings_init(&v);
	v.greeting_media = "https://media.example/greeting.wav";
	v.voicemail_max_ms = 60000;
	assert_int_equal(sb_voice_settings_set(w->p, 2, w->front, &v), SB_OK); /* the owner may (T6) */
	arrive(w, CALLER, "C1"); /* nobody rings now: no extra numbers, but 2 and 3 do */
	on(w, SB_LEG_FAILED, "L1");
	on(w, SB_LEG_FAILED, "L2");
	char *log = take(w);
	expect(log, "media C1 https://media.example/greeting.wav");
	on(w, SB_LEG_PLAYED, "C1");
	expect(take(w), "record C1 max=60000");
}

/* --- V4: sequential ringing, per-target timeouts --- */

static void test_sequential(void **state)
{
	world *w = *state;
	sb_voice_settings v;
	sb_voice_settings_init(&v);
	v.ring_mode = SB_RING_SEQUENTIAL;
	v.ring_timeout_ms = 5000;
	const char *extra = EXTRA;
	v.extra_numbers = &extra;
	v.extra_count = 1;
	assert_int_equal(sb_voice_settings_set(w->p, 1, w->front, &v), SB_OK);
	arrive(w, CALLER, "C1");
	char *log = take(w);
	expect(log, "originate L1 to=" PHONE2 " from=" TEST_FRONT " timeout=5000");
	expect_not(log, "L2");
	fire(w, last_timer(w));
	log = take(w);
	expect(log, "cancel L1");
	expect(log, "originate L2 to=" PHONE3 " from=" TEST_FRONT " timeout=5000");
	on(w, SB_LEG_FAILED, "L2");
	expect(take(w), "originate L3 to=" EXTRA " from=" TEST_FRONT " timeout=5000");
	on(w, SB_LEG_ANSWERED, "L3");
	press(w, "L3", "1");
	expect(take(w), "bridge C1 L3");
}

/* Seed 001: a timeout of each number's own when ringing one at a time. */
static void test_sequential_timeout_per_number(void **state)
{
	world *w = *state;
	sb_voice_settings v;
	sb_voice_settings_init(&v);
	v.ring_mode = SB_RING_SEQUENTIAL;
	v.ring_timeout_ms = 5000;
	assert_int_equal(sb_voice_settings_set(w->p, 1, w->front, &v), SB_OK);
	assert_int_equal(sb_ring_timeout_set(w->p, 2, w->front, "(617) 555-0102", 12000), SB_OK); /* the owner (T6) */
	int64_t ms = 0;
	assert_int_equal(sb_ring_timeout_get(&ms, w->p, 3, w->front, PHONE2), SB_OK);
	assert_int_equal(ms, 12000);
	assert_int_equal(sb_ring_timeout_get(&ms, w->p, 3, w->front, PHONE3), SB_OK);
	assert_int_equal(ms, 5000); /* the number's default */
	char *before = test_dump(w->path);
	test_expect_error(w->p, sb_ring_timeout_set(w->p, 1, w->front, PHONE3, 999), SB_EINVAL, "timeout_ms");
	test_expect_error(w->p, sb_ring_timeout_set(w->p, 1, w->front, "911", 9000), SB_EPHONE, "number");
	test_expect_error(w->p, sb_ring_timeout_set(w->p, 1, w->front, NULL, 9000), SB_EINVAL, "number");
	test_expect_error(w->p, sb_ring_timeout_set(w->p, 1, 999, PHONE3, 9000), SB_ENOTFOUND, "");
	test_expect_error(w->p, sb_ring_timeout_get(NULL, w->p, 3, w->front, PHONE3), SB_EINVAL, "out_ms");
	test_expect_dump(w->path, before);
	/* Refused rights are audited (T6, T8), and change nothing else. */
	test_expect_error(w->p, sb_ring_timeout_set(w->p, 3, w->front, PHONE3, 9000), SB_EDENIED, "");
	test_expect_error(w->p, sb_ring_timeout_get(&ms, w->p, 4, w->front, PHONE3), SB_EDENIED, "");
	assert_int_equal(test_value(w->path, "SELECT COUNT(*) FROM sb_ring_timeout"), 1);
	arrive(w, CALLER, "C1");
	expect(take(w), "originate L1 to=" PHONE2 " from=" TEST_FRONT " timeout=12000");
	fire(w, last_timer(w));
	expect(take(w), "originate L2 to=" PHONE3 " from=" TEST_FRONT " timeout=5000");
	/* 0 removes the number's own timeout. */
	assert_int_equal(sb_ring_timeout_set(w->p, 1, w->front, PHONE2, 0), SB_OK);
	assert_int_equal(sb_ring_timeout_get(&ms, w->p, 3, w->front, PHONE2), SB_OK);
	assert_int_equal(ms, 5000);
}

/* Seed 001: round robin starts each call one number further on. */
static void test_round_robin(void **state)
{
	world *w = *state;
	sb_voice_settings v;
	sb_voice_settings_init(&v);
	v.ring_mode = SB_RING_ROUND_ROBIN;
	const char *extra = EXTRA;
	v.extra_numbers = &extra;
	v.extra_count = 1;
	assert_int_equal(sb_voice_settings_set(w->p, 1, w->front, &v), SB_OK);
	const char *first[] = {PHONE2, PHONE3, EXTRA, PHONE2};
	for (int i = 0; i < 4; i++) {
		char leg[8], line[128];
		snprintf(leg, sizeof leg, "C%d", i + 1);
		arrive(w, CALLER, leg);
		char *log = take(w);
		snprintf(line, sizeof line, "to=%s from=" TEST_FRONT " timeout=20000", first[i]);
		if (!strstr(log, line) || count(log, "originate") != 1)
			fail_msg("call %d should ring %s alone first:\n%s", i + 1, first[i], log);
		on(w, SB_LEG_HANGUP, leg); /* abandoned: the next call starts further on */
		take(w);
	}
	/* After the first, the others follow in order, wrapping round. */
	arrive(w, CALLER, "C5");
	expect(take(w), "originate L5 to=" PHONE3 " from=" TEST_FRONT " timeout=20000");
	on(w, SB_LEG_FAILED, "L5");
	expect(take(w), "originate L6 to=" EXTRA " from=" TEST_FRONT " timeout=20000");
	on(w, SB_LEG_FAILED, "L6");
	expect(take(w), "originate L7 to=" PHONE2 " from=" TEST_FRONT " timeout=20000");
	v.ring_mode = 3;
	test_expect_error(w->p, sb_voice_settings_set(w->p, 1, w->front, &v), SB_EINVAL, "ring mode");
}

/* --- C15 and durability --- */

static void test_repeats_and_disorder(void **state)
{
	world *w = *state;
	sb_id id = arrive(w, CALLER, "C1");
	take(w);
	assert_int_equal(arrive(w, CALLER, "C1"), id); /* the same leg again: the same call */
	assert_string_equal(take(w), "");
	on(w, SB_LEG_ANSWERED, "L1");
	on(w, SB_LEG_ANSWERED, "L1");
	on(w, SB_LEG_RINGING, "L1");
	assert_int_equal(count(take(w), "say L1"), 1);
	assert_int_equal(feed(w, SB_LEG_DIGITS, "L2", "1", "ev-9"), SB_OK); /* L2 still rings: nothing */
	assert_int_equal(feed(w, SB_LEG_DIGITS, "L1", "1", "ev-10"), SB_OK);
	assert_int_equal(feed(w, SB_LEG_DIGITS, "L1", "*", "ev-10"), SB_OK); /* a repeated event id */
	char *log = take(w);
	expect(log, "bridge C1 L1");
	expect_not(log, "hold");
	on(w, SB_LEG_HANGUP, "C1");
	take(w);
	on(w, SB_LEG_HANGUP, "C1"); /* after the end: nothing */
	on(w, SB_LEG_ANSWERED, "L2"); /* a leg we cancelled answered anyway: hang it up */
	expect(take(w), "hangup L2");
	assert_int_equal(state_of(w, id).outcome, SB_CALL_ANSWERED);
}

static void test_state_survives_the_process(void **state)
{
	world *w = *state;
	sb_id id = arrive(w, CALLER, "C1");
	sb_practice_free(w->p);
	w->p = open_practice(w); /* a fresh handle takes the next event */
	take(w);
	on(w, SB_LEG_ANSWERED, "L2");
	press(w, "L2", "1");
	expect(take(w), "bridge C1 L2");
	assert_int_equal(state_of(w, id).phase, SB_PHASE_CONNECTED);
}

/* --- V9: warm transfer --- */

static void test_transfer_complete(void **state)
{
	world *w = *state;
	sb_id id = connect(w);
	press(w, "L1", "*");
	char *log = take(w);
	expect(log, "hold C1 1");
	expect(log, "hold C1 (loop)"); /* the caller waits with hold music */
	expect(log, "say L1 Press 1 to transfer the call, or press 2 to return to the caller.");
	press(w, "L1", "1");
	expect(take(w), "say L1 Dial the 10-digit number or the extension, then press pound.");
	press(w, "L1", "617555");
	press(w, "L1", "0177#");
	log = take(w);
	expect(log, "originate L4 to=+16175550177 from=" TEST_FRONT " timeout=20000");
	expect(log, "ringback L1 (loop)");
	on(w, SB_LEG_ANSWERED, "L4");
	expect(take(w), "bridge L1 L4");
	press(w, "L1", "*");
	log = take(w);
	expect(log, "hold L4 1");
	expect(log, "say L1 Press 1 to complete the transfer, or press 2 to cancel the transfer and return to the original call.");
	press(w, "L1", "1");
	log = take(w);
	expect(log, "hold C1 0");
	expect(log, "hold L4 0"); /* held at the second `*`: a bridge ends no hold */
	expect(log, "hangup L1");
	expect(log, "bridge C1 L4");
	assert_true(strstr(log, "hold L4 0") < strstr(log, "bridge C1 L4"));
	assert_int_equal(state_of(w, id).phase, SB_PHASE_CONNECTED);
}

/* The agent hangs up at the confirm menu: the transfer completes, and the
 * target held at the second `*` is released before the bridge. */
static void test_transfer_agent_leaves_at_confirm(void **state)
{
	world *w = *state;
	sb_id id = connect(w);
	press(w, "L1", "*16175550177#");
	on(w, SB_LEG_ANSWERED, "L4");
	press(w, "L1", "*");
	expect(take(w), "hold L4 1");
	on(w, SB_LEG_HANGUP, "L1");
	char *log = take(w);
	expect(log, "hold L4 0");
	expect(log, "bridge C1 L4");
	assert_int_equal(state_of(w, id).phase, SB_PHASE_CONNECTED);
}

static void test_transfer_return_and_cancel(void **state)
{
	world *w = *state;
	connect(w);
	press(w, "L1", "*2");
	char *log = take(w);
	expect(log, "hold C1 0");
	expect(log, "bridge C1 L1");
	press(w, "L1", "*16175550177#");
	on(w, SB_LEG_ANSWERED, "L4");
	press(w, "L1", "*2"); /* 2 at the second menu: back to the caller */
	log = take(w);
	expect(log, "hangup L4");
	expect(log, "bridge C1 L1");
}

static void test_transfer_target_no_answer(void **state)
{
	world *w = *state;
	sb_id id = connect(w);
	press(w, "L1", "*16175550177#");
	take(w);
	on(w, SB_LEG_FAILED, "L4"); /* never to voicemail: back to the caller */
	char *log = take(w);
	expect(log, "say L1 The transfer did not go through. Returning to the caller.");
	expect(log, "bridge C1 L1");
	expect_not(log, "record");
	assert_int_equal(state_of(w, id).phase, SB_PHASE_CONNECTED);
	press(w, "L1", "*16175550177#");
	take(w);
	fire(w, last_timer(w)); /* rings out */
	log = take(w);
	expect(log, "cancel L5");
	expect(log, "bridge C1 L1");
}

static void test_transfer_bounded_retries(void **state)
{
	world *w = *state;
	connect(w);
	press(w, "L1", "*5");
	expect(take(w), "say L1 Press 1 to transfer the call, or press 2 to return to the caller.");
	press(w, "L1", "5");
	press(w, "L1", "5"); /* the third wrong key: back to the caller */
	char *log = take(w);
	expect(log, "say L1 Returning to the caller.");
	expect(log, "bridge C1 L1");
	press(w, "L1", "*1");
	press(w, "L1", "12#"); /* neither a number nor an extension */
	expect(take(w), "say L1 That is not a number or an extension. Dial the 10-digit number or the extension, then press pound.");
	press(w, "L1", "911#"); /* emergency codes are no transfer target */
	press(w, "L1", "555#");
	expect(take(w), "bridge C1 L1");
}

static void test_transfer_to_extension(void **state)
{
	world *w = *state;
	sb_id desk = 0;
	assert_int_equal(sb_desk_phone_add(&desk, w->p, 1, 3, "203", "sip:203@desk.example", NULL), SB_OK);
	sb_id id = connect(w);
	press(w, "L1", "*1203#");
	expect(take(w), "originate L4 to=sip:203@desk.example from=" TEST_FRONT " timeout=20000");
	on(w, SB_LEG_ANSWERED, "L4");
	press(w, "L1", "*1");
	assert_int_equal(state_of(w, id).teammate_id, 3); /* the extension's teammate took it */
}

static void test_transfer_agent_hangs_up(void **state)
{
	world *w = *state;
	sb_id id = connect(w);
	press(w, "L1", "*16175550177#");
	on(w, SB_LEG_ANSWERED, "L4");
	take(w);
	on(w, SB_LEG_HANGUP, "L1"); /* while consulting: the transfer completes */
	expect(take(w), "bridge C1 L4");
	assert_int_equal(state_of(w, id).phase, SB_PHASE_CONNECTED);

	id = arrive(w, "+13125550177", "C2");
	on(w, SB_LEG_ANSWERED, "L5");
	press(w, "L5", "1");
	press(w, "L5", "*1");
	take(w);
	on(w, SB_LEG_HANGUP, "L5"); /* before any target answered: the caller rings the number again */
	char *log = take(w);
	expect(log, "hold C2 0");
	expect(log, "ringback C2 (loop)");
	expect(log, "originate L8 to=" PHONE2 " from=" TEST_FRONT " timeout=20000");
}

/* --- V2, V1: click-to-call; V9: no transfer of outbound calls --- */

static void test_click_to_call(void **state)
{
	world *w = *state;
	sb_dial_spec d;
	sb_dial_spec_init(&d);
	d.endpoint_id = w->front;
	d.to = "(212) 555-0142";
	sb_id id = 0;
	assert_int_equal(sb_call_dial(&id, w->p, 2, &d), SB_OK);
	expect(take(w), "originate L1 to=" PHONE2 " from=" TEST_FRONT " timeout=20000");
	on(w, SB_LEG_ANSWERED, "L1");
	char *log = take(w);
	expect(log, "originate L2 to=" CALLER " from=" TEST_FRONT " timeout=20000"); /* V1 */
	expect(log, "ringback L1 (loop)");
	on(w, SB_LEG_ANSWERED, "L2");
	expect(take(w), "bridge L1 L2");
	test_expect_error(w->p, feed(w, SB_LEG_DIGITS, "L1", "*", NULL), SB_ETRANSFER, "outbound");
	assert_string_equal(take(w), "");
	assert_int_equal(state_of(w, id).phase, SB_PHASE_CONNECTED);
	w->clock.now += 30000;
	on(w, SB_LEG_HANGUP, "L2");
	expect(take(w), "hangup L1");
	sb_call c = state_of(w, id);
	sb_item item = last_item(w, c.conversation_id);
	assert_int_equal(item.direction, SB_DIRECTION_OUTBOUND);
	assert_int_equal(item.outcome, SB_CALL_ANSWERED);
	assert_int_equal(item.duration_ms, 30000);
	assert_int_equal(item.author, 2);
	assert_string_equal(item.carrier_id, "L2"); /* the patient's leg, not the teammate's */
	sb_id call = 0;
	assert_int_equal(sb_item_call(&call, w->p, 2, item.id), SB_OK);
	assert_int_equal(call, id);

	d.endpoint_id = w->billing; /* V1, T8: only a number the teammate is a member of */
	w->vc.len = 0;
	assert_int_equal(sb_endpoint_set_owner(w->p, 1, w->billing, SB_OWNER_TEAMMATE, 3), SB_OK);
	test_expect_error(w->p, sb_call_dial(&id, w->p, 2, &d), SB_EDENIED, "");
	assert_string_equal(take(w), "");
}

static void test_click_to_call_busy(void **state)
{
	world *w = *state;
	sb_dial_spec d;
	sb_dial_spec_init(&d);
	d.endpoint_id = w->front;
	d.to = CALLER;
	d.from_phone = "617 555 0150";
	sb_id id = 0;
	assert_int_equal(sb_call_dial(&id, w->p, 3, &d), SB_OK);
	expect(take(w), "originate L1 to=+16175550150 from=" TEST_FRONT " timeout=20000");
	on(w, SB_LEG_ANSWERED, "L1");
	sb_call_event ev;
	sb_call_event_init(&ev, SB_LEG_FAILED);
	ev.leg_id = "L2";
	ev.reason = SB_FAILED_BUSY;
	assert_int_equal(sb_call_feed(NULL, w->p, &ev), SB_OK);
	expect(take(w), "hangup L1");
	assert_int_equal(state_of(w, id).outcome, SB_CALL_BUSY);
}

/* --- V10, V11 --- */

static void test_emergency_and_nanp(void **state)
{
	world *w = *state;
	sb_dial_spec d;
	sb_dial_spec_init(&d);
	d.endpoint_id = w->front;
	sb_id id = 0;
	const char *codes[] = {"911", "988", "933", "411", "211", "112"};
	for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
		d.to = codes[i];
		test_expect_error(w->p, sb_call_dial(&id, w->p, 2, &d), SB_EEMERGENCY, "own dialer");
	}
	d.to = "+44 20 7946 0958";
	test_expect_error(w->p, sb_call_dial(&id, w->p, 2, &d), SB_EPHONE, "NANP");
	d.to = "not a number";
	test_expect_error(w->p, sb_call_dial(&id, w->p, 2, &d), SB_EPHONE, "to");
	d.to = "1-900-555-2671"; /* premium rate: never dialled */
	test_expect_error(w->p, sb_call_dial(&id, w->p, 2, &d), SB_EPHONE, "premium-rate");
	assert_string_equal(take(w), "");
	/* Every other NANP member is called (seed 001), texts or not; numbers pasted with a
	 * no-break space and an en dash are read as typed. */
	d.to = "(876)\xc2\xa0" "555\xe2\x80\x93" "2671";
	assert_int_equal(sb_call_dial(&id, w->p, 2, &d), SB_OK);
	expect(take(w), "originate L1 to=" PHONE2 " from=" TEST_FRONT " timeout=20000");
	on(w, SB_LEG_ANSWERED, "L1");
	expect(take(w), "originate L2 to=+18765552671 from=" TEST_FRONT " timeout=20000");
	on(w, SB_LEG_HANGUP, "L1");
	take(w);

	sb_id bare = 0, registered = 0;
	assert_int_equal(sb_desk_phone_add(&bare, w->p, 1, 2, "202", "sip:202@desk.example", ""), SB_OK);
	assert_int_equal(sb_desk_phone_add(&registered, w->p, 1, 2, "212", "sip:212@desk.example", "1 Main St, Boston MA"),
	                 SB_OK);
	d.to = "911";
	d.desk_phone_id = bare;
	test_expect_error(w->p, sb_call_dial(&id, w->p, 2, &d), SB_EEMERGENCY, "own dialer");
	d.desk_phone_id = registered;
	test_expect_error(w->p, sb_call_dial(&id, w->p, 3, &d), SB_EDENIED, ""); /* not their desk phone */
	assert_int_equal(sb_call_dial(&id, w->p, 2, &d), SB_OK);
	expect(take(w), "originate L3 to=sip:212@desk.example from=" TEST_FRONT " timeout=20000");
	on(w, SB_LEG_ANSWERED, "L3");
	expect(take(w), "originate L4 to=911 from=" TEST_FRONT " timeout=20000");
	d.to = "988"; /* the crisis line still goes through the native dialer */
	test_expect_error(w->p, sb_call_dial(&id, w->p, 2, &d), SB_EEMERGENCY, "own dialer");
}

static void test_international_caller_voicemail(void **state)
{
	world *w = *state;
	sb_id id = arrive(w, "+442079460958", "C1");
	on(w, SB_LEG_ANSWERED, "L1");
	expect(take(w), "say L1 Call from an unknown number. Press 1 to connect.");
	on(w, SB_LEG_HANGUP, "L1");
	on(w, SB_LEG_FAILED, "L2");
	on(w, SB_LEG_FAILED, "L3");
	on(w, SB_LEG_PLAYED, "C1");
	on(w, SB_LEG_RECORDED, "C1");
	sb_call c = state_of(w, id);
	assert_true(c.unknown_caller);
	assert_true(c.voicemail_item > 0);
	sb_conversation conv;
	assert_int_equal(sb_conversation_get(&conv, w->p, 2, c.conversation_id), SB_OK);
	assert_string_equal(conv.external, ""); /* shown as unknown */
	assert_int_equal(conv.contact_id, 0);
	assert_false(test_store_contains(w->path, "+442079460958"));
	sb_id again = arrive(w, "anonymous", "C2"); /* a withheld number lands in the same place */
	assert_int_equal(state_of(w, again).conversation_id, c.conversation_id);
}

/* --- V3: call from any phone --- */

static void test_any_phone(void **state)
{
	world *w = *state;
	const char *pool[] = {"+16175550181", "+16175550182"};
	assert_int_equal(sb_access_pool_set(w->p, 1, pool, 2, 60000), SB_OK);
	sb_dial_spec d;
	sb_dial_spec_init(&d);
	d.endpoint_id = w->front;
	d.to = CALLER;
	sb_access a, b, x;
	assert_int_equal(sb_call_reserve(&a, w->p, 2, &d), SB_OK);
	assert_string_equal(a.from_phone, PHONE2); /* by default, their own phone */
	assert_int_equal(a.expires_at, w->clock.now + 60000);
	assert_int_equal(sb_call_reserve(&b, w->p, 3, &d), SB_OK);
	assert_string_not_equal(a.number, b.number);
	test_expect_error(w->p, sb_call_reserve(&x, w->p, 2, &d), SB_ELIMIT, "reserved");
	sb_id id = 0;
	test_expect_error(w->p, sb_call_inbound(&id, w->p, PHONE3, a.number, "A1"), SB_EDENIED, "reserved for");
	assert_string_equal(take(w), "");
	assert_int_equal(sb_call_inbound(&id, w->p, PHONE2, a.number, "A1"), SB_OK);
	assert_int_equal(id, a.call_id);
	char *log = take(w);
	expect(log, "answer A1");
	expect(log, "originate L1 to=" CALLER " from=" TEST_FRONT " timeout=20000");
	expect(log, "ringback A1 (loop)");
	on(w, SB_LEG_ANSWERED, "L1");
	expect(take(w), "bridge A1 L1");
	test_expect_error(w->p, sb_call_inbound(&id, w->p, PHONE2, a.number, "A2"), SB_ESTATE, "used");

	w->clock.now += 60000; /* expired */
	test_expect_error(w->p, sb_call_inbound(&id, w->p, PHONE3, b.number, "B1"), SB_EEXPIRED, "expired");
	char timer[48]; /* b's reservation times out: it ends quietly, without a timeline item */
	snprintf(timer, sizeof timer, "sb-call-%lld-1", (long long)b.call_id);
	fire(w, timer);
	sb_call ended = state_of(w, b.call_id);
	assert_int_equal(ended.phase, SB_PHASE_ENDED);
	assert_int_equal(test_value(w->path, "SELECT COUNT(*) FROM sb_item WHERE kind = 3"), 0);
	assert_int_equal(sb_call_reserve(&x, w->p, 2, &d), SB_OK); /* both are free again */
	assert_int_equal(sb_call_reserve(&x, w->p, 2, &d), SB_OK);
	test_expect_error(w->p, sb_call_reserve(&x, w->p, 2, &d), SB_ELIMIT, "reserved");
	d.desk_phone_id = 1;
	test_expect_error(w->p, sb_call_reserve(&x, w->p, 2, &d), SB_EINVAL, "desk phone");
}

/* --- V12: phone trees --- */

static sb_id save_front_tree(world *w)
{
	sb_tree_branch root[] = {{'1', SB_ROUTE_TEAM, w->team, 1}, {'2', SB_ROUTE_MENU, 1, 0}};
	sb_tree_branch billing[] = {{'1', SB_ROUTE_VOICEMAIL, 0, 0}, {'9', SB_ROUTE_MENU, 0, 0}};
	sb_tree_node nodes[2] = {
		{"For the nurses press 1. For billing press 2.", NULL, 0, 2, {0, SB_ROUTE_NUMBER, 0, 0}, root, 2},
		{"For a message press 1. Press 9 to go back.", NULL, 0, 0, {0}, billing, 2}};
	sb_tree_spec s;
	sb_tree_spec_init(&s);
	s.name = "Main menu";
	s.nodes = nodes;
	s.node_count = 2;
	sb_id tree = 0;
	assert_int_equal(sb_tree_save(&tree, w->p, 1, &s), SB_OK);
	sb_voice_settings v;
	sb_voice_settings_init(&v);
	v.tree_id = tree;
	assert_int_equal(sb_voice_settings_set(w->p, 1, w->front, &v), SB_OK);
	return tree;
}

/* T2: a team route rings every available member at once; the first to accept takes it. */
static void test_team_rings_all_together(void **state)
{
	world *w = *state;
	assert_int_equal(sb_team_member_add(w->p, 1, w->team, 2), SB_OK); /* Nurses: 2, 3 and 4 */
	save_front_tree(w);
	arrive(w, CALLER, "C1");
	take(w);
	press(w, "C1", "1");
	char *log = take(w);
	expect(log, "originate L1 to=" PHONE2 " from=" TEST_FRONT " timeout=20000");
	expect(log, "originate L2 to=" PHONE3 " from=" TEST_FRONT " timeout=20000");
	expect_not(log, PHONE4); /* a member who does not see the number (T8) */
	on(w, SB_LEG_ANSWERED, "L1");
	on(w, SB_LEG_ANSWERED, "L2");
	press(w, "L2", "1");
	log = take(w);
	expect(log, "bridge C1 L2");
	expect(log, "hangup L1"); /* the other member's screen ends */
	assert_int_equal(state_of(w, 1).teammate_id, 3);
}

static void test_tree_routes(void **state)
{
	world *w = *state;
	sb_id tree = save_front_tree(w);
	sb_id id = arrive(w, CALLER, "C1");
	char *log = take(w);
	expect(log, "answer C1");
	expect(log, "say C1 For the nurses press 1. For billing press 2.");
	expect_not(log, "originate");
	assert_int_equal(state_of(w, id).phase, SB_PHASE_MENU);
	press(w, "C1", "2");
	expect(take(w), "say C1 For a message press 1. Press 9 to go back.");
	press(w, "C1", "9");
	press(w, "C1", "1");
	log = take(w);
	expect(log, "originate L1 to=" PHONE3 " from=" TEST_FRONT " timeout=20000");
	expect_not(log, PHONE4); /* a team member who does not see the number does not ring (T8) */
	expect(log, "ringback C1 (loop)");
	assert_int_equal(test_value(w->path, "SELECT box_kind FROM sb_conversation ORDER BY id DESC LIMIT 1"),
	                 SB_MAILBOX_TEAM);
	test_expect_error(w->p, sb_tree_delete(w->p, 1, tree), SB_ESTATE, "answers with");
}

static void test_tree_timeouts_and_wrong_keys(void **state)
{
	world *w = *state;
	save_front_tree(w);
	arrive(w, CALLER, "C1");
	take(w);
	on(w, SB_LEG_PLAYED, "C1");
	fire(w, last_timer(w)); /* no key: prompted again */
	expect(take(w), "say C1 Sorry, that is not an option. For the nurses press 1. For billing press 2.");
	press(w, "C1", "7"); /* the second miss of two: the fallback rings the number */
	char *log = take(w);
	expect(log, "originate L1 to=" PHONE2 " from=" TEST_FRONT " timeout=20000");
}

static void test_tree_validation(void **state)
{
	world *w = *state;
	sb_tree_branch to_missing[] = {{'1', SB_ROUTE_MENU, 5, 0}};
	sb_tree_branch loop_a[] = {{'1', SB_ROUTE_MENU, 1, 0}};
	sb_tree_branch loop_b[] = {{'1', SB_ROUTE_MENU, 0, 0}};
	sb_tree_branch nobody[] = {{'1', SB_ROUTE_TEAMMATE, 99, 0}};
	sb_tree_branch twice[] = {{'1', SB_ROUTE_VOICEMAIL, 0, 0}, {'1', SB_ROUTE_NUMBER, 0, 0}};
	sb_tree_branch ok[] = {{'1', SB_ROUTE_VOICEMAIL, 0, 0}};
	sb_tree_node n[2] = {{"Menu", NULL, 0, 0, {0}, to_missing, 1}, {"Other", NULL, 0, 0, {0}, ok, 1}};
	sb_tree_spec s;
	sb_tree_spec_init(&s);
	s.name = "Bad";
	s.nodes = n;
	s.node_count = 1;
	sb_id id = 0;
	char *before = test_dump(w->path);
	test_expect_error(w->p, sb_tree_save(&id, w->p, 1, &s), SB_ETREE, "does not have");
	n[0].branches = loop_a;
	n[0].fallback.route = SB_ROUTE_MENU;
	n[0].fallback.target = 1;
	n[1].branches = loop_b;
	n[1].fallback.route = SB_ROUTE_MENU;
	s.node_count = 2;
	test_expect_error(w->p, sb_tree_save(&id, w->p, 1, &s), SB_ETREE, "without an exit");
	n[0].branches = ok;
	n[0].fallback.route = SB_ROUTE_VOICEMAIL;
	n[0].fallback.target = 0;
	test_expect_error(w->p, sb_tree_save(&id, w->p, 1, &s), SB_ETREE, "cannot be reached");
	s.node_count = 1;
	n[0].branches = nobody;
	test_expect_error(w->p, sb_tree_save(&id, w->p, 1, &s), SB_ETREE, "teammate");
	n[0].branches = twice;
	n[0].branch_count = 2;
	test_expect_error(w->p, sb_tree_save(&id, w->p, 1, &s), SB_EINVAL, "twice");
	n[0].branches = ok;
	n[0].branch_count = 1;
	n[0].prompt = NULL;
	test_expect_error(w->p, sb_tree_save(&id, w->p, 1, &s), SB_EINVAL, "prompt");
	n[0].prompt = "Menu";
	test_expect_dump(w->path, before);
	test_expect_error(w->p, sb_tree_save(&id, w->p, 2, &s), SB_EDENIED, "");
	assert_int_equal(sb_tree_save(&id, w->p, 1, &s), SB_OK);
	sb_tree t;
	sb_tree_node_info info;
	assert_int_equal(sb_tree_get(&t, w->p, 3, id), SB_OK);
	assert_string_equal(t.name, "Bad");
	assert_int_equal(sb_tree_node_get(&info, w->p, 3, id, 0), SB_OK);
	assert_int_equal(info.branch_count, 1);
	assert_int_equal(info.timeout_ms, SB_TREE_TIMEOUT_DEFAULT);
	assert_int_equal(info.tries, SB_TREE_TRIES_DEFAULT);
	test_expect_error(w->p, sb_tree_node_get(&info, w->p, 3, id, 1), SB_ENOTFOUND, "node");
	assert_int_equal(sb_tree_delete(w->p, 1, id), SB_OK);
	test_expect_error(w->p, sb_tree_get(&t, w->p, 3, id), SB_ENOTFOUND, "tree");
}

/* --- settings, desk phones, bad input --- */

static void test_settings_and_desk_phones(void **state)
{
	world *w = *state;
	sb_voice_settings v;
	sb_voice_settings_init(&v);
	v.ring_timeout_ms = 10;
	test_expect_error(w->p, sb_voice_settings_set(w->p, 1, w->front, &v), SB_EINVAL, "ring_timeout_ms");
	v.ring_timeout_ms = 0;
	v.ring_mode = 7;
	test_expect_error(w->p, sb_voice_settings_set(w->p, 1, w->front, &v), SB_EINVAL, "ring mode");
	v.ring_mode = 0;
	const char *bad = "+44 20 7946 0958";
	v.extra_numbers = &bad;
	v.extra_count = 1;
	test_expect_error(w->p, sb_voice_settings_set(w->p, 1, w->front, &v), SB_EPHONE, "extra");
	v.extra_count = 0;
	v.greeting = "\xff";
	test_expect_error(w->p, sb_voice_settings_set(w->p, 1, w->front, &v), SB_EUTF8, "greeting");
	v.greeting = NULL;
	test_expect_error(w->p, sb_voice_settings_set(w->p, 3, w->front, &v), SB_EDENIED, ""); /* a member, not owner */
	v.tree_id = 77;
	test_expect_error(w->p, sb_voice_settings_set(w->p, 1, w->front, &v), SB_ENOTFOUND, "tree");
	v.version = 9;
	test_expect_error(w->p, sb_voice_settings_set(w->p, 1, w->front, &v), SB_EVERSION, "version");
	sb_voice_config cfg;
	assert_int_equal(sb_voice_settings_get(&cfg, w->p, 3, w->front), SB_OK);
	assert_int_equal(cfg.ring_timeout_ms, SB_RING_TIMEOUT_DEFAULT);
	assert_int_equal(cfg.extra_count, 1);
	assert_string_equal(cfg.extra_numbers[0], EXTRA);
	test_expect_error(w->p, sb_voice_settings_get(&cfg, w->p, 4, w->front), SB_EDENIED, "");

	sb_id desk = 0, other = 0;
	test_expect_error(w->p, sb_desk_phone_add(&desk, w->p, 2, 2, "201", "sip:a", NULL), SB_EDENIED, "admins");
	test_expect_error(w->p, sb_desk_phone_add(&desk, w->p, 1, 2, "9", "sip:a", NULL), SB_EINVAL, "extension");
	test_expect_error(w->p, sb_desk_phone_add(&desk, w->p, 1, 2, "911", "sip:a", NULL), SB_EINVAL, "extension");
	test_expect_error(w->p, sb_desk_phone_add(&desk, w->p, 1, 99, "201", "sip:a", NULL), SB_ENOTFOUND, "teammate");
	assert_int_equal(sb_desk_phone_add(&desk, w->p, 1, 2, "201", "sip:a", NULL), SB_OK);
	test_expect_error(w->p, sb_desk_phone_add(&other, w->p, 1, 3, "201", "sip:b", NULL), SB_ECONFLICT, "taken");
	sb_desk_phone dp;
	assert_int_equal(sb_desk_phone_get(&dp, w->p, 4, desk), SB_OK);
	assert_string_equal(dp.extension, "201");
	assert_int_equal(sb_desk_phone_remove(w->p, 1, desk), SB_OK);
	test_expect_error(w->p, sb_desk_phone_get(&dp, w->p, 4, desk), SB_ENOTFOUND, "desk phone");

	const char *pool[] = {TEST_BILLING};
	test_expect_error(w->p, sb_access_pool_set(w->p, 1, pool, 1, 0), SB_ECONFLICT, "business number");
	test_expect_error(w->p, sb_access_pool_set(w->p, 2, NULL, 0, 0), SB_EDENIED, "admins");
	const char *twice[] = {"+16175550181", "617-555-0181"};
	test_expect_error(w->p, sb_access_pool_set(w->p, 1, twice, 2, 0), SB_EINVAL, "same");
}

static void test_bad_events(void **state)
{
	world *w = *state;
	sb_id id = arrive(w, CALLER, "C1");
	take(w);
	char *before = test_dump(w->path);
	test_expect_error(w->p, feed(w, SB_LEG_ANSWERED, "nobody", NULL, NULL), SB_ENOTFOUND, "no call");
	test_expect_error(w->p, feed(w, SB_LEG_DIGITS, "L1", "1a", NULL), SB_EINVAL, "digits");
	test_expect_error(w->p, feed(w, SB_LEG_DIGITS, "L1", NULL, NULL), SB_EINVAL, "digits");
	test_expect_error(w->p, feed(w, 42, "L1", NULL, NULL), SB_EINVAL, "kind");
	test_expect_error(w->p, feed(w, SB_LEG_ANSWERED, "\xc3\x28", NULL, NULL), SB_EUTF8, "leg_id");
	sb_call_event ev;
	sb_call_event_init(&ev, SB_TIMER_FIRED);
	ev.timer_id = "someone-elses-timer";
	test_expect_error(w->p, sb_call_feed(NULL, w->p, &ev), SB_ENOTFOUND, "timer");
	ev.version = 3;
	test_expect_error(w->p, sb_call_feed(NULL, w->p, &ev), SB_EVERSION, "version");
	sb_id other;
	test_expect_error(w->p, sb_call_inbound(&other, w->p, CALLER, "+16175550111", "C9"), SB_EROUTE, "");
	test_expect_error(w->p, sb_call_inbound(&other, w->p, "garbage!", TEST_FRONT, "C9"), SB_EPHONE, "from");
	test_expect_error(w->p, sb_call_inbound(&other, w->p, CALLER, TEST_FRONT, ""), SB_EINVAL, "leg_id");
	sb_call c;
	test_expect_error(w->p, sb_call_get(&c, w->p, 1, 999), SB_ENOTFOUND, "call");
	test_expect_dump(w->path, before);
	test_expect_error(w->p, sb_call_get(&c, w->p, 4, id), SB_EDENIED, ""); /* T8, audited */
	assert_string_equal(take(w), "");

	w->vc.fail_play = 1; /* a command fails: the event is undone, and may be fed again */
	before = test_dump(w->path);
	test_expect_error(w->p, feed(w, SB_LEG_ANSWERED, "L1", NULL, NULL), SB_EUSER, "call_play");
	test_expect_dump(w->path, before);
	w->vc.fail_play = 0;
	on(w, SB_LEG_ANSWERED, "L1");
	expect(take(w), "say L1 Call from Ada Lovelace. Press 1 to connect.");
}

static void test_refused_leg_rings_the_rest(void **state)
{
	world *w = *state;
	w->vc.refuse_to = PHONE2;
	arrive(w, CALLER, "C1");
	char *log = take(w);
	expect_not(log, "to=" PHONE2);
	expect(log, "originate L1 to=" PHONE3 " from=" TEST_FRONT " timeout=20000");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ring_screen_accept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_whisper_number, setup, teardown),
		cmocka_unit_test_setup_teardown(test_early_media_is_no_answer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_accepts_one_bridge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_caller_hangs_up_while_screening, setup, teardown),
		cmocka_unit_test_setup_teardown(test_caller_hangs_up_while_ringing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_caller_hangs_up_during_the_greeting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_screen_without_key_is_no_answer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_voicemail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_voicemail_settings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sequential, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sequential_timeout_per_number, setup, teardown),
		cmocka_unit_test_setup_teardown(test_round_robin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_team_rings_all_together, setup, teardown),
		cmocka_unit_test_setup_teardown(test_repeats_and_disorder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_state_survives_the_process, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transfer_complete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transfer_agent_leaves_at_confirm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transfer_return_and_cancel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transfer_target_no_answer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transfer_bounded_retries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transfer_to_extension, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transfer_agent_hangs_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_click_to_call, setup, teardown),
		cmocka_unit_test_setup_teardown(test_click_to_call_busy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_emergency_and_nanp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_international_caller_voicemail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_any_phone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tree_routes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tree_timeouts_and_wrong_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tree_validation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_and_desk_phones, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_leg_rings_the_rest, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
