/*
 * demo: open (or create) switchboard-demo.db, say which library is running,
 * then a patient texts two business numbers, the front desk replies, the
 * carrier reports delivery, the patient is saved with a second number and
 * the contact card is printed. Then the team: three teammates, a front-desk
 * team that owns a number with auto-assign, an assignment, a close and a
 * reopen, and each teammate's mailboxes. Then a bulk message to the
 * patients a saved filter picks. Then a night: business hours in New York,
 * a text that arrives after closing gets the after-hours reply and the
 * on-call e-mail alert, and a reminder scheduled for the morning goes out
 * when the pump runs at 8. Running it again changes nothing but the audit
 * trail (every event is idempotent).
 *
 *   demo [path]     (default: switchboard-demo.db in the current directory)
 */
#include <stdio.h>
#include <string.h>
#include <switchboard.h>

static int report(sb_practice *p)
{
	int64_t rows = 0;
	int rc = sb_audit_verify(&rows, p, SB_ACTOR_SYSTEM);
	if (rc != SB_OK) {
		fprintf(stderr, "audit trail check failed: %s (%s)\n", sb_strerror(rc), sb_practice_errmsg(p));
		return rc;
	}
	printf("audit trail: %lld entries, chain intact\n", (long long)rows);

	sb_audit_entry page[5];
	size_t n = 0;
	int64_t from = rows > 5 ? rows - 5 : 0;
	rc = sb_audit_read(page, &n, p, SB_ACTOR_SYSTEM, from, 5);
	for (size_t i = 0; rc == SB_OK && i < n; i++)
		printf("  #%lld %-16s %s %lld\n", (long long)page[i].seq, page[i].action, page[i].object_kind,
		       (long long)page[i].object_id);
	return rc;
}

static void phone_examples(void)
{
	const char *typed[] = {"(415) 555-2671", "+1 604 555 0199", "1-800-555-0100", "911", "+44 20 7946 0958",
	                       "(123) 456-7890"};
	for (size_t i = 0; i < sizeof typed / sizeof typed[0]; i++) {
		sb_phone ph;
		if (sb_phone_parse(&ph, typed[i]) == SB_OK)
			printf("  %-18s -> %-13s %-13s %s\n", typed[i], ph.number, sb_phone_kind_name(ph.kind), ph.country);
		else
			printf("  %-18s -> refused: %s\n", typed[i], sb_phone_problem_text(ph.problem));
	}
}

/* The demo's carrier: prints what it would send and hands back an id. */
static char last_text[512]; /* the secure tour reads its invitation link and code here */

static int demo_send_sms(void *userdata, const sb_sms *sms, char *out_id, size_t cap)
{
	(void)userdata;
	printf("  carrier: text from %s to %s: \"%s\"\n", sms->from, sms->to, sms->body);
	snprintf(last_text, sizeof last_text, "%s", sms->body);
	snprintf(out_id, cap, "SM-demo-%s", sms->idempotency_key);
	return 0;
}

static int demo_send_email(void *userdata, const sb_email *email, char *out_id, size_t cap)
{
	(void)userdata;
	printf("  carrier: e-mail to %s: \"%s\"\n", email->to, email->subject);
	snprintf(out_id, cap, "EM-demo-%s", email->idempotency_key);
	return 0;
}

static int demo_timer_start(void *userdata, const char *timer_id, int64_t due_ms)
{
	(void)userdata;
	printf("  carrier: wake me (%s) at %lld\n", timer_id, (long long)due_ms);
	return 0;
}

/* The night tour's clock: a fixed moment the tour moves by hand. */
static int64_t night_now;

static int night_clock(void *userdata, int64_t *out_ms)
{
	(void)userdata;
	*out_ms = night_now;
	return 0;
}

/* The practice's admin, who runs the front desk's side of the demo. */
static sb_id admin;

/* The teammate called `name`, added (by `by`) on the first run. */
static sb_id teammate(sb_practice *p, sb_id by, const char *name, const char *login)
{
	sb_teammate all[16];
	size_t n = 0;
	sb_teammate_list(all, &n, p, SB_ACTOR_SYSTEM, 0, 16, 0);
	for (size_t i = 0; i < n; i++)
		if (strcmp(all[i].name, name) == 0)
			return all[i].id;
	sb_teammate_spec s;
	sb_teammate_spec_init(&s);
	s.name = name;
	s.login_phone = login;
	sb_id id = 0;
	int rc = sb_teammate_add(&id, p, by, &s);
	if (rc != SB_OK)
		fprintf(stderr, "adding %s: %s (%s)\n", name, sb_strerror(rc), sb_practice_errmsg(p));
	return id;
}

/* The business number for `number`, created on the first run; *created says so. */
static sb_id business_number(sb_practice *p, const char *number, const char *label, int *created)
{
	sb_id id = 0;
	*created = sb_business_number_find(&id, p, admin, number) != SB_OK;
	if (*created)
		sb_business_number_create(&id, p, admin, number, label);
	return id;
}

static int text_in(sb_practice *p, const char *to, const char *body, const char *carrier_id, sb_delivery *d)
{
	sb_inbound_sms m;
	sb_inbound_sms_init(&m);
	m.from = "(415) 555-0123";
	m.to = to;
	m.body = body;
	m.carrier_id = carrier_id;
	int rc = sb_sms_receive(d, p, &m);
	if (rc == SB_OK)
		printf("  in  %s -> %s: \"%s\"%s\n", m.from, to, body, d->duplicate ? " (seen before: nothing changed)" : "");
	return rc;
}

static void print_card(sb_practice *p, sb_id contact)
{
	sb_contact c;
	sb_conversation card[10];
	sb_contact_address a[8];
	size_t n = 0, na = 0;
	if (sb_contact_get(&c, p, admin, contact) != SB_OK || sb_contact_addresses(a, &na, p, admin, contact, 8) != SB_OK ||
	    sb_contact_conversations(card, &n, p, admin, contact, 0, 10) != SB_OK)
		return;
	printf("contact card: %s\n", c.name);
	for (size_t i = 0; i < na; i++)
		printf("  number %s\n", a[i].value);
	for (size_t i = 0; i < n; i++) {
		sb_item items[3];
		size_t k = 0;
		sb_timeline_page(items, &k, p, admin, card[i].id, 0, 3);
		printf("  conversation %lld: %s <-> %s%s\n", (long long)card[i].id, card[i].business_number,
		       card[i].external, card[i].unread ? " (unread)" : "");
		for (size_t j = k; j-- > 0;)
			printf("    %s %-9s \"%s\"\n", items[j].direction == SB_DIRECTION_INBOUND ? "<-" : "->",
			       items[j].status == SB_STATUS_DELIVERED ? "delivered" : "", items[j].text);
	}
}

/* Two business numbers, a patient texting both, a reply, a delivery
 * report, the contact saved with a second number, and the card. */
static int messaging_tour(sb_practice *p)
{
	int created;
	sb_id front = business_number(p, "+1 415 555 0100", "Front desk", &created);
	sb_id billing = business_number(p, "+1 415 555 0101", "Billing", &created);
	sb_delivery a, b;
	sb_sent sent;
	printf("texts:\n");
	int rc = text_in(p, "+14155550100", "Hi! Can I move my cleaning to Friday?", "SM-in-1", &a);
	if (rc == SB_OK)
		rc = text_in(p, "+14155550101", "Also, was my insurance billed?", "SM-in-2", &b);
	if (rc == SB_OK)
		rc = text_in(p, "+14155550100", "Hi! Can I move my cleaning to Friday?", "SM-in-1", &a); /* redelivered */
	sb_outbound_sms reply;
	sb_outbound_sms_init(&reply);
	reply.conversation = a.conversation_id;
	reply.body = "Friday at 10 works. See you then!";
	reply.idempotency_key = "demo-reply-1";
	if (rc == SB_OK)
		rc = sb_sms_send(&sent, p, admin, &reply);
	int applied = 0;
	if (rc == SB_OK && sent.carrier_id[0])
		rc = sb_sms_status(&applied, p, sent.carrier_id, SB_STATUS_DELIVERED, NULL);
	if (rc == SB_OK)
		printf("  delivery report for %s: %s\n", sent.carrier_id, applied ? "delivered" : "already recorded");
	sb_id second;
	if (rc == SB_OK)
		rc = sb_contact_save(p, admin, a.contact_id, "Pat Doe");
	if (rc == SB_OK && sb_contact_add_address(&second, p, admin, a.contact_id, SB_ADDRESS_PHONE, "415-555-0124") == SB_OK)
		printf("saved Pat Doe with a second number\n");
	if (rc != SB_OK) {
		fprintf(stderr, "messaging tour failed: %s (%s)\n", sb_strerror(rc), sb_practice_errmsg(p));
		return rc;
	}
	printf("front desk (endpoint %lld) and billing (endpoint %lld): conversations %lld and %lld, one per number (C2)\n",
	       (long long)front, (long long)billing, (long long)a.conversation_id, (long long)b.conversation_id);
	print_card(p, a.contact_id);
	return SB_OK;
}

static const char *const box_names[] = {"shared inbox", "assigned to me", "assigned to team", "closed"};

/* One mailbox as `who` sees it: its unread count and its newest entries. */
static void print_mailbox(sb_practice *p, sb_id who, int kind, sb_id owner, const char *team_name)
{
	sb_mailbox_entry e[5];
	size_t n = 0;
	int64_t unread = 0;
	if (sb_mailbox_page(e, &n, p, who, kind, owner, 0, 0, 5) != SB_OK ||
	    sb_mailbox_unread(&unread, p, who, kind, owner) != SB_OK)
		return;
	printf("    %s%s%s: %zu shown, %lld unread\n", box_names[kind], team_name ? " " : "", team_name ? team_name : "",
	       n, (long long)unread);
	for (size_t i = 0; i < n; i++)
		printf("      conversation %lld on endpoint %lld%s\n", (long long)e[i].conversation_id,
		       (long long)e[i].endpoint_id, e[i].unread_by_actor ? " (unread by me)" : "");
}

static void print_mailboxes(sb_practice *p, sb_id who, const char *name)
{
	sb_id teams[8];
	size_t n = 0;
	printf("  %s:\n", name);
	print_mailbox(p, who, SB_MAILBOX_INBOX, 0, NULL);
	print_mailbox(p, who, SB_MAILBOX_TEAMMATE, who, NULL);
	sb_teammate_teams(teams, &n, p, who, who, 0, 8);
	for (size_t i = 0; i < n; i++) {
		sb_team t;
		if (sb_team_get(&t, p, who, teams[i]) == SB_OK)
			print_mailbox(p, who, SB_MAILBOX_TEAM, t.id, t.name);
	}
	print_mailbox(p, who, SB_MAILBOX_CLOSED, 0, NULL);
}

/* A front-desk team owns a number with auto-assign (T5, T8); a text to it
 * lands in the team's mailbox; Fay takes it (T3), closes it, and the
 * patient's next text brings it back to the team (T4). */
static int team_tour(sb_practice *p, sb_id eli, sb_id fay)
{
	int created;
	sb_id team = 0, line = business_number(p, "+1 415 555 0102", "Front desk team line", &created);
	sb_team all[8];
	size_t n = 0;
	int rc = sb_team_list(all, &n, p, admin, 0, 8);
	for (size_t i = 0; rc == SB_OK && i < n; i++)
		team = strcmp(all[i].name, "Front desk") == 0 ? all[i].id : team;
	if (rc == SB_OK && !team && (rc = sb_team_create(&team, p, admin, "Front desk")) == SB_OK &&
	    (rc = sb_team_member_add(p, admin, team, eli)) == SB_OK)
		rc = sb_team_member_add(p, admin, team, fay);
	if (rc == SB_OK && created && (rc = sb_endpoint_set_owner(p, admin, line, SB_OWNER_TEAM, team)) == SB_OK)
		rc = sb_endpoint_set_auto_assign(p, eli, line, 1); /* a member of the owner team may (T6) */
	sb_delivery d;
	printf("team line %s (owned by team %lld, auto-assign):\n", "+14155550102", (long long)team);
	if (rc == SB_OK)
		rc = text_in(p, "+14155550102", "Is the office open Saturday?", "SM-in-3", &d);
	if (rc == SB_OK && !d.duplicate) {
		printf("  -> in the team's mailbox; Fay takes it, reads it and closes it\n");
		if ((rc = sb_conversation_assign(p, fay, d.conversation_id, SB_MAILBOX_TEAMMATE, fay)) == SB_OK &&
		    (rc = sb_conversation_mark_read(p, fay, d.conversation_id)) == SB_OK)
			rc = sb_conversation_close(p, fay, d.conversation_id);
	}
	if (rc == SB_OK)
		rc = text_in(p, "+14155550102", "One more thing: parking?", "SM-in-4", &d);
	if (rc == SB_OK && !d.duplicate)
		printf("  -> reopened, back to the team's mailbox (not to Fay)\n");
	if (rc != SB_OK)
		fprintf(stderr, "team tour failed: %s (%s)\n", sb_strerror(rc), sb_practice_errmsg(p));
	return rc;
}

/* A contact by number, created with a name the first time. */
static sb_id patient(sb_practice *p, const char *name, const char *number)
{
	sb_id id = 0, address;
	if (sb_contact_find(&id, p, admin, SB_ADDRESS_PHONE, number) == SB_OK)
		return id;
	if (sb_contact_create(&id, p, admin, name) != SB_OK ||
	    sb_contact_add_address(&address, p, admin, id, SB_ADDRESS_PHONE, number) != SB_OK)
		return 0;
	return id;
}

/* Contacts tagged "Flu shot" get one text from the front desk (T9, T10):
 * a saved, shared filter picks them, and each copy lands in its own
 * conversation. Running the demo again finds the bulk message already sent. */
static int outreach_tour(sb_practice *p, sb_id fay)
{
	sb_id pat = patient(p, "Pat Doe", "+14155550123"), sam = patient(p, "Sam Lee", "+14155550130");
	sb_id front = 0, saved = 0, bulk = 0;
	sb_tag tags[SB_TAGS_PER_OBJECT_MAX];
	size_t n = 0;
	int rc = pat && sam ? sb_business_number_find(&front, p, admin, "+14155550100") : SB_ENOTFOUND;
	if (rc == SB_OK && sb_tag_add(p, admin, SB_TAGS_OF_CONTACT, pat, "Flu shot") == SB_OK)
		rc = sb_tag_add(p, admin, SB_TAGS_OF_CONTACT, sam, "Flu shot");
	if (rc == SB_OK)
		rc = sb_tags_of(tags, &n, p, admin, SB_TAGS_OF_CONTACT, sam);
	sb_filter flu;
	sb_filter_init(&flu, SB_FILTER_CONTACTS);
	flu.tag_count = 1;
	flu.tags[0] = n ? tags[0].id : 0;
	if (rc == SB_OK && sb_filter_save(&saved, p, admin, 0, "Flu shot patients", &flu) == SB_OK)
		printf("saved the shared filter \"Flu shot patients\" (filter %lld)\n", (long long)saved);
	sb_bulk b;
	if (rc == SB_OK && (rc = sb_bulk_list(&b, &n, p, admin, 0, 1)) == SB_OK && n == 0)
		rc = sb_bulk_create(&bulk, p, admin, front, "Flu shots are in! Reply YES to book yours.", &flu);
	printf("bulk message from the front desk to everyone tagged \"Flu shot\":\n");
	for (int step = 0; rc == SB_OK && bulk && step < 10; step++) { /* paced: one copy per call */
		if ((rc = sb_bulk_send(&b, p, admin, bulk, 1)) == SB_OK && b.pending == 0)
			break;
	}
	if (rc == SB_OK)
		printf("  bulk %lld: %zu recipients, %zu pending, %zu queued, %zu failed%s\n", (long long)b.id, b.recipients,
		       b.pending, b.queued, b.failed, bulk ? "" : " (sent on the first run)");
	sb_filter mine;
	sb_filter_init(&mine, SB_FILTER_CONVERSATIONS);
	mine.mailbox = SB_MAILBOX_TEAMMATE; /* owner 0: whoever runs it */
	sb_mailbox_entry e[5];
	if (rc == SB_OK && (rc = sb_filter_conversations(e, &n, p, fay, &mine, 0, 0, 5)) == SB_OK)
		printf("filter \"assigned to me\", run by Fay: %zu conversation(s)\n", n);
	if (rc != SB_OK)
		fprintf(stderr, "outreach tour failed: %s (%s)\n", sb_strerror(rc), sb_practice_errmsg(p));
	return rc;
}


/* The text after `marker` in the last text the carrier sent, n characters. */
static void from_last_text(const char *marker, size_t n, char *out)
{
	const char *at = strstr(last_text, marker);
	snprintf(out, n + 1, "%s", at ? at + strlen(marker) : "");
}

/* Sign up with the code the carrier texted: the patient types it in. */
static int sign_up(sb_practice *p, const sb_signup *s, sb_signup_result *r)
{
	sb_id signup = 0;
	char code[7];
	int rc = sb_signup_start(&signup, p, s);
	from_last_text("code is ", 6, code);
	if (rc == SB_OK)
		rc = sb_signup_verify(r, p, signup, code);
	if (rc == SB_OK)
		printf("  account %lld for contact %lld, secure conversation %lld: %s\n", (long long)r->account_id,
		       (long long)r->contact_id, (long long)r->conversation_id,
		       r->identity == SB_IDENTITY_VERIFIED ? "verified" : "unverified until a teammate confirms");
	return rc;
}

/* Secure messaging (L1–L6): the Maple Street link, an invitation Rosa
 * accepts with the code texted to her, a secure exchange, and a bare-link
 * sign-up landing unverified. A second run finds both signed up. */
static int secure_tour(sb_practice *p)
{
	sb_id rosa = patient(p, "Rosa Diaz", "+14155550140"), link = 0, front = 0, inv = 0, address, item;
	sb_invitation latest;
	sb_invitation_settings settings;
	sb_signup_result r;
	sb_signup s;
	size_t n = 0;
	char url[SB_LINK_URL_MAX], token[44];
	int rc = rosa ? sb_business_number_find(&front, p, admin, "+14155550100") : SB_ENOTFOUND;
	if (rc == SB_OK)
		rc = sb_link_base_set(p, admin, "https://maple-street.example/secure");
	if (rc == SB_OK && sb_link_find(&link, p, admin, "maple-street") == SB_ENOTFOUND)
		rc = sb_link_create(&link, p, admin, "Maple-Street", "Maple Street secure messaging");
	sb_invitation_settings_init(&settings);
	settings.sender = front;
	snprintf(settings.text, sizeof settings.text, "Maple Street Clinic invites you to message us securely:");
	if (rc == SB_OK)
		rc = sb_invitation_settings_set(p, admin, &settings);
	if (rc == SB_OK)
		rc = sb_link_url(url, sizeof url, p, admin, link);
	int width = 0;
	if (rc == SB_OK && sb_link_qr(NULL, 0, &width, p, admin, link) == SB_OK)
		printf("secure link %s (a %dx%d QR code)\n", url, width, width);
	if (rc == SB_OK)
		rc = sb_contact_invitations(&latest, &n, p, admin, rosa, 0, 1);
	if (rc == SB_OK && n && latest.state == SB_INVITATION_ACCEPTED) {
		printf("Rosa accepted her invitation on an earlier run\n");
	} else if (rc == SB_OK) {
		if (sb_contact_add_address(&address, p, admin, rosa, SB_ADDRESS_EMAIL, "rosa@mail.example") != SB_OK)
			address = 0; /* she has it already */
		printf("inviting Rosa (by text and e-mail):\n");
		rc = sb_invitation_send(&inv, p, admin, link, rosa);
		from_last_text("?invite=", 43, token);
		sb_signup_init(&s);
		s.token = token;
		s.mobile = "(415) 555-0140";
		printf("Rosa opens the link and types her mobile; the code comes by text:\n");
		if (rc == SB_OK)
			rc = sign_up(p, &s, &r);
		sb_secure_message m;
		sb_secure_message_init(&m);
		m.conversation = r.conversation_id;
		m.body = "Hi, is my lab work back?";
		if (rc == SB_OK)
			rc = sb_secure_send(&item, p, sb_patient_actor(r.account_id), &m);
		m.body = "Yes, all normal. Dr. Lee will call you tomorrow.";
		if (rc == SB_OK)
			rc = sb_secure_send(&item, p, admin, &m);
		sb_item items[4];
		if (rc == SB_OK)
			rc = sb_secure_messages(items, &n, p, sb_patient_actor(r.account_id), r.conversation_id, 0, 4);
		for (size_t i = n; rc == SB_OK && i-- > 0;)
			printf("  %s: %s\n", items[i].direction == SB_DIRECTION_INBOUND ? "Rosa" : "Dana", items[i].text);
	}
	sb_id lee = 0;
	if (rc == SB_OK && sb_contact_find(&lee, p, admin, SB_ADDRESS_PHONE, "+14155550150") == SB_OK) {
		printf("Lee signed up through the bare link on an earlier run\n");
	} else if (rc == SB_OK) {
		printf("Lee finds the link on the website and signs up without an invitation:\n");
		sb_signup_init(&s);
		s.slug = "maple-street";
		s.mobile = "415-555-0150";
		s.name = "Lee Park";
		rc = sign_up(p, &s, &r);
	}
	if (rc != SB_OK)
		fprintf(stderr, "secure tour failed: %s (%s)\n", sb_strerror(rc), sb_practice_errmsg(p));
	return rc;
}

/* Business hours and the night: Mon-Fri 8-17 and Sat 9-12 in New York,
 * closed for Thanksgiving; the after-hours reply and alert; a reminder
 * scheduled for the morning. A second handle on the same store keeps its
 * own clock, set to Tuesday 2026-11-24, 23:30 EST (04:30 UTC). */
#define NIGHT INT64_C(1795581000000)
#define MORNING (NIGHT + INT64_C(8) * 3600000 + INT64_C(30) * 60000) /* Wednesday 08:00 EST */

static int night_tour(sb_practice *day, const char *path, sb_carrier *carrier)
{
	sb_hours h;
	sb_hours_init(&h);
	snprintf(h.zone, sizeof h.zone, "America/New_York");
	for (int d = SB_MONDAY; d <= SB_FRIDAY; d++)
		h.spans[h.span_count++] = (sb_hours_span){d, 8 * 60, 17 * 60};
	h.spans[h.span_count++] = (sb_hours_span){SB_SATURDAY, 9 * 60, 12 * 60};
	h.closures[h.closure_count++] = (sb_closure){20261126, 20261127, "Thanksgiving"};
	sb_after_hours ah;
	sb_after_hours_init(&ah);
	ah.reply_on = ah.alert_on = 1;
	snprintf(ah.reply, sizeof ah.reply, "Maple Street Clinic is closed. We open at 8. In an emergency call 911.");
	snprintf(ah.alert_to, sizeof ah.alert_to, "oncall@maple.example, manager@maple.example");
	int rc = sb_hours_set(day, admin, 0, &h);
	if (rc == SB_OK)
		rc = sb_after_hours_set(day, admin, &ah);
	sb_clock clock = {SB_CLOCK_VERSION, NULL, night_clock};
	sb_practice_options o = SB_PRACTICE_OPTIONS_INIT;
	o.store_path = path;
	o.practice = "Maple Street Clinic";
	o.clock = &clock;
	o.carrier = carrier;
	sb_practice *p = NULL;
	night_now = NIGHT;
	if (rc == SB_OK)
		rc = sb_practice_open(&p, &o);
	sb_hours_status st;
	if (rc == SB_OK && (rc = sb_hours_at(&st, p, admin, 0, 0)) == SB_OK)
		printf("night: Tuesday 23:30 in New York: %s; opens again at %lld (Wednesday 08:00)\n",
		       st.open ? "open" : "closed", (long long)st.next_opening);
	sb_inbound_sms m;
	sb_inbound_sms_init(&m);
	m.from = "+14155550123";
	m.to = "+14155550100";
	m.body = "Is the clinic open tomorrow morning?";
	m.carrier_id = "SM-night-1";
	sb_delivery d;
	if (rc == SB_OK && (rc = sb_sms_receive(&d, p, &m)) == SB_OK)
		printf("  a text arrives after hours (conversation %lld)%s\n", (long long)d.conversation_id,
		       d.duplicate ? ": delivered before, answered before" : "");
	sb_scheduled_sms r;
	sb_scheduled_sms_init(&r);
	r.endpoint = 0;
	r.to = "+14155550123";
	r.body = "Reminder: your appointment at Maple Street Clinic is today at 10:00.";
	r.purpose = SB_PURPOSE_REMINDER;
	r.due_at = MORNING;
	r.idempotency_key = "appt-42-reminder";
	sb_id reminder = 0;
	if (rc == SB_OK)
		rc = sb_business_number_find(&r.endpoint, p, admin, "+14155550100");
	if (rc == SB_OK && (rc = sb_schedule_create(&reminder, p, admin, &r)) == SB_OK)
		printf("  reminder %lld scheduled for Wednesday 08:00\n", (long long)reminder);
	sb_pump_report pr;
	night_now = MORNING;
	if (rc == SB_OK && (rc = sb_schedule_pump(&pr, p, 10)) == SB_OK)
		printf("  08:00, the pump runs: %zu sent, %zu missed\n", pr.sent, pr.missed);
	sb_scheduled got;
	if (rc == SB_OK && (rc = sb_schedule_get(&got, p, admin, reminder)) == SB_OK)
		printf("  reminder %lld is %s\n", (long long)reminder, got.state == SB_SCHEDULE_SENT ? "sent" : "not sent");
	if (rc != SB_OK)
		fprintf(stderr, "night tour failed: %s (%s)\n", sb_strerror(rc), sb_practice_errmsg(p ? p : day));
	sb_practice_free(p);
	return rc;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "switchboard-demo.db";
	printf("switchboard %s\n", sb_version_string());

	sb_practice_options opts = SB_PRACTICE_OPTIONS_INIT;
	opts.store_path = path;
	opts.practice = "Maple Street Clinic";
	sb_carrier carrier = {SB_CARRIER_VERSION, NULL, demo_send_sms, demo_send_email, NULL, NULL, NULL, NULL, NULL, NULL,
	                      NULL, NULL, demo_timer_start, NULL};
	opts.carrier = &carrier;
	sb_practice *p = NULL;
	int rc = sb_practice_open(&p, &opts);
	if (rc != SB_OK) {
		fprintf(stderr, "cannot open %s: %s (%s)\n", path, sb_strerror(rc), sb_practice_errmsg(p));
		sb_practice_free(p);
		return 1;
	}
	printf("store %s: practice \"%s\" is id %lld\n", path, opts.practice, (long long)sb_practice_id(p));
	admin = teammate(p, SB_ACTOR_SYSTEM, "Dana (admin)", "+1 415 555 0190");
	sb_id eli = teammate(p, admin, "Eli", "+1 415 555 0191"), fay = teammate(p, admin, "Fay", "+1 415 555 0192");
	printf("teammates: Dana %lld (admin), Eli %lld, Fay %lld\n", (long long)admin, (long long)eli, (long long)fay);
	rc = admin && eli && fay ? messaging_tour(p) : SB_ESTATE;
	if (rc == SB_OK)
		rc = team_tour(p, eli, fay);
	if (rc == SB_OK)
		rc = outreach_tour(p, fay);
	if (rc == SB_OK)
		rc = secure_tour(p);
	if (rc == SB_OK)
		rc = night_tour(p, path, &carrier);
	if (rc == SB_OK) {
		printf("mailboxes:\n");
		print_mailboxes(p, admin, "Dana");
		print_mailboxes(p, eli, "Eli");
		print_mailboxes(p, fay, "Fay");
		rc = report(p);
	}
	printf("phone numbers as typed:\n");
	phone_examples();
	sb_practice_free(p);
	return rc == SB_OK ? 0 : 1;
}
