/* What the modules of the library share. Internal. */
#ifndef SB_INTERNAL_H
#define SB_INTERNAL_H

#include "switchboard.h"
#include "crypto.h"
#include "store/db.h"
#include "zone.h"

/* The audit chain's tip as the open transaction sees it (lib/audit.c): read
 * once per transaction, advanced by each entry, and written back to the
 * practice row just before the outermost commit, so a host transaction of
 * many calls writes that row once. */
typedef struct sb_audit_tip {
	int loaded;    /* seq and head are this transaction's tip */
	int unflushed; /* entries were appended since the practice row was written */
	int64_t seq;
	unsigned char head[SB_HASH_BYTES];
} sb_audit_tip;

typedef struct sb_pending_notice sb_pending_notice;

struct sb_practice {
	int open;              /* 0 after a failed open: only errmsg and free answer */
	sb_db *db;
	sb_carrier carrier;
	sb_clock clock;
	sb_id id;
	sb_keys *keys;         /* NULL without a master key */
	int purge_pending;     /* content was deleted inside a host transaction */
	sb_audit_tip audit;
	sb_zone zone;          /* the zone last used, kept for the handle's life */
	char zone_name[SB_ZONE_NAME_MAX + 1];
	int described;         /* the library wrote errmsg during the current call */
	char errmsg[256];
	sb_notify_fn notify;   /* the host's alert callback (notify.h), or NULL */
	void *notify_userdata;
	sb_pending_notice *notices; /* alerts waiting for the commit */
};

/* Record a detail message and return rc. The message must never carry PHI:
 * name fields and rules, never values. */
int sb_fail(sb_practice *p, int rc, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;
/* The call succeeded after all (a redelivery answered by the first
 * delivery, say): clear what an inner step wrote to errmsg. SB_OK. */
int sb_succeed(sb_practice *p);
/* Fail with rc, saying where: "<what>: <why>". Why is what the library said
 * during this call, or else the store driver's message. */
int sb_fail_store(sb_practice *p, int rc, const char *what);
/* SB_EINVAL / SB_ESTATE unless p is an open practice. Every public call on a
 * handle starts here, which also starts a new call's error detail. */
int sb_check_open(sb_practice *p);
/* sb_check_open(), then SB_EINVAL ("<name> is required") unless `out` is
 * given, which is then zeroed (size bytes): how calls with one output start. */
int sb_check_out(sb_practice *p, void *out, size_t size, const char *name);
/* SB_EINVAL (NULL), SB_ETOOBIG (over max bytes), SB_EUTF8; names `field`. */
int sb_check_text(sb_practice *p, const char *s, size_t max, const char *field);
/* A name of 1..max bytes of UTF-8; key (max + 1 bytes) receives it folded
 * to ASCII lower case, how names are compared for uniqueness. */
int sb_check_name(sb_practice *p, const char *name, size_t max, const char *field, char *key);
/* An e-mail address: name@domain.tld, printable, no spaces, at most SB_ADDRESS_MAX bytes. */
int sb_check_email(sb_practice *p, const char *s, const char *field);
/* A number calls can reach (V11): NANP, not a service or emergency code nor
 * premium 900, as E.164 into out (SB_PHONE_NUMBER_MAX bytes); SB_EINVAL
 * (NULL), SB_EPHONE; names `field`. */
int sb_check_nanp(sb_practice *p, const char *number, const char *field, char *out);
/* Is the E.164 `e164` a number texts reach (sb_phone_is_textable)? SB_EPHONE naming `field` if not. */
int sb_check_textable(sb_practice *p, const char *e164, const char *field);

/* SB_OK when actor is SB_ACTOR_SYSTEM or an active teammate of the
 * practice; SB_EINVAL (negative); SB_EDENIED, audited (lib/access.c). */
int sb_check_actor(sb_practice *p, sb_id actor);
/* SB_EINVAL unless 1 <= max <= limit and the page cursor `after` (named
 * `after_name`) is not negative; every paged read checks its arguments here. */
int sb_check_page(sb_practice *p, size_t max, unsigned limit, int64_t after, const char *after_name);
/* How a paged read starts: an open handle, out and out_count given
 * (*out_count is then 0), and max and the cursor as sb_check_page(). */
int sb_check_list(sb_practice *p, const void *out, size_t *out_count, size_t max, unsigned limit, int64_t cursor,
                  const char *cursor_name);
/* Copy n bytes of src into dst (room bytes), truncating, NUL-terminated. */
void sb_copy_text(char *dst, size_t room, const char *src, size_t n);

/* The practice clock's time; SB_EUSER (with the detail set) when the host clock fails. */
int sb_now(sb_practice *p, int64_t *out);

/* One audited change or read: `body` runs in a transaction that ends with
 * an audit entry of `action` on (kind, *id); the actor is checked and the
 * clock read first. A failure is described as "<what>: <why>". */
typedef int (*sb_step)(sb_practice *p, sb_id *id, const void *arg, int64_t now);
int sb_transact(sb_practice *p, sb_id actor, const char *action, const char *kind, sb_id *id, sb_step body,
                const void *arg, const char *what);

/* sb_transact() for the calls a patient actor may make too (access.h). */
int sb_transact_patient(sb_practice *p, sb_id actor, const char *action, const char *kind, sb_id *id, sb_step body,
                        const void *arg, const char *what);

/* Make deleted content unrecoverable from the store's files (C10): at
 * once outside a host transaction, else when the host commits. */
int sb_purge(sb_practice *p);

/* Append an audit entry inside the caller's transaction (or its own). */
int sb_audit_append(sb_practice *p, sb_id actor, const char *action, const char *kind, sb_id object);
/* First thing in a write transaction: take the practice row's lock and
 * read the audit tip (on PostgreSQL; SQLite's write transaction holds the
 * file already, and its tip is read at the first entry). Every writer of a
 * practice then queues on that one lock, in order, before it touches any
 * other row, so no two can wait on each other's unique-index entries in
 * opposite orders (design.md, "Writes that race"). */
int sb_audit_lock(sb_practice *p);
/* Transaction hooks of the audit tip: write it back before the outermost
 * commit; forget what an undo took away. */
int sb_audit_flush(sb_practice *p);
void sb_audit_forget(sb_practice *p, int depth);

/* Run a carrier command: SB_ENOTSUP without the callback (nothing runs),
 * SB_EUSER when the host's callback fails. */
#define sb_carrier_invoke(p, member, ...)                                            \
	((p)->carrier.member == NULL                                                   \
	     ? sb_fail((p), SB_ENOTSUP, "the carrier has no " #member " callback")     \
	     : sb_carrier_result((p), #member, (p)->carrier.member((p)->carrier.userdata, __VA_ARGS__)))
int sb_carrier_result(sb_practice *p, const char *command, int host_rc);
/* Validate and copy a host carrier (NULL: none). */
int sb_carrier_adopt(sb_practice *p, const sb_carrier *carrier);

#endif
