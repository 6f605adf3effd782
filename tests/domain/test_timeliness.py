"""Municipal timeliness, worked out by hand (docs/indicators.md, "Tijdigheid van de
gemeente"): working days, the stored answer days, and the figures per quarter."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from portal.domain import DomainError
from portal.domain.codes import WJ758, WJ759
from portal.domain.quarters import Quarter, parse_period, parse_quarter
from portal.domain.requests import reject_change, request_change
from portal.domain.review import approve_line
from portal.domain.timeliness import (
    Kind,
    Tally,
    answer_working_days,
    lower_median,
    timeliness,
    total,
    working_days_between,
)
from portal.domain.timeliness_queries import Scope, overdue_now, quarter_tallies
from portal.extensions import db
from portal.models.types import utcnow
from tests.declaring import declare, submit
from tests.regions import second_region
from tests.timeliness_rows import change_request, line

TODAY = date(2026, 11, 23)
Q3, Q4 = Quarter(2026, 3), Quarter(2026, 4)


def test_working_days_skip_weekends_and_kings_day():
    # Monday 20 April to Friday 1 May 2026: Monday 27 April is King's Day.
    assert working_days_between(date(2026, 4, 20), date(2026, 5, 1)) == 8
    assert working_days_between(date(2026, 4, 20), date(2026, 4, 20)) == 0
    # Friday to Saturday and Sunday: no working day passed.
    assert working_days_between(date(2026, 5, 1), date(2026, 5, 3)) == 0


def test_answer_days_count_amsterdam_days():
    # 23:30 UTC on Monday 2 March is already Tuesday in Amsterdam.
    asked = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)
    assert answer_working_days(asked, datetime(2026, 3, 4, 9, 0, tzinfo=UTC)) == 1


def test_figures_of_a_tally():
    # Answered after 3, 3, 10, 12 and 15 working days; one is open past its due day.
    tally = Tally(Counter({3: 2, 10: 1, 12: 1, 15: 1}), late_unanswered=1)
    figures = timeliness(tally)
    assert figures.within_term.value == Decimal("50.0")  # 3 of 6
    assert figures.within_term.base == 6
    assert figures.median_days.value == 10  # 3, 3, [10], 12, 15
    assert (figures.answered, figures.late_unanswered) == (5, 1)


def test_median_of_an_even_number_is_the_lower_middle():
    assert lower_median(Counter({2: 1, 4: 1, 6: 1, 9: 1})) == 4


def test_fewer_than_five_is_too_small_to_judge():
    figures = timeliness(Tally(Counter({1: 4})))
    assert figures.within_term.too_small and figures.within_term.value is None
    assert figures.median_days.too_small and figures.median_days.value is None
    # Four answers and one late: the share rests on five, the median on four.
    figures = timeliness(Tally(Counter({1: 4}), late_unanswered=1))
    assert figures.within_term.value == Decimal("80.0")
    assert figures.median_days.too_small


def test_quarters_and_periods_from_text():
    assert parse_quarter("2026-K3", TODAY) == Q3
    assert parse_quarter(None, TODAY) == Q4
    assert [q.label for q in Q3.last(3)] == ["2026-K1", "2026-K2", "2026-K3"]
    assert Quarter(2026, 1).previous() == Quarter(2025, 4)
    assert parse_period("2025", TODAY)[1].end == date(2025, 12, 31)
    assert parse_period("2026-k2", TODAY)[0] == "2026-K2"


@pytest.mark.parametrize("text", ["2027-K1", "2026-K5", "K3-2026", "drie", "2026-", "1999",
                                  "2027", "9999-K1"])
def test_a_future_or_malformed_period_is_refused(text):
    with pytest.raises(DomainError):
        parse_period(text, TODAY)


@pytest.fixture
def lines(world):
    """Q3 2026 in 's-Gravenhage (Horizon): answered after 2, 4, 6, 10 and 12 working days
    and one open past its due day; in Delft (De Kiem) two answered after 3 days. Due in Q4:
    one answered after 1 day and one open, not yet due."""
    horizon = world.trajectory("started")
    kiem = world.trajectory("started", provider=1, municipality=1)
    user = world.users["provider_staff"]
    for days in (2, 4, 6, 10, 12, None):
        line(horizon, date(2026, 7, 15), days, user)
    for _ in range(2):
        line(kiem, date(2026, 8, 3), 3, user)
    line(horizon, date(2026, 11, 30), 1, user)
    line(horizon, date(2026, 11, 30), None, user)
    return world


def test_lines_per_quarter_and_municipality(lines):
    den_haag, delft = (m.id for m in lines.municipalities)
    tallies = quarter_tallies(Kind.LINES, Scope(lines.region.id), Q4.last(), TODAY)
    assert timeliness(tallies[(Q3, den_haag)]).within_term.value == Decimal("66.7")  # 4 of 6
    assert timeliness(tallies[(Q3, den_haag)]).median_days.value == 6
    assert timeliness(tallies[(Q3, delft)]).within_term.too_small
    region_q3 = timeliness(total(t for (q, _m), t in tallies.items() if q == Q3))
    # 6 of 8 within the term; answers 2, 3, 3, [4], 6, 10, 12.
    assert (region_q3.within_term.value, region_q3.median_days.value) == (Decimal("75.0"), 4)
    # Q4: the open line is not due yet, so only the answered one counts.
    assert tallies[(Q4, den_haag)] == Tally(Counter({1: 1}))
    assert overdue_now(Kind.LINES, Scope(lines.region.id), TODAY) == {den_haag: 1}


def test_scopes_and_walls(lines):
    den_haag, delft = (m.id for m in lines.municipalities)
    north = second_region()
    elsewhere = north.trajectory("started")
    line(elsewhere, date(2026, 7, 15), None, north.users["provider_staff"])
    region = quarter_tallies(Kind.LINES, Scope(lines.region.id), [Q3], TODAY)
    assert {m for _q, m in region} == {den_haag, delft}
    own = quarter_tallies(Kind.LINES, Scope(lines.region.id, provider_id=lines.providers[1].id),
                          [Q3], TODAY)
    assert own == {(Q3, delft): Tally(Counter({3: 2}))}
    municipal = quarter_tallies(Kind.LINES, Scope(lines.region.id, municipality_id=den_haag),
                                [Q3], TODAY)
    assert set(municipal) == {(Q3, den_haag)}
    assert overdue_now(Kind.LINES, Scope(north.region.id), TODAY) == {
        north.municipalities[0].id: 1}


def test_change_requests_are_due_ten_working_days_after_the_request(world):
    user = world.users["provider_staff"]
    # Wednesday 1 July 2026: due Wednesday 15 July.
    asked = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
    rows = [change_request(world.trajectory("started"), asked, days, user)
            for days in (0, 5, 9, 11, 14, None)]
    assert rows[0].due_on == date(2026, 7, 15)
    tallies = quarter_tallies(Kind.CHANGE_REQUESTS, Scope(world.region.id), [Q3], TODAY)
    figures = timeliness(tallies[(Q3, world.municipalities[0].id)])
    assert figures.within_term.value == Decimal("50.0")  # 0, 5, 9 of six
    assert figures.median_days.value == 9  # 0, 5, [9], 11, 14
    assert overdue_now(Kind.CHANGE_REQUESTS, Scope(world.region.id), TODAY) == {
        world.municipalities[0].id: 1}


def test_a_decision_stores_its_working_days(world):
    trajectory = world.trajectory("started")
    change = request_change(trajectory, reason=WJ758.CLIENT_SITUATION,
                            arrangement=world.arrangements["ontw_zwaar"],
                            end_date=date(2026, 7, 31), motivation="Meer hulp",
                            actor=world.users["provider_staff"])
    change.requested_at = utcnow() - timedelta(days=20)
    db.session.flush()
    reject_change(change, WJ759.CARE_CONTENT, "Past niet", world.users["access_staff"])
    assert change.answered_working_days == answer_working_days(change.requested_at,
                                                               change.decided_at)
    assert change.answered_working_days >= 12  # 20 days hold at least 12 working days


def test_a_line_decision_stores_its_working_days(world):
    for _ in range(2):
        world.trajectory("started")
    declaration = declare(world)
    submit(world, declaration, today=TODAY)
    declaration.submitted_at = utcnow() - timedelta(days=15)
    db.session.flush()
    line = declaration.lines[0]
    approve_line(line, world.users["reviewer"])
    assert line.answered_working_days == answer_working_days(declaration.submitted_at,
                                                             line.decided_at)
    assert line.answered_working_days >= 9  # 15 days hold at least 9 working days
