/*
 * examples/voice: replays a few calls through the call engine and prints
 * the transcript a developer reads: each carrier event fed in (<-) and each
 * command the library gave the carrier (->).
 *
 *   voice [store.db]     (default: a fresh file in /tmp)
 *
 * The carrier here is a printer: it names the legs it "places" L1, L2, …
 * A real host maps the same commands to TwiML or Asterisk ARI (docs/design.md).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <switchboard.h>

static int legs;
static int64_t now_ms = 1767261600000; /* 2026-01-01 10:00 UTC */
static char last_timer[64];

static void out(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("    -> ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
}

static int originate(void *ud, const sb_call_originate *r, char *id, size_t cap)
{
	(void)ud;
	snprintf(id, cap, "L%d", ++legs);
	out("originate %s to %s showing %s (ring %lld s)", id, r->to, r->from, (long long)r->timeout_ms / 1000);
	return 0;
}
static int cancel(void *ud, const char *leg) { (void)ud; out("cancel %s", leg); return 0; }
static int answer(void *ud, const char *leg) { (void)ud; out("answer %s", leg); return 0; }
static int hangup(void *ud, const char *leg) { (void)ud; out("hang up %s", leg); return 0; }
static int hold(void *ud, const char *leg, int on) { (void)ud; out("%s %s", on ? "hold" : "unhold", leg); return 0; }
static int bridge(void *ud, const char *a, const char *b) { (void)ud; out("bridge %s <-> %s", a, b); return 0; }
static int play(void *ud, const char *leg, const sb_play *p)
{
	static const char *const kinds[] = {"say", "play", "ringback", "hold music", "beep"};
	(void)ud;
	out("%s on %s%s%s%s", kinds[p->kind], leg, p->content ? ": \"" : "", p->content ? p->content : "",
	    p->content ? "\"" : "");
	return 0;
}
static int record(void *ud, const char *leg, const sb_record *r)
{
	(void)ud;
	out("record %s (at most %lld s, # ends)", leg, (long long)r->max_ms / 1000);
	return 0;
}
static int timer_start(void *ud, const char *t, int64_t due)
{
	(void)ud;
	snprintf(last_timer, sizeof last_timer, "%s", t);
	out("timer %s in %lld s", t, (long long)(due - now_ms) / 1000);
	return 0;
}
static int timer_stop(void *ud, const char *t) { (void)ud; (void)t; return 0; }
static int clock_now(void *ud, int64_t *ms) { (void)ud; *ms = now_ms; return 0; }

static sb_practice *p;

static void check(int rc, const char *what)
{
	if (rc != SB_OK) {
		fprintf(stderr, "voice: %s: %s (%s)\n", what, sb_strerror(rc), sb_practice_errmsg(p));
		exit(1);
	}
}

static const char *const EVENT_NAMES[] = {"", "ringing", "early media", "answered", "failed", "hung up",
                                          "pressed", "prompt done", "recording done", "timer"};

static void event(int kind, const char *leg, const char *digits)
{
	sb_call_event ev;
	sb_call_event_init(&ev, kind);
	ev.leg_id = leg;
	ev.digits = digits;
	ev.reason = SB_FAILED_NO_ANSWER;
	ev.media_ref = "https://media.example/voicemail/1.wav";
	ev.duration_ms = 23000;
	ev.timer_id = last_timer;
	printf("  <- %s %s%s%s\n", kind == SB_TIMER_FIRED ? last_timer : leg, EVENT_NAMES[kind], digits ? " " : "",
	       digits ? digits : "");
	check(sb_call_feed(NULL, p, &ev), EVENT_NAMES[kind]);
}

static sb_id inbound(const char *from, const char *to, const char *leg)
{
	sb_id id = 0;
	printf("  <- %s calls %s from %s\n", leg, to, from);
	check(sb_call_inbound(&id, p, from, to, leg), "inbound call");
	return id;
}

static void summary(sb_id id)
{
	static const char *const outcomes[] = {"live", "answered", "missed", "busy", "failed", "canceled"};
	sb_call c;
	check(sb_call_get(&c, p, SB_ACTOR_SYSTEM, id), "reading the call");
	printf("  = call %lld: %s, %lld s%s\n\n", (long long)id, outcomes[c.outcome],
	       (long long)((c.ended_at - (c.answered_at ? c.answered_at : c.started_at)) / 1000),
	       c.voicemail_item ? ", with a voicemail" : "");
}

static sb_id teammate(const char *name, const char *phone)
{
	sb_teammate_spec s;
	sb_teammate_spec_init(&s);
	s.name = name;
	s.ring_numbers = &phone;
	s.ring_count = 1;
	sb_id id = 0;
	check(sb_teammate_add(&id, p, SB_ACTOR_SYSTEM, &s), "adding a teammate");
	return id;
}

int main(int argc, char **argv)
{
	char path[] = "/tmp/switchboard-voice-XXXXXX";
	int fd = argc > 1 ? -1 : mkstemp(path);
	if (fd >= 0)
		close(fd);
	sb_carrier carrier = {SB_CARRIER_VERSION, NULL, NULL, NULL, originate, cancel, answer, play, hold, bridge, record,
	                      hangup, timer_start, timer_stop};
	sb_clock clock = {SB_CLOCK_VERSION, NULL, clock_now};
	sb_practice_options o = SB_PRACTICE_OPTIONS_INIT;
	o.store_path = argc > 1 ? argv[1] : path;
	o.carrier = &carrier;
	o.clock = &clock;
	if (sb_practice_open(&p, &o) != SB_OK) {
		fprintf(stderr, "voice: cannot open the store: %s\n", sb_practice_errmsg(p));
		return 1;
	}
	sb_id admin = teammate("Dr. Rivera", "+16175550101"), nurse = teammate("Sam (nurse)", "+16175550102");
	sb_id front = 0, desk = 0;
	check(sb_business_number_create(&front, p, admin, "+1 415 555 0100", "Front desk"), "adding a number");
	check(sb_endpoint_member_add(p, admin, front, nurse), "adding a member");
	check(sb_endpoint_member_add(p, admin, front, admin), "adding a member");
	check(sb_desk_phone_add(&desk, p, admin, nurse, "202", "sip:202@desk.example", "1 Main St, Boston MA"),
	      "adding a desk phone");

	printf("1. A patient calls; both phones ring; the nurse screens, accepts, and warm-transfers to extension 202.\n");
	sb_id call = inbound("+12125550142", "+14155550100", "C1");
	event(SB_LEG_ANSWERED, "L2", NULL);
	event(SB_LEG_DIGITS, "L2", "1");
	now_ms += 60000;
	event(SB_LEG_DIGITS, "L2", "*");
	event(SB_LEG_DIGITS, "L2", "1");
	event(SB_LEG_DIGITS, "L2", "202#");
	event(SB_LEG_ANSWERED, "L3", NULL);
	event(SB_LEG_DIGITS, "L2", "*");
	event(SB_LEG_DIGITS, "L2", "1");
	now_ms += 120000;
	event(SB_LEG_HANGUP, "C1", NULL);
	summary(call);

	printf("2. Nobody accepts: the greeting, a voicemail, a transcript later.\n");
	call = inbound("+13125550177", "+14155550100", "C2");
	event(SB_LEG_EARLY_MEDIA, "L4", NULL); /* never an answer */
	event(SB_LEG_FAILED, "L4", NULL);
	event(SB_TIMER_FIRED, NULL, NULL);
	event(SB_LEG_PLAYED, "C2", NULL);
	now_ms += 23000;
	event(SB_LEG_RECORDED, "C2", NULL);
	check(sb_voicemail_transcript(p, SB_ACTOR_SYSTEM, "C2", "Hi, this is Jo, please call me back."), "transcript");
	summary(call);

	printf("3. Click-to-call: the doctor's phone first, then the patient, both showing the front desk.\n");
	sb_dial_spec d;
	sb_dial_spec_init(&d);
	d.endpoint_id = front;
	d.to = "(212) 555-0142";
	check(sb_call_dial(&call, p, admin, &d), "click-to-call");
	event(SB_LEG_ANSWERED, "L6", NULL);
	event(SB_LEG_ANSWERED, "L7", NULL);
	int rc = 0;
	sb_call_event star;
	sb_call_event_init(&star, SB_LEG_DIGITS);
	star.leg_id = "L6";
	star.digits = "*";
	rc = sb_call_feed(NULL, p, &star);
	printf("  <- L6 pressed * : %s (V9)\n", sb_strerror(rc));
	now_ms += 45000;
	event(SB_LEG_HANGUP, "L7", NULL);
	summary(call);

	d.to = "911";
	printf("4. 911 from the app: %s (V10)\n", sb_strerror(sb_call_dial(&call, p, admin, &d)));
	sb_practice_free(p);
	if (argc <= 1)
		unlink(path);
	return 0;
}
