"""Working days for answer periods (domain.md section 10).

Monday to Friday, without the public holidays of the Algemene termijnenwet (art. 3): New
Year's Day, Easter Monday, King's Day, Liberation Day (every year), Ascension Day, Whit
Monday, Christmas Day and Boxing Day. Good Friday is not one of them. `holidays.NL` knows
these days, but counts Good Friday and Liberation Day only in lustrum years; both are
corrected here.
"""

from datetime import date, datetime, timedelta
from functools import cache

import holidays
from dateutil.easter import easter

from portal.formatting import AMSTERDAM

ANSWER_PERIOD_WORKING_DAYS = 10


@cache
def public_holidays(year: int) -> frozenset[date]:
    days = set(holidays.NL(years=year))
    days.discard(easter(year) - timedelta(days=2))  # Good Friday
    days.add(date(year, 5, 5))  # Liberation Day
    return frozenset(days)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def add_working_days(start: date, count: int) -> date:
    """The `count`-th working day after `start` (`start` itself does not count)."""
    day = start
    remaining = count
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def answer_due(submitted_on: date) -> date:
    """The municipality answers a declaration within 10 working days."""
    return add_working_days(submitted_on, ANSWER_PERIOD_WORKING_DAYS)


def today_in_amsterdam() -> date:
    return datetime.now(AMSTERDAM).date()
