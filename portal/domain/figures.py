"""Indicator values and their arithmetic: exact Decimals, rounded half up, and the rule
that a figure resting on fewer than MIN_BASE trajectories carries no value."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

MIN_BASE = 5
ONE_DECIMAL = Decimal("0.1")
WHOLE = Decimal(1)


class Unit(StrEnum):
    PERCENT = "percent"
    MARK = "mark"  # a mean of marks 1-10
    DAYS = "days"
    RATE = "rate"  # per 100 trajectories
    CENTS = "cents"


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __contains__(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    @classmethod
    def twelve_months_until(cls, today: date) -> "Period":
        """The last twelve months up to and including today."""
        year_ago = (today.replace(year=today.year - 1) if (today.month, today.day) != (2, 29)
                    else today.replace(year=today.year - 1, day=28))
        return cls(year_ago + timedelta(days=1), today)

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        first_month = 3 * quarter - 2
        last = date(year + 1, 1, 1) if quarter == 4 else date(year, first_month + 3, 1)
        return cls(date(year, first_month, 1), last - timedelta(days=1))


@dataclass(frozen=True)
class Figure:
    """One indicator value and the number of trajectories it rests on (`base`).

    Below MIN_BASE the figure is too small to judge: `value` is then always None, so no
    percentage can leak out of a small group."""

    unit: Unit
    base: int
    value: Decimal | None = None

    @property
    def too_small(self) -> bool:
        return self.base < MIN_BASE


def _round(numerator, denominator, exponent: Decimal) -> Decimal:
    return (Decimal(numerator) / Decimal(denominator)).quantize(exponent, ROUND_HALF_UP)


def percentage(numerator: int, denominator: int, base: int | None = None) -> Figure:
    base = denominator if base is None else base
    if base < MIN_BASE or not denominator:
        return Figure(Unit.PERCENT, base)
    return Figure(Unit.PERCENT, base, _round(100 * numerator, denominator, ONE_DECIMAL))


def mean(values: list[int], unit: Unit, base: int | None = None) -> Figure:
    return mean_of(sum(values), len(values), unit, base)


def mean_of(total: int, count: int, unit: Unit, base: int | None = None) -> Figure:
    """The mean of `count` values summing to `total` (the figures store keeps sums)."""
    base = count if base is None else base
    if base < MIN_BASE or not count:
        return Figure(unit, base)
    exponent = ONE_DECIMAL if unit == Unit.MARK else WHOLE
    return Figure(unit, base, _round(total, count, exponent))


def ratio(total: int, count: int, unit: Unit, per: int = 1) -> Figure:
    """`total * per / count`: a rate per 100 trajectories or an amount per trajectory."""
    if count < MIN_BASE:
        return Figure(unit, count)
    return Figure(unit, count, _round(total * per, count,
                                      ONE_DECIMAL if unit == Unit.RATE else WHOLE))
