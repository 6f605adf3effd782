"""Dutch presentation of money and dates (`€ 1.234,56`, `22-11-2026`)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def format_cents(cents: int | None) -> str:
    if cents is None:
        return "–"
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}€ {euros:,}".replace(",", ".") + f",{rest:02d}"


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
