/* TwiML: the verbs each engine command becomes on one leg.
 *
 * Prompts sit inside a <Gather> so that keys pressed while they play come
 * back (/voice/digits); a prompt that ends unanswered falls through to a
 * <Redirect> that reports it played (/voice/played). A bridge is a
 * conference of two, left with '*' (/voice/star). */
#include <stdio.h>
#include <string.h>

#include "switchboard/errors.h"
#include "twilio_internal.h"

/* How long a gather waits after the last key (or the prompt) before it ends. */
#define GATHER_TIMEOUT_S 3
/* How long an idle leg listens before it asks again. */
#define IDLE_PAUSE_S 55

static void route(sb_twilio *tw, tw_buf *b, const char *path, const char *conf)
{
	tw_buf_xml(b, tw->webhook_base);
	tw_buf_str(b, path);
	if (conf) {
		tw_buf_str(b, "?conf=");
		tw_buf_xml(b, conf); /* conf names are sb-<sid>-<sid>: URL-safe */
	}
}

static void gather_open(sb_twilio *tw, tw_buf *b, const char *conf)
{
	tw_buf_fmt(b, "<Gather input=\"dtmf\" finishOnKey=\"#\" timeout=\"%d\" action=\"", GATHER_TIMEOUT_S);
	route(tw, b, "/voice/digits", conf);
	tw_buf_str(b, "\" method=\"POST\">");
}

static void redirect(sb_twilio *tw, tw_buf *b, const char *path, const char *conf)
{
	tw_buf_str(b, "<Redirect method=\"POST\">");
	route(tw, b, path, conf);
	tw_buf_str(b, "</Redirect>");
}

static void play_url(tw_buf *b, const char *url, int loop)
{
	tw_buf_str(b, loop ? "<Play loop=\"0\">" : "<Play>");
	tw_buf_xml(b, url);
	tw_buf_str(b, "</Play>");
}

int tw_play_endless(const sb_play *play)
{
	return play->loop || play->kind == SB_PLAY_RINGBACK || play->kind == SB_PLAY_HOLD;
}

/* A beep with no beep file is the one Twilio's <Record> plays itself. */
static const char BEEP_MARK[] = "<Play digits=\"9\"/>";

void tw_twiml_play(sb_twilio *tw, tw_buf *b, const sb_play *play)
{
	const char *content = play->content ? play->content : "";
	switch (play->kind) {
	case SB_PLAY_RINGBACK: play_url(b, tw->ringback_url, 1); return;
	case SB_PLAY_HOLD: play_url(b, tw->hold_url, 1); return;
	case SB_PLAY_BEEP:
		if (tw->beep_url)
			play_url(b, tw->beep_url, 0);
		else
			tw_buf_str(b, BEEP_MARK);
		return;
	default: break;
	}
	gather_open(tw, b, NULL);
	if (play->kind == SB_PLAY_MEDIA) {
		play_url(b, content, play->loop);
	} else {
		tw_buf_str(b, play->loop ? "<Say loop=\"0\">" : "<Say>");
		tw_buf_xml(b, content);
		tw_buf_str(b, "</Say>");
	}
	tw_buf_str(b, "</Gather>");
	redirect(tw, b, "/voice/played", NULL);
}

void tw_twiml_hold(sb_twilio *tw, tw_buf *b)
{
	play_url(b, tw->hold_url, 1);
}

void tw_twiml_record(sb_twilio *tw, tw_buf *b, const sb_record *rec)
{
	size_t mark = sizeof BEEP_MARK - 1;
	int beep = b->len >= mark && !strcmp(b->p + b->len - mark, BEEP_MARK);
	if (beep)
		b->p[b->len -= mark] = '\0';
	int64_t max_s = rec->max_ms > 0 ? (rec->max_ms + 999) / 1000 : 3600;
	tw_buf_fmt(b, "<Record maxLength=\"%lld\" playBeep=\"%s\" finishOnKey=\"", (long long)max_s,
	           beep ? "true" : "false");
	tw_buf_xml(b, rec->finish_on_key ? rec->finish_on_key : "");
	tw_buf_str(b, "\" method=\"POST\" action=\"");
	route(tw, b, "/voice/recorded", NULL);
	tw_buf_str(b, "\" transcribe=\"true\" transcribeCallback=\"");
	route(tw, b, "/voice/transcription", NULL);
	tw_buf_str(b, "\"/>");
	/* Twilio goes on to the next verb when nothing was recorded. */
	redirect(tw, b, "/voice/recorded", NULL);
}

void tw_twiml_bridge(sb_twilio *tw, tw_buf *b, const char *conf)
{
	tw_buf_str(b, "<Dial hangupOnStar=\"true\" method=\"POST\" action=\"");
	route(tw, b, "/voice/star", conf);
	tw_buf_str(b, "\"><Conference beep=\"false\" startConferenceOnEnter=\"true\" "
	              "endConferenceOnExit=\"false\" waitUrl=\"\">");
	tw_buf_xml(b, conf);
	tw_buf_str(b, "</Conference></Dial>");
}

void tw_twiml_idle(sb_twilio *tw, tw_buf *b, const char *conf)
{
	if (conf) {
		tw_twiml_bridge(tw, b, conf);
		return;
	}
	gather_open(tw, b, NULL);
	tw_buf_fmt(b, "<Pause length=\"%d\"/></Gather>", IDLE_PAUSE_S);
	redirect(tw, b, "/voice/idle", NULL);
}

void tw_twiml_document(tw_buf *out, const char *verbs, size_t len)
{
	tw_buf_str(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>");
	if (len)
		tw_buf_add(out, verbs, len);
	tw_buf_str(out, "</Response>");
}
