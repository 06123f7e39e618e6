/* Business hours as the rest of the library asks about them. Internal. */
#ifndef SB_HOURS_INTERNAL_H
#define SB_HOURS_INTERNAL_H

#include "internal.h"

/* The zone by name, loaded once per handle; SB_EINVAL, SB_ENOTFOUND,
 * SB_ECORRUPT described. */
int sb_hours_zone(sb_practice *p, const char *name, const sb_zone **out);
/* Judge checked hours at `at` (epoch ms): everything but out->source. */
void sb_hours_judge(sb_hours_status *out, const sb_hours *h, const sb_zone *z, int64_t at);
/* The hours in force on `endpoint` (0: the practice's) at `at`, with no
 * actor check: open when none are set. */
int sb_hours_status_of(sb_practice *p, sb_id endpoint, int64_t at, sb_hours_status *out);


/* In the inbound text's transaction: when the after-hours reply or alerts
 * are on and the endpoint is closed at `now`, store the conversation's
 * closed period with its pending reply and alerts (*event), unless this
 * period has one already (*event 0). Only store failures are returned. */
int sb_after_hours_note(sb_practice *p, sb_id conversation, sb_id endpoint, sb_id item, int64_t now, sb_id *event);
/* After the commit: send what `event` has pending. Failures stay stored
 * for sb_after_hours_retry(). */
void sb_after_hours_dispatch(sb_practice *p, sb_id event, sb_id conversation, int64_t now);

#endif
