"""The review queue: filters, counts, sort orders and keyset pages."""

from datetime import date

import pytest

from portal.domain.codes import JZ588, WJ001
from portal.domain.lists import LineStatus, Tranche
from portal.domain.review import approve_line, reject_line
from portal.domain.review_queue import QueueFilter, queue_counts, queue_page
from tests.declaring import declare, measure_end, submit
from tests.layers import shared_layer

LATE = date(2026, 12, 8)  # after the due date of lines submitted on 23 November 2026


@shared_layer(on="world")
def queued_lines(world):
    """Den Haag: five lines from Horizon (four start tranches and an end tranche; one
    approved, one rejected), two from De Kiem; Delft: one. Built once for the tests here."""
    reviewer = world.users["reviewer"]
    for _ in range(3):
        world.trajectory("started")
    ended = world.trajectory("ended", started_on=date(2026, 2, 1), ended_on=date(2026, 5, 1),
                             end_reason=JZ588.EARLY_BY_CLIENT)
    measure_end(ended, world.users["provider_staff"])
    horizon = declare(world, date(2026, 5, 1))
    submit(world, horizon)
    for _ in range(2):
        world.trajectory("started", provider=1, arrangement="gedrag_midden")
    kiem = declare(world, date(2026, 2, 1), provider=1)
    submit(world, kiem, provider=1, today=date(2026, 12, 1))
    world.trajectory("started", municipality=1)
    submit(world, declare(world, date(2026, 2, 1), municipality=1))
    approve_line(horizon.lines[0], reviewer)
    reject_line(horizon.lines[1], WJ001.NOT_THIS_CLIENT, "Klopt niet.", reviewer)
    return horizon, kiem


def page(world, today=LATE, cursor=None, size=25, **filters):
    return queue_page(world.users["reviewer"], QueueFilter(**filters), cursor, size, today)


def test_default_shows_the_submitted_lines_of_the_own_municipality(world, queued_lines):
    horizon, kiem = queued_lines
    lines = page(world).rows
    assert {line.id for line in lines} == {
        *(line.id for line in horizon.lines[2:]), *(line.id for line in kiem.lines)}
    assert all(line.municipality_id == world.municipalities[0].id for line in lines)


def test_counts_per_status_and_overdue(world, queued_lines):
    counts = queue_counts(world.users["reviewer"], QueueFilter(), LATE)
    assert counts["statuses"] == {LineStatus.SUBMITTED: 5, LineStatus.APPROVED: 1,
                                  LineStatus.REJECTED: 1}
    assert counts["overdue"] == 3  # Horizon's, due 7 December; De Kiem's are due later


def test_sorted_by_due_date_overdue_first(world, queued_lines):
    horizon, kiem = queued_lines
    lines = page(world).rows
    assert [line.declaration for line in lines] == [horizon, horizon, horizon, kiem, kiem]


@pytest.mark.parametrize("filters, expected", [
    ({"overdue": True}, 3),
    ({"status": None}, 7),
    ({"status": LineStatus.APPROVED}, 1),
    ({"min_cents": 300000, "max_cents": 340000}, 2),
    ({"first_month": date(2026, 5, 1), "last_month": date(2026, 5, 1)}, 1),
])
def test_filters(world, queued_lines, filters, expected):
    assert len(page(world, **filters).rows) == expected


def test_filter_by_provider_and_arrangement(world, queued_lines):
    _horizon, kiem = queued_lines
    by_provider = page(world, provider_id=world.providers[1].id).rows
    assert {line.declaration for line in by_provider} == {kiem}
    arrangement = world.arrangements["gedrag_midden"]
    assert page(world, arrangement_id=arrangement.id).rows == by_provider


def test_end_tranche_filter_by_period_finds_the_pro_rata_amount(world, queued_lines):
    line = page(world, first_month=date(2026, 5, 1), last_month=date(2026, 5, 31)).rows[0]
    assert (line.tranche, line.amount_cents) == (Tranche.END, 250607)


@pytest.mark.parametrize("sort", ["termijn", "bedrag_hoog", "bedrag_laag", "nieuwste"])
def test_keyset_pages_walk_every_line_once(world, queued_lines, sort):
    seen, cursor = [], None
    while True:
        result = page(world, cursor=cursor, size=1, status=None, sort=sort)
        seen += result.rows
        cursor = result.next_after
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 7
    if sort == "bedrag_hoog":
        assert [ln.amount_cents for ln in seen] == sorted((ln.amount_cents for ln in seen),
                                                           reverse=True)


def test_a_broken_cursor_starts_at_the_first_page(world, queued_lines):
    assert page(world, cursor="nonsense").rows == page(world).rows


def test_checks_run_for_the_submitted_lines_on_the_page(world, queued_lines):
    horizon, _kiem = queued_lines
    horizon.lines[2].amount_cents += 1
    findings = page(world).findings
    assert [f.code for f in findings[horizon.lines[2].id]] == [WJ001.TARIFF_DIFFERS]
    assert findings[horizon.lines[3].id] == []
