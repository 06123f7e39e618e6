"""Phone numbers: E.164 normalisation and NANP classification (phone.h)."""
from __future__ import annotations

import ctypes
from dataclasses import dataclass

from . import _native as n
from .errors import InvalidArgumentError, PhoneNumberError

KINDS = ("invalid", "geographic", "toll_free", "premium", "fictional", "service", "emergency",
         "international")


@dataclass(frozen=True)
class Phone:
    """A parsed number: ``number`` is E.164 (or the bare code for service and
    emergency codes), ``kind`` one of KINDS, ``country`` the ISO code of the
    NANP member ("" when none)."""

    number: str
    kind: str
    country: str

    @property
    def is_nanp(self) -> bool:
        return self.number.startswith("+1") and self.kind != "invalid"

    @property
    def is_textable(self) -> bool:
        """Whether texts reach it (C14): US (with its territories) and Canadian
        numbers, toll-free included; not other NANP members nor premium 900."""
        raw = n.Phone()
        if n.lib.sb_phone_parse(ctypes.byref(raw), self.number.encode()) != 0:
            return False
        return bool(n.lib.sb_phone_is_textable(ctypes.byref(raw)))


def parse_phone(text: str) -> Phone:
    """Parse what a person typed. Raises PhoneNumberError (with ``problem``, the
    rule that failed) or InvalidArgumentError for text that is not a str."""
    if not isinstance(text, str):
        raise InvalidArgumentError("phone number must be a str")
    raw = n.Phone()
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        raise PhoneNumberError("the number contains characters that are not part of a number",
                               problem=2) from None
    rc = n.lib.sb_phone_parse(ctypes.byref(raw), data)
    if rc != 0:
        if rc == PhoneNumberError.code:
            raise PhoneNumberError(problem_text(raw.problem), problem=raw.problem)
        raise InvalidArgumentError(n.lib.sb_strerror(rc).decode())
    return Phone(raw.number.decode(), kind_name(raw.kind), raw.country.decode())


def kind_name(kind: int) -> str:
    return n.lib.sb_phone_kind_name(kind).decode()


def problem_text(problem: int) -> str:
    return n.lib.sb_phone_problem_text(problem).decode()
