/* C side of the Go binding: builds vtables and options in C memory so that no
 * Go pointer is ever stored by C (cgo's pointer rules). */
#ifndef SBGO_SHIM_H
#define SBGO_SHIM_H

#include <switchboard.h>

/* Bits of the carrier capabilities the Go carrier value implements. */
enum {
	SBGO_SMS = 1u << 0, SBGO_EMAIL = 1u << 1, SBGO_CALLS = 1u << 2, SBGO_TIMERS = 1u << 3
};

/* Which store sbgo_open opens: a SQLite path, a libpq connection string, or
 * a PGconn the host lends. */
enum { SBGO_STORE_SQLITE = 0, SBGO_STORE_POSTGRES = 1, SBGO_STORE_PGCONN = 2 };

void sbgo_fill_carrier(sb_carrier *c, void *userdata, unsigned mask);
int sbgo_open(sb_practice **out, int kind, const char *where, void *pgconn, char *why, size_t why_size,
              const char *name, const unsigned char *key, size_t key_len, int sync, int busy_ms, int with_clock,
              unsigned carrier_mask, void *userdata, void *native_fill, void *native_ctx);

/* Give the practice the Go alert callback (on non-zero) or none. */
int sbgo_notify_set(sb_practice *p, void *userdata, int on);

/* Zero, then free, a C copy of a secret (the master key). */
void sbgo_free_secret(void *p, size_t n);

/* Drive a carrier vtable from Go tests, exactly as the library would. */
int sbgo_test_send_sms(void *userdata, unsigned mask, const char *from, const char *to, const char *body,
                       const char *key, char *out_id, size_t cap);
int sbgo_test_call_hold(void *userdata, unsigned mask, const char *leg, int on);
int sbgo_test_has_send_email(void *userdata, unsigned mask);

#endif
