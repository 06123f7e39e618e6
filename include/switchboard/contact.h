/**
 * @file switchboard/contact.h
 * @brief Contacts: the people outside the practice (C4, C5).
 *
 * A contact has a name, notes, and several phone numbers and e-mail
 * addresses. Inbound traffic from a number nobody holds creates an unsaved
 * contact with only that number (C4, from the messaging module); saving gives
 * it a name. A number or an e-mail belongs to at most one contact of the
 * practice, so traffic from it has one answer to "who is this".
 *
 * Names, notes, numbers and e-mails are protected health information. With
 * a master key they are stored sealed; numbers and e-mails are found through
 * keyed blind indexes (docs/design.md, "PHI at rest and search"). Every read
 * and every change is audited ("contact.read", "contact.create",
 * "contact.update", "contact.address_add", "contact.address_remove",
 * "contact.find", "contact.search", "contact.merge", "contact.delete").
 *
 * Threads: as for the practice handle.
 */
#ifndef SWITCHBOARD_CONTACT_H
#define SWITCHBOARD_CONTACT_H

#include "common.h"
#include "practice.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most bytes of a contact's name (UTF-8, NUL not counted). */
#define SB_CONTACT_NAME_MAX 256u
/** Most bytes of a contact's notes. */
#define SB_CONTACT_NOTES_MAX 16384u
/** Most bytes of an address value: an e-mail (RFC 5321's 254) or a number. */
#define SB_ADDRESS_MAX 254u
/** Most addresses (numbers and e-mails together) one contact holds. */
#define SB_CONTACT_ADDRESSES_MAX 32u

/** Most ids one sb_contact_search() returns. */
#define SB_CONTACT_SEARCH_MAX 100u

/** What an address of a contact is. */
typedef enum sb_address_kind {
	SB_ADDRESS_PHONE = 1,  /**< a phone number, stored E.164 */
	SB_ADDRESS_EMAIL = 2   /**< an e-mail address, matched without regard to case */
} sb_address_kind;

/** A contact. The layout is frozen; a revision comes as a _v2 call. */
typedef struct sb_contact {
	sb_id id;
	int saved;                            /**< 0: created by traffic, not yet saved (C4) */
	char name[SB_CONTACT_NAME_MAX + 1];   /**< "" while unsaved */
	int64_t created_at;                   /**< epoch ms */
	int64_t updated_at;                   /**< epoch ms */
} sb_contact;

/** One phone number or e-mail of a contact. */
typedef struct sb_contact_address {
	sb_id id;
	int kind;                             /**< an ::sb_address_kind */
	char value[SB_ADDRESS_MAX + 1];       /**< E.164, or the e-mail as given */
	int64_t added_at;                     /**< epoch ms */
} sb_contact_address;

/**
 * Create a saved contact with a name (numbers and e-mails are added after).
 * @param name  1..SB_CONTACT_NAME_MAX bytes of UTF-8
 * @return SB_OK; SB_EINVAL (NULL pointers, empty name, negative actor);
 *         SB_EUTF8, SB_ETOOBIG (name); SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_contact_create(sb_id *out_id, sb_practice *p, sb_id actor, const char *name);

/**
 * Read a contact. Audited as "contact.read".
 * @return SB_OK; SB_ENOTFOUND (no such contact in this practice); SB_EINVAL;
 *         SB_ECRYPTO (a sealed field does not open); SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_contact_get(sb_contact *out, sb_practice *p, sb_id actor, sb_id id);

/**
 * Save a contact under a name: an unsaved contact becomes saved (C4); a saved
 * one is renamed.
 * @return SB_OK; SB_ENOTFOUND; SB_EINVAL, SB_EUTF8, SB_ETOOBIG (name);
 *         SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_contact_save(sb_practice *p, sb_id actor, sb_id id, const char *name);

/**
 * Replace a contact's notes ("" clears them).
 * @return SB_OK; SB_ENOTFOUND; SB_EINVAL, SB_EUTF8, SB_ETOOBIG (notes over
 *         SB_CONTACT_NOTES_MAX); SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_contact_set_notes(sb_practice *p, sb_id actor, sb_id id, const char *notes);

/**
 * Read a contact's notes into `out` (room bytes, NUL-terminated; cut short
 * when room is too small: *out_len tells the full length). Audited as
 * "contact.read".
 * @return SB_OK; SB_ENOTFOUND; SB_EINVAL (NULL out or out_len, room 0);
 *         SB_ECRYPTO; SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_contact_get_notes(char *out, size_t room, size_t *out_len, sb_practice *p, sb_id actor, sb_id id);

/**
 * Give a contact a phone number or an e-mail (C5). The conversations of that
 * number then show on the contact's card.
 *
 * @param kind   an ::sb_address_kind
 * @param value  a phone number in any form (normalised to E.164; any valid
 *               number, NANP or not), or an e-mail address (one '@', no
 *               spaces, at most SB_ADDRESS_MAX bytes)
 * @return SB_OK; SB_ENOTFOUND (no such contact); SB_EINVAL (unknown kind,
 *         NULL value); SB_EEMAIL (not an e-mail address); SB_EPHONE (not a
 *         phone number);
 *         SB_EUTF8, SB_ETOOBIG (value); SB_ECONFLICT (this or another contact
 *         of the practice already holds it); SB_ETOOBIG (the contact already
 *         holds SB_CONTACT_ADDRESSES_MAX); SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_contact_add_address(sb_id *out_id, sb_practice *p, sb_id actor, sb_id contact, int kind,
                                     const char *value);

/**
 * Take a phone number or an e-mail from a contact (in any form).
 * @return SB_OK; SB_ENOTFOUND (the contact does not hold it); SB_EINVAL,
 *         SB_EEMAIL, SB_EPHONE (as for add); SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_contact_remove_address(sb_practice *p, sb_id actor, sb_id contact, int kind, const char *value);

/**
 * The contact's numbers and e-mails, oldest first. Audited as "contact.read".
 * @param out  caller's array of at least `max` (1..SB_CONTACT_ADDRESSES_MAX)
 * @return SB_OK; SB_ENOTFOUND; SB_EINVAL; SB_ECRYPTO; SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_contact_addresses(sb_contact_address *out, size_t *out_count, sb_practice *p, sb_id actor,
                                   sb_id contact, size_t max);

/**
 * Which contact holds a phone number (in any form) or an e-mail (in any
 * case). Uses the blind index: works the same with PHI sealed. Audited as
 * "contact.find" when found.
 * @return SB_OK; SB_ENOTFOUND (nobody holds it); SB_EINVAL, SB_EEMAIL, SB_EPHONE, SB_EUTF8,
 *         SB_ETOOBIG (value); SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_contact_find(sb_id *out_id, sb_practice *p, sb_id actor, int kind, const char *value);

/**
 * Search contacts, a page at a time, in id order.
 *
 * A query that is a phone number (in any form) finds the contact holding
 * it. Anything else is a name search: every word of the query must begin a
 * word of the contact's name ("jo sm" finds "John Smith"), without regard to
 * ASCII case; up to 4 words count, each up to 16 characters. Both work the
 * same with PHI sealed (blind indexes, docs/design.md). Unsaved contacts
 * have no name and are found by number only. Audited as "contact.search".
 *
 * @param out_ids    caller's array of at least `max` ids
 * @param out_count  receives how many were filled (0 past the end)
 * @param after_id   0 for the first page, else the last id of the previous page
 * @param max        1..SB_CONTACT_SEARCH_MAX
 * @return SB_OK; SB_EINVAL (NULL pointers, max out of range, negative ids, a
 *         query without letters or digits); SB_EUTF8, SB_ETOOBIG (query);
 *         SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_contact_search(sb_id *out_ids, size_t *out_count, sb_practice *p, sb_id actor, const char *query,
                                sb_id after_id, size_t max);

/**
 * Merge contact `gone` into `keep`: every number, e-mail, conversation (they
 * follow the numbers) and regarding mark of `gone` moves to `keep`, and
 * `gone` is deleted. Nothing is lost: `keep` keeps its name (or takes that
 * of `gone` when `keep` is unsaved), and the notes of both are kept, those
 * of `keep` first. Audited as "contact.merge" on `keep`, with `gone` named
 * in a "contact.delete" entry.
 * @return SB_OK; SB_ENOTFOUND (either contact); SB_EINVAL (the same contact
 *         twice, negative ids); SB_ETOOBIG (together they hold more than
 *         SB_CONTACT_ADDRESSES_MAX addresses, or notes over
 *         SB_CONTACT_NOTES_MAX); SB_ECRYPTO; SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_contact_merge(sb_practice *p, sb_id actor, sb_id keep, sb_id gone);

#ifdef __cplusplus
}
#endif

#endif
