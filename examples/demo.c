/*
 * demo: open (or create) switchboard-demo.db, say which library is running,
 * then a patient texts two business numbers, the front desk replies, the
 * carrier reports delivery, the patient is saved with a second number and
 * the contact card is printed. Running it again changes nothing (every
 * event is idempotent). Later features grow this into a simulated clinic day.
 *
 *   demo [path]     (default: switchboard-demo.db in the current directory)
 */
#include <stdio.h>
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
static int demo_send_sms(void *userdata, const sb_sms *sms, char *out_id, size_t cap)
{
	(void)userdata;
	printf("  carrier: text from %s to %s: \"%s\"\n", sms->from, sms->to, sms->body);
	snprintf(out_id, cap, "SM-demo-%s", sms->idempotency_key);
	return 0;
}

/* The business number for `number`, created on the first run. */
static sb_id business_number(sb_practice *p, const char *number, const char *label)
{
	sb_id id = 0;
	if (sb_business_number_find(&id, p, 1, number) != SB_OK)
		sb_business_number_create(&id, p, 1, number, label);
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
	if (sb_contact_get(&c, p, 1, contact) != SB_OK || sb_contact_addresses(a, &na, p, 1, contact, 8) != SB_OK ||
	    sb_contact_conversations(card, &n, p, 1, contact, 0, 10) != SB_OK)
		return;
	printf("contact card: %s\n", c.name);
	for (size_t i = 0; i < na; i++)
		printf("  number %s\n", a[i].value);
	for (size_t i = 0; i < n; i++) {
		sb_item items[3];
		size_t k = 0;
		sb_timeline_page(items, &k, p, 1, card[i].id, 0, 3);
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
	sb_id front = business_number(p, "+1 415 555 0100", "Front desk");
	sb_id billing = business_number(p, "+1 415 555 0101", "Billing");
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
		rc = sb_sms_send(&sent, p, 1, &reply);
	int applied = 0;
	if (rc == SB_OK && sent.carrier_id[0])
		rc = sb_sms_status(&applied, p, sent.carrier_id, SB_STATUS_DELIVERED, NULL);
	if (rc == SB_OK)
		printf("  delivery report for %s: %s\n", sent.carrier_id, applied ? "delivered" : "already recorded");
	sb_id second;
	if (rc == SB_OK)
		rc = sb_contact_save(p, 1, a.contact_id, "Pat Doe");
	if (rc == SB_OK && sb_contact_add_address(&second, p, 1, a.contact_id, SB_ADDRESS_PHONE, "415-555-0124") == SB_OK)
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

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "switchboard-demo.db";
	printf("switchboard %s\n", sb_version_string());

	sb_practice_options opts = SB_PRACTICE_OPTIONS_INIT;
	opts.store_path = path;
	opts.practice = "Maple Street Clinic";
	sb_carrier carrier = {SB_CARRIER_VERSION, NULL, demo_send_sms, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	                      NULL, NULL};
	opts.carrier = &carrier;
	sb_practice *p = NULL;
	int rc = sb_practice_open(&p, &opts);
	if (rc != SB_OK) {
		fprintf(stderr, "cannot open %s: %s (%s)\n", path, sb_strerror(rc), sb_practice_errmsg(p));
		sb_practice_free(p);
		return 1;
	}
	printf("store %s: practice \"%s\" is id %lld\n", path, opts.practice, (long long)sb_practice_id(p));
	rc = messaging_tour(p);
	if (rc == SB_OK)
		rc = report(p);
	printf("phone numbers as typed:\n");
	phone_examples();
	sb_practice_free(p);
	return rc == SB_OK ? 0 : 1;
}
