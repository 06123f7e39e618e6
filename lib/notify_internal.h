/* Alerts as the rest of the library raises them (lib/notify.c). Internal. */
#ifndef SB_NOTIFY_INTERNAL_H
#define SB_NOTIFY_INTERNAL_H

#include "internal.h"

/* Inside the transaction that stored `item`: work out whom to alert for
 * it (kind: an sb_notice_kind) and queue the notice for the commit. */
int sb_notice_queue(sb_practice *p, int kind, sb_id item);
/* The notice an item just stored gives, if any: an inbound message or
 * voicemail, or an inbound call missed or abandoned (one that left a
 * voicemail gives that one's notice instead: do not call it for such a call). */
struct sb_item_row;
int sb_notice_for_item(sb_practice *p, const struct sb_item_row *row, sb_id item);
/* Inside the transaction that stored chat message `message`: alert the
 * chat's other members (a team chat's team: `team`; else its member rows). */
int sb_notice_chat(sb_practice *p, sb_id chat, sb_id team, sb_id message, sb_id author);
/* After the outermost commit: hand every queued notice to the callback. */
void sb_notices_flush(sb_practice *p);
/* After a rollback to `depth`: drop what the undone work queued. */
void sb_notices_forget(sb_practice *p, int depth);

#endif
