/*
 * What the contact, conversation, timeline, message and attachment modules
 * share: how traffic finds its conversation and contact, and how items and
 * their attachments are written. Internal.
 */
#ifndef SB_ROUTING_H
#define SB_ROUTING_H

#include "internal.h"

/* The two ends of a conversation: a business number and a phone number
 * (standard), or a secure link and a patient account (secure: `account`
 * set, `lookup` the account's key, `external` its mobile). */
typedef struct sb_pair {
	sb_id endpoint;
	sb_id account;                                  /* 0 for a standard pair */
	char business_number[SB_ENDPOINT_ADDRESS_MAX];
	char external[SB_PHONE_NUMBER_MAX];             /* E.164 */
	unsigned char lookup[SB_HASH_BYTES];            /* blind index of `external` */
	int retired;                                    /* the business number is retired */
} sb_pair;

/* The external end: a dialable NANP number (C14), or SB_EPHONE naming `field`. */
int sb_pair_external(sb_practice *p, sb_pair *pair, const char *number, const char *field);
/* The practice's end by number: SB_EROUTE unless an active business number. */
int sb_pair_by_number(sb_practice *p, sb_pair *pair, const char *business_number);
/* The practice's end by id: SB_ENOTFOUND, or SB_ESTATE when retired. */
int sb_pair_by_endpoint(sb_practice *p, sb_pair *pair, sb_id endpoint);
/* Both ends of a stored standard conversation (SB_ESTATE for another kind). */
int sb_pair_of_conversation(sb_practice *p, sb_pair *pair, sb_id conversation);

/* The external end of an unknown caller (V11): an international or
 * withheld number. Its conversation has no contact and nothing reaches it. */
void sb_pair_unknown(sb_practice *p, sb_pair *pair);

/* The secure pair of link `link` and patient account `account` with mobile `e164`. */
void sb_pair_secure(sb_practice *p, sb_pair *pair, sb_id link, sb_id account, const char *e164);

/* In the caller's transaction: the pair's conversation, created when new
 * (C1, C3), and the contact holding its number, created unsaved when none
 * does (C4); for a secure pair, the account's contact. An inbound item reopens the conversation and counts as unread
 * (C9, C13). Fills conversation_id, contact_id and the new_ flags of out. */
int sb_conversation_touch(sb_practice *p, const sb_pair *pair, int inbound, int64_t at, sb_delivery *out);

/* In the caller's transaction: put the endpoint's tags of `kind` (an
 * sb_tag_kind) on a contact or conversation just created through it (T7). */
int sb_tag_apply(sb_practice *p, sb_id endpoint, int kind, sb_id object);

/* The contact holding phone number `e164` (its blind index `lookup`); an
 * unsaved contact holding only it is created when nobody does (C4). */
int sb_contact_hold(sb_practice *p, const char *e164, const unsigned char *lookup, int64_t now, sb_id *out,
                    int *created);
/* The same when the caller has just seen that no contact holds it: the
 * unsaved contact is created at once (a concurrent holder still wins). */
int sb_contact_create_holder(sb_practice *p, const char *e164, const unsigned char *lookup, int64_t now, sb_id *out,
                             int *created);

/* A saved contact's name into out (room bytes); "" for an unsaved one. */
int sb_contact_name(sb_practice *p, sb_id id, char *out, size_t room);

/* Give `contact` the phone number: moved from its holder (an unsaved holder
 * left with nothing is removed), or added. SB_ESTATE when it holds it already. */
int sb_contact_take_number(sb_practice *p, sb_id contact, const char *e164, const unsigned char *lookup, int64_t now);
/* The contact's first address of `kind` (an sb_address_kind) into out, ""
 * when it has none; SB_ENOTFOUND when there is no such contact. */
int sb_contact_first_address(sb_practice *p, sb_id contact, int kind, char out[SB_ADDRESS_MAX + 1]);
/* Delete a contact row with its search terms and regarding marks (its
 * addresses must be gone already). */
int sb_contact_delete_row(sb_practice *p, sb_id id);

/* An item to write. Texts are sealed; carrier_id and idempotency_key are unique per practice. */
typedef struct sb_item_row {
	sb_id conversation;
	int kind, direction, status, segments, outcome;
	int64_t at, duration_ms;
	sb_id author;
	const char *text, *media_ref, *carrier_id, *idempotency_key;
	int attachments;
	sb_id call; /* the engine's call it records, or 0 */
} sb_item_row;

/* Insert an item: SB_ENOTFOUND (nothing written) when its carrier id or
 * idempotency key is already taken. */
int sb_item_insert(sb_practice *p, const sb_item_row *row, sb_id *out_id);
/* The item an earlier event with this carrier id made: SB_ENOTFOUND when none. */
int sb_item_by_carrier(sb_practice *p, int direction, const char *carrier_id, sb_id *out_item, sb_id *out_conversation,
                       int *out_kind);

/* Record an inbound event once per carrier id (C15): `body` (run by
 * sb_transact, audited as `action` on the item it writes) returns
 * SB_ECONFLICT when its item's carrier id is taken (before, or meanwhile).
 * When the body fails for any reason and an item with the carrier id
 * exists, that first delivery is reported (out->duplicate), nothing changed. */
int sb_deliver_once(sb_practice *p, sb_delivery *out, int kind, int direction, const char *carrier_id, sb_id actor,
                    const char *action, sb_step body, const void *arg, const char *what);

/* A timeline page (sb_timeline_page()); with `kind` set, only items of
 * that kind, and a patient actor may read its own secure conversation. */
int sb_timeline_read(sb_item *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id conversation, sb_id before_id,
                     size_t max, int kind);

/* Check attachments to add (SB_EINVAL, SB_EVERSION, SB_EUTF8, SB_ETOOBIG). */
int sb_attachments_check(sb_practice *p, const sb_attachment_spec *specs, size_t n);
/* Store checked attachments of an item, then copies of library documents. */
int sb_attachments_store(sb_practice *p, sb_id item, const sb_attachment_spec *specs, size_t n, const sb_id *library,
                         size_t n_library, int64_t now);
/* The host media references of an item's attachments, for the carrier:
 * malloc'd array of malloc'd strings (sb_media_refs_free). */
int sb_media_refs(sb_practice *p, sb_id item, char ***out, size_t *out_count);
void sb_media_refs_free(char **refs, size_t n);

#endif
