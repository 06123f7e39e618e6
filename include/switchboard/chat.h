/**
 * @file switchboard/chat.h
 * @brief Secure messaging between teammates (seed 002): direct chats and
 * team chats.
 *
 * Teammates "communicate securely with teammates": a direct chat is among a
 * fixed set of teammates (two or more, found again by the same set), and a
 * team chat belongs to a team (T2) and is read and written by whoever is in
 * the team at the time, so a new member sees its history and a member who
 * leaves stops seeing it. Chats are apart from patient conversations: no
 * business number, no carrier, never in a mailbox, never on a contact's
 * card. Messages may speak of patients, so they are PHI: sealed with a key,
 * and every read is audited ("chat.read"). A message to a chat alerts its
 * other members (notify.h, SB_NOTICE_CHAT_MESSAGE) as their "messages"
 * level says; "mine" counts as wanting it, since a chat is always theirs.
 *
 * Who may: only the chat's members (a direct chat's teammates, a team
 * chat's team members), active. Admins are not members of other teammates'
 * chats: a refusal is SB_EDENIED and audited.
 *
 * Threads: as for the practice handle.
 */
#ifndef SWITCHBOARD_CHAT_H
#define SWITCHBOARD_CHAT_H

#include "common.h"
#include "practice.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most bytes of one chat message (UTF-8). */
#define SB_CHAT_TEXT_MAX 4096u
/** Most teammates in a direct chat, the one who starts it included. */
#define SB_CHAT_MEMBERS_MAX 16u
/** Most chats or messages one page returns. */
#define SB_CHAT_PAGE_MAX 100u

/** What a chat is among. */
typedef enum sb_chat_kind {
	SB_CHAT_DIRECT = 1,  /**< a fixed set of teammates */
	SB_CHAT_TEAM = 2     /**< a team's current members */
} sb_chat_kind;

/** A chat as the actor sees it. The layout is frozen; a revision comes as a _v2 call. */
typedef struct sb_chat {
	sb_id id;
	int kind;                /**< an ::sb_chat_kind */
	sb_id team_id;           /**< the team of a team chat; 0 for a direct one */
	sb_id created_by;
	int64_t created_at;
	int64_t last_message_at; /**< epoch ms; created_at while it has none */
	int64_t unread;          /**< messages of others after the actor's read mark */
} sb_chat;

/** One message. The layout is frozen; a revision comes as a _v2 call. */
typedef struct sb_chat_message {
	sb_id id;
	sb_id chat_id;
	sb_id author;            /**< the teammate who wrote it */
	int64_t at;              /**< epoch ms */
	size_t text_len;
	char text[SB_CHAT_TEXT_MAX + 1];
} sb_chat_message;

/**
 * The direct chat of the actor and `teammates` (1..SB_CHAT_MEMBERS_MAX - 1
 * others; the actor and repeats are ignored), created on first use: the
 * same set always finds the same chat. Audited ("chat.start") when created.
 * @return SB_OK (*out_chat); SB_EINVAL (NULL pointers, no other teammate,
 *         too many, a negative id); SB_ENOTFOUND (no such teammate);
 *         SB_ESTATE (a teammate is not active); SB_EDENIED (a patient or
 *         inactive actor); SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_chat_direct(sb_id *out_chat, sb_practice *p, sb_id actor, const sb_id *teammates, size_t count);

/**
 * The chat of a team the actor is in, created on first use.
 * @return SB_OK (*out_chat); SB_EINVAL; SB_ENOTFOUND (no such team);
 *         SB_ESTATE (the team was deleted); SB_EDENIED (not a member:
 *         audited); SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_chat_team(sb_id *out_chat, sb_practice *p, sb_id actor, sb_id team);

/**
 * Write to a chat. With an idempotency key, writing again with the same key
 * finds the first message and writes nothing.
 * @param text  1..SB_CHAT_TEXT_MAX bytes of UTF-8
 * @param idempotency_key  the host's key (1..SB_IDEMPOTENCY_KEY_MAX bytes), or NULL
 * @return SB_OK (*out_message); SB_EINVAL (NULL pointers, empty text or
 *         key); SB_EUTF8, SB_ETOOBIG (text, key); SB_ENOTFOUND (no such
 *         chat); SB_ESTATE (its team was deleted); SB_EDENIED (not a member:
 *         audited); SB_ECONFLICT (the key names a message of another chat);
 *         SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_chat_post(sb_id *out_message, sb_practice *p, sb_id actor, sb_id chat, const char *text,
                           const char *idempotency_key);

/**
 * A page of a chat's messages, newest first; audited ("chat.read").
 * @param before_id  0 for the newest, else the last id of the previous page
 * @param max        1..SB_CHAT_PAGE_MAX
 * @return SB_OK; SB_EINVAL; SB_ENOTFOUND; SB_EDENIED (audited); SB_ECRYPTO;
 *         SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_chat_messages(sb_chat_message *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id chat,
                               sb_id before_id, size_t max);

/**
 * The actor's chats, the most recently written first, with unread counts.
 * @param before_id  0 for the first page, else the last chat of the previous page
 * @param max        1..SB_CHAT_PAGE_MAX
 * @return SB_OK; SB_EINVAL (NULL pointers, max, a before_id that is no
 *         chat of the practice); SB_EDENIED; SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_chat_list(sb_chat *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id before_id, size_t max);

/**
 * Who is in a chat now, in id order.
 * @param max  room in `out`, 1..SB_CHAT_PAGE_MAX
 * @return SB_OK (*out_count, at most max: a larger team is cut); SB_EINVAL;
 *         SB_ENOTFOUND; SB_EDENIED (audited); SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_chat_members(sb_id *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id chat, size_t max);

/**
 * Mark everything in a chat read by the actor.
 * @return SB_OK; SB_EINVAL; SB_ENOTFOUND; SB_EDENIED (audited); SB_ESTATE;
 *         SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_chat_mark_read(sb_practice *p, sb_id actor, sb_id chat);

#ifdef __cplusplus
}
#endif

#endif
