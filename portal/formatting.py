"""Dutch presentation of money and dates (`€ 1.234,56`, `22-11-2026`), and reading euros."""

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_format_date
from flask_babel import gettext

from portal.domain.figures import Figure, Unit

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# Euros as people type them in the Netherlands: 8400, 8400,5, 8.400,00, € 8.400,00, -12,50.
_EUROS = re.compile(r"^(-)?\s*(?:€\s*)?(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?$")


def format_euros(cents: int) -> str:
    """Euros without the € sign and without a minus: `1.234,56`."""
    euros, rest = divmod(abs(cents), 100)
    return f"{euros:,}".replace(",", ".") + f",{rest:02d}"


def format_cents(cents: int | None) -> str:
    if cents is None:
        return "–"
    return ("-" if cents < 0 else "") + "€ " + format_euros(cents)


def parse_euros(text: str) -> int:
    """Dutch-formatted euros to cents; ValueError for anything else (e.g. '8400.00')."""
    match = _EUROS.match((text or "").strip())
    if match is None:
        raise ValueError(text)
    sign, euros, decimals = match.groups()
    cents = int(euros.replace(".", "")) * 100 + int((decimals or "0").ljust(2, "0"))
    return -cents if sign else cents


def format_date(value: date | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):
        value = value.astimezone(AMSTERDAM).date()
    return value.strftime("%d-%m-%Y")


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return "–"
    return value.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")


def format_number(value: Decimal | int, places: int = 0) -> str:
    """Dutch notation, rounded half up: `1.234,5`."""
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return f"{rounded:,.{places}f}".translate(_DUTCH_SEPARATORS)


_DUTCH_SEPARATORS = str.maketrans(",.", ".,")
# Decimals per unit; an amount in cents is shown in euros.
_PLACES = {Unit.PERCENT: 1, Unit.MARK: 1, Unit.RATE: 1, Unit.DAYS: 0, Unit.CENTS: 2}


def figure_number(figure: Figure) -> str:
    """The value as a bare Dutch number, an amount in euros (`62,5`, `3.384,35`): for
    spreadsheets, which add no sign of their own. The figure has a value."""
    if figure.value is None:
        raise ValueError("a figure too small to judge has no number")
    value = figure.value
    return format_number(value / 100 if figure.unit == Unit.CENTS else value,
                         _PLACES[figure.unit])


def format_figure(figure: Figure) -> str:
    """An indicator as shown: `62,5%`, `7,4`, `€ 3.384,35`, or why there is no value."""
    if figure.too_small:
        return gettext("te klein om te beoordelen")
    if figure.value is None:
        return "–"
    if figure.unit == Unit.CENTS:
        return format_cents(int(figure.value))
    text = figure_number(figure)
    return f"{text}%" if figure.unit == Unit.PERCENT else text
def format_change(change: Decimal | None, unit: Unit) -> str:
    """A difference between two figures, signed: `+3,2 procentpunt`, `-0,4`, `+€ 12,00`;
    `–` where one of them was too small to judge."""
    if change is None:
        return "–"
    sign = "+" if change > 0 else "-" if change < 0 else "±"
    if unit == Unit.CENTS:
        return sign + format_cents(abs(int(change)))
    text = sign + format_number(abs(change), _PLACES[unit])
    return gettext("%(change)s procentpunt", change=text) if unit == Unit.PERCENT else text


def format_month(value: date | None, locale: str = "nl") -> str:
    """The calendar month of a date: `februari 2026`."""
    if value is None:
        return "–"
    return babel_format_date(value, "LLLL y", locale=locale)
