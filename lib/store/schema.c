/*
 * The schema, as migrations. DDL is written once with the dialect tokens
 * (dialect.h); statements only one engine understands carry a dialect.
 * A migration is never edited once released: a change is a new migration.
 */
#include "schema.h"

#include "dialect.h"
#include "switchboard/errors.h"

typedef struct ddl {
	int dialect; /* 0: every engine */
	const char *sql;
} ddl;

typedef struct migration {
	int version;
	const ddl *steps;
} migration;

static const ddl v1[] = {
	{0, "CREATE TABLE sb_practice ("
	    " id {id},"
	    " name TEXT NOT NULL UNIQUE,"
	    " created_at BIGINT NOT NULL,"
	    " key_id BIGINT NOT NULL,"         /* selects this practice's subkeys */
	    " key_check {blob},"               /* sealed constant; NULL without a key */
	    " audit_seq BIGINT NOT NULL DEFAULT 0,"
	    " audit_head {blob})"},            /* hash of the last audit row */
	{0, "CREATE TABLE sb_audit ("
	    " practice_id BIGINT NOT NULL REFERENCES sb_practice(id),"
	    " seq BIGINT NOT NULL,"
	    " at BIGINT NOT NULL,"
	    " actor BIGINT NOT NULL,"
	    " action TEXT NOT NULL,"
	    " object_kind TEXT NOT NULL,"
	    " object_id BIGINT NOT NULL,"
	    " prev_hash {blob} NOT NULL,"
	    " hash {blob} NOT NULL,"
	    " PRIMARY KEY (practice_id, seq))"},
	{SB_STORE_DIALECT_SQLITE,
	 "CREATE TRIGGER sb_audit_no_update BEFORE UPDATE ON sb_audit"
	 " BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"},
	{SB_STORE_DIALECT_SQLITE,
	 "CREATE TRIGGER sb_audit_no_delete BEFORE DELETE ON sb_audit"
	 " BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"},
	{SB_STORE_DIALECT_POSTGRES,
	 "CREATE FUNCTION sb_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS"
	 " $$BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END$$"},
	{SB_STORE_DIALECT_POSTGRES,
	 "CREATE TRIGGER sb_audit_no_change BEFORE UPDATE OR DELETE ON sb_audit"
	 " FOR EACH ROW EXECUTE FUNCTION sb_audit_refuse()"},
	{SB_STORE_DIALECT_POSTGRES,
	 "CREATE TRIGGER sb_audit_no_truncate BEFORE TRUNCATE ON sb_audit"
	 " FOR EACH STATEMENT EXECUTE FUNCTION sb_audit_refuse()"},
	{0, NULL},
};

/* Endpoints (business numbers now, secure links later). */
static const ddl v2[] = {
	{0, "CREATE TABLE sb_endpoint ("
	    " id {id},"
	    " practice_id BIGINT NOT NULL REFERENCES sb_practice(id),"
	    " kind BIGINT NOT NULL,"
	    " address TEXT NOT NULL,"           /* E.164, or a link slug */
	    " label TEXT NOT NULL,"
	    " owner_kind BIGINT NOT NULL DEFAULT 0,"
	    " owner_id BIGINT NOT NULL DEFAULT 0,"
	    " auto_assign BIGINT NOT NULL DEFAULT 0,"
	    " ring_mode BIGINT NOT NULL DEFAULT 0,"
	    " ring_timeout_ms BIGINT NOT NULL DEFAULT 0,"
	    " created_at BIGINT NOT NULL,"
	    " retired_at BIGINT)"},
	/* An address is unique among the active endpoints; retired ones keep theirs. */
	{0, "CREATE UNIQUE INDEX sb_endpoint_active ON sb_endpoint (practice_id, kind, address)"
	    " WHERE retired_at IS NULL"},
	{0, "CREATE INDEX sb_endpoint_by_kind ON sb_endpoint (practice_id, kind, id)"},
	{0, NULL},
};

/* Contacts. Names, notes and address values are PHI: sealed bytes with a
 * key, UTF-8 bytes without. Addresses are found by their blind index. */
static const ddl v3[] = {
	{0, "CREATE TABLE sb_contact ("
	    " id {id},"
	    " practice_id BIGINT NOT NULL REFERENCES sb_practice(id),"
	    " saved BIGINT NOT NULL DEFAULT 0,"
	    " name {blob},"
	    " notes {blob},"
	    " created_at BIGINT NOT NULL,"
	    " updated_at BIGINT NOT NULL)"},
	{0, "CREATE INDEX sb_contact_by_practice ON sb_contact (practice_id, id)"},
	{0, "CREATE TABLE sb_contact_address ("
	    " id {id},"
	    " practice_id BIGINT NOT NULL REFERENCES sb_practice(id),"
	    " contact_id BIGINT NOT NULL REFERENCES sb_contact(id),"
	    " kind BIGINT NOT NULL,"
	    " lookup {blob} NOT NULL,"          /* blind index of the normalised value */
	    " value {blob},"                    /* sealed; set right after the insert (it seals to the row id) */
	    " added_at BIGINT NOT NULL)"},
	/* One holder per number or e-mail in a practice. */
	{0, "CREATE UNIQUE INDEX sb_contact_address_lookup ON sb_contact_address (practice_id, kind, lookup)"},
	{0, "CREATE INDEX sb_contact_address_by_contact ON sb_contact_address (contact_id, id)"},
	/* Blind-indexed prefixes of the words of saved names (lib/terms.h). */
	{0, "CREATE TABLE sb_contact_term ("
	    " practice_id BIGINT NOT NULL REFERENCES sb_practice(id),"
	    " term {blob} NOT NULL,"
	    " contact_id BIGINT NOT NULL REFERENCES sb_contact(id),"
	    " PRIMARY KEY (practice_id, term, contact_id))"},
	{0, "CREATE INDEX sb_contact_term_by_contact ON sb_contact_term (contact_id)"},
	{0, NULL},
};

/* Conversations and their timelines. The external number is PHI: sealed,
 * found through the same blind index as contact numbers, so a contact's
 * numbers join its conversations without a stored contact id (adding,
 * moving or merging a number moves its conversations with it). */
static const ddl v4[] = {
	{0, "CREATE TABLE sb_conversation ("
	    " id {id},"
	    " practice_id BIGINT NOT NULL REFERENCES sb_practice(id),"
	    " kind BIGINT NOT NULL,"
	    " endpoint_id BIGINT NOT NULL REFERENCES sb_endpoint(id),"
	    " external_lookup {blob} NOT NULL,"  /* blind index of the external number */
	    " external {blob},"                  /* sealed; set right after the insert */
	    " closed_at BIGINT,"                 /* NULL while open */
	    " inbound_count BIGINT NOT NULL DEFAULT 0," /* inbound items so far */
	    " read_count BIGINT NOT NULL DEFAULT 0,"    /* inbound items someone has read */
	    " last_item_at BIGINT NOT NULL,"
	    " created_at BIGINT NOT NULL)"},
	/* One conversation per pair (C1, C2). */
	{0, "CREATE UNIQUE INDEX sb_conversation_pair ON sb_conversation (practice_id, endpoint_id, external_lookup)"},
	/* A contact's card: its numbers' conversations. */
	{0, "CREATE INDEX sb_conversation_by_external ON sb_conversation (practice_id, external_lookup, id)"},
	/* The unread badge: open conversations with unread inbound items. */
	{0, "CREATE INDEX sb_conversation_unread ON sb_conversation (practice_id, id)"
	    " WHERE closed_at IS NULL AND inbound_count > read_count"},
	{0, "CREATE TABLE sb_regarding ("
	    " conversation_id BIGINT NOT NULL REFERENCES sb_conversation(id),"
	    " contact_id BIGINT NOT NULL REFERENCES sb_contact(id),"
	    " PRIMARY KEY (conversation_id, contact_id))"},
	{0, "CREATE INDEX sb_regarding_by_contact ON sb_regarding (contact_id, conversation_id)"},
	/* How far each teammate has read (C13). */
	{0, "CREATE TABLE sb_read_mark ("
	    " conversation_id BIGINT NOT NULL REFERENCES sb_conversation(id),"
	    " teammate_id BIGINT NOT NULL,"
	    " read_count BIGINT NOT NULL,"
	    " PRIMARY KEY (conversation_id, teammate_id))"},
	{0, "CREATE TABLE sb_item ("
	    " id {id},"
	    " practice_id BIGINT NOT NULL REFERENCES sb_practice(id),"
	    " conversation_id BIGINT NOT NULL REFERENCES sb_conversation(id),"
	    " kind BIGINT NOT NULL,"
	    " direction BIGINT NOT NULL,"
	    " occurred_at BIGINT NOT NULL,"
	    " author BIGINT NOT NULL,"
	    " body {blob},"                      /* sealed text, note or transcript */
	    " status BIGINT NOT NULL DEFAULT 0,"
	    " carrier_id TEXT,"
	    " idempotency_key TEXT,"
	    " segments BIGINT NOT NULL DEFAULT 0,"
	    " duration_ms BIGINT NOT NULL DEFAULT 0,"
	    " outcome BIGINT NOT NULL DEFAULT 0,"
	    " media_ref {blob},"                 /* sealed host media reference */
	    " attachments BIGINT NOT NULL DEFAULT 0,"
	    " error TEXT)"},
	/* A carrier event is taken once per direction (C15); status reports find their message. */
	{0, "CREATE UNIQUE INDEX sb_item_carrier ON sb_item (practice_id, direction, carrier_id)"
	    " WHERE carrier_id IS NOT NULL"},
	{0, "CREATE UNIQUE INDEX sb_item_idempotency ON sb_item (practice_id, idempotency_key)"
	    " WHERE idempotency_key IS NOT NULL"},
	{0, "CREATE INDEX sb_item_timeline ON sb_item (conversation_id, occurred_at, id)"},
	/* Attachments of items, and the practice's library (item_id NULL). */
	{0, "CREATE TABLE sb_attachment ("
	    " id {id},"
	    " practice_id BIGINT NOT NULL REFERENCES sb_practice(id),"
	    " item_id BIGINT REFERENCES sb_item(id),"
	    " content_type TEXT NOT NULL,"
	    " file_name {blob} NOT NULL,"        /* sealed */
	    " size BIGINT NOT NULL,"
	    " data {blob},"                      /* sealed bytes, or NULL */
	    " media_ref {blob},"                 /* sealed host reference, or NULL */
	    " created_at BIGINT NOT NULL)"},
	{0, "CREATE INDEX sb_attachment_by_item ON sb_attachment (item_id, id)"},
	{0, "CREATE INDEX sb_attachment_library ON sb_attachment (practice_id, id) WHERE item_id IS NULL"},
	{0, NULL},
};

/* Team workflows: teammates, teams, endpoint membership, mailboxes (T1-T8). */
static const ddl v5[] = {
	/* Practice settings (T1, T3). */
	{0, "ALTER TABLE sb_practice ADD COLUMN assignment_on BIGINT NOT NULL DEFAULT 1"},
	{0, "ALTER TABLE sb_practice ADD COLUMN plan TEXT NOT NULL DEFAULT ''"},
	{0, "ALTER TABLE sb_practice ADD COLUMN billing_email TEXT NOT NULL DEFAULT ''"},
	{0, "CREATE TABLE sb_teammate ("
	    " id {id},"
	    " practice_id BIGINT NOT NULL REFERENCES sb_practice(id),"
	    " name TEXT NOT NULL,"
	    " login_phone TEXT,"                 /* E.164, for calls from any phone (V3) */
	    " admin BIGINT NOT NULL DEFAULT 0,"
	    " status BIGINT NOT NULL,"           /* an sb_teammate_status */
	    " created_at BIGINT NOT NULL,"
	    " removed_at BIGINT)"},
	{0, "CREATE INDEX sb_teammate_by_practice ON sb_teammate (practice_id, id)"},
	/* A login phone names one teammate, so a call from it names its caller. */
	{0, "CREATE UNIQUE INDEX sb_teammate_login ON sb_teammate (practice_id, login_phone)"
	    " WHERE removed_at IS NULL AND login_phone IS NOT NULL"},
	/* The numbers that ring for a teammate (V4), in order. */
	{0, "CREATE TABLE sb_teammate_ring ("
	    " teammate_id BIGINT NOT NULL REFERENCES sb_teammate(id),"
	    " position BIGINT NOT NULL,"
	    " number TEXT NOT NULL,"
	    " PRIMARY KEY (teammate_id, position))"},
	{0, "CREATE TABLE sb_team ("
	    " id {id},"
	    " practice_id BIGINT NOT NULL REFERENCES sb_practice(id),"
	    " name TEXT NOT NULL,"
	    " name_key TEXT NOT NULL,"           /* case-folded, for uniqueness */
	    " created_at BIGINT NOT NULL,"
	    " deleted_at BIGINT)"},              /* kept, so history naming the team reads */
	{0, "CREATE UNIQUE INDEX sb_team_name ON sb_team (practice_id, name_key) WHERE deleted_at IS NULL"},
	{0, "CREATE INDEX sb_team_by_practice ON sb_team (practice_id, id) WHERE deleted_at IS NULL"},
	{0, "CREATE TABLE sb_team_member ("
	    " team_id BIGINT NOT NULL REFERENCES sb_team(id),"
	    " teammate_id BIGINT NOT NULL REFERENCES sb_teammate(id),"
	    " PRIMARY KEY (team_id, teammate_id))"},
	{0, "CREATE INDEX sb_team_member_by_teammate ON sb_team_member (teammate_id, team_id)"},
	/* Additional members of an endpoint (T8); the owner is on the endpoint. */
	{0, "CREATE TABLE sb_endpoint_member ("
	    " endpoint_id BIGINT NOT NULL REFERENCES sb_endpoint(id),"
	    " teammate_id BIGINT NOT NULL REFERENCES sb_teammate(id),"
	    " PRIMARY KEY (endpoint_id, teammate_id))"},
	{0, "CREATE INDEX sb_endpoint_member_by_teammate ON sb_endpoint_member (teammate_id, endpoint_id)"},
	/* The mailbox a conversation sits in (T3): an sb_mailbox_kind and its
	 * teammate or team. Closed conversations sit in the closed box. */
	{0, "ALTER TABLE sb_conversation ADD COLUMN box_kind BIGINT NOT NULL DEFAULT 0"},
	{0, "ALTER TABLE sb_conversation ADD COLUMN box_owner BIGINT NOT NULL DEFAULT 0"},
	{0, "UPDATE sb_conversation SET box_kind = 3 WHERE closed_at IS NOT NULL"},
	/* A mailbox page, newest activity first. */
	{0, "CREATE INDEX sb_conversation_box ON sb_conversation (practice_id, box_kind, box_owner, last_item_at, id)"},
	/* Unread counts per mailbox touch only unread conversations. */
	{0, "DROP INDEX sb_conversation_unread"},
	{0, "CREATE INDEX sb_conversation_unread ON sb_conversation (practice_id, box_kind, box_owner, endpoint_id)"
	    " WHERE inbound_count > read_count"},
	/* Timeline events (assignment, close, reopen): what happened and to which mailbox. */
	{0, "ALTER TABLE sb_item ADD COLUMN event BIGINT NOT NULL DEFAULT 0"},
	{0, "ALTER TABLE sb_item ADD COLUMN event_box_kind BIGINT NOT NULL DEFAULT 0"},
	{0, "ALTER TABLE sb_item ADD COLUMN event_box_owner BIGINT NOT NULL DEFAULT 0"},
	/* Tags (T7): contact and conversation tags are separate sets (kind). */
	{0, "CREATE TABLE sb_tag ("
	    " id {id},"
	    " practice_id BIGINT NOT NULL REFERENCES sb_practice(id),"
	    " kind BIGINT NOT NULL,"             /* an sb_tag_kind */
	    " name TEXT NOT NULL,"
	    " name_key TEXT NOT NULL,"
	    " created_at BIGINT NOT NULL)"},
	{0, "CREATE UNIQUE INDEX sb_tag_name ON sb_tag (practice_id, kind, name_key)"},
	{0, "CREATE INDEX sb_tag_by_practice ON sb_tag (practice_id, kind, id)"},
	{0, "CREATE TABLE sb_contact_tag ("
	    " contact_id BIGINT NOT NULL REFERENCES sb_contact(id),"
	    " tag_id BIGINT NOT NULL REFERENCES sb_tag(id),"
	    " PRIMARY KEY (contact_id, tag_id))"},
	{0, "CREATE INDEX sb_contact_tag_by_tag ON sb_contact_tag (tag_id, contact_id)"},
	{0, "CREATE TABLE sb_conversation_tag ("
	    " conversation_id BIGINT NOT NULL REFERENCES sb_conversation(id),"
	    " tag_id BIGINT NOT NULL REFERENCES sb_tag(id),"
	    " PRIMARY KEY (conversation_id, tag_id))"},
	{0, "CREATE INDEX sb_conversation_tag_by_tag ON sb_conversation_tag (tag_id, conversation_id)"},
	{0, "CREATE TABLE sb_endpoint_tag ("
	    " endpoint_id BIGINT NOT NULL REFERENCES sb_endpoint(id),"
	    " tag_id BIGINT NOT NULL REFERENCES sb_tag(id),"
	    " PRIMARY KEY (endpoint_id, tag_id))"},
	{0, NULL},
};

/* Filters and bulk messages (T9, T10). */
static const ddl v6[] = {
	/* Saved filters: criteria as columns (sb_filter), tags in order. */
	{0, "CREATE TABLE sb_filter ("
	    " id {id},"
	    " practice_id BIGINT NOT NULL REFERENCES sb_practice(id),"
	    " owner BIGINT NOT NULL,"            /* the teammate; 0: shared with the practice */
	    " created_by BIGINT NOT NULL,"
	    " name TEXT NOT NULL,"
	    " name_key TEXT NOT NULL,"
	    " kind BIGINT NOT NULL,"
	    " mailbox BIGINT NOT NULL,"
	    " mailbox_owner BIGINT NOT NULL,"
	    " endpoint_id BIGINT NOT NULL,"
	    " conversation_kind BIGINT NOT NULL,"
	    " unread BIGINT NOT NULL,"
	    " status BIGINT NOT NULL,"
	    " invitation BIGINT NOT NULL,"
	    " account BIGINT NOT NULL,"
	    " tag_match BIGINT NOT NULL,"
	    " created_at BIGINT NOT NULL,"
	    " updated_at BIGINT NOT NULL)"},
	{0, "CREATE UNIQUE INDEX sb_filter_name ON sb_filter (practice_id, owner, name_key)"},
	{0, "CREATE INDEX sb_filter_by_owner ON sb_filter (practice_id, owner, id)"},
	{0, "CREATE TABLE sb_filter_tag ("
	    " filter_id BIGINT NOT NULL REFERENCES sb_filter(id),"
	    " position BIGINT NOT NULL,"
	    " tag_id BIGINT NOT NULL REFERENCES sb_tag(id),"
	    " PRIMARY KEY (filter_id, position))"},
	/* Conversation filters without a mailbox page newest activity first. */
	{0, "CREATE INDEX sb_conversation_recent ON sb_conversation (practice_id, last_item_at, id)"},
	/* Contact criteria the links issue keeps up to date: the latest
	 * invitation's state (0 never invited, 1 pending, 2 accepted, 3 expired,
	 * 4 revoked) and whether the contact has a patient account. */
	{0, "ALTER TABLE sb_contact ADD COLUMN invitation BIGINT NOT NULL DEFAULT 0"},
	{0, "ALTER TABLE sb_contact ADD COLUMN has_account BIGINT NOT NULL DEFAULT 0"},
	/* An outbound message's carrier call: NULL while the first is under way
	 * (since occurred_at), the time a retry claimed it, 0 once the carrier
	 * answered. A QUEUED row whose call has been under way for
	 * SB_OUTBOX_STALE_MS lost its sender: it is stale and may be sent again. */
	{0, "ALTER TABLE sb_item ADD COLUMN attempt_at BIGINT"},
	/* Bulk messages: the body (PHI, sealed with a key) and who gets a copy. */
	{0, "CREATE TABLE sb_bulk ("
	    " id {id},"
	    " practice_id BIGINT NOT NULL REFERENCES sb_practice(id),"
	    " endpoint_id BIGINT NOT NULL REFERENCES sb_endpoint(id),"
	    " created_by BIGINT NOT NULL,"
	    " body {blob},"                      /* sealed; set right after the insert */
	    " recipients BIGINT NOT NULL DEFAULT 0,"
	    " created_at BIGINT NOT NULL)"},
	{0, "CREATE INDEX sb_bulk_by_practice ON sb_bulk (practice_id, id)"},
	{0, "CREATE TABLE sb_bulk_recipient ("
	    " bulk_id BIGINT NOT NULL REFERENCES sb_bulk(id),"
	    " contact_id BIGINT NOT NULL,"       /* no reference: a merged contact's copy stays listed */
	    " state BIGINT NOT NULL,"            /* an sb_bulk_state */
	    " item_id BIGINT,"                   /* its copy, once stored */
	    " PRIMARY KEY (bulk_id, contact_id))"},
	/* The next recipients to send to, in contact order. */
	{0, "CREATE INDEX sb_bulk_recipient_state ON sb_bulk_recipient (bulk_id, state, contact_id)"},
	{0, NULL},
};

/* Business hours, after-hours replies and alerts, scheduled texts (A1–A3). */
static const ddl v7[] = {
	/* One set of hours per practice (endpoint_id 0) or business number. */
	{0, "CREATE TABLE sb_hours ("
	    " id {id},"
	    " practice_id BIGINT NOT NULL REFERENCES sb_practice(id),"
	    " endpoint_id BIGINT NOT NULL,"
	    " zone TEXT NOT NULL,"
	    " updated_at BIGINT NOT NULL)"},
	{0, "CREATE UNIQUE INDEX sb_hours_owner ON sb_hours (practice_id, endpoint_id)"},
	{0, "CREATE TABLE sb_hours_span ("
	    " hours_id BIGINT NOT NULL REFERENCES sb_hours(id),"
	    " position BIGINT NOT NULL,"
	    " day BIGINT NOT NULL,"
	    " open_minute BIGINT NOT NULL,"
	    " close_minute BIGINT NOT NULL,"
	    " PRIMARY KEY (hours_id, position))"},
	{0, "CREATE TABLE sb_hours_closure ("
	    " hours_id BIGINT NOT NULL REFERENCES sb_hours(id),"
	    " position BIGINT NOT NULL,"
	    " first_date BIGINT NOT NULL,"
	    " last_date BIGINT NOT NULL,"
	    " label TEXT NOT NULL,"
	    " PRIMARY KEY (hours_id, position))"},
	/* The after-hours settings (not PHI). */
	{0, "ALTER TABLE sb_practice ADD COLUMN after_hours_reply_on BIGINT NOT NULL DEFAULT 0"},
	{0, "ALTER TABLE sb_practice ADD COLUMN after_hours_reply TEXT NOT NULL DEFAULT ''"},
	{0, "ALTER TABLE sb_practice ADD COLUMN after_hours_alert_on BIGINT NOT NULL DEFAULT 0"},
	{0, "ALTER TABLE sb_practice ADD COLUMN after_hours_alert_to TEXT NOT NULL DEFAULT ''"},
	/* A conversation's closed period: stored with the inbound text that
	 * opened it, so its reply and alerts are an outbox no crash loses. The
	 * unique key is "once per conversation per closed period". */
	{0, "CREATE TABLE sb_after_hours ("
	    " id {id},"
	    " practice_id BIGINT NOT NULL REFERENCES sb_practice(id),"
	    " conversation_id BIGINT NOT NULL REFERENCES sb_conversation(id),"
	    " period BIGINT NOT NULL,"           /* the closed period's end: the next opening (ms), 0: none ahead */
	    " item_id BIGINT NOT NULL,"          /* the inbound text that opened it */
	    " created_at BIGINT NOT NULL,"
	    " reply_state BIGINT NOT NULL,"      /* an sb_notice_state; 0: no reply was due */
	    " reply_item_id BIGINT)"},
	{0, "CREATE UNIQUE INDEX sb_after_hours_once ON sb_after_hours (conversation_id, period)"},
	{0, "CREATE INDEX sb_after_hours_reply ON sb_after_hours (practice_id, reply_state, id)"},
	{0, "CREATE INDEX sb_after_hours_by_practice ON sb_after_hours (practice_id, id)"},
	{0, "CREATE TABLE sb_alert ("
	    " id {id},"
	    " practice_id BIGINT NOT NULL REFERENCES sb_practice(id),"
	    " after_hours_id BIGINT NOT NULL REFERENCES sb_after_hours(id),"
	    " recipient TEXT NOT NULL,"
	    " state BIGINT NOT NULL,"            /* an sb_notice_state */
	    " attempts BIGINT NOT NULL DEFAULT 0,"
	    " attempt_at BIGINT,"                /* the carrier call under way since, as sb_item.attempt_at */
	    " carrier_id TEXT,"
	    " error TEXT)"},
	{0, "CREATE INDEX sb_alert_state ON sb_alert (practice_id, state, id)"},
	{0, "CREATE INDEX sb_alert_of ON sb_alert (after_hours_id, id)"},
	/* Scheduled texts: recipient and body are PHI, sealed with a key. */
	{0, "CREATE TABLE sb_schedule ("
	    " id {id},"
	    " practice_id BIGINT NOT NULL REFERENCES sb_practice(id),"
	    " endpoint_id BIGINT NOT NULL REFERENCES sb_endpoint(id),"
	    " contact_id BIGINT,"                /* or the number in `recipient` */
	    " recipient {blob},"
	    " body {blob},"
	    " purpose BIGINT NOT NULL,"
	    " due_at BIGINT NOT NULL,"
	    " expires_at BIGINT NOT NULL,"
	    " state BIGINT NOT NULL,"            /* an sb_schedule_state */
	    " host_key TEXT,"                    /* the host's idempotency key for the scheduling */
	    " created_by BIGINT NOT NULL,"
	    " created_at BIGINT NOT NULL,"
	    " updated_at BIGINT NOT NULL,"
	    " claimed_at BIGINT,"                /* a pump took it to send */
	    " item_id BIGINT)"},                 /* the message it became */
	{0, "CREATE INDEX sb_schedule_due ON sb_schedule (practice_id, state, due_at, id)"},
	{0, "CREATE INDEX sb_schedule_by_due ON sb_schedule (practice_id, due_at, id)"},
	{0, "CREATE UNIQUE INDEX sb_schedule_key ON sb_schedule (practice_id, host_key)"},
	{0, NULL},
};

/* Secure links, invitations, patient accounts, secure conversations (L1–L6). */
static const ddl v8[] = {
	/* The practice's link base URL, invitation text and lifetime, the
	 * business number that texts invitations and codes, and the window
	 * that bounds wrong invitation tokens. */
	{0, "ALTER TABLE sb_practice ADD COLUMN link_base TEXT NOT NULL DEFAULT ''"},
	{0, "ALTER TABLE sb_practice ADD COLUMN invitation_text TEXT NOT NULL DEFAULT ''"},
	{0, "ALTER TABLE sb_practice ADD COLUMN invitation_ttl_ms BIGINT NOT NULL DEFAULT 0"},
	{0, "ALTER TABLE sb_practice ADD COLUMN secure_sender BIGINT NOT NULL DEFAULT 0"},
	{0, "ALTER TABLE sb_practice ADD COLUMN token_window_at BIGINT NOT NULL DEFAULT 0"},
	{0, "ALTER TABLE sb_practice ADD COLUMN token_failures BIGINT NOT NULL DEFAULT 0"},
	/* A patient account: its verified mobile (and e-mail) sealed, found by
	 * blind index; the contact it is matched to; its identity status (L5). */
	{0, "CREATE TABLE sb_account ("
	    " id {id},"
	    " practice_id BIGINT NOT NULL REFERENCES sb_practice(id),"
	    " contact_id BIGINT NOT NULL REFERENCES sb_contact(id),"
	    " phone_lookup {blob} NOT NULL,"
	    " phone {blob},"
	    " email_lookup {blob},"
	    " email {blob},"
	    " identity BIGINT NOT NULL,"          /* an sb_identity */
	    " confirmed_by BIGINT NOT NULL DEFAULT 0,"
	    " confirmed_at BIGINT NOT NULL DEFAULT 0,"
	    " created_at BIGINT NOT NULL)"},
	{0, "CREATE UNIQUE INDEX sb_account_phone ON sb_account (practice_id, phone_lookup)"},
	{0, "CREATE INDEX sb_account_by_contact ON sb_account (contact_id, id)"},
	/* Invitations: the token is kept only as its keyed hash. */
	{0, "CREATE TABLE sb_invitation ("
	    " id {id},"
	    " practice_id BIGINT NOT NULL REFERENCES sb_practice(id),"
	    " endpoint_id BIGINT NOT NULL REFERENCES sb_endpoint(id),"
	    " contact_id BIGINT NOT NULL REFERENCES sb_contact(id),"
	    " round_id BIGINT NOT NULL DEFAULT 0,"
	    " token_lookup {blob} NOT NULL,"
	    " state BIGINT NOT NULL,"             /* an sb_invitation_state */
	    " created_by BIGINT NOT NULL,"
	    " created_at BIGINT NOT NULL,"
	    " expires_at BIGINT NOT NULL,"
	    " ended_at BIGINT NOT NULL DEFAULT 0," /* accepted, expired or revoked at */
	    " sms_item_id BIGINT NOT NULL DEFAULT 0,"
	    " emailed BIGINT NOT NULL DEFAULT 0,"
	    " account_id BIGINT NOT NULL DEFAULT 0)"},
	{0, "CREATE UNIQUE INDEX sb_invitation_token ON sb_invitation (practice_id, token_lookup)"},
	{0, "CREATE INDEX sb_invitation_by_contact ON sb_invitation (contact_id, id)"},
	/* One copy per contact per round (L2's bulk re-invite). */
	{0, "CREATE UNIQUE INDEX sb_invitation_once ON sb_invitation (round_id, contact_id) WHERE round_id <> 0"},
	{0, "CREATE TABLE sb_invitation_round ("
	    " id {id},"
	    " practice_id BIGINT NOT NULL REFERENCES sb_practice(id),"
	    " host_key TEXT NOT NULL,"
	    " endpoint_id BIGINT NOT NULL,"
	    " created_by BIGINT NOT NULL,"
	    " created_at BIGINT NOT NULL)"},
	{0, "CREATE UNIQUE INDEX sb_invitation_round_key ON sb_invitation_round (practice_id, host_key)"},
	/* A sign-up waiting for its 6-digit code (L3): the code only as a keyed
	 * hash; mobile, e-mail and name sealed until the account is made. */
	{0, "CREATE TABLE sb_signup ("
	    " id {id},"
	    " practice_id BIGINT NOT NULL REFERENCES sb_practice(id),"
	    " endpoint_id BIGINT NOT NULL REFERENCES sb_endpoint(id),"
	    " invitation_id BIGINT NOT NULL DEFAULT 0,"
	    " phone_lookup {blob} NOT NULL,"
	    " phone {blob},"
	    " email {blob},"
	    " name {blob},"
	    " code_hash {blob},"
	    " code_expires_at BIGINT NOT NULL DEFAULT 0,"
	    " tries BIGINT NOT NULL DEFAULT 0,"
	    " sends BIGINT NOT NULL DEFAULT 0,"
	    " sent_at BIGINT NOT NULL DEFAULT 0,"
	    " state BIGINT NOT NULL,"             /* an sb_signup_state */
	    " account_id BIGINT NOT NULL DEFAULT 0,"
	    " created_at BIGINT NOT NULL)"},
	/* Sign-ups per mobile per day are bounded (the code brute-force bound). */
	{0, "CREATE INDEX sb_signup_by_phone ON sb_signup (practice_id, phone_lookup, created_at)"},
	/* A secure conversation belongs to a patient account; its pair key is the account's. */
	{0, "ALTER TABLE sb_conversation ADD COLUMN account_id BIGINT"},
	{0, "CREATE INDEX sb_conversation_by_account ON sb_conversation (account_id, id) WHERE account_id IS NOT NULL"},
	{0, NULL},
};

/* Voice (V1–V12): call settings, desk phones, the access pool, phone
 * trees, and the call engine's state. Nothing here is PHI: a call names its
 * conversation, and a patient's number is read from there when needed. */
static const ddl v9[] = {
	{0, "ALTER TABLE sb_endpoint ADD COLUMN screen_timeout_ms BIGINT NOT NULL DEFAULT 0"},
	{0, "ALTER TABLE sb_endpoint ADD COLUMN voicemail_max_ms BIGINT NOT NULL DEFAULT 0"},
	{0, "ALTER TABLE sb_endpoint ADD COLUMN greeting TEXT NOT NULL DEFAULT ''"},
	{0, "ALTER TABLE sb_endpoint ADD COLUMN greeting_media TEXT NOT NULL DEFAULT ''"},
	{0, "ALTER TABLE sb_endpoint ADD COLUMN tree_id BIGINT NOT NULL DEFAULT 0"},
	{0, "CREATE INDEX sb_endpoint_by_tree ON sb_endpoint (tree_id) WHERE tree_id <> 0"},
	/* A business number's extra numbers to ring (V4), in order. */
	{0, "CREATE TABLE sb_endpoint_ring ("
	    " endpoint_id BIGINT NOT NULL REFERENCES sb_endpoint(id),"
	    " position BIGINT NOT NULL,"
	    " number TEXT NOT NULL,"
	    " PRIMARY KEY (endpoint_id, position))"},
	{0, "CREATE TABLE sb_desk_phone ("
	    " id {id},"
	    " practice_id BIGINT NOT NULL REFERENCES sb_practice(id),"
	    " teammate_id BIGINT NOT NULL REFERENCES sb_teammate(id),"
	    " extension TEXT NOT NULL,"
	    " device TEXT NOT NULL,"
	    " address TEXT NOT NULL,"
	    " created_at BIGINT NOT NULL)"},
	{0, "CREATE UNIQUE INDEX sb_desk_phone_extension ON sb_desk_phone (practice_id, extension)"},
	/* The access pool (V3): a number is free once expires_at has passed. */
	{0, "ALTER TABLE sb_practice ADD COLUMN access_lifetime_ms BIGINT NOT NULL DEFAULT 0"},
	{0, "CREATE TABLE sb_access_number ("
	    " practice_id BIGINT NOT NULL REFERENCES sb_practice(id),"
	    " number TEXT NOT NULL,"
	    " call_id BIGINT NOT NULL DEFAULT 0,"
	    " from_phone TEXT NOT NULL DEFAULT '',"
	    " expires_at BIGINT NOT NULL DEFAULT 0,"
	    " PRIMARY KEY (practice_id, number))"},
	{0, "CREATE INDEX sb_access_number_free ON sb_access_number (practice_id, expires_at)"},
	/* Phone trees (V12): nodes by index, branches by key. */
	{0, "CREATE TABLE sb_tree ("
	    " id {id},"
	    " practice_id BIGINT NOT NULL REFERENCES sb_practice(id),"
	    " name TEXT NOT NULL,"
	    " name_key TEXT NOT NULL,"
	    " node_count BIGINT NOT NULL,"
	    " updated_at BIGINT NOT NULL)"},
	{0, "CREATE UNIQUE INDEX sb_tree_name ON sb_tree (practice_id, name_key)"},
	{0, "CREATE TABLE sb_tree_node ("
	    " tree_id BIGINT NOT NULL REFERENCES sb_tree(id),"
	    " node BIGINT NOT NULL,"
	    " prompt TEXT NOT NULL,"
	    " prompt_media TEXT NOT NULL,"
	    " timeout_ms BIGINT NOT NULL,"
	    " tries BIGINT NOT NULL,"
	    " PRIMARY KEY (tree_id, node))"},
	/* key 0 is a node's fallback; else the key's character code. */
	{0, "CREATE TABLE sb_tree_branch ("
	    " tree_id BIGINT NOT NULL REFERENCES sb_tree(id),"
	    " node BIGINT NOT NULL,"
	    " position BIGINT NOT NULL,"
	    " key BIGINT NOT NULL,"
	    " route BIGINT NOT NULL,"
	    " target BIGINT NOT NULL,"
	    " auto_assign BIGINT NOT NULL,"
	    " PRIMARY KEY (tree_id, node, position))"},
	{0, "CREATE UNIQUE INDEX sb_tree_branch_key ON sb_tree_branch (tree_id, node, key)"},
	/* A call: one row the engine locks and rewrites per event. */
	{0, "CREATE TABLE sb_call ("
	    " id {id},"
	    " practice_id BIGINT NOT NULL REFERENCES sb_practice(id),"
	    " endpoint_id BIGINT NOT NULL REFERENCES sb_endpoint(id),"
	    " origin BIGINT NOT NULL,"           /* an sb_call_origin */
	    " phase BIGINT NOT NULL,"            /* an sb_call_phase */
	    " conversation_id BIGINT NOT NULL DEFAULT 0,"
	    " contact_id BIGINT NOT NULL DEFAULT 0,"
	    " teammate_id BIGINT NOT NULL DEFAULT 0,"
	    " desk_phone_id BIGINT NOT NULL DEFAULT 0,"
	    " unknown_caller BIGINT NOT NULL DEFAULT 0,"
	    " node BIGINT NOT NULL DEFAULT 0,"
	    " tries BIGINT NOT NULL DEFAULT 0,"
	    " digits TEXT NOT NULL DEFAULT '',"
	    " route BIGINT NOT NULL DEFAULT 0,"
	    " route_target BIGINT NOT NULL DEFAULT 0,"
	    " step BIGINT NOT NULL DEFAULT 0,"   /* the last timer armed; timer ids carry it */
	    " timer BIGINT NOT NULL DEFAULT 0,"  /* the call's own live timer, 0: none */
	    " voicemail_item BIGINT NOT NULL DEFAULT 0,"
	    " outcome BIGINT NOT NULL DEFAULT 0,"
	    " started_at BIGINT NOT NULL,"
	    " answered_at BIGINT NOT NULL DEFAULT 0,"
	    " ended_at BIGINT NOT NULL DEFAULT 0)"},
	{0, "CREATE INDEX sb_call_by_conversation ON sb_call (conversation_id, id)"},
	{0, "CREATE TABLE sb_call_leg ("
	    " id {id},"
	    " practice_id BIGINT NOT NULL REFERENCES sb_practice(id),"
	    " call_id BIGINT NOT NULL REFERENCES sb_call(id),"
	    " carrier_id TEXT,"                  /* NULL until placed */
	    " role BIGINT NOT NULL,"
	    " state BIGINT NOT NULL,"
	    " teammate_id BIGINT NOT NULL DEFAULT 0,"
	    " target TEXT NOT NULL DEFAULT '',"  /* a teammate's phone, a desk phone; never the patient's */
	    " timer BIGINT NOT NULL DEFAULT 0)"},
	{0, "CREATE UNIQUE INDEX sb_call_leg_carrier ON sb_call_leg (practice_id, carrier_id)"},
	{0, "CREATE INDEX sb_call_leg_of ON sb_call_leg (call_id, id)"},
	/* Carrier event ids seen per call (C15). */
	{0, "CREATE TABLE sb_call_event ("
	    " call_id BIGINT NOT NULL REFERENCES sb_call(id),"
	    " event_id TEXT NOT NULL,"
	    " PRIMARY KEY (call_id, event_id))"},
	{0, NULL},
};

/* v10: teammate passwords (signin.h), apart from teammate rows so no
 * teammate read carries a hash. */
static const ddl v10[] = {
	{0, "CREATE TABLE sb_teammate_password ("
	    " teammate_id BIGINT PRIMARY KEY REFERENCES sb_teammate(id),"
	    " practice_id BIGINT NOT NULL REFERENCES sb_practice(id),"
	    " hash TEXT NOT NULL,"               /* crypto_pwhash_str(): Argon2id */
	    " set_at BIGINT NOT NULL,"
	    " failures BIGINT NOT NULL DEFAULT 0," /* wrong passwords in a row */
	    " locked_until BIGINT NOT NULL DEFAULT 0)"},
	{0, NULL},
};

/* v11: permanent delete (C10) finds, by index, every row that names one of
 * a conversation's items from another feature's table; items know their call. */
static const ddl v11[] = {
	{0, "CREATE INDEX sb_schedule_by_item ON sb_schedule (item_id) WHERE item_id IS NOT NULL"},
	{0, "CREATE INDEX sb_bulk_recipient_by_item ON sb_bulk_recipient (item_id) WHERE item_id IS NOT NULL"},
	{0, "CREATE INDEX sb_invitation_by_sms ON sb_invitation (sms_item_id) WHERE sms_item_id <> 0"},
	/* The call an engine call or voicemail item records (sb_item_call()). */
	{0, "ALTER TABLE sb_item ADD COLUMN call_id BIGINT"},
	/* Ringing one at a time: how long each number rings, and whose turn it is to start. */
	{0, "CREATE TABLE sb_ring_timeout ("
	    " endpoint_id BIGINT NOT NULL REFERENCES sb_endpoint(id),"
	    " number TEXT NOT NULL,"             /* E.164: a teammate's number to ring or an extra number */
	    " timeout_ms BIGINT NOT NULL,"
	    " PRIMARY KEY (endpoint_id, number))"},
	{0, "ALTER TABLE sb_endpoint ADD COLUMN ring_turn BIGINT NOT NULL DEFAULT 0"},
	/* When the patient first opened an invitation's link (OPENED). */
	{0, "ALTER TABLE sb_invitation ADD COLUMN opened_at BIGINT NOT NULL DEFAULT 0"},
	/* A sign-up that re-verifies an account's new mobile (1) rather than signing up (0). */
	{0, "ALTER TABLE sb_signup ADD COLUMN purpose BIGINT NOT NULL DEFAULT 0"},
	/* Each teammate's alert levels (notify.h); no row: all at SB_NOTIFY_ALL. */
	{0, "CREATE TABLE sb_notify_pref ("
	    " teammate_id BIGINT PRIMARY KEY REFERENCES sb_teammate(id),"
	    " practice_id BIGINT NOT NULL REFERENCES sb_practice(id),"
	    " messages BIGINT NOT NULL,"
	    " voicemails BIGINT NOT NULL,"
	    " missed_calls BIGINT NOT NULL,"
	    " updated_at BIGINT NOT NULL)"},
	/* Chats between teammates (chat.h): a direct chat's members are rows,
	 * a team chat's are its team's; member_key names the set, once. */
	{0, "CREATE TABLE sb_chat ("
	    " id {id},"
	    " practice_id BIGINT NOT NULL REFERENCES sb_practice(id),"
	    " kind BIGINT NOT NULL,"             /* an sb_chat_kind */
	    " team_id BIGINT NOT NULL,"          /* 0 for a direct chat */
	    " member_key TEXT NOT NULL,"         /* "d:1,5,7" or "t:5" */
	    " created_by BIGINT NOT NULL,"
	    " created_at BIGINT NOT NULL,"
	    " last_message_at BIGINT NOT NULL)"},
	{0, "CREATE UNIQUE INDEX sb_chat_members_once ON sb_chat (practice_id, member_key)"},
	{0, "CREATE INDEX sb_chat_recent ON sb_chat (practice_id, last_message_at, id)"},
	{0, "CREATE INDEX sb_chat_of_team ON sb_chat (team_id) WHERE team_id <> 0"},
	{0, "CREATE TABLE sb_chat_member ("
	    " chat_id BIGINT NOT NULL REFERENCES sb_chat(id),"
	    " teammate_id BIGINT NOT NULL REFERENCES sb_teammate(id),"
	    " PRIMARY KEY (chat_id, teammate_id))"},
	{0, "CREATE INDEX sb_chat_member_of ON sb_chat_member (teammate_id, chat_id)"},
	{0, "CREATE TABLE sb_chat_message ("
	    " id {id},"
	    " practice_id BIGINT NOT NULL REFERENCES sb_practice(id),"
	    " chat_id BIGINT NOT NULL REFERENCES sb_chat(id),"
	    " author BIGINT NOT NULL,"
	    " body {blob},"                      /* sealed; set right after the insert */
	    " created_at BIGINT NOT NULL,"
	    " idempotency_key TEXT)"},
	{0, "CREATE INDEX sb_chat_message_page ON sb_chat_message (chat_id, id)"},
	{0, "CREATE UNIQUE INDEX sb_chat_message_key ON sb_chat_message (practice_id, idempotency_key)"
	    " WHERE idempotency_key IS NOT NULL"},
	{0, "CREATE TABLE sb_chat_read ("
	    " chat_id BIGINT NOT NULL REFERENCES sb_chat(id),"
	    " teammate_id BIGINT NOT NULL,"
	    " message_id BIGINT NOT NULL,"
	    " PRIMARY KEY (chat_id, teammate_id))"},
	{0, NULL},
};

static const migration migrations[] = {
	{1, v1},
	{2, v2},
	{3, v3},
	{4, v4},
	{5, v5},
	{6, v6},
	{7, v7},
	{8, v8},
	{9, v9},
	{10, v10},
	{11, v11},
};

#define N_MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

int sb_schema_latest(void)
{
	return migrations[N_MIGRATIONS - 1].version;
}

static int apply(sb_db *db, const migration *m)
{
	int rc = SB_OK;
	for (const ddl *d = m->steps; d->sql && rc == SB_OK; d++) {
		if (d->dialect && d->dialect != sb_db_dialect(db))
			continue;
		rc = sb_db_exec_once(db, d->sql);
	}
	if (rc == SB_OK)
		rc = sb_db_exec(db, "UPDATE sb_schema SET version = ?", "i", (int64_t)m->version);
	return rc;
}

/* Read the version under the write lock, so two processes opening a fresh
 * store at once cannot both apply the same migration. */
static int current_version(sb_db *db, int64_t *out)
{
	*out = 0;
	const char *lock = sb_dialect_migration_lock(sb_db_dialect(db));
	int rc = lock ? sb_db_exec(db, lock, NULL) : SB_OK;
	if (rc == SB_OK)
		rc = sb_db_one_int(db, NULL, sb_dialect_table_exists(sb_db_dialect(db)), "t", "sb_schema");
	if (rc == SB_ENOTFOUND)
		rc = sb_db_exec(db, "CREATE TABLE sb_schema (version BIGINT NOT NULL)", NULL);
	else if (rc == SB_OK)
		rc = sb_db_one_int(db, out, "SELECT version FROM sb_schema", NULL);
	if (rc == SB_ENOTFOUND || (rc == SB_OK && *out == 0)) /* a new table, or one without its row */
		rc = sb_db_exec(db, "INSERT INTO sb_schema (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM sb_schema)",
		                NULL);
	return rc;
}

int sb_schema_migrate(sb_db *db, int *out_found)
{
	*out_found = -1;
	for (int i = 0;; i++) {
		int rc = sb_db_begin(db);
		if (rc != SB_OK)
			return rc;
		int64_t version = 0;
		rc = current_version(db, &version);
		if (rc == SB_OK && i == 0)
			*out_found = (int)version;
		if (rc == SB_OK && version > sb_schema_latest())
			rc = SB_ESCHEMA;
		if (rc == SB_OK && version == sb_schema_latest())
			return sb_db_end(db, SB_OK);
		const migration *next = NULL;
		for (int k = 0; rc == SB_OK && k < N_MIGRATIONS && !next; k++)
			if (migrations[k].version > version)
				next = &migrations[k];
		if (rc == SB_OK)
			rc = apply(db, next);
		rc = sb_db_end(db, rc);
		if (rc != SB_OK)
			return rc;
	}
}
