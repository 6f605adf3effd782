"""Text in and out, in one place.

In: every text the portal stores, from a form, a CSV file or an iJw message, holds no control
characters (C0, DEL, C1; a multi-line text keeps tab and line breaks) and no characters that
reverse the reading direction (bidi overrides and isolates, which make a name read otherwise
than it is stored), and fits its column. The message names the field; the CSV import and the
iJw reader add the row or element.

Out: a cell of a CSV file the portal writes that starts with =, +, -, @, tab or CR would be
read as a formula by a spreadsheet program (formula injection), so such text gets a leading
single quote. Numbers the portal writes itself stay numbers: ints as they are, and numbers
formatted as text (Dutch notation, e.g. "-12,50") marked as `NumberText`.
"""

import csv
import io

from flask_babel import lazy_gettext as _l

from portal.domain import DomainError

_CONTROL = frozenset((*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)))
_BIDI = frozenset((*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
_FORBIDDEN = _CONTROL | _BIDI
_LINE_BREAKS_AND_TABS = frozenset((0x09, 0x0A, 0x0D))
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_problem(value: str, max_length: int | None, multiline: bool = False):
    """Why `value` cannot be stored (a Dutch sentence about "this field"), or None."""
    allowed = _LINE_BREAKS_AND_TABS if multiline else frozenset()
    for char in value:
        code = ord(char)
        if code in _FORBIDDEN and code not in allowed:
            return _l("Dit veld bevat een teken dat niet is toegestaan (U+%(code)s): een "
                      "stuurteken of een teken dat de leesrichting omdraait.",
                      code=f"{code:04X}")
    if max_length is not None and len(value) > max_length:
        return _l("Dit veld mag ten hoogste %(max)s tekens bevatten (nu %(length)s).",
                  max=max_length, length=len(value))
    return None


def check_text(value: str, label, max_length: int | None, *, multiline: bool = False,
               field: str | None = None) -> str:
    """`value` when it may be stored; otherwise a DomainError that names `label`."""
    problem = text_problem(value, max_length, multiline)
    if problem is not None:
        raise DomainError(_l("%(label)s: %(problem)s", label=label, problem=problem),
                          field=field)
    return value


def column_length(column) -> int | None:
    """The length of a String column (None for Text): the limit for its text."""
    return getattr(column.type, "length", None)


class NumberText(str):
    """A number the portal formatted as text (Dutch notation): written as it is."""


def spreadsheet_cell(value):
    """A value as a CSV cell that no spreadsheet program runs as a formula."""
    if isinstance(value, str) and not isinstance(value, NumberText) \
            and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SpreadsheetWriter:
    """csv.writer for the portal's files (`;`, CRLF) with every cell neutralised."""

    def __init__(self, out: io.StringIO):
        self._writer = csv.writer(out, delimiter=";", lineterminator="\r\n")

    def writerow(self, row) -> None:
        self._writer.writerow([spreadsheet_cell(value) for value in row])
