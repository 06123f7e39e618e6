#include "shim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "_cgo_export.h"

typedef int (*leg_fn)(void *, const char *);

void sbgo_fill_carrier(sb_carrier *c, void *userdata, unsigned mask)
{
	memset(c, 0, sizeof *c);
	c->version = SB_CARRIER_VERSION;
	c->userdata = userdata;
	if (mask & SBGO_SMS)
		c->send_sms = (int (*)(void *, const sb_sms *, char *, size_t))sbgoSendSMS;
	if (mask & SBGO_EMAIL)
		c->send_email = (int (*)(void *, const sb_email *, char *, size_t))sbgoSendEmail;
	if (mask & SBGO_CALLS) {
		c->call_originate = (int (*)(void *, const sb_call_originate *, char *, size_t))sbgoCallOriginate;
		c->call_cancel = (leg_fn)sbgoCallCancel;
		c->call_answer = (leg_fn)sbgoCallAnswer;
		c->call_play = (int (*)(void *, const char *, const sb_play *))sbgoCallPlay;
		c->call_hold = (int (*)(void *, const char *, int))sbgoCallHold;
		c->call_bridge = (int (*)(void *, const char *, const char *))sbgoCallBridge;
		c->call_record = (int (*)(void *, const char *, const sb_record *))sbgoCallRecord;
		c->call_hangup = (leg_fn)sbgoCallHangup;
	}
	if (mask & SBGO_TIMERS) {
		c->timer_start = (int (*)(void *, const char *, int64_t))sbgoTimerStart;
		c->timer_stop = (leg_fn)sbgoTimerStop;
	}
}

/* The store driver a Go Open names; `why` gets the reason when it fails. */
static int open_store(sb_store_driver *drv, int kind, const char *where, void *pgconn, int sync, int busy_ms,
                      char *why, size_t why_size)
{
	if (kind == SBGO_STORE_SQLITE) {
		sb_sqlite_options so = SB_SQLITE_OPTIONS_INIT;
		so.sync = sync;
		so.busy_timeout_ms = busy_ms;
		int rc = sb_store_open_sqlite(drv, where, &so);
		if (rc != SB_OK)
			snprintf(why, why_size, "cannot open the SQLite store");
		return rc;
	}
	sb_postgres_options po = SB_POSTGRES_OPTIONS_INIT;
	po.lock_timeout_ms = busy_ms;
	if (kind == SBGO_STORE_PGCONN)
		return sb_store_use_postgres(drv, (struct pg_conn *)pgconn, &po, why, why_size);
	return sb_store_open_postgres(drv, where, &po, why, why_size);
}

int sbgo_open(sb_practice **out, int kind, const char *where, void *pgconn, char *why, size_t why_size,
              const char *name, const unsigned char *key, size_t key_len, int sync, int busy_ms, int with_clock,
              unsigned carrier_mask, void *userdata, void *native_fill, void *native_ctx)
{
	sb_store_driver drv;
	*out = NULL;
	int rc = open_store(&drv, kind, where, pgconn, sync, busy_ms, why, why_size);
	if (rc != SB_OK)
		return rc;
	sb_clock clock = {SB_CLOCK_VERSION, userdata, (int (*)(void *, int64_t *))sbgoClockNow};
	sb_carrier carrier;
	sbgo_fill_carrier(&carrier, userdata, carrier_mask);
	if (native_fill) { /* a carrier in C (the Twilio adapter), with the Go one as its host */
		sb_carrier host = carrier;
		int (*fill)(sb_carrier *, void *, const sb_carrier *);
		memcpy(&fill, &native_fill, sizeof fill);
		rc = fill(&carrier, native_ctx, carrier_mask ? &host : NULL);
		if (rc != SB_OK) {
			drv.close(drv.userdata);
			snprintf(why, why_size, "the native carrier refused: %s", sb_strerror(rc));
			return rc;
		}
	}
	sb_practice_options o = SB_PRACTICE_OPTIONS_INIT;
	o.store = &drv;
	o.practice = name;
	o.key = key;
	o.key_len = key_len;
	o.clock = with_clock ? &clock : NULL;
	o.carrier = carrier_mask || native_fill ? &carrier : NULL;
	rc = sb_practice_open(out, &o);
	if (rc != SB_OK)
		drv.close(drv.userdata); /* a failed open leaves the driver with us */
	return rc;
}

void sbgo_free_secret(void *p, size_t n)
{
	volatile unsigned char *v = p; /* volatile: the stores must not be optimised away */
	for (size_t i = 0; i < n; i++)
		v[i] = 0;
	free(p);
}

int sbgo_test_send_sms(void *userdata, unsigned mask, const char *from, const char *to, const char *body,
                       const char *key, char *out_id, size_t cap)
{
	sb_carrier c;
	sbgo_fill_carrier(&c, userdata, mask);
	sb_sms sms = {1, from, to, body, NULL, 0, key};
	return c.send_sms ? c.send_sms(c.userdata, &sms, out_id, cap) : SB_ENOTSUP;
}

int sbgo_test_call_hold(void *userdata, unsigned mask, const char *leg, int on)
{
	sb_carrier c;
	sbgo_fill_carrier(&c, userdata, mask);
	return c.call_hold ? c.call_hold(c.userdata, leg, on) : SB_ENOTSUP;
}

int sbgo_test_has_send_email(void *userdata, unsigned mask)
{
	sb_carrier c;
	sbgo_fill_carrier(&c, userdata, mask);
	return c.send_email != NULL;
}

static void notify_trampoline(void *userdata, const sb_notice *notice)
{
	sbgoNotify(userdata, (sb_notice *)notice);
}

int sbgo_notify_set(sb_practice *p, void *userdata, int on)
{
	return sb_notify_set(p, on ? notify_trampoline : NULL, on ? userdata : NULL);
}
