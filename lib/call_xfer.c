/*
 * Warm transfer (V9), for inbound calls only. The teammate on the call (the
 * agent) presses `*`: the caller is held with hold music and the agent
 * hears "1 transfer, 2 return". 1, then a 10-digit number or an extension
 * and `#`, rings the target while the agent hears ringback; when it
 * answers the two consult. `*` again: "1 complete, 2 cancel". A target
 * that does not answer returns the agent to the caller: a transfer never
 * goes to voicemail. Wrong entries are prompted again SB_XFER_TRIES times,
 * then the agent is returned to the caller.
 *
 * The agent hanging up mid-transfer: once the target has answered
 * (consulting or confirming), the transfer completes; before that, the
 * target is dropped and the caller goes back to ringing the number's
 * numbers to ring, so nobody is left on hold with nobody.
 */
#include <string.h>

#include "call_internal.h"
#include "voice_internal.h"

static const char MENU_TRANSFER[] = "Press 1 to transfer the call, or press 2 to return to the caller.";
static const char MENU_DIAL[] = "Dial the 10-digit number or the extension, then press pound.";
static const char MENU_CONFIRM[] =
	"Press 1 to complete the transfer, or press 2 to cancel the transfer and return to the original call.";

/* Say `text` to the agent and wait SB_XFER_TIMEOUT for a key. */
static int ask(call *c, leg *agent, int phase, const char *text)
{
	c->phase = phase;
	int rc = sb_call_say(c, agent, text);
	return rc == SB_OK ? sb_call_arm(c, &c->timer, SB_XFER_TIMEOUT) : rc;
}

/* Back to the caller: the target (if any) dropped, the caller off hold. */
static int back(call *c, const char *why)
{
	leg *caller = sb_call_role(c, ROLE_CALLER), *agent = sb_call_role(c, ROLE_AGENT);
	leg *target = sb_call_role(c, ROLE_TRANSFER);
	int rc = sb_call_disarm(c, &c->timer);
	if (rc == SB_OK && target)
		rc = sb_call_drop(c, target);
	if (rc == SB_OK && why)
		rc = sb_call_say(c, agent, why);
	if (rc == SB_OK)
		rc = sb_carrier_invoke(c->p, call_hold, caller->carrier, 0);
	c->phase = SB_PHASE_CONNECTED;
	c->tries = 0;
	c->digits[0] = '\0';
	return rc == SB_OK ? sb_call_bridge(c, caller, agent) : rc;
}

/* The target takes the agent's place. A bridge ends no hold (carrier.h):
 * the target, held at the second `*`, is taken off hold first. */
static int complete(call *c)
{
	leg *caller = sb_call_role(c, ROLE_CALLER), *agent = sb_call_role(c, ROLE_AGENT);
	leg *target = sb_call_role(c, ROLE_TRANSFER);
	int target_held = c->phase == SB_PHASE_XFER_CONFIRM;
	int rc = sb_call_disarm(c, &c->timer);
	if (rc == SB_OK)
		rc = sb_carrier_invoke(c->p, call_hold, caller->carrier, 0);
	if (rc == SB_OK && target_held)
		rc = sb_carrier_invoke(c->p, call_hold, target->carrier, 0);
	if (rc == SB_OK && agent)
		rc = sb_call_drop(c, agent);
	target->role = ROLE_AGENT;
	c->teammate = target->teammate;
	c->phase = SB_PHASE_CONNECTED;
	c->tries = 0;
	return rc == SB_OK ? sb_call_bridge(c, caller, target) : rc;
}

/* A wrong key or entry: once more, or back to the caller after the last turn. */
static int wrong(call *c, leg *agent, const char *again)
{
	if (++c->tries >= SB_XFER_TRIES)
		return back(c, "Returning to the caller.");
	return ask(c, agent, c->phase, again);
}

/* What the agent dialled: a NANP number, or a desk phone's extension. */
static int resolve(call *c, char *to, size_t room, sb_id *teammate)
{
	const char *d = c->digits;
	size_t n = strlen(d);
	*teammate = 0;
	if (n == 10 || (n == 11 && d[0] == '1')) {
		char plus[16] = "+1";
		memcpy(plus + 2, d + n - 10, 11);
		sb_phone ph;
		if (sb_phone_parse(&ph, plus) != SB_OK || !sb_phone_is_nanp(&ph))
			return SB_ENOTFOUND;
		sb_copy_text(to, room, ph.number, strlen(ph.number));
		return SB_OK;
	}
	sb_desk_phone desk;
	int rc = n >= 2 && n <= 6 ? sb_desk_phone_by_extension(c->p, d, &desk) : SB_ENOTFOUND;
	if (rc == SB_OK) {
		sb_copy_text(to, room, desk.device, strlen(desk.device));
		*teammate = desk.teammate_id;
	}
	return rc;
}

static int dial(call *c, leg *agent)
{
	char to[SB_DEVICE_MAX + 1];
	sb_id teammate;
	int rc = resolve(c, to, sizeof to, &teammate);
	c->digits[0] = '\0';
	if (rc == SB_ENOTFOUND)
		return wrong(c, agent, "That is not a number or an extension. " "Dial the 10-digit number or the extension, then press pound.");
	sb_voice_config cfg;
	leg *target;
	if (rc == SB_OK)
		rc = sb_call_leg_add(c, &target, ROLE_TRANSFER, teammate, to, NULL);
	if (rc != SB_OK)
		return rc;
	int placed = 0;
	if ((rc = sb_voice_config_load(c->p, c->endpoint, &cfg)) != SB_OK ||
	    (rc = sb_call_place(c, target, to, cfg.ring_timeout_ms, &placed)) != SB_OK)
		return rc;
	if (!placed)
		return back(c, "The transfer could not be placed. Returning to the caller.");
	c->phase = SB_PHASE_XFER_RINGING;
	rc = sb_call_play(c, agent, SB_PLAY_RINGBACK, NULL, 1);
	return rc == SB_OK ? sb_call_arm(c, &c->timer, cfg.ring_timeout_ms) : rc;
}

static int collect(call *c, leg *agent, char key)
{
	if (key == '#')
		return dial(c, agent);
	size_t n = strlen(c->digits);
	if (key == '*' || n + 1 >= sizeof c->digits) {
		c->digits[0] = '\0';
		return wrong(c, agent, MENU_DIAL);
	}
	c->digits[n] = key;
	c->digits[n + 1] = '\0';
	return sb_call_arm(c, &c->timer, SB_XFER_TIMEOUT);
}

/* `*` while connected: hold the caller, offer the menu. */
static int start(call *c, leg *agent)
{
	leg *caller = sb_call_role(c, ROLE_CALLER);
	if (!caller)
		return SB_OK;
	int rc = sb_carrier_invoke(c->p, call_hold, caller->carrier, 1);
	if (rc == SB_OK)
		rc = sb_call_play(c, caller, SB_PLAY_HOLD, NULL, 1);
	c->tries = 0;
	c->digits[0] = '\0';
	return rc == SB_OK ? ask(c, agent, SB_PHASE_XFER_MENU, MENU_TRANSFER) : rc;
}

int sb_xfer_key(call *c, leg *l, char key)
{
	if (l->role != ROLE_AGENT)
		return SB_OK; /* the target's keys are theirs */
	if (c->origin != SB_ORIGIN_INBOUND) /* V9: refused, and the call goes on */
		return key == '*' && c->phase == SB_PHASE_CONNECTED ? SB_ETRANSFER : SB_OK;
	switch (c->phase) {
	case SB_PHASE_CONNECTED: return key == '*' ? start(c, l) : SB_OK;
	case SB_PHASE_XFER_MENU:
		if (key == '1') {
			c->tries = 0;
			return ask(c, l, SB_PHASE_XFER_DIGITS, MENU_DIAL);
		}
		return key == '2' ? back(c, NULL) : wrong(c, l, MENU_TRANSFER);
	case SB_PHASE_XFER_DIGITS: return collect(c, l, key);
	case SB_PHASE_XFER_CONSULT: {
		if (key != '*')
			return SB_OK;
		leg *target = sb_call_role(c, ROLE_TRANSFER);
		int rc = sb_carrier_invoke(c->p, call_hold, target->carrier, 1);
		if (rc == SB_OK)
			rc = sb_call_play(c, target, SB_PLAY_HOLD, NULL, 1);
		c->tries = 0;
		return rc == SB_OK ? ask(c, l, SB_PHASE_XFER_CONFIRM, MENU_CONFIRM) : rc;
	}
	case SB_PHASE_XFER_CONFIRM:
		if (key == '1')
			return complete(c);
		return key == '2' ? back(c, NULL) : wrong(c, l, MENU_CONFIRM);
	default: return SB_OK;
	}
}

int sb_xfer_answer(call *c, leg *target)
{
	if (c->phase != SB_PHASE_XFER_RINGING)
		return sb_call_drop(c, target);
	leg *agent = sb_call_role(c, ROLE_AGENT);
	int rc = sb_call_disarm(c, &c->timer);
	c->phase = SB_PHASE_XFER_CONSULT;
	if (!agent) /* the agent left while it rang: the target takes the caller */
		return rc == SB_OK ? complete(c) : rc;
	return rc == SB_OK ? sb_call_bridge(c, agent, target) : rc;
}

int sb_xfer_gone(call *c, leg *l)
{
	int rc = sb_call_disarm(c, &l->timer);
	l->state = LEG_ENDED;
	if (rc != SB_OK)
		return rc;
	if (l->role == ROLE_TRANSFER) /* no answer, or hung up while consulting */
		return c->phase == SB_PHASE_XFER_RINGING || c->phase == SB_PHASE_XFER_CONSULT ||
		               c->phase == SB_PHASE_XFER_CONFIRM
		           ? back(c, "The transfer did not go through. Returning to the caller.")
		           : SB_OK;
	switch (c->phase) { /* the agent hung up */
	case SB_PHASE_XFER_CONSULT:
	case SB_PHASE_XFER_CONFIRM: return complete(c);
	case SB_PHASE_XFER_MENU:
	case SB_PHASE_XFER_DIGITS:
	case SB_PHASE_XFER_RINGING: {
		leg *target = sb_call_role(c, ROLE_TRANSFER), *caller = sb_call_role(c, ROLE_CALLER);
		rc = target ? sb_call_drop(c, target) : SB_OK;
		if (rc == SB_OK)
			rc = sb_carrier_invoke(c->p, call_hold, caller->carrier, 0);
		return rc == SB_OK ? sb_call_ring(c, SB_ROUTE_NUMBER, 0) : rc;
	}
	default: return sb_call_finish(c, SB_CALL_ANSWERED);
	}
}

int sb_xfer_timer(call *c)
{
	leg *agent = sb_call_role(c, ROLE_AGENT);
	switch (c->phase) {
	case SB_PHASE_XFER_MENU: return wrong(c, agent, MENU_TRANSFER);
	case SB_PHASE_XFER_DIGITS: c->digits[0] = '\0'; return wrong(c, agent, MENU_DIAL);
	case SB_PHASE_XFER_CONFIRM: return wrong(c, agent, MENU_CONFIRM);
	case SB_PHASE_XFER_RINGING: return back(c, "The transfer target did not answer. Returning to the caller.");
	default: return SB_OK;
	}
}
