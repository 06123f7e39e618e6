"""The C library: loading, struct layouts and function prototypes. Internal."""
from __future__ import annotations

import ctypes
import ctypes.util
import os
from ctypes import (CFUNCTYPE, POINTER, Structure, c_char, c_char_p, c_int, c_int64, c_size_t,
                    c_uint, c_void_p)

ABI_MAJOR = 0


def _load() -> ctypes.CDLL:
    """SWITCHBOARD_LIBRARY, then the package folder, then the system loader."""
    candidates = []
    env = os.environ.get("SWITCHBOARD_LIBRARY")
    if env:
        candidates.append(env)
    here = os.path.dirname(os.path.abspath(__file__))
    candidates.append(os.path.join(here, f"libswitchboard.so.{ABI_MAJOR}"))
    found = ctypes.util.find_library("switchboard")
    if found:
        candidates.append(found)
    candidates.append(f"libswitchboard.so.{ABI_MAJOR}")
    return load_first(candidates, "libswitchboard not found; set SWITCHBOARD_LIBRARY to its path")


def load_first(candidates: list, missing: str) -> ctypes.CDLL:
    """The first of these paths that loads, else ImportError(missing) with every reason."""
    errors = []
    for path in candidates:
        try:
            return ctypes.CDLL(path)
        except OSError as exc:
            errors.append(f"{path}: {exc}")
    raise ImportError(missing + ". Tried: " + "; ".join(errors))


lib = _load()

# --- vtables and argument structs (switchboard/*.h) ---

CLOCK_NOW = CFUNCTYPE(c_int, c_void_p, POINTER(c_int64))


class Clock(Structure):
    _fields_ = [("version", c_uint), ("userdata", c_void_p), ("now_ms", CLOCK_NOW)]


class Sms(Structure):
    _fields_ = [("version", c_uint), ("from_", c_char_p), ("to", c_char_p), ("body", c_char_p),
                ("media", POINTER(c_char_p)), ("media_count", c_size_t),
                ("idempotency_key", c_char_p)]


class Email(Structure):
    _fields_ = [("version", c_uint), ("to", c_char_p), ("subject", c_char_p), ("body", c_char_p),
                ("idempotency_key", c_char_p)]


class CallOriginate(Structure):
    _fields_ = [("version", c_uint), ("call_ref", c_char_p), ("from_", c_char_p), ("to", c_char_p),
                ("timeout_ms", c_int64)]


class Play(Structure):
    _fields_ = [("version", c_uint), ("kind", c_int), ("content", c_char_p), ("loop", c_int)]


class Record(Structure):
    _fields_ = [("version", c_uint), ("max_ms", c_int64), ("finish_on_key", c_char_p)]


# Callback types in sb_carrier member order.
CARRIER_CALLBACKS = [
    ("send_sms", CFUNCTYPE(c_int, c_void_p, POINTER(Sms), c_void_p, c_size_t)),
    ("send_email", CFUNCTYPE(c_int, c_void_p, POINTER(Email), c_void_p, c_size_t)),
    ("call_originate", CFUNCTYPE(c_int, c_void_p, POINTER(CallOriginate), c_void_p, c_size_t)),
    ("call_cancel", CFUNCTYPE(c_int, c_void_p, c_char_p)),
    ("call_answer", CFUNCTYPE(c_int, c_void_p, c_char_p)),
    ("call_play", CFUNCTYPE(c_int, c_void_p, c_char_p, POINTER(Play))),
    ("call_hold", CFUNCTYPE(c_int, c_void_p, c_char_p, c_int)),
    ("call_bridge", CFUNCTYPE(c_int, c_void_p, c_char_p, c_char_p)),
    ("call_record", CFUNCTYPE(c_int, c_void_p, c_char_p, POINTER(Record))),
    ("call_hangup", CFUNCTYPE(c_int, c_void_p, c_char_p)),
    ("timer_start", CFUNCTYPE(c_int, c_void_p, c_char_p, c_int64)),
    ("timer_stop", CFUNCTYPE(c_int, c_void_p, c_char_p)),
]


class Carrier(Structure):
    _fields_ = [("version", c_uint), ("userdata", c_void_p)] + CARRIER_CALLBACKS


# The host store driver is passed through, never called from Python except to
# close it: its 17 callbacks are plain pointers here.
_DRIVER_MEMBERS = ["prepare", "bind_null", "bind_int64", "bind_text", "bind_blob", "step",
                   "column_type", "column_int64", "column_text", "column_blob", "reset",
                   "finalize", "begin", "commit", "rollback", "errmsg", "close"]


class StoreDriver(Structure):
    _fields_ = ([("version", c_uint), ("userdata", c_void_p), ("dialect", c_int)]
                + [(name, c_void_p) for name in _DRIVER_MEMBERS])


def close_driver(driver: StoreDriver) -> None:
    """Close a driver instance that no practice took over."""
    if driver.close:
        CFUNCTYPE(None, c_void_p)(driver.close)(driver.userdata)


class SqliteOptions(Structure):
    _fields_ = [("version", c_uint), ("sync", c_int), ("busy_timeout_ms", c_int)]


class PostgresOptions(Structure):
    _fields_ = [("version", c_uint), ("lock_timeout_ms", c_int)]


class PracticeOptions(Structure):
    _fields_ = [("version", c_uint), ("practice", c_char_p), ("store_path", c_char_p),
                ("store", POINTER(StoreDriver)), ("carrier", POINTER(Carrier)),
                ("clock", POINTER(Clock)), ("key", c_char_p), ("key_len", c_size_t)]


class Phone(Structure):
    _fields_ = [("number", c_char * 20), ("kind", c_int), ("country", c_char * 4), ("problem", c_int)]


class AuditEntry(Structure):
    _fields_ = [("seq", c_int64), ("at", c_int64), ("actor", c_int64), ("action", c_char * 64),
                ("object_kind", c_char * 32), ("object_id", c_int64)]


LABEL_MAX = 128
ENDPOINT_LIST_MAX = 500


class Endpoint(Structure):
    _fields_ = [("id", c_int64), ("kind", c_int), ("address", c_char * 64), ("label", c_char * (LABEL_MAX + 1)),
                ("owner_kind", c_int), ("owner_id", c_int64), ("auto_assign", c_int), ("ring_mode", c_int),
                ("ring_timeout_ms", c_int64), ("created_at", c_int64), ("retired_at", c_int64)]


CONTACT_NAME_MAX = 256
CONTACT_NOTES_MAX = 16384
ADDRESS_MAX = 254
CONTACT_ADDRESSES_MAX = 32
CONTACT_SEARCH_MAX = 100


class Contact(Structure):
    _fields_ = [("id", c_int64), ("saved", c_int), ("name", c_char * (CONTACT_NAME_MAX + 1)),
                ("created_at", c_int64), ("updated_at", c_int64)]


class ContactAddress(Structure):
    _fields_ = [("id", c_int64), ("kind", c_int), ("value", c_char * (ADDRESS_MAX + 1)), ("added_at", c_int64)]


# --- functions ---

def _proto(name: str, restype, *argtypes) -> None:
    fn = getattr(lib, name)
    fn.restype = restype
    fn.argtypes = list(argtypes)


_proto("sb_version", c_int)
_proto("sb_version_string", c_char_p)
_proto("sb_strerror", c_char_p, c_int)
_proto("sb_key_bytes", c_size_t)
_proto("sb_sqlite_options_init", c_int, POINTER(SqliteOptions))
_proto("sb_store_open_sqlite", c_int, POINTER(StoreDriver), c_char_p, POINTER(SqliteOptions))
_proto("sb_postgres_options_init", c_int, POINTER(PostgresOptions))
_proto("sb_store_open_postgres", c_int, POINTER(StoreDriver), c_char_p, POINTER(PostgresOptions), c_char_p,
       c_size_t)
_proto("sb_store_use_postgres", c_int, POINTER(StoreDriver), c_void_p, POINTER(PostgresOptions), c_char_p,
       c_size_t)
_proto("sb_practice_options_init", c_int, POINTER(PracticeOptions))
_proto("sb_practice_open", c_int, POINTER(c_void_p), POINTER(PracticeOptions))
_proto("sb_practice_free", None, c_void_p)
_proto("sb_practice_errmsg", c_char_p, c_void_p)
_proto("sb_practice_id", c_int64, c_void_p)
_proto("sb_practice_now", c_int, POINTER(c_int64), c_void_p)
_proto("sb_practice_begin", c_int, c_void_p)
_proto("sb_practice_commit", c_int, c_void_p)
_proto("sb_practice_rollback", c_int, c_void_p)
_proto("sb_audit_record", c_int, c_void_p, c_int64, c_char_p, c_char_p, c_int64)
_proto("sb_audit_read", c_int, POINTER(AuditEntry), POINTER(c_size_t), c_void_p, c_int64, c_int64,
       c_size_t)
_proto("sb_audit_head", c_int, POINTER(c_int64), c_void_p)
_proto("sb_audit_verify", c_int, POINTER(c_int64), c_void_p, c_int64)
_proto("sb_phone_parse", c_int, POINTER(Phone), c_char_p)
_proto("sb_phone_is_nanp", c_int, POINTER(Phone))
_proto("sb_phone_is_textable", c_int, POINTER(Phone))
_proto("sb_phone_kind_name", c_char_p, c_int)
_proto("sb_phone_problem_text", c_char_p, c_int)

# Constants the headers define as macros.
STORE_DRIVER_VERSION = 1
SQLITE_OPTIONS_VERSION = 1
PRACTICE_OPTIONS_VERSION = 1
CLOCK_VERSION = 1
CARRIER_VERSION = 1
CARRIER_ID_MAX = 128
AUDIT_READ_MAX = 1000
KEY_BYTES = int(lib.sb_key_bytes())
_proto("sb_business_number_create", c_int, POINTER(c_int64), c_void_p, c_int64, c_char_p, c_char_p)
_proto("sb_business_number_find", c_int, POINTER(c_int64), c_void_p, c_int64, c_char_p)
_proto("sb_endpoint_get", c_int, POINTER(Endpoint), c_void_p, c_int64, c_int64)
_proto("sb_endpoint_list", c_int, POINTER(Endpoint), POINTER(c_size_t), c_void_p, c_int64, c_int, c_int64,
       c_size_t, c_int)
_proto("sb_endpoint_set_label", c_int, c_void_p, c_int64, c_int64, c_char_p)
_proto("sb_endpoint_retire", c_int, c_void_p, c_int64, c_int64)
_proto("sb_contact_create", c_int, POINTER(c_int64), c_void_p, c_int64, c_char_p)
_proto("sb_contact_get", c_int, POINTER(Contact), c_void_p, c_int64, c_int64)
_proto("sb_contact_save", c_int, c_void_p, c_int64, c_int64, c_char_p)
_proto("sb_contact_set_notes", c_int, c_void_p, c_int64, c_int64, c_char_p)
_proto("sb_contact_get_notes", c_int, c_char_p, c_size_t, POINTER(c_size_t), c_void_p, c_int64, c_int64)
_proto("sb_contact_add_address", c_int, POINTER(c_int64), c_void_p, c_int64, c_int64, c_int, c_char_p)
_proto("sb_contact_remove_address", c_int, c_void_p, c_int64, c_int64, c_int, c_char_p)
_proto("sb_contact_addresses", c_int, POINTER(ContactAddress), POINTER(c_size_t), c_void_p, c_int64, c_int64,
       c_size_t)
_proto("sb_contact_find", c_int, POINTER(c_int64), c_void_p, c_int64, c_int, c_char_p)
_proto("sb_contact_search", c_int, POINTER(c_int64), POINTER(c_size_t), c_void_p, c_int64, c_char_p, c_int64,
       c_size_t)

# --- conversations, timeline, messages, attachments ---

ENDPOINT_ADDRESS_MAX = 64
CONTENT_TYPE_MAX = 127
FILE_NAME_MAX = 255
MEDIA_REF_MAX = 1024
ITEM_TEXT_MAX = 8192
ITEM_ERROR_MAX = 127
ATTACHMENTS_MAX = 10
REGARDING_MAX = 16
CONVERSATION_PAGE_MAX = 100
TIMELINE_PAGE_MAX = 100
LIBRARY_PAGE_MAX = 100
ATTACHMENT_SPEC_VERSION = 1
CALL_ITEM_VERSION = 1
INBOUND_SMS_VERSION = 1
OUTBOUND_SMS_VERSION = 1


class Conversation(Structure):
    _fields_ = [("id", c_int64), ("kind", c_int), ("endpoint_id", c_int64),
                ("business_number", c_char * ENDPOINT_ADDRESS_MAX), ("external", c_char * ENDPOINT_ADDRESS_MAX),
                ("contact_id", c_int64), ("closed", c_int), ("unread", c_int), ("unread_by_actor", c_int),
                ("regarding", c_int), ("created_at", c_int64), ("last_item_at", c_int64), ("closed_at", c_int64)]


class Item(Structure):
    _fields_ = [("id", c_int64), ("conversation_id", c_int64), ("kind", c_int), ("direction", c_int),
                ("at", c_int64), ("author", c_int64), ("status", c_int), ("segments", c_int),
                ("duration_ms", c_int64), ("outcome", c_int), ("attachment_count", c_int),
                ("carrier_id", c_char * CARRIER_ID_MAX), ("media_ref", c_char * (MEDIA_REF_MAX + 1)),
                ("error", c_char * (ITEM_ERROR_MAX + 1)), ("text_len", c_size_t),
                ("text", c_char * (ITEM_TEXT_MAX + 1))]


class CallItem(Structure):
    _fields_ = [("version", c_uint), ("kind", c_int), ("direction", c_int), ("business_number", c_char_p),
                ("external", c_char_p), ("started_at", c_int64), ("duration_ms", c_int64), ("outcome", c_int),
                ("media_ref", c_char_p), ("transcript", c_char_p), ("carrier_id", c_char_p)]


class Delivery(Structure):
    _fields_ = [("conversation_id", c_int64), ("item_id", c_int64), ("contact_id", c_int64),
                ("duplicate", c_int), ("new_conversation", c_int), ("new_contact", c_int)]


class AttachmentSpec(Structure):
    _fields_ = [("version", c_uint), ("content_type", c_char_p), ("file_name", c_char_p), ("data", c_void_p),
                ("size", c_size_t), ("media_ref", c_char_p)]


class Attachment(Structure):
    _fields_ = [("id", c_int64), ("item_id", c_int64), ("content_type", c_char * (CONTENT_TYPE_MAX + 1)),
                ("file_name", c_char * (FILE_NAME_MAX + 1)), ("size", c_int64), ("has_data", c_int),
                ("media_ref", c_char * (MEDIA_REF_MAX + 1)), ("created_at", c_int64)]


class InboundSms(Structure):
    _fields_ = [("version", c_uint), ("from_", c_char_p), ("to", c_char_p), ("body", c_char_p),
                ("media", POINTER(AttachmentSpec)), ("media_count", c_size_t), ("carrier_id", c_char_p),
                ("received_at", c_int64)]


class OutboundSms(Structure):
    _fields_ = [("version", c_uint), ("endpoint", c_int64), ("conversation", c_int64), ("contact", c_int64),
                ("to", c_char_p), ("body", c_char_p), ("attachments", POINTER(AttachmentSpec)),
                ("attachment_count", c_size_t), ("library", POINTER(c_int64)), ("library_count", c_size_t),
                ("idempotency_key", c_char_p)]


class Sent(Structure):
    _fields_ = [("conversation_id", c_int64), ("item_id", c_int64), ("status", c_int), ("duplicate", c_int),
                ("segments", c_int), ("carrier_id", c_char * CARRIER_ID_MAX)]


_I64P = POINTER(c_int64)
_proto("sb_conversation_start", c_int, _I64P, c_void_p, c_int64, c_int64, c_char_p)
_proto("sb_conversation_get", c_int, POINTER(Conversation), c_void_p, c_int64, c_int64)
_proto("sb_conversation_close", c_int, c_void_p, c_int64, c_int64)
_proto("sb_conversation_reopen", c_int, c_void_p, c_int64, c_int64)
_proto("sb_conversation_delete", c_int, c_void_p, c_int64, c_int64)
_proto("sb_conversation_regarding_add", c_int, c_void_p, c_int64, c_int64, c_int64)
_proto("sb_conversation_regarding_remove", c_int, c_void_p, c_int64, c_int64, c_int64)
_proto("sb_conversation_regarding", c_int, _I64P, POINTER(c_size_t), c_void_p, c_int64, c_int64, c_size_t)
_proto("sb_conversation_attach", c_int, c_void_p, c_int64, c_int64, c_int64)
_proto("sb_conversation_mark_read", c_int, c_void_p, c_int64, c_int64)
_proto("sb_conversation_unread_count", c_int, _I64P, c_void_p, c_int64)
_proto("sb_contact_conversations", c_int, POINTER(Conversation), POINTER(c_size_t), c_void_p, c_int64, c_int64,
       c_int64, c_size_t)
_proto("sb_contact_merge", c_int, c_void_p, c_int64, c_int64, c_int64)
_proto("sb_call_item_record", c_int, POINTER(Delivery), c_void_p, c_int64, POINTER(CallItem))
_proto("sb_note_add", c_int, _I64P, c_void_p, c_int64, c_int64, c_char_p)
_proto("sb_item_get", c_int, POINTER(Item), c_void_p, c_int64, c_int64)
_proto("sb_item_call", c_int, _I64P, c_void_p, c_int64, c_int64)
_proto("sb_timeline_page", c_int, POINTER(Item), POINTER(c_size_t), c_void_p, c_int64, c_int64, c_int64, c_size_t)
_proto("sb_item_attachments", c_int, POINTER(Attachment), POINTER(c_size_t), c_void_p, c_int64, c_int64, c_size_t)
_proto("sb_attachment_read", c_int, c_void_p, c_size_t, POINTER(c_size_t), c_void_p, c_int64, c_int64)
_proto("sb_library_add", c_int, _I64P, c_void_p, c_int64, POINTER(AttachmentSpec))
_proto("sb_library_list", c_int, POINTER(Attachment), POINTER(c_size_t), c_void_p, c_int64, c_int64, c_size_t)
_proto("sb_library_remove", c_int, c_void_p, c_int64, c_int64)
_proto("sb_sms_receive", c_int, POINTER(Delivery), c_void_p, POINTER(InboundSms))
_proto("sb_sms_send", c_int, POINTER(Sent), c_void_p, c_int64, POINTER(OutboundSms))
_proto("sb_sms_retry", c_int, POINTER(Sent), c_void_p, c_int64, c_int64)
_proto("sb_sms_status", c_int, POINTER(c_int), c_void_p, c_char_p, c_int, c_char_p)
_proto("sb_sms_segments", c_int, POINTER(c_int), POINTER(c_int), c_char_p)

# --- teammates, teams, settings, endpoint membership, mailboxes, tags ---

PHONE_NUMBER_MAX = 20
TEAMMATE_NAME_MAX = 128
RING_NUMBERS_MAX = 5
TEAMMATE_LIST_MAX = 500
TEAMMATE_SPEC_VERSION = 1
TEAM_NAME_MAX = 64
TEAM_LIST_MAX = 500
TEAM_MEMBERS_MAX = 500
MEMBER_LIST_MAX = 500
PLAN_MAX = 64
BILLING_EMAIL_MAX = 254
PRACTICE_SETTINGS_VERSION = 1
MAILBOX_PAGE_MAX = 100
TAG_NAME_MAX = 64
TAGS_PER_OBJECT_MAX = 64
TAG_LIST_MAX = 500


class TeammateSpec(Structure):
    _fields_ = [("version", c_uint), ("name", c_char_p), ("login_phone", c_char_p),
                ("ring_numbers", POINTER(c_char_p)), ("ring_count", c_size_t), ("admin", c_int)]


class Teammate(Structure):
    _fields_ = [("id", c_int64), ("status", c_int), ("admin", c_int), ("name", c_char * (TEAMMATE_NAME_MAX + 1)),
                ("login_phone", c_char * PHONE_NUMBER_MAX), ("ring_count", c_size_t),
                ("ring_numbers", (c_char * PHONE_NUMBER_MAX) * RING_NUMBERS_MAX),
                ("created_at", c_int64), ("removed_at", c_int64)]


class Team(Structure):
    _fields_ = [("id", c_int64), ("name", c_char * (TEAM_NAME_MAX + 1)), ("member_count", c_size_t),
                ("created_at", c_int64), ("deleted_at", c_int64)]


class PracticeSettings(Structure):
    _fields_ = [("version", c_uint), ("assignment_on", c_int), ("plan", c_char * (PLAN_MAX + 1)),
                ("billing_email", c_char * (BILLING_EMAIL_MAX + 1))]


class MailboxEntry(Structure):
    _fields_ = [("conversation_id", c_int64), ("endpoint_id", c_int64), ("conversation_kind", c_int),
                ("last_item_at", c_int64), ("unread", c_int), ("unread_by_actor", c_int)]


class ItemEvent(Structure):
    _fields_ = [("event", c_int), ("mailbox_kind", c_int), ("mailbox_owner", c_int64)]


class Tag(Structure):
    _fields_ = [("id", c_int64), ("kind", c_int), ("name", c_char * (TAG_NAME_MAX + 1))]


_IDS = (POINTER(c_int64), POINTER(c_size_t), c_void_p, c_int64, c_int64, c_int64, c_size_t)
_proto("sb_teammate_add", c_int, POINTER(c_int64), c_void_p, c_int64, POINTER(TeammateSpec))
_proto("sb_teammate_invite", c_int, POINTER(c_int64), c_void_p, c_int64, POINTER(TeammateSpec))
_proto("sb_teammate_accept", c_int, c_void_p, c_int64)
_proto("sb_teammate_get", c_int, POINTER(Teammate), c_void_p, c_int64, c_int64)
_proto("sb_teammate_list", c_int, POINTER(Teammate), POINTER(c_size_t), c_void_p, c_int64, c_int64, c_size_t, c_int)
_proto("sb_teammate_update", c_int, c_void_p, c_int64, c_int64, POINTER(TeammateSpec))
_proto("sb_teammate_set_admin", c_int, c_void_p, c_int64, c_int64, c_int)
_proto("sb_teammate_remove", c_int, c_void_p, c_int64, c_int64)
_proto("sb_teammate_password_set", c_int, c_void_p, c_int64, c_int64, c_char_p)
_proto("sb_teammate_sign_in", c_int, POINTER(c_int64), c_void_p, c_char_p, c_char_p)
_proto("sb_team_create", c_int, POINTER(c_int64), c_void_p, c_int64, c_char_p)
_proto("sb_team_rename", c_int, c_void_p, c_int64, c_int64, c_char_p)
_proto("sb_team_delete", c_int, c_void_p, c_int64, c_int64)
_proto("sb_team_member_add", c_int, c_void_p, c_int64, c_int64, c_int64)
_proto("sb_team_member_remove", c_int, c_void_p, c_int64, c_int64, c_int64)
_proto("sb_team_get", c_int, POINTER(Team), c_void_p, c_int64, c_int64)
_proto("sb_team_list", c_int, POINTER(Team), POINTER(c_size_t), c_void_p, c_int64, c_int64, c_size_t)
_proto("sb_team_members", c_int, *_IDS)
_proto("sb_teammate_teams", c_int, *_IDS)
_proto("sb_practice_settings_init", None, POINTER(PracticeSettings))
_proto("sb_practice_settings_get", c_int, POINTER(PracticeSettings), c_void_p, c_int64)
_proto("sb_practice_settings_set", c_int, c_void_p, c_int64, POINTER(PracticeSettings))
_proto("sb_endpoint_set_owner", c_int, c_void_p, c_int64, c_int64, c_int, c_int64)
_proto("sb_endpoint_set_auto_assign", c_int, c_void_p, c_int64, c_int64, c_int)
_proto("sb_endpoint_member_add", c_int, c_void_p, c_int64, c_int64, c_int64)
_proto("sb_endpoint_member_remove", c_int, c_void_p, c_int64, c_int64, c_int64)
_proto("sb_endpoint_members", c_int, *_IDS)
_proto("sb_endpoint_sees", c_int, POINTER(c_int), c_void_p, c_int64, c_int64)
_proto("sb_conversation_assign", c_int, c_void_p, c_int64, c_int64, c_int, c_int64)
_proto("sb_mailbox_page", c_int, POINTER(MailboxEntry), POINTER(c_size_t), c_void_p, c_int64, c_int, c_int64,
       c_int64, c_int64, c_size_t)
_proto("sb_mailbox_unread", c_int, POINTER(c_int64), c_void_p, c_int64, c_int, c_int64)
_proto("sb_item_event_get", c_int, POINTER(ItemEvent), c_void_p, c_int64, c_int64)
_proto("sb_tag_add", c_int, c_void_p, c_int64, c_int, c_int64, c_char_p)
_proto("sb_tag_remove", c_int, c_void_p, c_int64, c_int, c_int64, c_char_p)
_proto("sb_tags_of", c_int, POINTER(Tag), POINTER(c_size_t), c_void_p, c_int64, c_int, c_int64)
_proto("sb_tag_list", c_int, POINTER(Tag), POINTER(c_size_t), c_void_p, c_int64, c_int, c_int64, c_size_t)

# --- filters and bulk messages (filter.h, bulk.h) ---

FILTER_VERSION = 1
FILTER_TAGS_MAX = 8
FILTER_NAME_MAX = 64
FILTER_PAGE_MAX = 100
FILTER_ANY_MAILBOX = -1
BULK_RECIPIENTS_MAX = 20000
BULK_PAGE_MAX = 500
OUTBOX_STALE_MS = 300000


class Filter(Structure):
    _fields_ = [("version", c_uint), ("kind", c_int), ("mailbox", c_int), ("mailbox_owner", c_int64),
                ("endpoint", c_int64), ("conversation_kind", c_int), ("unread", c_int), ("status", c_int),
                ("invitation", c_int), ("account", c_int), ("tag_match", c_int), ("tag_count", c_size_t),
                ("tags", c_int64 * FILTER_TAGS_MAX)]


class SavedFilter(Structure):
    _fields_ = [("id", c_int64), ("owner", c_int64), ("created_by", c_int64),
                ("name", c_char * (FILTER_NAME_MAX + 1)), ("created_at", c_int64), ("updated_at", c_int64),
                ("filter", Filter)]


class Bulk(Structure):
    _fields_ = [("id", c_int64), ("endpoint_id", c_int64), ("created_by", c_int64), ("created_at", c_int64),
                ("recipients", c_size_t), ("pending", c_size_t), ("skipped", c_size_t), ("queued", c_size_t),
                ("sent", c_size_t), ("delivered", c_size_t), ("undelivered", c_size_t), ("failed", c_size_t)]


class BulkRecipient(Structure):
    _fields_ = [("contact_id", c_int64), ("state", c_int), ("conversation_id", c_int64), ("item_id", c_int64),
                ("status", c_int)]


_proto("sb_filter_init", c_int, POINTER(Filter), c_int)
_proto("sb_filter_conversations", c_int, POINTER(MailboxEntry), POINTER(c_size_t), c_void_p, c_int64,
       POINTER(Filter), c_int64, c_int64, c_size_t)
_proto("sb_filter_contacts", c_int, _I64P, POINTER(c_size_t), c_void_p, c_int64, POINTER(Filter), c_int64, c_size_t)
_proto("sb_filter_save", c_int, _I64P, c_void_p, c_int64, c_int64, c_char_p, POINTER(Filter))
_proto("sb_filter_update", c_int, c_void_p, c_int64, c_int64, c_char_p, POINTER(Filter))
_proto("sb_filter_delete", c_int, c_void_p, c_int64, c_int64)
_proto("sb_filter_get", c_int, POINTER(SavedFilter), c_void_p, c_int64, c_int64)
_proto("sb_filter_list", c_int, POINTER(SavedFilter), POINTER(c_size_t), c_void_p, c_int64, c_int64, c_int64,
       c_size_t)
_proto("sb_bulk_create", c_int, _I64P, c_void_p, c_int64, c_int64, c_char_p, POINTER(Filter))
_proto("sb_bulk_send", c_int, POINTER(Bulk), c_void_p, c_int64, c_int64, c_size_t)
_proto("sb_bulk_retry", c_int, POINTER(Bulk), c_void_p, c_int64, c_int64, c_size_t)
_proto("sb_bulk_get", c_int, POINTER(Bulk), c_void_p, c_int64, c_int64)
_proto("sb_bulk_recipients", c_int, POINTER(BulkRecipient), POINTER(c_size_t), c_void_p, c_int64, c_int64, c_int64,
       c_size_t)
_proto("sb_bulk_list", c_int, POINTER(Bulk), POINTER(c_size_t), c_void_p, c_int64, c_int64, c_size_t)

# --- business hours, after-hours, scheduled texts (hours.h, afterhours.h, schedule.h) ---

ZONE_NAME_MAX = 64
HOURS_SPANS_MAX = 32
HOURS_CLOSURES_MAX = 64
CLOSURE_LABEL_MAX = 64
HOURS_VERSION = 1
AFTER_HOURS_REPLY_MAX = 640
ALERT_TO_MAX = 1024
AFTER_HOURS_PAGE_MAX = 200
AFTER_HOURS_VERSION = 1
SCHEDULE_PAGE_MAX = 200
SCHEDULE_GRACE_MS = 21600000
SCHEDULED_SMS_VERSION = 1


class HoursSpan(Structure):
    _fields_ = [("day", c_int), ("open_minute", c_int), ("close_minute", c_int)]


class Closure(Structure):
    _fields_ = [("first_date", c_int), ("last_date", c_int), ("label", c_char * (CLOSURE_LABEL_MAX + 1))]


class Hours(Structure):
    _fields_ = [("version", c_uint), ("zone", c_char * (ZONE_NAME_MAX + 1)), ("span_count", c_size_t),
                ("spans", HoursSpan * HOURS_SPANS_MAX), ("closure_count", c_size_t),
                ("closures", Closure * HOURS_CLOSURES_MAX)]


class HoursStatus(Structure):
    _fields_ = [("open", c_int), ("source", c_int), ("next_change", c_int64), ("next_opening", c_int64),
                ("local_date", c_int), ("local_minute", c_int), ("weekday", c_int), ("utc_offset", c_int)]


class AfterHours(Structure):
    _fields_ = [("version", c_uint), ("reply_on", c_int), ("reply", c_char * (AFTER_HOURS_REPLY_MAX + 1)),
                ("alert_on", c_int), ("alert_to", c_char * (ALERT_TO_MAX + 1))]


class AfterHoursEvent(Structure):
    _fields_ = [("id", c_int64), ("conversation_id", c_int64), ("item_id", c_int64), ("period", c_int64),
                ("created_at", c_int64), ("reply_state", c_int), ("reply_item_id", c_int64), ("alerts", c_size_t),
                ("alerts_sent", c_size_t), ("alerts_failed", c_size_t)]


class ScheduledSms(Structure):
    _fields_ = [("version", c_uint), ("endpoint", c_int64), ("contact", c_int64), ("to", c_char_p),
                ("body", c_char_p), ("purpose", c_int), ("due_at", c_int64), ("expires_at", c_int64),
                ("idempotency_key", c_char_p)]


class Scheduled(Structure):
    _fields_ = [("id", c_int64), ("endpoint_id", c_int64), ("contact_id", c_int64), ("purpose", c_int),
                ("state", c_int), ("due_at", c_int64), ("expires_at", c_int64), ("created_by", c_int64),
                ("created_at", c_int64), ("updated_at", c_int64), ("item_id", c_int64),
                ("conversation_id", c_int64), ("message_status", c_int)]


class PumpReport(Structure):
    _fields_ = [("sent", c_size_t), ("failed", c_size_t), ("missed", c_size_t), ("next_due", c_int64)]


_proto("sb_hours_init", c_int, POINTER(Hours))
_proto("sb_hours_evaluate", c_int, POINTER(HoursStatus), c_void_p, POINTER(Hours), c_int64)
_proto("sb_hours_set", c_int, c_void_p, c_int64, c_int64, POINTER(Hours))
_proto("sb_hours_clear", c_int, c_void_p, c_int64, c_int64)
_proto("sb_hours_get", c_int, POINTER(Hours), c_void_p, c_int64, c_int64)
_proto("sb_hours_at", c_int, POINTER(HoursStatus), c_void_p, c_int64, c_int64, c_int64)
_proto("sb_after_hours_init", c_int, POINTER(AfterHours))
_proto("sb_after_hours_get", c_int, POINTER(AfterHours), c_void_p, c_int64)
_proto("sb_after_hours_set", c_int, c_void_p, c_int64, POINTER(AfterHours))
_proto("sb_after_hours_list", c_int, POINTER(AfterHoursEvent), POINTER(c_size_t), c_void_p, c_int64, c_int64,
       c_size_t)
_proto("sb_after_hours_retry", c_int, POINTER(c_size_t), POINTER(c_size_t), c_void_p, c_int64, c_size_t)
_proto("sb_scheduled_sms_init", c_int, POINTER(ScheduledSms))
_proto("sb_schedule_create", c_int, _I64P, c_void_p, c_int64, POINTER(ScheduledSms))
_proto("sb_schedule_get", c_int, POINTER(Scheduled), c_void_p, c_int64, c_int64)
_proto("sb_schedule_list", c_int, POINTER(Scheduled), POINTER(c_size_t), c_void_p, c_int64, c_int, c_int64,
       c_size_t)
_proto("sb_schedule_reschedule", c_int, c_void_p, c_int64, c_int64, c_int64, c_int64)
_proto("sb_schedule_cancel", c_int, c_void_p, c_int64, c_int64)
_proto("sb_schedule_pump", c_int, POINTER(PumpReport), c_void_p, c_size_t)

# --- secure links, invitations, accounts, secure messages (link.h, invitation.h, account.h, secure.h) ---

SLUG_MAX = 48
LINK_BASE_MAX = 200
LINK_URL_MAX = LINK_BASE_MAX + 1 + SLUG_MAX + 1
QR_WIDTH_MAX = 177
INVITATION_TEXT_MAX = 320
INVITATION_PAGE_MAX = 100
ROUND_MAX = 500
PATIENT_PAGE_MAX = 100
SECURE_MESSAGE_VERSION = 1
SIGNUP_VERSION = 1


class InvitationSettings(Structure):
    _fields_ = [("version", c_uint), ("text", c_char * (INVITATION_TEXT_MAX + 1)), ("lifetime_ms", c_int64),
                ("sender", c_int64)]


class Invitation(Structure):
    _fields_ = [("id", c_int64), ("link_id", c_int64), ("contact_id", c_int64), ("round_id", c_int64),
                ("state", c_int), ("created_by", c_int64), ("created_at", c_int64), ("expires_at", c_int64),
                ("ended_at", c_int64), ("sms_item_id", c_int64), ("emailed", c_int), ("account_id", c_int64)]


class RoundReport(Structure):
    _fields_ = [("round_id", c_int64), ("invited", c_int), ("skipped", c_int), ("failed", c_int), ("more", c_int)]


class Signup(Structure):
    _fields_ = [("version", c_uint), ("slug", c_char_p), ("token", c_char_p), ("mobile", c_char_p),
                ("email", c_char_p), ("name", c_char_p)]


class SignupResult(Structure):
    _fields_ = [("account_id", c_int64), ("contact_id", c_int64), ("conversation_id", c_int64), ("identity", c_int),
                ("new_account", c_int), ("new_contact", c_int), ("new_conversation", c_int)]


class Account(Structure):
    _fields_ = [("id", c_int64), ("contact_id", c_int64), ("identity", c_int),
                ("mobile", c_char * (ADDRESS_MAX + 1)), ("email", c_char * (ADDRESS_MAX + 1)),
                ("confirmed_by", c_int64), ("confirmed_at", c_int64), ("created_at", c_int64)]


class SecureMessage(Structure):
    _fields_ = [("version", c_uint), ("conversation", c_int64), ("body", c_char_p),
                ("attachments", POINTER(AttachmentSpec)), ("attachment_count", c_size_t),
                ("idempotency_key", c_char_p)]


class SecureStatus(Structure):
    _fields_ = [("conversation_id", c_int64), ("link_id", c_int64), ("account_id", c_int64), ("contact_id", c_int64),
                ("identity", c_int), ("mobile_matches", c_int), ("email_matches", c_int), ("confirmed_by", c_int64),
                ("confirmed_at", c_int64)]


class PatientConversation(Structure):
    _fields_ = [("id", c_int64), ("link_id", c_int64), ("link_label", c_char * (LABEL_MAX + 1)),
                ("created_at", c_int64), ("last_item_at", c_int64)]


_proto("sb_link_base_set", c_int, c_void_p, c_int64, c_char_p)
_proto("sb_link_base_get", c_int, c_char_p, c_size_t, c_void_p, c_int64)
_proto("sb_link_create", c_int, _I64P, c_void_p, c_int64, c_char_p, c_char_p)
_proto("sb_link_set_slug", c_int, c_void_p, c_int64, c_int64, c_char_p)
_proto("sb_link_find", c_int, _I64P, c_void_p, c_int64, c_char_p)
_proto("sb_link_url", c_int, c_char_p, c_size_t, c_void_p, c_int64, c_int64)
_proto("sb_link_qr", c_int, c_void_p, c_size_t, POINTER(c_int), c_void_p, c_int64, c_int64)
_proto("sb_link_qr_svg", c_int, c_char_p, c_size_t, POINTER(c_size_t), c_void_p, c_int64, c_int64)
_proto("sb_invitation_settings_init", c_int, POINTER(InvitationSettings))
_proto("sb_invitation_settings_get", c_int, POINTER(InvitationSettings), c_void_p, c_int64)
_proto("sb_invitation_settings_set", c_int, c_void_p, c_int64, POINTER(InvitationSettings))
_proto("sb_invitation_send", c_int, _I64P, c_void_p, c_int64, c_int64, c_int64)
_proto("sb_invitation_send_message", c_int, _I64P, c_void_p, c_int64, c_int64, c_int64, c_char_p)
_proto("sb_invitation_open", c_int, _I64P, c_void_p, c_char_p)
_proto("sb_invitation_round", c_int, POINTER(RoundReport), c_void_p, c_int64, c_int64, POINTER(Filter), c_char_p,
       c_size_t)
_proto("sb_invitation_get", c_int, POINTER(Invitation), c_void_p, c_int64, c_int64)
_proto("sb_contact_invitations", c_int, POINTER(Invitation), POINTER(c_size_t), c_void_p, c_int64, c_int64, c_int64,
       c_size_t)
_proto("sb_invitation_revoke", c_int, c_void_p, c_int64, c_int64)
_proto("sb_patient_actor", c_int64, c_int64)
_proto("sb_signup_init", c_int, POINTER(Signup))
_proto("sb_signup_start", c_int, _I64P, c_void_p, POINTER(Signup))
_proto("sb_signup_resend", c_int, c_void_p, c_int64)
_proto("sb_signup_verify", c_int, POINTER(SignupResult), c_void_p, c_int64, c_char_p)
_proto("sb_account_get", c_int, POINTER(Account), c_void_p, c_int64, c_int64)
_proto("sb_account_confirm", c_int, c_void_p, c_int64, c_int64)
_proto("sb_account_mobile_change", c_int, _I64P, c_void_p, c_int64, c_int64, c_char_p)
_proto("sb_secure_message_init", c_int, POINTER(SecureMessage))
_proto("sb_secure_start", c_int, _I64P, c_void_p, c_int64, c_int64, c_int64)
_proto("sb_secure_send", c_int, _I64P, c_void_p, c_int64, POINTER(SecureMessage))
_proto("sb_secure_messages", c_int, POINTER(Item), POINTER(c_size_t), c_void_p, c_int64, c_int64, c_int64, c_size_t)
_proto("sb_patient_conversations", c_int, POINTER(PatientConversation), POINTER(c_size_t), c_void_p, c_int64,
       c_int64, c_size_t)
_proto("sb_secure_status_get", c_int, POINTER(SecureStatus), c_void_p, c_int64, c_int64)


# --- voice (voice.h, tree.h, call.h) ---

MEDIA_REF_MAX = 1024
GREETING_MAX = 1024
EXTRA_NUMBERS_MAX = 10
TREE_KEYS = 12
TREE_NAME_MAX = 128
TREE_PROMPT_MAX = 1024


class VoiceSettings(Structure):
    _fields_ = [("version", c_uint), ("ring_mode", c_int), ("ring_timeout_ms", c_int64),
                ("screen_timeout_ms", c_int64), ("voicemail_max_ms", c_int64), ("greeting", c_char_p),
                ("greeting_media", c_char_p), ("tree_id", c_int64), ("extra_numbers", POINTER(c_char_p)),
                ("extra_count", c_size_t)]


class VoiceConfig(Structure):
    _fields_ = [("endpoint_id", c_int64), ("ring_mode", c_int), ("ring_timeout_ms", c_int64),
                ("screen_timeout_ms", c_int64), ("voicemail_max_ms", c_int64),
                ("greeting", c_char * (GREETING_MAX + 1)), ("greeting_media", c_char * (MEDIA_REF_MAX + 1)),
                ("tree_id", c_int64), ("extra_count", c_size_t), ("extra_numbers", (c_char * 20) * EXTRA_NUMBERS_MAX)]


class DeskPhone(Structure):
    _fields_ = [("id", c_int64), ("teammate_id", c_int64), ("extension", c_char * 8), ("device", c_char * 129),
                ("address", c_char * 257), ("created_at", c_int64)]


class TreeBranch(Structure):
    _fields_ = [("key", c_int), ("route", c_int), ("target", c_int64), ("auto_assign", c_int)]


class TreeNode(Structure):
    _fields_ = [("prompt", c_char_p), ("prompt_media", c_char_p), ("timeout_ms", c_int64), ("tries", c_int),
                ("fallback", TreeBranch), ("branches", POINTER(TreeBranch)), ("branch_count", c_size_t)]


class TreeSpec(Structure):
    _fields_ = [("version", c_uint), ("name", c_char_p), ("nodes", POINTER(TreeNode)), ("node_count", c_size_t)]


class Tree(Structure):
    _fields_ = [("id", c_int64), ("name", c_char * (TREE_NAME_MAX + 1)), ("node_count", c_size_t),
                ("updated_at", c_int64)]


class TreeNodeInfo(Structure):
    _fields_ = [("prompt", c_char * (TREE_PROMPT_MAX + 1)), ("prompt_media", c_char * (MEDIA_REF_MAX + 1)),
                ("timeout_ms", c_int64), ("tries", c_int), ("fallback", TreeBranch), ("branch_count", c_size_t),
                ("branches", TreeBranch * TREE_KEYS)]


class Call(Structure):
    _fields_ = [("id", c_int64), ("endpoint_id", c_int64), ("conversation_id", c_int64), ("teammate_id", c_int64),
                ("origin", c_int), ("phase", c_int), ("outcome", c_int), ("unknown_caller", c_int),
                ("voicemail_item", c_int64), ("started_at", c_int64), ("answered_at", c_int64),
                ("ended_at", c_int64)]


class CallEvent(Structure):
    _fields_ = [("version", c_uint), ("kind", c_int), ("leg_id", c_char_p), ("event_id", c_char_p),
                ("reason", c_int), ("digits", c_char_p), ("media_ref", c_char_p), ("duration_ms", c_int64),
                ("timer_id", c_char_p)]


class DialSpec(Structure):
    _fields_ = [("version", c_uint), ("endpoint_id", c_int64), ("to", c_char_p), ("from_phone", c_char_p),
                ("desk_phone_id", c_int64)]


class Access(Structure):
    _fields_ = [("call_id", c_int64), ("number", c_char * 20), ("from_phone", c_char * 20), ("expires_at", c_int64)]


_proto("sb_voice_settings_init", c_int, POINTER(VoiceSettings))
_proto("sb_voice_settings_set", c_int, c_void_p, c_int64, c_int64, POINTER(VoiceSettings))
_proto("sb_voice_settings_get", c_int, POINTER(VoiceConfig), c_void_p, c_int64, c_int64)
_proto("sb_ring_timeout_set", c_int, c_void_p, c_int64, c_int64, c_char_p, c_int64)
_proto("sb_ring_timeout_get", c_int, _I64P, c_void_p, c_int64, c_int64, c_char_p)
_proto("sb_desk_phone_add", c_int, _I64P, c_void_p, c_int64, c_int64, c_char_p, c_char_p, c_char_p)
_proto("sb_desk_phone_get", c_int, POINTER(DeskPhone), c_void_p, c_int64, c_int64)
_proto("sb_desk_phone_remove", c_int, c_void_p, c_int64, c_int64)
_proto("sb_access_pool_set", c_int, c_void_p, c_int64, POINTER(c_char_p), c_size_t, c_int64)
_proto("sb_tree_spec_init", c_int, POINTER(TreeSpec))
_proto("sb_tree_save", c_int, _I64P, c_void_p, c_int64, POINTER(TreeSpec))
_proto("sb_tree_get", c_int, POINTER(Tree), c_void_p, c_int64, c_int64)
_proto("sb_tree_node_get", c_int, POINTER(TreeNodeInfo), c_void_p, c_int64, c_int64, c_size_t)
_proto("sb_tree_delete", c_int, c_void_p, c_int64, c_int64)
_proto("sb_call_event_init", c_int, POINTER(CallEvent), c_int)
_proto("sb_call_inbound", c_int, _I64P, c_void_p, c_char_p, c_char_p, c_char_p)
_proto("sb_call_feed", c_int, _I64P, c_void_p, POINTER(CallEvent))
_proto("sb_call_get", c_int, POINTER(Call), c_void_p, c_int64, c_int64)
_proto("sb_dial_spec_init", c_int, POINTER(DialSpec))
_proto("sb_call_dial", c_int, _I64P, c_void_p, c_int64, POINTER(DialSpec))
_proto("sb_call_reserve", c_int, POINTER(Access), c_void_p, c_int64, POINTER(DialSpec))
_proto("sb_voicemail_transcript", c_int, c_void_p, c_int64, c_char_p, c_char_p)


# notify.h
class Notice(Structure):
    _fields_ = [("version", c_uint), ("kind", c_int), ("conversation_id", c_int64), ("item_id", c_int64),
                ("mailbox_kind", c_int), ("mailbox_owner", c_int64), ("teammates", POINTER(c_int64)),
                ("teammate_count", c_size_t)]


class NotifyPrefs(Structure):
    _fields_ = [("version", c_uint), ("messages", c_int), ("voicemails", c_int), ("missed_calls", c_int)]


NOTIFY_FN = CFUNCTYPE(None, c_void_p, POINTER(Notice))
_proto("sb_notify_set", c_int, c_void_p, NOTIFY_FN, c_void_p)
_proto("sb_notify_prefs_init", c_int, POINTER(NotifyPrefs))
_proto("sb_notify_prefs_set", c_int, c_void_p, c_int64, c_int64, POINTER(NotifyPrefs))
_proto("sb_notify_prefs_get", c_int, POINTER(NotifyPrefs), c_void_p, c_int64, c_int64)


# chat.h
CHAT_TEXT_MAX = 4096
CHAT_MEMBERS_MAX = 16
CHAT_PAGE_MAX = 100


class Chat(Structure):
    _fields_ = [("id", c_int64), ("kind", c_int), ("team_id", c_int64), ("created_by", c_int64),
                ("created_at", c_int64), ("last_message_at", c_int64), ("unread", c_int64)]


class ChatMessage(Structure):
    _fields_ = [("id", c_int64), ("chat_id", c_int64), ("author", c_int64), ("at", c_int64),
                ("text_len", c_size_t), ("text", c_char * (CHAT_TEXT_MAX + 1))]


_proto("sb_chat_direct", c_int, POINTER(c_int64), c_void_p, c_int64, POINTER(c_int64), c_size_t)
_proto("sb_chat_team", c_int, POINTER(c_int64), c_void_p, c_int64, c_int64)
_proto("sb_chat_post", c_int, POINTER(c_int64), c_void_p, c_int64, c_int64, c_char_p, c_char_p)
_proto("sb_chat_messages", c_int, POINTER(ChatMessage), POINTER(c_size_t), c_void_p, c_int64, c_int64, c_int64,
       c_size_t)
_proto("sb_chat_list", c_int, POINTER(Chat), POINTER(c_size_t), c_void_p, c_int64, c_int64, c_size_t)
_proto("sb_chat_members", c_int, POINTER(c_int64), POINTER(c_size_t), c_void_p, c_int64, c_int64, c_size_t)
_proto("sb_chat_mark_read", c_int, c_void_p, c_int64, c_int64)
