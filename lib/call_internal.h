/*
 * The call engine's parts (lib/call*.c). Internal.
 *
 * call.c        loading and saving a call, the carrier commands, feeding events
 * call_ring.c   inbound calls: phone trees, ringing, screening, voicemail (V4–V8, V11, V12)
 * call_xfer.c   warm transfer (V9)
 * call_dial.c   outbound calls: click-to-call, call from any phone (V1–V3, V10, V11)
 */
#ifndef SB_CALL_INTERNAL_H
#define SB_CALL_INTERNAL_H

#include "internal.h"

/* Most legs of one call, and most targets one ringing round places. */
#define SB_CALL_LEGS_MAX 48u
#define SB_CALL_TARGETS_MAX 16u
/* A transfer menu's turns, and how long it waits for a key. */
#define SB_XFER_TRIES 3
#define SB_XFER_TIMEOUT 15000
/* How long after the caller hangs up mid-recording the recording may arrive. */
#define SB_RECORDING_GRACE 60000

/* What a leg is for. */
enum {
	ROLE_CALLER = 1,    /* the inbound caller */
	ROLE_TARGET = 2,    /* a number to ring */
	ROLE_AGENT = 3,     /* the teammate on the call */
	ROLE_PATIENT = 4,   /* the patient an outbound call reaches */
	ROLE_TRANSFER = 5   /* a warm transfer's target */
};

/* Where a leg stands. */
enum {
	LEG_PENDING = 0,    /* waits its turn (sequential ringing) */
	LEG_RINGING = 1,    /* placed, not answered */
	LEG_SCREENING = 2,  /* answered; the whisper waits for 1 (V6) */
	LEG_UP = 3,         /* answered and in use */
	LEG_ENDED = 4
};

typedef struct leg {
	sb_id id;                            /* 0 until the event's end stores it */
	int role, state;
	sb_id teammate;
	int64_t timer;                       /* the step of its live timer, 0: none */
	char carrier[SB_CARRIER_ID_MAX];     /* "" until placed; set once */
	char target[SB_DEVICE_MAX + 1];
	int64_t stored[3];                   /* role, state and timer as stored, to write only changes */
	int carrier_stored;                  /* the store has its carrier id */
} leg;

#define CALL_ROW 14

typedef struct call {
	sb_practice *p;
	int64_t now;
	sb_id id, endpoint, conversation, contact, teammate, desk_phone, voicemail_item, route_target;
	int origin, phase, outcome, unknown, tries, route;
	int64_t node, step, timer, started_at, answered_at, ended_at;
	char digits[SB_DIGITS_MAX + 1];
	char business[SB_ENDPOINT_ADDRESS_MAX];  /* read when a leg is placed */
	int64_t loaded[CALL_ROW];                /* the row as read, to skip writing it unchanged */
	char loaded_digits[SB_DIGITS_MAX + 1];
	size_t n;
	leg legs[SB_CALL_LEGS_MAX];              /* last: each is cleared when added or loaded */
} call;

/* call.c */
/* The struct an event works on (free() it): loaded when id > 0, else a new call's. */
int sb_call_begin(sb_practice *p, sb_id id, int64_t now, call **out);
int sb_call_save(call *c);
/* Remember the row as it stands (a new call's row is written whole once). */
void sb_call_mark(call *c);
/* A new leg in *out, stored with the call at the event's end; SB_ELIMIT past SB_CALL_LEGS_MAX. */
int sb_call_leg_add(call *c, leg **out, int role, sb_id teammate, const char *target, const char *carrier);
leg *sb_call_role(call *c, int role);
int sb_call_transact(sb_practice *p, sb_id *id, sb_step body, void *arg, const char *what);
int sb_call_arm(call *c, int64_t *slot, int64_t ms);
int sb_call_disarm(call *c, int64_t *slot);
int sb_call_play(call *c, leg *l, int kind, const char *content, int loop);
int sb_call_say(call *c, leg *l, const char *text);
int sb_call_place(call *c, leg *l, const char *to, int64_t timeout_ms, int *placed);
int sb_call_drop(call *c, leg *l);
int sb_call_drop_others(call *c, const leg *keep);
int sb_call_bridge(call *c, leg *a, leg *b);
int sb_call_finish(call *c, int outcome);
int sb_call_business(call *c);

/* The handlers, by what happened (call_ring.c dispatches by origin and phase). */
int sb_call_on_answer(call *c, leg *l);
int sb_call_on_gone(call *c, leg *l, int reason);
int sb_call_on_key(call *c, leg *l, char key);
int sb_call_on_played(call *c, leg *l);
int sb_call_on_recorded(call *c, leg *l, const sb_call_event *ev);
int sb_call_on_timer(call *c, leg *l);

/* call_ring.c: ring the numbers of a route (an sb_route_kind) */
int sb_call_ring(call *c, int route, sb_id target);
int sb_call_voicemail(call *c);
int sb_call_menu(call *c, sb_id tree, int64_t node);
int sb_call_check_carrier(sb_practice *p);

/* call_xfer.c */
int sb_xfer_key(call *c, leg *l, char key);
int sb_xfer_gone(call *c, leg *l);
int sb_xfer_timer(call *c);
int sb_xfer_answer(call *c, leg *l);

/* call_dial.c */
int sb_dial_answer(call *c, leg *l);
int sb_dial_gone(call *c, leg *l, int reason);
int sb_dial_timer(call *c);
int sb_dial_patient(call *c, leg *agent);
/* A call to an access number (V3); SB_EROUTE when `to` is none. */
int sb_dial_arrival(sb_id *out_call, sb_practice *p, const char *from, const char *to, const char *leg_id);

#endif
