"""The municipality's decisions on declaration lines: the line's state machine."""

from datetime import date

import pytest
from sqlalchemy import select

from portal.domain import DomainError
from portal.domain.codes import WJ001
from portal.domain.lists import DeclarationStatus, LineStatus
from portal.domain.review import approve_line, approve_lines, is_overdue, reject_line
from portal.extensions import db
from portal.models import AuditEvent
from tests.declaring import declare, submit


@pytest.fixture
def declaration(world):
    for _ in range(3):
        world.trajectory("started")
    declaration = declare(world)
    submit(world, declaration, today=date(2026, 11, 23))
    return declaration


@pytest.fixture
def reviewer(world):
    return world.users["reviewer"]


def actions(line):
    return list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "declarationline", AuditEvent.object_id == line.id)
        .order_by(AuditEvent.id)))


def test_approve_in_full(declaration, reviewer):
    line = declaration.lines[0]
    approve_line(line, reviewer)
    assert (line.status, line.decided_by, line.return_code) == (
        LineStatus.APPROVED, reviewer, None)
    assert line.decided_at is not None
    assert actions(line)[-1] == "declaration_line.approved"
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "declaration_line.approved"))
    assert event.trajectory_id == line.allocation.trajectory_id


def test_reject_with_code_and_note(declaration, reviewer):
    line = declaration.lines[0]
    reject_line(line, WJ001.NOT_THIS_CLIENT, " Niet voor dit kind. ", reviewer)
    assert (line.status, line.return_code, line.decision_note) == (
        LineStatus.REJECTED, WJ001.NOT_THIS_CLIENT, "Niet voor dit kind.")
    assert actions(line)[-1] == "declaration_line.rejected"


@pytest.mark.parametrize("code, note, field", [
    (None, "Toelichting", "return_code"),
    (WJ001.NO_REMARK, "Toelichting", "return_code"),
    (WJ001.EXCEEDS_ALLOCATED, "   ", "note"),
])
def test_rejection_needs_a_code_and_a_note(declaration, reviewer, code, note, field):
    line = declaration.lines[0]
    with pytest.raises(DomainError) as caught:
        reject_line(line, code, note, reviewer)
    assert caught.value.field == field
    assert line.status == LineStatus.SUBMITTED


def test_a_line_is_decided_once(declaration, reviewer, world):
    line = declaration.lines[0]
    approve_line(line, reviewer)
    other = world.users["access_staff"]  # any second person of the municipality
    with pytest.raises(DomainError, match="al besloten door reviewer: goedgekeurd"):
        reject_line(line, WJ001.NOT_THIS_CLIENT, "Te laat gezien.", other)
    with pytest.raises(DomainError, match="al besloten"):
        approve_line(line, other)
    assert (line.status, line.decided_by) == (LineStatus.APPROVED, reviewer)
    assert actions(line).count("declaration_line.approved") == 1


def test_a_line_that_breaks_a_rule_is_not_approved(declaration, reviewer):
    line = declaration.lines[0]
    line.allocation.amount_cents = 1000  # 9322: more declared than allocated
    with pytest.raises(DomainError) as caught:
        approve_line(line, reviewer)
    assert caught.value.code == WJ001.EXCEEDS_ALLOCATED
    assert line.status == LineStatus.SUBMITTED


def test_declaration_is_answered_when_every_line_is_decided(declaration, reviewer):
    first, second, third = declaration.lines
    approve_line(first, reviewer)
    reject_line(second, WJ001.NOT_THIS_CLIENT, "Bedrag wijkt af.", reviewer)
    assert declaration.status == DeclarationStatus.SUBMITTED
    approve_line(third, reviewer)
    assert declaration.status == DeclarationStatus.ANSWERED


def test_approve_several_lines_reports_the_ones_left(declaration, reviewer):
    first, second, third = declaration.lines
    reject_line(first, WJ001.NOT_THIS_CLIENT, "Al eerder afgewezen.", reviewer)
    second.amount_cents += 1  # 0611
    result = approve_lines([third, second, first], reviewer)
    assert result.approved == [third]
    assert [(line, "0611" in message or "al besloten" in message)
            for line, message in result.refused] == [(first, True), (second, True)]
    assert (first.status, second.status, third.status) == (
        LineStatus.REJECTED, LineStatus.SUBMITTED, LineStatus.APPROVED)


def test_overdue_after_the_due_date(declaration, reviewer):
    line = declaration.lines[0]
    assert line.due_on == date(2026, 12, 7)
    assert not is_overdue(line, date(2026, 12, 7))
    assert is_overdue(line, date(2026, 12, 8))
    approve_line(line, reviewer)
    assert not is_overdue(line, date(2026, 12, 8))
