"""Quarters (the steering pages' and the trends') and periods as the steering pages take
them from a query string.

`2026-K3` is the third quarter of 2026, `2026` the whole year. A period that has not begun
yet, or text in another form, is refused with a Dutch message (never guessed at)."""

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from portal.domain import DomainError
from portal.domain.figures import Period

QUARTERS_SHOWN = 8
_QUARTER = re.compile(r"^(\d{4})-[Kk]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1-4

    @classmethod
    def of(cls, day: date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def period(self) -> Period:
        return Period.quarter(self.year, self.number)

    @property
    def label(self) -> str:
        return f"{self.year}-K{self.number}"

    def until(self, today: date) -> Period:
        """The quarter's period; a quarter still running ends today."""
        return Period(self.period.start, min(self.period.end, today))

    def previous(self) -> "Quarter":
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year,
                                                                          self.number - 1)

    def last(self, count: int = QUARTERS_SHOWN) -> list["Quarter"]:
        """The `count` quarters up to and including this one, oldest first."""
        quarters = [self]
        while len(quarters) < count:
            quarters.append(quarters[-1].previous())
        return quarters[::-1]


def _refuse_future(start: date, today: date) -> None:
    if start > today:
        raise DomainError(_l("Die periode is nog niet begonnen. Kies een periode tot en met "
                             "vandaag."), field="periode")


def parse_quarter(text: str | None, today: date) -> Quarter:
    """The quarter asked for (`2026-K3`); the current quarter when none is asked."""
    if not text:
        return Quarter.of(today)
    match = _QUARTER.match(text.strip())
    if match is None or not 2000 <= int(match[1]) <= 2100:
        raise DomainError(_l("Geef een kwartaal als jaar-K en een cijfer van 1 tot en met 4, "
                             "bijvoorbeeld %(example)s.", example=Quarter.of(today).label),
                          field="periode")
    quarter = Quarter(int(match[1]), int(match[2]))
    _refuse_future(quarter.period.start, today)
    return quarter


def parse_period(text: str | None, today: date) -> tuple[str, Period]:
    """A year (`2026`) or a quarter (`2026-K3`), with its label; the current year when none
    is asked."""
    if not text:
        return str(today.year), Period.year(today.year)
    year = _YEAR.match(text.strip())
    if year is None:
        quarter = parse_quarter(text, today)
        return quarter.label, quarter.period
    if not 2000 <= int(year[1]) <= 2100:
        raise DomainError(_l("Geef een jaar tussen 2000 en 2100."), field="periode")
    period = Period.year(int(year[1]))
    _refuse_future(period.start, today)
    return year[1], period
