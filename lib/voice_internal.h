/* What the call engine asks of the voice settings (lib/voice.c). Internal. */
#ifndef SB_VOICE_INTERNAL_H
#define SB_VOICE_INTERNAL_H

#include "internal.h"

/* A business number's call settings, defaults filled in, without the extra
 * numbers: only a ringing round needs those (sb_voice_extras_load). */
int sb_voice_config_load(sb_practice *p, sb_id endpoint, sb_voice_config *out);
int sb_voice_extras_load(sb_practice *p, sb_id endpoint, sb_voice_config *out);
/* How long `number` (E.164) rings on its turn: its own timeout, else cfg's. */
int sb_voice_ring_timeout(sb_practice *p, const sb_voice_config *cfg, const char *number, int64_t *out_ms);
/* A desk phone by id (SB_ENOTFOUND, described) or by extension (SB_ENOTFOUND, silent). */
int sb_desk_phone_by_id(sb_practice *p, sb_id id, sb_desk_phone *out);
int sb_desk_phone_by_extension(sb_practice *p, const char *extension, sb_desk_phone *out);

#endif
