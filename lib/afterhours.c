/* The after-hours auto-reply and e-mail alerts (A2): an outbox filled in
 * the inbound text's own transaction and emptied after its commit. */
#include "access.h"
#include "hours_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sb_after_hours_init(sb_after_hours *s)
{
	if (!s)
		return SB_EINVAL;
	memset(s, 0, sizeof *s);
	s->version = SB_AFTER_HOURS_VERSION;
	return SB_OK;
}

/* --- settings --- */

int sb_after_hours_get(sb_after_hours *out, sb_practice *p, sb_id actor)
{
	sb_stmt *st;
	size_t n;
	int rc = sb_check_out(p, out, sizeof *out, "out");
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc != SB_OK)
		return rc;
	rc = sb_db_row(p->db, &st,
	               "SELECT after_hours_reply_on, after_hours_reply, after_hours_alert_on, after_hours_alert_to"
	               " FROM sb_practice WHERE id = ?",
	               "i", p->id);
	if (rc != SB_OK)
		return sb_fail_store(p, rc, "reading the after-hours settings");
	sb_after_hours_init(out);
	out->reply_on = sb_db_col_int(p->db, st, 0) != 0;
	const char *t = sb_db_col_text(p->db, st, 1, &n);
	sb_copy_text(out->reply, sizeof out->reply, t, n);
	out->alert_on = sb_db_col_int(p->db, st, 2) != 0;
	t = sb_db_col_text(p->db, st, 3, &n);
	sb_copy_text(out->alert_to, sizeof out->alert_to, t, n);
	sb_db_release(p->db, st);
	return SB_OK;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Addresses are compared without regard to ASCII case. */
static int same_address(const char *a, size_t an, const char *b, size_t bn)
{
	if (an != bn)
		return 0;
	for (size_t i = 0; i < an; i++)
		if (lower(a[i]) != lower(b[i]))
			return 0;
	return 1;
}

/* Check each comma-separated recipient and write them, trimmed, to `out`
 * joined by bare commas. */
static int normalise_recipients(sb_practice *p, const char *list, char *out, size_t *count)
{
	char one[SB_ALERT_TO_MAX + 1], field[48];
	size_t len = 0;
	*count = 0;
	out[0] = '\0';
	for (const char *s = list;;) {
		const char *end = strchr(s, ',');
		const char *stop = end ? end : s + strlen(s);
		while (s < stop && (*s == ' ' || *s == '\t'))
			s++;
		const char *last = stop;
		while (last > s && (last[-1] == ' ' || last[-1] == '\t'))
			last--;
		size_t n = (size_t)(last - s);
		snprintf(field, sizeof field, "alert recipient %zu", *count + 1);
		if (n == 0)
			return sb_fail(p, SB_EINVAL, "%s is empty (a stray comma?)", field);
		if (++*count > SB_ALERT_RECIPIENTS_MAX)
			return sb_fail(p, SB_ETOOBIG, "at most %u alert recipients", SB_ALERT_RECIPIENTS_MAX);
		memcpy(one, s, n);
		one[n] = '\0';
		int rc = sb_check_email(p, one, field);
		if (rc != SB_OK)
			return rc;
		for (const char *o = out; *o;) {
			const char *oe = strchr(o, ',');
			size_t on = oe ? (size_t)(oe - o) : strlen(o);
			if (same_address(o, on, one, n))
				return sb_fail(p, SB_EINVAL, "%s repeats an earlier one", field);
			o += on + (oe != NULL);
		}
		len += (size_t)snprintf(out + len, SB_ALERT_TO_MAX + 1 - len, "%s%s", len ? "," : "", one);
		if (!end)
			break;
		s = end + 1;
	}
	return SB_OK;
}

static int check_settings(sb_practice *p, const sb_after_hours *s, char *recipients)
{
	size_t count = 0;
	if (!s)
		return sb_fail(p, SB_EINVAL, "settings are required");
	if (s->version != SB_AFTER_HOURS_VERSION)
		return sb_fail(p, SB_EVERSION, "sb_after_hours version %u is not %u", s->version, SB_AFTER_HOURS_VERSION);
	if (!memchr(s->reply, '\0', sizeof s->reply))
		return sb_fail(p, SB_ETOOBIG, "reply is longer than %u bytes", SB_AFTER_HOURS_REPLY_MAX);
	if (!memchr(s->alert_to, '\0', sizeof s->alert_to))
		return sb_fail(p, SB_ETOOBIG, "alert_to is longer than %u bytes", SB_ALERT_TO_MAX);
	int rc = sb_check_text(p, s->reply, SB_AFTER_HOURS_REPLY_MAX, "reply");
	if (rc == SB_OK)
		rc = sb_check_text(p, s->alert_to, SB_ALERT_TO_MAX, "alert_to");
	if (rc == SB_OK && s->reply_on && !s->reply[0])
		rc = sb_fail(p, SB_EINVAL, "reply_on needs a reply");
	if (rc == SB_OK && s->alert_on && !s->alert_to[0])
		rc = sb_fail(p, SB_EINVAL, "alert_on needs at least one recipient in alert_to");
	recipients[0] = '\0';
	if (rc == SB_OK && s->alert_to[0])
		rc = normalise_recipients(p, s->alert_to, recipients, &count);
	return rc;
}

typedef struct settings_change {
	const sb_after_hours *s;
	const char *recipients;
} settings_change;

static int set_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	const settings_change *c = arg;
	(void)id;
	(void)now;
	return sb_db_exec(p->db,
	                  "UPDATE sb_practice SET after_hours_reply_on = ?, after_hours_reply = ?,"
	                  " after_hours_alert_on = ?, after_hours_alert_to = ? WHERE id = ?",
	                  "ititi", (int64_t)(c->s->reply_on != 0), c->s->reply, (int64_t)(c->s->alert_on != 0),
	                  c->recipients, p->id);
}

int sb_after_hours_set(sb_practice *p, sb_id actor, const sb_after_hours *s)
{
	char recipients[SB_ALERT_TO_MAX + 1];
	int rc = sb_check_open(p);
	if (rc == SB_OK)
		rc = check_settings(p, s, recipients);
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc == SB_OK)
		rc = sb_access_admin(p, actor, "change the after-hours reply and alerts");
	if (rc != SB_OK)
		return rc;
	settings_change c = {s, recipients};
	sb_id id = p->id;
	return sb_transact(p, actor, "practice.after_hours", "practice", &id, set_body, &c,
	                   "changing the after-hours settings");
}

/* --- the inbound text's transaction --- */

static int add_alerts(sb_practice *p, sb_id event, const char *list)
{
	int rc = SB_OK;
	for (const char *s = list; rc == SB_OK && *s;) {
		const char *end = strchr(s, ',');
		size_t n = end ? (size_t)(end - s) : strlen(s);
		char one[SB_ALERT_TO_MAX + 1];
		memcpy(one, s, n);
		one[n] = '\0';
		rc = sb_db_exec(p->db, "INSERT INTO sb_alert (practice_id, after_hours_id, recipient, state) VALUES (?, ?, ?, ?)",
		                "iiti", p->id, event, one, (int64_t)SB_NOTICE_PENDING);
		s += n + (end != NULL);
	}
	return rc;
}

int sb_after_hours_note(sb_practice *p, sb_id conversation, sb_id endpoint, sb_id item, int64_t now, sb_id *event)
{
	sb_stmt *st;
	size_t n;
	char list[SB_ALERT_TO_MAX + 1];
	*event = 0;
	int rc = sb_db_row(p->db, &st,
	                   "SELECT after_hours_reply_on, after_hours_alert_on, after_hours_alert_to FROM sb_practice"
	                   " WHERE id = ? AND (after_hours_reply_on <> 0 OR after_hours_alert_on <> 0)",
	                   "i", p->id);
	if (rc == SB_ENOTFOUND)
		return SB_OK; /* both off: the common case costs this one read */
	if (rc != SB_OK)
		return rc;
	int reply_on = sb_db_col_int(p->db, st, 0) != 0, alert_on = sb_db_col_int(p->db, st, 1) != 0;
	const char *t = sb_db_col_text(p->db, st, 2, &n);
	sb_copy_text(list, sizeof list, alert_on ? t : "", alert_on ? n : 0);
	sb_db_release(p->db, st);
	sb_hours_status hours;
	rc = sb_hours_status_of(p, endpoint, now, &hours);
	if (rc == SB_EBUSY || rc == SB_ESTORE || rc == SB_ENOMEM)
		return rc;
	if (rc != SB_OK || hours.open)
		return SB_OK; /* open, or hours that cannot be judged here: the text is taken without a reply */
	rc = sb_db_one_int(p->db, event,
	                   "INSERT INTO sb_after_hours (practice_id, conversation_id, period, item_id, created_at, reply_state)"
	                   " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (conversation_id, period) DO NOTHING RETURNING id",
	                   "iiiiii", p->id, conversation, hours.next_opening, item, now,
	                   (int64_t)(reply_on ? SB_NOTICE_PENDING : SB_NOTICE_NONE));
	if (rc == SB_ENOTFOUND) {
		*event = 0; /* this closed period was answered already */
		return SB_OK;
	}
	return rc == SB_OK ? add_alerts(p, *event, list) : rc;
}

/* --- sending --- */

static int send_reply(sb_practice *p, sb_id event, sb_id conversation)
{
	sb_after_hours s;
	sb_sent sent;
	sb_outbound_sms m;
	char key[SB_IDEMPOTENCY_KEY_MAX + 1];
	int rc = sb_after_hours_get(&s, p, SB_ACTOR_SYSTEM);
	if (rc != SB_OK)
		return rc;
	snprintf(key, sizeof key, "sb-after-hours-%lld", (long long)event);
	sb_outbound_sms_init(&m);
	m.conversation = conversation;
	m.body = s.reply[0] ? s.reply : "We are closed now and will answer when we open.";
	m.idempotency_key = key;
	int sent_rc = sb_sms_send(&sent, p, SB_ACTOR_SYSTEM, &m);
	if (sent_rc == SB_EBUSY || sent_rc == SB_ESTORE || sent_rc == SB_ENOMEM)
		return sent_rc; /* still pending: a retry sends it */
	int state = sent_rc == SB_OK ? SB_NOTICE_SENT : SB_NOTICE_FAILED;
	rc = sb_db_exec(p->db, "UPDATE sb_after_hours SET reply_state = ?, reply_item_id = NULLIF(?, 0) WHERE id = ?",
	                "iii", (int64_t)state, sent.item_id, event);
	return rc != SB_OK ? sb_fail_store(p, rc, "recording the after-hours reply") : sent_rc;
}

/* The alert's text: where and which conversation, never who or what. */
static int alert_email(sb_practice *p, sb_id alert, char *subject, size_t sn, char *body, size_t bn)
{
	sb_stmt *st;
	size_t ln, an;
	int rc = sb_db_row(p->db, &st,
	                   "SELECT e.label, e.address, c.id FROM sb_alert a JOIN sb_after_hours h ON h.id = a.after_hours_id"
	                   " JOIN sb_conversation c ON c.id = h.conversation_id JOIN sb_endpoint e ON e.id = c.endpoint_id"
	                   " WHERE a.id = ?",
	                   "i", alert);
	if (rc != SB_OK)
		return rc;
	const char *label = sb_db_col_text(p->db, st, 0, &ln);
	const char *address = sb_db_col_text(p->db, st, 1, &an);
	snprintf(subject, sn, "After-hours text on %.*s", (int)ln, label);
	snprintf(body, bn,
	         "A text arrived after hours on %.*s (%.*s).\n"
	         "It waits in conversation %lld; open it in the practice's inbox to read it.\n",
	         (int)ln, label, (int)an, address, (long long)sb_db_col_int(p->db, st, 2));
	sb_db_release(p->db, st);
	return SB_OK;
}

/* Take one alert for a carrier call: a pending or failed one, or one whose
 * call has gone unanswered SB_OUTBOX_STALE_MS. Only one process wins. */
static int claim_alert(sb_practice *p, sb_id alert, int64_t now, char *to, size_t room)
{
	sb_stmt *st;
	size_t n;
	int rc = sb_db_row(p->db, &st,
	                   "UPDATE sb_alert SET state = ?, attempt_at = ?, attempts = attempts + 1 WHERE id = ? AND (state = ?"
	                   " OR (state = ? AND (attempt_at IS NULL OR attempt_at <= ?))) RETURNING recipient",
	                   "iiiiii", (int64_t)SB_NOTICE_PENDING, now, alert, (int64_t)SB_NOTICE_FAILED,
	                   (int64_t)SB_NOTICE_PENDING, now - SB_OUTBOX_STALE_MS);
	if (rc != SB_OK)
		return rc;
	const char *t = sb_db_col_text(p->db, st, 0, &n);
	sb_copy_text(to, room, t, n);
	sb_db_release(p->db, st);
	return SB_OK;
}

static int send_alert(sb_practice *p, sb_id alert, int64_t now)
{
	char to[SB_ADDRESS_MAX + 1], subject[160], body[512], key[48], carrier_id[SB_CARRIER_ID_MAX] = "";
	int rc = claim_alert(p, alert, now, to, sizeof to);
	if (rc == SB_ENOTFOUND)
		return SB_ECONFLICT; /* another process has it */
	if (rc == SB_OK)
		rc = alert_email(p, alert, subject, sizeof subject, body, sizeof body);
	if (rc != SB_OK)
		return sb_fail_store(p, rc, "claiming an after-hours alert");
	snprintf(key, sizeof key, "sb-alert-%lld", (long long)alert);
	sb_email email = {1, to, subject, body, key};
	int sent = sb_carrier_invoke(p, send_email, &email, carrier_id, sizeof carrier_id);
	carrier_id[SB_CARRIER_ID_MAX - 1] = '\0';
	rc = sb_db_exec(p->db, "UPDATE sb_alert SET state = ?, attempt_at = 0, carrier_id = NULLIF(?, ''), error = ?"
	                       " WHERE id = ?",
	                "itti", (int64_t)(sent == SB_OK ? SB_NOTICE_SENT : SB_NOTICE_FAILED), sent == SB_OK ? carrier_id : "",
	                sent == SB_OK ? NULL : "the carrier refused the e-mail", alert);
	return rc != SB_OK ? sb_fail_store(p, rc, "recording an after-hours alert") : sent;
}

/* Tally one send: the carrier took it, refused it, or it was not ours. */
static int count(int rc, size_t *sent, size_t *failed)
{
	if (rc == SB_OK)
		++*sent;
	else if (rc == SB_EUSER || rc == SB_ENOTSUP || rc == SB_ESTATE || rc == SB_ENOTFOUND || rc == SB_EPHONE)
		++*failed; /* stored as failed */
	else if (rc != SB_ECONFLICT)
		return rc;
	return SB_OK;
}

void sb_after_hours_dispatch(sb_practice *p, sb_id event, sb_id conversation, int64_t now)
{
	sb_id alerts[SB_ALERT_RECIPIENTS_MAX];
	size_t n = 0, sent = 0, failed = 0;
	int64_t reply_state = 0;
	if (sb_db_one_int(p->db, &reply_state, "SELECT reply_state FROM sb_after_hours WHERE id = ?", "i", event) == SB_OK &&
	    reply_state == SB_NOTICE_PENDING)
		count(send_reply(p, event, conversation), &sent, &failed);
	if (sb_db_ids(p->db, alerts, &n, SB_ALERT_RECIPIENTS_MAX,
	              "SELECT id FROM sb_alert WHERE after_hours_id = ? AND state = ? ORDER BY id", "ii", event,
	              (int64_t)SB_NOTICE_PENDING) == SB_OK)
		for (size_t i = 0; i < n; i++)
			count(send_alert(p, alerts[i], now), &sent, &failed);
}

int sb_after_hours_retry(size_t *out_sent, size_t *out_failed, sb_practice *p, sb_id actor, size_t max)
{
	int64_t now = 0;
	sb_id ids[SB_AFTER_HOURS_PAGE_MAX];
	size_t n = 0;
	int rc = sb_check_open(p);
	if (rc == SB_OK && (!out_sent || !out_failed))
		rc = sb_fail(p, SB_EINVAL, "out_sent and out_failed are required");
	if (rc != SB_OK)
		return rc;
	*out_sent = *out_failed = 0;
	if (max < 1 || max > SB_AFTER_HOURS_PAGE_MAX)
		return sb_fail(p, SB_EINVAL, "max must be 1..%u", SB_AFTER_HOURS_PAGE_MAX);
	if ((rc = sb_check_actor(p, actor)) != SB_OK || (rc = sb_access_admin(p, actor, "retry after-hours notices")) != SB_OK ||
	    (rc = sb_now(p, &now)) != SB_OK)
		return rc;
	rc = sb_db_ids(p->db, ids, &n, max,
	               "SELECT h.id FROM sb_after_hours h WHERE h.practice_id = ? AND h.reply_state IN (?, ?)"
	               " ORDER BY h.reply_state, h.id LIMIT ?",
	               "iiii", p->id, (int64_t)SB_NOTICE_PENDING, (int64_t)SB_NOTICE_FAILED, (int64_t)max);
	for (size_t i = 0; rc == SB_OK && i < n; i++) {
		sb_id conversation = 0;
		rc = sb_db_one_int(p->db, &conversation, "SELECT conversation_id FROM sb_after_hours WHERE id = ?", "i", ids[i]);
		if (rc == SB_OK)
			rc = count(send_reply(p, ids[i], conversation), out_sent, out_failed);
	}
	size_t left = max - n, m = 0;
	if (rc == SB_OK && left)
		rc = sb_db_ids(p->db, ids, &m, left,
		               "SELECT id FROM sb_alert WHERE practice_id = ? AND state IN (?, ?) ORDER BY state, id LIMIT ?",
		               "iiii", p->id, (int64_t)SB_NOTICE_PENDING, (int64_t)SB_NOTICE_FAILED, (int64_t)left);
	for (size_t i = 0; rc == SB_OK && i < m; i++)
		rc = count(send_alert(p, ids[i], now), out_sent, out_failed);
	return rc == SB_OK || rc == SB_EUSER ? SB_OK : sb_fail_store(p, rc, "retrying after-hours notices");
}

/* --- reading --- */

static void fill_event(sb_db *db, sb_stmt *st, void *out, size_t i)
{
	sb_after_hours_event *e = (sb_after_hours_event *)out + i;
	e->id = sb_db_col_int(db, st, 0);
	e->conversation_id = sb_db_col_int(db, st, 1);
	e->item_id = sb_db_col_int(db, st, 2);
	e->period = sb_db_col_int(db, st, 3);
	e->created_at = sb_db_col_int(db, st, 4);
	e->reply_state = (int)sb_db_col_int(db, st, 5);
	e->reply_item_id = sb_db_col_int(db, st, 6);
	e->alerts = (size_t)sb_db_col_int(db, st, 7);
	e->alerts_sent = (size_t)sb_db_col_int(db, st, 8);
	e->alerts_failed = (size_t)sb_db_col_int(db, st, 9);
}

int sb_after_hours_list(sb_after_hours_event *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id before_id,
                        size_t max)
{
	sb_stmt *st;
	int rc = sb_check_list(p, out, out_count, max, SB_AFTER_HOURS_PAGE_MAX, before_id, "before_id");
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc != SB_OK)
		return rc;
	rc = sb_db_query(p->db, &st,
	                 "SELECT h.id, h.conversation_id, h.item_id, h.period, h.created_at, h.reply_state,"
	                 " COALESCE(h.reply_item_id, 0),"
	                 " (SELECT COUNT(*) FROM sb_alert a WHERE a.after_hours_id = h.id),"
	                 " (SELECT COUNT(*) FROM sb_alert a WHERE a.after_hours_id = h.id AND a.state = ?),"
	                 " (SELECT COUNT(*) FROM sb_alert a WHERE a.after_hours_id = h.id AND a.state = ?)"
	                 " FROM sb_after_hours h JOIN sb_conversation c ON c.id = h.conversation_id"
	                 " WHERE h.practice_id = ? AND h.id < ? AND c.endpoint_id IN (" SB_VISIBLE_ENDPOINTS ")"
	                 " ORDER BY h.id DESC LIMIT ?",
	                 "iiiiiiiiii", (int64_t)SB_NOTICE_SENT, (int64_t)SB_NOTICE_FAILED, p->id,
	                 before_id ? before_id : INT64_MAX, p->id, actor, actor, actor, actor, (int64_t)max);
	if (rc == SB_OK)
		rc = sb_db_fill(p->db, st, fill_event, out, out_count);
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "listing after-hours periods");
}
