"""Municipal timeliness: how soon the municipality answers declaration lines, change
requests and requests for an allocation (issue 18, item 5; docs/indicators.md).

The answer term is 10 working days (domain.md sections 6 and 10). When a line or request is
decided, the domain stores how many working days the answer took (`answered_working_days`),
so the figures are counts per number of days that the database adds up: the functions here
work on those counts only, so every figure can be worked out by hand.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from flask_babel import lazy_gettext as _l

from portal.domain.figures import MIN_BASE, Figure, Unit, percentage
from portal.domain.working_days import ANSWER_PERIOD_WORKING_DAYS, is_working_day
from portal.formatting import AMSTERDAM


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`: 0 for an answer on the day
    itself, 10 for one on the due day."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count


def answer_working_days(asked_at: datetime | None, answered_at: datetime) -> int | None:
    """Working days from the day something was asked to the day it was answered, both days
    as they fall in Amsterdam (None when it was never asked: nothing to measure)."""
    if asked_at is None:
        return None
    return working_days_between(asked_at.astimezone(AMSTERDAM).date(),
                                answered_at.astimezone(AMSTERDAM).date())


class Kind(StrEnum):
    """What the municipality answers; each has its own table and the same term."""

    LINES = "lines"
    CHANGE_REQUESTS = "change_requests"
    ALLOCATION_REQUESTS = "allocation_requests"

    @property
    def label(self) -> str:
        return str({Kind.LINES: _l("Declaratieregels"),
                    Kind.CHANGE_REQUESTS: _l("Wijzigingsverzoeken"),
                    Kind.ALLOCATION_REQUESTS: _l("Verzoeken om toewijzing")}[self])


@dataclass(frozen=True)
class Tally:
    """One group's counts: answers per number of working days they took, and what is still
    unanswered after its due day."""

    answered: Counter = field(default_factory=Counter)
    late_unanswered: int = 0

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(self.answered + other.answered, self.late_unanswered + other.late_unanswered)


@dataclass(frozen=True)
class Timeliness:
    within_term: Figure  # answered within 10 working days / answered or late
    median_days: Figure  # working days to an answer
    answered: int
    late_unanswered: int


def lower_median(counts: Counter) -> int:
    """The smallest number of days within which at least half of the answers came."""
    half = (sum(counts.values()) + 1) // 2
    seen = 0
    for days in sorted(counts):
        seen += counts[days]
        if seen >= half:
            return days
    raise ValueError("no answers")


def timeliness(tally: Tally) -> Timeliness:
    """The figures of one tally; each rests on the number of lines or requests behind it and
    is too small to judge below MIN_BASE."""
    answered = sum(tally.answered.values())
    within = sum(n for days, n in tally.answered.items() if days <= ANSWER_PERIOD_WORKING_DAYS)
    median_days = (Figure(Unit.DAYS, answered) if answered < MIN_BASE else
                   Figure(Unit.DAYS, answered, Decimal(lower_median(tally.answered))))
    return Timeliness(within_term=percentage(within, answered + tally.late_unanswered),
                      median_days=median_days, answered=answered,
                      late_unanswered=tally.late_unanswered)


def total(tallies) -> Tally:
    return sum(tallies, Tally())
