/* Fuzz target: the call engine fed decoded event sequences: calls arriving
 * on random legs, answers, failures, hang-ups, keys (screening, phone tree
 * digits, the transfer keypad), prompts played, recordings and timers, in
 * any order and repeated. Each byte pair is one event: the first picks the
 * kind and the leg, the second the keys, the reason or the timer. Every
 * answer is a named code; every call the engine keeps reads back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_world.h"

static const char *const KEYS[] = {"1", "2", "9", "*", "#", "*1", "1#", "*12125550142#", "*2", "0", "", "*1202#"};
static const char *const CALLERS[] = {"+12125550142", "+442079460958", "anonymous", "+14155550123"};

/* A phone tree on the front desk once: 1 to teammate 2, 2 to voicemail. */
static void tree_once(sb_practice *p)
{
	static int done;
	if (done++)
		return;
	sb_teammate_spec s;
	sb_teammate_spec_init(&s);
	const char *ring = "+16175550102";
	s.name = "Bea";
	s.ring_numbers = &ring;
	s.ring_count = 1;
	if (sb_teammate_update(p, 1, 2, &s) != SB_OK)
		abort();
	sb_tree_branch root[] = {{'1', SB_ROUTE_TEAMMATE, 2, 0}, {'2', SB_ROUTE_VOICEMAIL, 0, 0}};
	sb_tree_node node = {"Press 1 for Bea, 2 for a message.", NULL, 0, 2, {0, SB_ROUTE_NUMBER, 0, 0}, root, 2};
	sb_tree_spec t;
	sb_tree_spec_init(&t);
	t.name = "Fuzz menu";
	t.nodes = &node;
	t.node_count = 1;
	sb_id tree = 0, front = 0;
	if (sb_tree_save(&tree, p, 1, &t) != SB_OK || sb_business_number_find(&front, p, 1, FUZZ_FRONT) != SB_OK)
		abort();
	sb_voice_settings v;
	sb_voice_settings_init(&v);
	v.tree_id = tree;
	if (sb_voice_settings_set(p, 1, front, &v) != SB_OK)
		abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	sb_practice *p = fuzz_practice();
	tree_once(p);
	static unsigned long run;
	run++;
	for (size_t i = 0; i + 1 < size; i += 2) {
		unsigned a = data[i], b = data[i + 1];
		char leg[32], timer[48];
		/* legs of this run: callers C<run>-<n>, placed legs L<n> */
		if ((a & 7) == 0)
			snprintf(leg, sizeof leg, "C%lu-%u", run, (a >> 3) & 3);
		else
			snprintf(leg, sizeof leg, "L%u", 1 + ((a >> 3) & 15));
		int kind = 1 + (int)((a >> 5) % 9); /* SB_LEG_RINGING .. SB_TIMER_FIRED */
		int rc;
		sb_id call = 0;
		if ((a & 7) == 0 && (b & 3) == 0) {
			rc = sb_call_inbound(&call, p, CALLERS[b >> 6], FUZZ_FRONT, leg);
		} else {
			sb_call_event ev;
			sb_call_event_init(&ev, kind);
			ev.leg_id = leg;
			ev.digits = KEYS[b % 12];
			ev.reason = 1 + (int)(b % 4);
			snprintf(timer, sizeof timer, "sb-call-%u-%u", 1 + b % 8, 1 + b / 8);
			ev.timer_id = kind == SB_TIMER_FIRED ? timer : NULL;
			ev.media_ref = kind == SB_LEG_RECORDED ? "https://media.example/vm.wav" : NULL;
			ev.duration_ms = b * 100;
			char eid[8];
			snprintf(eid, sizeof eid, "E%u", b & 15);
			ev.event_id = (b & 0x20) ? eid : NULL; /* repeats change nothing (C15) */
			rc = sb_call_feed(&call, p, &ev);
		}
		fuzz_check(p, rc, NULL);
		sb_call c;
		if (rc == SB_OK && call && sb_call_get(&c, p, SB_ACTOR_SYSTEM, call) != SB_OK)
			abort();
	}
	return 0;
}
