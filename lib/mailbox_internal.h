/* What other modules ask of mailboxes (lib/mailbox.c). Internal. */
#ifndef SB_MAILBOX_INTERNAL_H
#define SB_MAILBOX_INTERNAL_H

#include "internal.h"

/* Where a new or reopened conversation of `endpoint` goes (T4, T5): its
 * owner's mailbox when the endpoint auto-assigns, else the shared inbox. */
int sb_mailbox_arrival(sb_practice *p, sb_id endpoint, int *kind, sb_id *owner);
/* In the caller's transaction: put a conversation in a mailbox and write
 * the event item (authored by actor, at `now`) that says so. */
int sb_mailbox_move(sb_practice *p, sb_id conversation, int kind, sb_id owner, int event, sb_id actor, int64_t now);
/* In the caller's transaction: everything in a teammate's or team's mailbox
 * goes back to the shared inbox, each with an event. */
int sb_mailbox_empty(sb_practice *p, int kind, sb_id owner, sb_id actor, int64_t now);

#endif
