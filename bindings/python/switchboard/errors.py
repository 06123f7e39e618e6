"""Exceptions: one class per switchboard error code."""
from __future__ import annotations

from typing import Dict, Optional, Type


class SwitchboardError(Exception):
    """Base of every switchboard error. ``code`` is the C ``sb_error`` value and
    ``detail`` the handle's detail message (which never contains PHI)."""

    code: int = -1

    def __init__(self, detail: str = "", code: Optional[int] = None) -> None:
        if code is not None:
            self.code = code
        self.detail = detail
        super().__init__(detail or self.__class__.__name__)


class GenericError(SwitchboardError):
    code = -1


class OutOfMemoryError(SwitchboardError):
    code = -2


class InvalidArgumentError(SwitchboardError, ValueError):
    code = -3


class NotFoundError(SwitchboardError, LookupError):
    code = -4


class ConflictError(SwitchboardError):
    code = -5


class PermissionDeniedError(SwitchboardError, PermissionError):
    code = -6


class InvalidUTF8Error(InvalidArgumentError):
    code = -7


class PhoneNumberError(InvalidArgumentError):
    """A phone number that does not parse. ``problem`` names the broken rule."""

    code = -8

    def __init__(self, detail: str = "", code: Optional[int] = None, problem: int = 0) -> None:
        super().__init__(detail, code)
        self.problem = problem


class TooBigError(InvalidArgumentError):
    code = -9


class StoreError(SwitchboardError):
    code = -10


class BusyError(StoreError):
    code = -11


class SchemaError(StoreError):
    code = -12


class MasterKeyError(SwitchboardError):
    code = -13


class CryptoError(SwitchboardError):
    code = -14


class CorruptError(SwitchboardError):
    code = -15


class VersionError(SwitchboardError):
    code = -16


class StateError(SwitchboardError):
    code = -17


class CallbackError(SwitchboardError):
    code = -18


class NotSupportedError(SwitchboardError):
    code = -19


class RouteError(SwitchboardError):
    """An event is not addressed to one of the practice's business numbers."""
    code = -20


class SecureConversationError(SwitchboardError):
    """Secure conversations cannot be deleted (C10)."""
    code = -21


class EmailAddressError(SwitchboardError):
    """An e-mail address is malformed."""
    code = -22


class CodeError(SwitchboardError):
    """A verification code or invitation token is wrong."""
    code = -23


class ExpiredError(SwitchboardError):
    """A verification code or invitation has expired."""
    code = -24


class LimitError(SwitchboardError):
    """Too many tries or sends, or a pool is used up: the attempt is refused."""
    code = -25


class EmergencyError(SwitchboardError):
    """An emergency or N11 code (911, 988, 933, 211...): use the device's own dialer (V10)."""
    code = -26


class TransferError(SwitchboardError):
    """Outbound calls cannot be transferred (V9)."""
    code = -27


class TreeError(SwitchboardError):
    """A phone tree is invalid: a dangling branch or a loop without an exit (V12)."""
    code = -28


class SignatureError(SwitchboardError):
    """A carrier webhook's signature is missing or wrong: refused unread."""
    code = -29


class WebhookError(SwitchboardError):
    """A carrier webhook is malformed: its encoding, a field, a status word or its route."""
    code = -30


_BY_CODE: Dict[int, Type[SwitchboardError]] = {
    cls.code: cls
    for cls in (GenericError, OutOfMemoryError, InvalidArgumentError, NotFoundError, ConflictError,
                PermissionDeniedError, InvalidUTF8Error, PhoneNumberError, TooBigError, StoreError,
                BusyError, SchemaError, MasterKeyError, CryptoError, CorruptError, VersionError,
                StateError, CallbackError, NotSupportedError, RouteError,
                SecureConversationError, EmailAddressError, CodeError, ExpiredError, LimitError,
                EmergencyError, TransferError, TreeError, SignatureError, WebhookError)
}


def error_for(code: int, detail: str = "") -> SwitchboardError:
    """The exception for a C error code (unknown codes become SwitchboardError)."""
    cls = _BY_CODE.get(code)
    return cls(detail) if cls else SwitchboardError(detail, code)


def encode_text(value, field: str):
    """A str as UTF-8 bytes for the C library (None stays None)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidArgumentError(f"{field} must be a str")
    if "\x00" in value:  # C would see only the text before it
        raise InvalidArgumentError(f"{field} contains a NUL byte")
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates cannot be UTF-8
        raise InvalidUTF8Error(f"{field} is not valid UTF-8 (it holds a lone surrogate)") from None
