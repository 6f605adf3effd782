"""Identifiers of people and organisations: BSN (11-test), AGB, CBS and KvK codes."""

import re

from flask_babel import lazy_gettext as _l

from portal.domain import DomainError

_NINE_DIGITS = re.compile(r"\d{9}")
# The largest value of an integer column on PostgreSQL: ids, allocation numbers, cents.
MAX_INTEGER = 2**31 - 1


def bounded_int(value: str) -> int:
    """An integer typed or sent by the browser that fits an integer column; ValueError
    otherwise (also for digits other than 0-9, which Python's int() would accept)."""
    text = (value or "").strip()
    digits = text[1:] if text[:1] == "-" else text
    if not (digits.isascii() and digits.isdigit() and len(digits) <= 10):
        raise ValueError(value)
    number = int(text)
    if abs(number) > MAX_INTEGER:
        raise ValueError(value)
    return number


def parse_id(value: str | None) -> int | None:
    """A row id from the browser (a keyset cursor, a checkbox value), or None for anything
    that cannot be one: the one parser for ids, so no query ever gets an out-of-range key."""
    try:
        number = bounded_int(value or "")
    except ValueError:
        return None
    return number if number >= 1 else None


def bsn_is_valid(bsn: str) -> bool:
    """The 11-test of ../shared/ijw/elfproef.md; 000000000 is never a BSN."""
    if not isinstance(bsn, str) or not _NINE_DIGITS.fullmatch(bsn) or bsn == "000000000":
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(int(d) * w for d, w in zip(bsn, weights, strict=True)) % 11 == 0


def mask_bsn(bsn: str) -> str:
    """Show only the last three digits, as lists and logs must."""
    return "******" + bsn[-3:]


def is_digits(value: str, count: int) -> bool:
    return isinstance(value, str) and len(value) == count and value.isascii() and value.isdigit()


def validate_bsn(bsn: str) -> str:
    bsn = (bsn or "").strip()
    if not bsn_is_valid(bsn):
        raise DomainError(_l("Het BSN moet uit 9 cijfers bestaan en voldoen aan de elfproef."),
                          field="bsn")
    return bsn


def validate_agb(code: str) -> str:
    code = (code or "").strip()
    if not is_digits(code, 8):
        raise DomainError(_l("Een AGB-code bestaat uit 8 cijfers."), field="agb_code")
    return code


def validate_cbs(code: str) -> str:
    code = (code or "").strip()
    if not is_digits(code, 4):
        raise DomainError(_l("Een CBS-gemeentecode bestaat uit 4 cijfers."), field="cbs_code")
    return code


def validate_kvk(number: str) -> str:
    number = (number or "").strip()
    if not is_digits(number, 8):
        raise DomainError(_l("Een KvK-nummer bestaat uit 8 cijfers."), field="kvk_number")
    return number
