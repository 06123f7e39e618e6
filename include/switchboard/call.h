/**
 * @file switchboard/call.h
 * @brief The call engine (V1–V12): the library decides what happens to
 * every call on the practice's numbers; the host's telephony does what it is
 * told.
 *
 * Events come in: a call arrived (sb_call_inbound()), and everything after
 * it (sb_call_feed()): a leg rang, played early media, answered, failed or
 * hung up, a key was pressed, a prompt finished, a recording finished, a
 * timer fired. Commands go out through the carrier (carrier.h): originate a
 * leg with a caller ID, cancel it, answer, play speech, media, ringback or
 * hold music, hold, bridge two legs, record, hang up, start or stop a timer.
 * Time comes from the practice clock, so every scenario is a script of
 * events with one outcome.
 *
 * Each event is handled in one store transaction that locks the call's row:
 * its commands run inside it, and the call's new state commits with them.
 * The state lives in the store only, so any handle on the store, in this
 * process or a fresh one, can take the next event.
 *
 * Repeats and disorder (C15): an event naming a leg that has already moved
 * past it (a second answer, a ring after the answer, anything after the
 * hang-up) changes nothing and succeeds; an event carrying an `event_id`
 * already seen on its call changes nothing; a timer that was replaced or
 * whose purpose has passed changes nothing. Keys are the exception a host
 * must mind: give a SB_LEG_DIGITS event its `event_id` when it may be repeated.
 *
 * Carrier failures: a leg the carrier cannot place counts as failed (the
 * engine rings the next target, or goes on to voicemail); any other command
 * failing undoes the event (SB_EUSER), which the host may feed again.
 *
 * Who calls: events come from the carrier and run as the system. Reading a
 * call is for teammates who see its business number (T8). Outbound calls
 * are started by a teammate, who must be a member of the business number
 * shown as caller ID (V1). Nothing of the patient (name, number) reaches
 * error text; a screening whisper speaks the contact's name to the teammate
 * who answers, and that reading is audited ("call.screen").
 *
 * Threads: as for the practice handle. Callbacks run on the calling thread
 * and must not call back into the same handle.
 */
#ifndef SWITCHBOARD_CALL_H
#define SWITCHBOARD_CALL_H

#include "carrier.h"
#include "common.h"
#include "practice.h"
#include "voice.h"

#ifdef __cplusplus
extern "C" {
#endif

/** How a call began. */
typedef enum sb_call_origin {
	SB_ORIGIN_INBOUND = 1,       /**< a caller dialled a business number */
	SB_ORIGIN_CLICK = 2,         /**< click-to-call: the teammate's phone first, then the patient (V2) */
	SB_ORIGIN_ANY_PHONE = 3      /**< call from any phone through an access number (V3) */
} sb_call_origin;

/** Where a call stands. */
typedef enum sb_call_phase {
	SB_PHASE_MENU = 1,           /**< a phone tree prompts the caller (V12) */
	SB_PHASE_RINGING = 2,        /**< the numbers to ring are ringing or screening (V4, V6) */
	SB_PHASE_CONNECTED = 3,      /**< the caller and a teammate are bridged */
	SB_PHASE_XFER_MENU = 4,      /**< `*` pressed: "1 transfer, 2 return"; the caller on hold (V9) */
	SB_PHASE_XFER_DIGITS = 5,    /**< collecting the target, ended by `#` */
	SB_PHASE_XFER_RINGING = 6,   /**< the transfer target is ringing */
	SB_PHASE_XFER_CONSULT = 7,   /**< the teammate talks with the target */
	SB_PHASE_XFER_CONFIRM = 8,   /**< `*` again: "1 complete, 2 cancel" */
	SB_PHASE_GREETING = 9,       /**< voicemail greeting playing (V7) */
	SB_PHASE_RECORDING = 10,     /**< voicemail recording */
	SB_PHASE_RESERVED = 11,      /**< an access number waits to be dialled (V3) */
	SB_PHASE_CALLING_TEAMMATE = 12, /**< click-to-call: the teammate's phone rings (V2) */
	SB_PHASE_CALLING_PATIENT = 13,  /**< the patient's phone rings; the teammate hears ringback */
	SB_PHASE_ENDED = 14
} sb_call_phase;

/** A call as stored. The layout is frozen; a revision comes as a _v2 call. */
typedef struct sb_call {
	sb_id id;
	sb_id endpoint_id;           /**< the business number */
	sb_id conversation_id;       /**< where its timeline items go (V8) */
	sb_id teammate_id;           /**< who took it, or placed it; 0 while nobody has */
	int origin;                  /**< an ::sb_call_origin */
	int phase;                   /**< an ::sb_call_phase */
	int outcome;                 /**< an ::sb_call_outcome once ended, else 0 */
	int unknown_caller;          /**< an international or withheld number (V11) */
	sb_id voicemail_item;        /**< the voicemail left, or 0 */
	int64_t started_at;
	int64_t answered_at;         /**< 0 unless a teammate and the other party talked */
	int64_t ended_at;            /**< 0 while live */
} sb_call;

/** What happened on a leg, as the carrier reports it. */
typedef enum sb_call_event_kind {
	SB_LEG_RINGING = 1,        /**< the far end rings */
	SB_LEG_EARLY_MEDIA = 2,    /**< the far end plays audio before answering: never an answer */
	SB_LEG_ANSWERED = 3,       /**< a real answer */
	SB_LEG_FAILED = 4,         /**< the leg could not be completed; see `reason` */
	SB_LEG_HANGUP = 5,         /**< the leg hung up */
	SB_LEG_DIGITS = 6,         /**< keys pressed on the leg, in order */
	SB_LEG_PLAYED = 7,         /**< the prompt last played on the leg finished */
	SB_LEG_RECORDED = 8,       /**< the recording on the leg finished */
	SB_TIMER_FIRED = 9           /**< a timer the library started fired */
} sb_call_event_kind;

/** Why a leg failed. */
typedef enum sb_leg_failure {
	SB_FAILED_BUSY = 1,
	SB_FAILED_NO_ANSWER = 2,
	SB_FAILED_REJECTED = 3,
	SB_FAILED_UNREACHABLE = 4
} sb_leg_failure;

#define SB_CALL_EVENT_VERSION 1
/** Most keys one DIGITS event carries. */
#define SB_DIGITS_MAX 32u

/** One carrier event. */
typedef struct sb_call_event {
	unsigned int version;        /**< SB_CALL_EVENT_VERSION */
	int kind;                    /**< an ::sb_call_event_kind */
	const char *leg_id;          /**< the carrier's id of the leg (every kind but TIMER) */
	const char *event_id;        /**< the carrier's id of this event, or NULL; a repeat changes nothing */
	int reason;                  /**< FAILED: an ::sb_leg_failure */
	const char *digits;          /**< DIGITS: '0'..'9', '*', '#' */
	const char *media_ref;       /**< RECORDED: the recording's host reference */
	int64_t duration_ms;         /**< RECORDED: its length */
	const char *timer_id;        /**< TIMER: the id given to timer_start */
} sb_call_event;

/**
 * Fill `ev` with version 1, `kind` and zeroes.
 * @return SB_OK; SB_EINVAL (NULL).
 */
SB_EXTERN int sb_call_event_init(sb_call_event *ev, int kind);

/**
 * A call arrived at one of the practice's numbers. On a business number
 * the caller is answered and hears a phone tree (V12) or ringback while the
 * number's numbers to ring ring (V4), each showing the business number as
 * caller ID (V5); nobody accepting leads to voicemail (V7). On a reserved
 * access number, a teammate dialling from the phone they named is connected
 * to the patient (V3).
 *
 * @param out_call  receives the call's id
 * @param from      the caller as the carrier gives it: a NANP number; an
 *                  international one, "", "anonymous" or "unknown" make an
 *                  unknown caller (V11), who can still leave a voicemail
 * @param to        the practice's number that was dialled, any form
 * @param leg_id    the carrier's id of the caller's leg (1..SB_CARRIER_ID_MAX-1
 *                  bytes); the same id again returns the same call and changes
 *                  nothing (C15)
 * @return SB_OK; SB_EINVAL (NULL pointers, an empty leg id); SB_EUTF8,
 *         SB_ETOOBIG; SB_EPHONE (`from` or `to` is not a phone number);
 *         SB_EROUTE (`to` is no active business number nor access number);
 *         SB_EDENIED (an access number dialled from another phone than the
 *         one it was reserved for); SB_EEXPIRED (an access number past its
 *         lifetime); SB_ESTATE (an access number already used);
 *         SB_ENOTSUP (the carrier lacks a call command); SB_EUSER; SB_EBUSY,
 *         SB_ESTORE. After an error no command was sent: the host rejects
 *         the call.
 */
SB_EXTERN int sb_call_inbound(sb_id *out_call, sb_practice *p, const char *from, const char *to, const char *leg_id);

/**
 * Feed one carrier event about a call under way.
 * @param out_call  receives the call's id, or NULL
 * @return SB_OK (also for a repeat, or an event the call has moved past);
 *         SB_ENOTFOUND (no call has this leg or timer); SB_ETRANSFER (`*`
 *         on an outbound call: nothing changed, the call goes on);
 *         SB_EINVAL (NULL, unknown kind or reason, a key that is not a key,
 *         negative duration, a missing field); SB_EVERSION; SB_EUTF8,
 *         SB_ETOOBIG; SB_EUSER (a carrier command failed: nothing changed);
 *         SB_ENOTSUP; SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_call_feed(sb_id *out_call, sb_practice *p, const sb_call_event *ev);

/**
 * Read a call. Teammates who see its business number (T8), and the system.
 * @return SB_OK; SB_ENOTFOUND; SB_EDENIED; SB_EINVAL; SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_call_get(sb_call *out, sb_practice *p, sb_id actor, sb_id id);

#define SB_DIAL_SPEC_VERSION 1

/** An outbound call a teammate asks for. */
typedef struct sb_dial_spec {
	unsigned int version;        /**< SB_DIAL_SPEC_VERSION */
	sb_id endpoint_id;           /**< the business number the patient sees (V1) */
	const char *to;              /**< the patient, any form; NANP only (V11) */
	const char *from_phone;      /**< the teammate's phone: rung first (V2) or dialled from
	                                  (V3); NULL: their first ring number, else login phone */
	sb_id desk_phone_id;         /**< click-to-call from this desk phone instead (V2, V10) */
} sb_dial_spec;

/**
 * Fill `s` with version 1 and zeroes.
 * @return SB_OK; SB_EINVAL (NULL).
 */
SB_EXTERN int sb_dial_spec_init(sb_dial_spec *s);

/**
 * Click-to-call (V2): ring the teammate's phone (or desk phone) showing the
 * business number, and once they answer, ring the patient showing the
 * business number (V1) while the teammate hears ringback; bridge on answer.
 *
 * @return SB_OK; SB_EEMERGENCY (911, 988, 933 or another N11 code: the host
 *         tells the teammate to use the device's own dialer; only a desk
 *         phone with a registered address may dial 911 and 933);
 *         SB_EPHONE (not a number, or not NANP: V11); SB_EDENIED (not a
 *         member of the business number; not the desk phone's teammate);
 *         SB_ENOTFOUND (business number, desk phone); SB_ESTATE (retired, or
 *         the teammate has no phone to ring); SB_EINVAL; SB_EVERSION;
 *         SB_ENOTSUP; SB_EUSER; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_call_dial(sb_id *out_call, sb_practice *p, sb_id actor, const sb_dial_spec *spec);

/** An access number reserved for one call (V3). */
typedef struct sb_access {
	sb_id call_id;
	char number[SB_PHONE_NUMBER_MAX];      /**< dial this, from `from_phone` */
	char from_phone[SB_PHONE_NUMBER_MAX];  /**< the only phone it answers */
	int64_t expires_at;                    /**< epoch ms; dialling later is refused */
} sb_access;

/**
 * Call from any phone (V3): reserve an access number from the host's pool
 * (voice.h) for this teammate, phone and patient. Dialled from that phone
 * before it expires, it connects to the patient, who sees the business
 * number. A pool number is reused only after its reservation expired.
 *
 * @return SB_OK; SB_ELIMIT (every pool number is reserved); the errors of
 *         sb_call_dial() but SB_EUSER; SB_EPHONE also for `from_phone`.
 */
SB_EXTERN int sb_call_reserve(sb_access *out, sb_practice *p, sb_id actor, const sb_dial_spec *spec);

/**
 * Add the host's transcript to the voicemail of inbound call leg `leg_id`
 * (V7). The same text again is a no-op; another text is SB_ECONFLICT.
 * Teammates who see the number, and the system. Audited ("voicemail.transcript").
 * @return SB_OK; SB_ENOTFOUND (no voicemail for that leg); SB_ECONFLICT;
 *         SB_EDENIED; SB_EINVAL, SB_EUTF8, SB_ETOOBIG; SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_voicemail_transcript(sb_practice *p, sb_id actor, const char *leg_id, const char *text);

#ifdef __cplusplus
}
#endif

#endif
