"""switchboard: the communication core of a healthcare practice.

A Python binding over the C library (ctypes). See Practice, parse_phone and the
exceptions in switchboard.errors.
"""
from __future__ import annotations

from . import _native
from .audit import AuditEntry
from .carrier import CallOriginate, Email, Play, Record, Sms
from .contact import Contact, ContactAddress
from .endpoint import Endpoint
from .messaging import Attachment, AttachmentSpec, Conversation, Delivery, Item, Sent, sms_segments
from .errors import (BusyError, CallbackError, ConflictError, CorruptError, CryptoError, GenericError,
                     InvalidArgumentError, InvalidUTF8Error, MasterKeyError, NotFoundError,
                     NotSupportedError, OutOfMemoryError, PermissionDeniedError, PhoneNumberError,
                     RouteError, SchemaError, SecureConversationError, EmailAddressError, CodeError, ExpiredError, LimitError, EmergencyError, TransferError, TreeError, SignatureError, WebhookError, StateError, StoreError, SwitchboardError, TooBigError, VersionError,
                     error_for)
from .phone import KINDS, Phone, parse_phone
from .practice import ACTOR_SYSTEM, Practice
from .twilio import RestError, Twilio, WebhookReply
from .filters import Bulk, BulkRecipient, Filter, SavedFilter
from .automation import (AfterHours, AfterHoursEvent, Closure, Hours, HoursStatus, PumpReport, Scheduled,
                         Span)
from .team import ItemEvent, MailboxEntry, Settings, Tag, Team, Teammate
from .notify import Alert, AlertPrefs
from .chat import Chat, ChatMessage
from .secure import (Account, Invitation, InvitationSettings, PatientConversation, RoundReport, SecureStatus,
                     SignupResult, patient_actor)
from .voice import (Access, Call, CallEvent, DeskPhone, TreeBranch, TreeInfo, TreeNode, VoiceConfig,
                    VoiceSettings)

KEY_BYTES: int = _native.KEY_BYTES


def version() -> int:
    """The running library's version number (major*10000 + minor*100 + patch)."""
    return int(_native.lib.sb_version())


def version_string() -> str:
    return _native.lib.sb_version_string().decode()


def strerror(code: int) -> str:
    """Static text for an error code."""
    return _native.lib.sb_strerror(code).decode()


__version__ = "0.1.0"
__all__ = [
    "Bulk", "BulkRecipient", "Filter", "SavedFilter",
    "AfterHours", "AfterHoursEvent", "Closure", "Hours", "HoursStatus", "PumpReport", "Scheduled", "Span",
    "Account", "Invitation", "InvitationSettings", "PatientConversation", "RoundReport", "SecureStatus",
    "SignupResult", "patient_actor",
    "Access", "Call", "CallEvent", "DeskPhone", "TreeBranch", "TreeInfo", "TreeNode", "VoiceConfig",
    "VoiceSettings", "EmergencyError", "TransferError", "TreeError", "SignatureError", "WebhookError",
    "RestError", "Twilio", "WebhookReply",
    "ItemEvent", "MailboxEntry", "Settings", "Tag", "Team", "Teammate", "Alert", "AlertPrefs", "Chat", "ChatMessage",
    "Attachment", "AttachmentSpec", "Conversation", "Delivery", "Item", "Sent", "sms_segments",
    "ACTOR_SYSTEM", "KEY_BYTES", "KINDS", "AuditEntry", "BusyError", "CallOriginate", "CallbackError",
    "ConflictError", "Contact", "ContactAddress", "CorruptError", "CryptoError", "Email", "Endpoint", "GenericError", "InvalidArgumentError",
    "InvalidUTF8Error", "MasterKeyError", "NotFoundError", "NotSupportedError", "OutOfMemoryError",
    "PermissionDeniedError", "Phone", "PhoneNumberError", "Play", "Practice", "Record", "RouteError",
    "SchemaError", "SecureConversationError", "EmailAddressError", "CodeError", "ExpiredError", "LimitError",
    "Sms", "StateError", "StoreError", "SwitchboardError", "TooBigError", "VersionError", "error_for",
    "parse_phone", "strerror", "version", "version_string",
]
