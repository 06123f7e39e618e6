/**
 * @file switchboard/secure.h
 * @brief Secure conversations and secure messages (L4–L6, C10).
 *
 * A secure conversation is the thread between one secure link and one
 * patient account (kind SB_CONVERSATION_SECURE). It appears when the
 * patient signs up (account.h), or when a teammate starts it from a link
 * for a patient who has an account. It lives in the mailboxes like any
 * conversation (T3–T5), is seen by the link's owner and members (T8),
 * shows on its contact's card (C5), and cannot be deleted (C10).
 *
 * Messages: a patient writes through the host's app server, which calls
 * sb_secure_send() with the patient's actor (sb_patient_actor()); such a
 * message is inbound (it marks the conversation unread and reopens it,
 * C9, C13, T4). A teammate's message is outbound and DELIVERED at once:
 * nothing leaves through a carrier. Both may carry attachments. Secure
 * messages come from a link, never from a business number, and a link
 * never sends texts: sb_sms_send() on a secure conversation or from a link
 * is SB_ESTATE (L6).
 *
 * A patient actor reads only its own secure conversations' messages (never
 * notes, calls or mailbox events), their attachments, and its own account;
 * every other call refuses it.
 *
 * Message texts are protected health information: sealed with a key,
 * reads audited ("item.read"), writes audited ("secure.send",
 * "secure.start", "secure.read").
 *
 * Threads: as for the practice handle.
 */
#ifndef SWITCHBOARD_SECURE_H
#define SWITCHBOARD_SECURE_H

#include "attachment.h"
#include "common.h"
#include "endpoint.h"
#include "practice.h"
#include "timeline.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SB_SECURE_MESSAGE_VERSION 1
/** Most conversations one sb_patient_conversations() page returns. */
#define SB_PATIENT_PAGE_MAX 100u
/** Most bytes of a secure message's idempotency key. */
#define SB_SECURE_KEY_MAX 96u

/** A secure message to send. */
typedef struct sb_secure_message {
	unsigned int version;                  /**< SB_SECURE_MESSAGE_VERSION */
	sb_id conversation;                    /**< a secure conversation */
	const char *body;                      /**< UTF-8, 0..SB_ITEM_TEXT_MAX bytes; "" with attachments */
	const sb_attachment_spec *attachments; /**< or NULL */
	size_t attachment_count;               /**< 0..SB_ATTACHMENTS_MAX */
	const char *idempotency_key;           /**< NULL, or the host's key: a repeat returns the first message */
} sb_secure_message;

/** The identity status a secure conversation shows (L5). */
typedef struct sb_secure_status {
	sb_id conversation_id;
	sb_id link_id;
	sb_id account_id;
	sb_id contact_id;        /**< the contact the account is matched to */
	int identity;            /**< an ::sb_identity (account.h) */
	int mobile_matches;      /**< the account's mobile is one of the contact's numbers */
	int email_matches;       /**< the account's e-mail is one of the contact's (0 without one) */
	sb_id confirmed_by;      /**< the teammate who confirmed it; 0 */
	int64_t confirmed_at;
} sb_secure_status;

/** One of a patient's secure conversations, as the patient sees it. */
typedef struct sb_patient_conversation {
	sb_id id;
	sb_id link_id;
	char link_label[SB_LABEL_MAX + 1];
	int64_t created_at;
	int64_t last_item_at;
} sb_patient_conversation;

/** Fill `m` with version 1 and zeroes. @return SB_OK; SB_EINVAL (NULL). */
SB_EXTERN int sb_secure_message_init(sb_secure_message *m);

/**
 * Start (or find) the secure conversation of a link and a patient account
 * (C3 for links). The actor must see the link (T8).
 * @return SB_OK; SB_EINVAL (NULL pointers); SB_ENOTFOUND (no such endpoint
 *         or account); SB_ESTATE (the endpoint is a business number, which
 *         cannot start a secure conversation, or a retired link);
 *         SB_EDENIED (audited); SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_secure_start(sb_id *out_conversation, sb_practice *p, sb_id actor, sb_id link, sb_id account);

/**
 * Send a secure message, as a teammate who sees the conversation or as the
 * patient (sb_patient_actor()) of it.
 * @param out_item  receives the message's timeline item id
 * @return SB_OK; SB_EINVAL (NULL pointers, nothing to send); SB_EVERSION;
 *         SB_EUTF8, SB_ETOOBIG (body, key, attachments); SB_ENOTFOUND;
 *         SB_ESTATE (not a secure conversation; its link is retired);
 *         SB_EDENIED (audited); SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_secure_send(sb_id *out_item, sb_practice *p, sb_id actor, const sb_secure_message *m);

/**
 * A page of a secure conversation's messages (no notes, calls or events),
 * newest first, for a teammate who sees it or its patient.
 * @return as sb_timeline_page(); SB_EDENIED (audited).
 */
SB_EXTERN int sb_secure_messages(sb_item *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id conversation,
                                 sb_id before_id, size_t max);

/**
 * The patient's own secure conversations in id order, a page at a time.
 * Only a patient actor may ask.
 * @param after_id  0 first, else the last id of the previous page
 * @param max       1..SB_PATIENT_PAGE_MAX
 * @return SB_OK; SB_EDENIED (not a patient actor of this practice,
 *         audited); SB_EINVAL; SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_patient_conversations(sb_patient_conversation *out, size_t *out_count, sb_practice *p, sb_id actor,
                                       sb_id after_id, size_t max);

/**
 * The identity status of a secure conversation (L5): the account's
 * identity, and whether its mobile and e-mail are among the matched
 * contact's records. A teammate who sees the conversation.
 * @return SB_OK; SB_ENOTFOUND; SB_ESTATE (not a secure conversation);
 *         SB_EDENIED (audited); SB_EINVAL; SB_ECRYPTO; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_secure_status_get(sb_secure_status *out, sb_practice *p, sb_id actor, sb_id conversation);

#ifdef __cplusplus
}
#endif

#endif
