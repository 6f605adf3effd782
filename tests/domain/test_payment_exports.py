"""Payment exports: approved lines go to the payment system once, and the file can be
regenerated from its lines."""

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.domain import DomainError
from portal.domain.codes import WJ001
from portal.domain.declarations import credit_line
from portal.domain.payment_exports import create_export, export_csv, export_page
from portal.domain.review import approve_line, reject_line
from portal.extensions import db
from portal.models import AuditEvent
from tests.declaring import TODAY, declare, submit
from tests.layers import shared_layer


@pytest.fixture
def reviewer(world):
    return world.users["reviewer"]


@shared_layer(on="world")
def february_and_march(world):
    """February: two lines approved, one rejected; March: one approved. Built once for the
    tests here."""
    reviewer = world.users["reviewer"]
    for _ in range(3):
        world.trajectory("started")
    february = declare(world, date(2026, 2, 1))
    submit(world, february)
    approve_line(february.lines[0], reviewer)
    approve_line(february.lines[1], reviewer)
    reject_line(february.lines[2], WJ001.NOT_THIS_CLIENT, "Bedrag wijkt af.", reviewer)
    world.trajectory("started", started_on=date(2026, 3, 2))
    march = declare(world, date(2026, 3, 1))
    submit(world, march)
    approve_line(march.lines[0], reviewer)
    return february, march


def test_export_takes_approved_lines_of_the_months_once(world, reviewer, february_and_march):
    february, march = february_and_march
    export = create_export(world.municipalities[0], date(2026, 2, 1), date(2026, 2, 1),
                           reviewer)
    assert (export.period_from, export.period_to) == (date(2026, 2, 1), date(2026, 2, 28))
    assert [line.payment_export_id for line in february.lines] == [export.id, export.id, None]
    assert march.lines[0].payment_export_id is None
    with pytest.raises(DomainError, match="geen goedgekeurde regels"):
        create_export(world.municipalities[0], date(2026, 1, 1), date(2026, 2, 1), reviewer)
    later = create_export(world.municipalities[0], date(2026, 1, 1), date(2026, 3, 1),
                          reviewer)
    assert march.lines[0].payment_export_id == later.id
    [second, first] = export_page(world.municipalities[0], None, 10).rows
    assert (first.export, first.line_count, first.total_cents) == (export, 2, 672000)
    assert (second.export, second.line_count) == (later, 1)


def test_export_file_lists_each_line_and_is_the_same_when_downloaded_again(world, reviewer,
                                                                            february_and_march):
    export = create_export(world.municipalities[0], date(2026, 2, 1), date(2026, 3, 1),
                           reviewer)
    text = export_csv(export)
    rows = [row.split(";") for row in text.strip().split("\r\n")]
    assert rows[0] == ["gemeente", "agb_code", "declaratienummer", "toewijzingnummer",
                       "referentie", "tranche", "begindatum", "einddatum", "bedrag_centen",
                       "bedrag_euro", "debet_credit"]
    assert len(rows) == 4
    assert rows[1][0:2] == ["0518", world.providers[0].agb_code]
    assert rows[1][5:] == ["start", "2026-02-01", "2026-02-28", "336000", "3.360,00", "D"]
    assert export_csv(export) == text


def test_credit_is_exported_as_credit(world, reviewer, february_and_march):
    february, _march = february_and_march
    create_export(world.municipalities[0], date(2026, 2, 1), date(2026, 3, 1), reviewer)
    concept = credit_line(february.lines[0], world.users["provider_staff"], TODAY)
    submit(world, concept)
    credit, corrected = concept.lines
    approve_line(credit, reviewer)
    approve_line(corrected, reviewer)
    export = create_export(world.municipalities[0], date(2026, 11, 1), date(2026, 11, 1),
                           reviewer)
    rows = [row.split(";") for row in export_csv(export).strip().split("\r\n")[1:]]
    assert [(row[4], row[8], row[10]) for row in rows] == [
        (credit.reference, "336000", "C"), (corrected.reference, "336000", "D")]
    summary = export_page(world.municipalities[0], None, 10).rows[0]
    assert summary.total_cents == -336000 + 336000  # the credit and the corrected debit


def test_other_municipality_lines_are_not_exported(world, reviewer, february_and_march):
    with pytest.raises(DomainError, match="geen goedgekeurde regels"):
        create_export(world.municipalities[1], date(2026, 1, 1), date(2026, 12, 1),
                      world.users["other_reviewer"])


def test_last_month_before_first_is_refused(world, reviewer):
    with pytest.raises(DomainError) as caught:
        create_export(world.municipalities[0], date(2026, 3, 1), date(2026, 2, 1), reviewer)
    assert caught.value.field == "last_month"


def test_export_is_audited_per_line(world, reviewer, february_and_march):
    create_export(world.municipalities[0], date(2026, 2, 1), date(2026, 3, 1), reviewer)
    exported = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "declaration_line.exported"))
    assert exported == 3


def test_export_summaries_come_in_keyset_pages(world, reviewer, february_and_march):
    first = create_export(world.municipalities[0], date(2026, 2, 1), date(2026, 2, 1),
                          reviewer)
    later = create_export(world.municipalities[0], date(2026, 3, 1), date(2026, 3, 1),
                          reviewer)
    page = export_page(world.municipalities[0], None, 1)
    assert ([s.export for s in page.rows], page.next_after) == ([later], later.id)
    page = export_page(world.municipalities[0], later.id, 1)
    assert ([s.export for s in page.rows], page.next_after) == ([first], None)
    assert export_page(world.municipalities[0], first.id, 1).rows == []
