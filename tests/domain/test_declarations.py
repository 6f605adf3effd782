"""Declaring tranches: proposal, adding and removing lines, submitting, corrections."""

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.domain import DomainError
from portal.domain import declarations as decl
from portal.domain.codes import COD043, JZ002, JZ588, WJ001, WJ758
from portal.domain.declarations import (
    add_line,
    credit_line,
    delete_concept,
    propose_lines,
    remove_line,
    start_declaration,
)
from portal.domain.lists import DeclarationStatus, LineStatus, Tranche
from portal.domain.measurements import has_end_measurement
from portal.domain.requests import approve_change, request_change
from portal.domain.review import approve_line, reject_line
from portal.domain.trajectories import end_allocation
from portal.extensions import db
from portal.models import AuditEvent, Declaration
from tests.declaring import TODAY, declare, measure_end, submit


def lines_of(declaration):
    return [(line.allocation.number, line.tranche, line.amount_cents) for line in
            declaration.lines]


def audit_actions(obj):
    return list(db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_type == type(obj).__name__.lower(),
                                        AuditEvent.object_id == obj.id)
        .order_by(AuditEvent.id)))


@pytest.fixture
def staff(world):
    return world.users["provider_staff"]


def ended(world, ended_on=date(2026, 7, 31), reason=JZ588.ACCORDING_TO_PLAN, **kwargs):
    return world.trajectory("ended", started_on=date(2026, 2, 1), ended_on=ended_on,
                            end_reason=reason, **kwargs)


# Proposal ---------------------------------------------------------------------------------


def test_proposal_holds_start_tranches_of_started_trajectories(world):
    started = world.trajectory("started")
    world.trajectory()  # start not registered: nothing earned
    world.trajectory("started", municipality=1)  # another municipality
    world.trajectory("started", provider=1)  # another provider
    declaration = declare(world, date(2026, 2, 1))
    assert declaration.number == "D2026-00001"
    assert declaration.status == DeclarationStatus.CONCEPT
    assert lines_of(declaration) == [
        (started.current_allocation.number, Tranche.START, 336000)]
    line = declaration.lines[0]
    assert (line.reference, line.period_start, line.period_end, line.debit_credit,
            line.product_category, line.product_code) == (
        "P2026-000001", date(2026, 2, 1), date(2026, 2, 28), COD043.DEBIT,
        started.current_allocation.arrangement.product_category, "01M")
    assert audit_actions(declaration) == ["declaration.created"]
    assert audit_actions(line) == ["declaration_line.added"]


def test_start_month_after_the_declaration_month_is_not_proposed(world):
    world.trajectory("started", started_on=date(2026, 3, 2))
    assert declare(world, date(2026, 2, 1)).lines == []


def test_end_tranche_waits_for_the_end_measurement(world, staff):
    trajectory = ended(world)
    assert not has_end_measurement(trajectory)
    first = declare(world, date(2026, 7, 1))
    assert [t for _n, t, _a in lines_of(first)] == [Tranche.START]
    measure_end(trajectory, staff)
    assert has_end_measurement(trajectory)
    second = declare(world, date(2026, 8, 1))
    assert lines_of(second) == [(trajectory.current_allocation.number, Tranche.END, 504000)]


def test_end_tranche_is_not_proposed_before_the_month_of_the_end(world, staff):
    measure_end(ended(world, date(2026, 5, 1), JZ588.EARLY_BY_CLIENT), staff)
    assert [t for _n, t, _a in lines_of(declare(world, date(2026, 4, 1)))] == [Tranche.START]
    assert lines_of(declare(world, date(2026, 5, 1)))[0][1:] == (Tranche.END, 250607)


def test_declared_tranches_are_not_proposed_again(world):
    world.trajectory("started")
    assert len(declare(world, date(2026, 2, 1)).lines) == 1
    assert declare(world, date(2026, 3, 1)).lines == []  # the concept holds it


def test_rejected_tranche_is_proposed_again(world):
    world.trajectory("started")
    first = declare(world, date(2026, 2, 1))
    submit(world, first)
    reject_line(first.lines[0], WJ001.NOT_THIS_CLIENT, "Bedrag klopt niet.",
                world.users["reviewer"])
    assert len(declare(world, date(2026, 3, 1)).lines) == 1


def test_open_concept_for_the_same_month_is_reused(world, staff):
    first = declare(world, date(2026, 2, 1))
    again, created = start_declaration(world.providers[0], world.municipalities[0],
                                       date(2026, 2, 14), staff, TODAY)
    assert (again, created) == (first, False)


def test_future_month_is_refused(world, staff):
    with pytest.raises(DomainError, match="al begonnen") as caught:
        start_declaration(world.providers[0], world.municipalities[0], date(2026, 12, 1),
                          staff, TODAY)
    assert caught.value.field == "period"


def test_after_a_change_request_each_allocation_has_its_own_tranches(world, staff):
    trajectory = world.trajectory("started", started_on=date(2026, 2, 1))
    old = trajectory.current_allocation
    change = request_change(trajectory, reason=WJ758.CLIENT_SITUATION,
                            arrangement=world.arrangements["ontw_zwaar"],
                            end_date=date(2026, 10, 31), motivation="Zwaarder.", actor=staff)
    approve_change(change, date(2026, 4, 15), world.users["access_staff"])
    new = trajectory.current_allocation
    # The replaced allocation (JZ588 37) needs no end measurement: the trajectory goes on.
    assert lines_of(declare(world, date(2026, 4, 1))) == [
        (old.number, Tranche.START, 336000),
        (old.number, Tranche.END, 504000 * 73 // 181),
        (new.number, Tranche.START, 571200),
    ]


def test_deleted_allocation_is_never_proposed(world):
    trajectory = world.trajectory("started")
    deleted = world.trajectory()
    end_allocation(deleted, date(2026, 2, 1), JZ002.DELETED, world.users["access_staff"])
    assert [n for n, _t, _a in lines_of(declare(world, date(2026, 2, 1)))] == [
        trajectory.current_allocation.number]


# Adding and removing ----------------------------------------------------------------------


def test_removed_line_can_be_added_again_by_allocation_number(world, staff):
    trajectory = world.trajectory("started")
    declaration = declare(world)
    line = declaration.lines[0]
    remove_line(line, staff)
    db.session.expire(declaration, ["lines"])
    assert declaration.lines == []
    again = add_line(declaration, trajectory.current_allocation.number, Tranche.START, staff,
                     TODAY)
    assert (again.amount_cents, again.tranche, again.status) == (
        336000, Tranche.START, LineStatus.CONCEPT)
    assert audit_actions(line) == ["declaration_line.added", "declaration_line.removed"]


def test_proposal_can_be_completed_after_removing(world, staff):
    world.trajectory("started")
    declaration = declare(world)
    remove_line(declaration.lines[0], staff)
    assert len(propose_lines(declaration, staff, TODAY)) == 1


@pytest.mark.parametrize("case, code", [
    ("other_provider", WJ001.NO_ALLOCATION),
    ("other_municipality", WJ001.NO_ALLOCATION),
    ("unknown", WJ001.NO_ALLOCATION),
    ("deleted", WJ001.ALLOCATION_DELETED),
    ("twice", WJ001.REFERENCE_ALREADY_SUBMITTED),
    ("later_month", WJ001.NOT_IN_ONE_PERIOD),
])
def test_add_line_refuses_with_the_return_code(world, staff, case, code):
    declaration = declare(world, date(2026, 2, 1))
    if case == "other_provider":
        number = world.trajectory("started", provider=1).current_allocation.number
    elif case == "other_municipality":
        number = world.trajectory("started", municipality=1).current_allocation.number
    elif case == "unknown":
        number = 999999
    elif case == "deleted":
        deleted = world.trajectory()
        end_allocation(deleted, date(2026, 2, 1), JZ002.DELETED, world.users["access_staff"])
        number = deleted.current_allocation.number
    elif case == "twice":
        number = world.trajectory("started").current_allocation.number
        add_line(declaration, number, Tranche.START, staff, TODAY)
    else:
        number = world.trajectory("started", started_on=date(2026, 3, 2)) \
            .current_allocation.number
    with pytest.raises(DomainError) as caught:
        add_line(declaration, number, Tranche.START, staff, TODAY)
    assert caught.value.code == code
    assert len(declaration.lines) == (1 if case == "twice" else 0)


@pytest.mark.parametrize("trait, tranche, message", [
    (None, Tranche.START, "start van de zorg"),
    ("started", Tranche.END, "beëindigd"),
])
def test_add_line_refuses_a_tranche_not_earned(world, staff, trait, tranche, message):
    trajectory = world.trajectory(*([trait] if trait else []))
    declaration = declare(world)
    with pytest.raises(DomainError, match=message) as caught:
        add_line(declaration, trajectory.current_allocation.number, tranche, staff, TODAY)
    assert caught.value.field == "tranche"


def test_empty_concept_can_be_deleted(world, staff):
    world.trajectory("started")
    declaration = declare(world)
    delete_concept(declaration, staff)
    assert db.session.scalar(select(func.count()).select_from(Declaration)) == 0


# Submitting -------------------------------------------------------------------------------


def test_submit_once_sets_the_due_date_on_every_line(world):
    world.trajectory("started")
    world.trajectory("started")
    declaration = declare(world)
    assert submit(world, declaration, today=date(2026, 11, 23)) is True
    assert declaration.status == DeclarationStatus.SUBMITTED
    assert declaration.submitted_at is not None
    assert declaration.due_on == date(2026, 12, 7)
    assert {(line.status, line.due_on) for line in declaration.lines} == {
        (LineStatus.SUBMITTED, date(2026, 12, 7))}
    assert submit(world, declaration) is False  # a double click changes nothing
    assert audit_actions(declaration) == ["declaration.created", "declaration.submitted"]
    assert audit_actions(declaration.lines[0]) == ["declaration_line.added",
                                                   "declaration_line.submitted"]


def test_submitted_declaration_is_not_changed_any_more(world, staff):
    trajectory = world.trajectory("started")
    declaration = declare(world)
    submit(world, declaration)
    with pytest.raises(DomainError, match="al ingediend"):
        remove_line(declaration.lines[0], staff)
    with pytest.raises(DomainError, match="al ingediend"):
        add_line(declaration, trajectory.current_allocation.number, Tranche.START, staff, TODAY)


def test_empty_declaration_is_not_submitted(world):
    declaration = declare(world)
    with pytest.raises(DomainError, match="zonder regels"):
        submit(world, declaration)
    assert declaration.status == DeclarationStatus.CONCEPT


def test_failing_line_blocks_the_submission_and_nothing_changes(world):
    world.trajectory("started")
    world.trajectory("started")
    declaration = declare(world)
    declaration.lines[1].amount_cents += 1  # as if the tariff had changed meanwhile
    with pytest.raises(DomainError, match="1 regel"):
        submit(world, declaration)
    assert declaration.status == DeclarationStatus.CONCEPT
    assert {line.status for line in declaration.lines} == {LineStatus.CONCEPT}


def test_number_taken_by_a_concurrent_declaration_is_issued_afresh(world, monkeypatch):
    declare(world, date(2026, 2, 1))
    real = decl.declaration_numbers
    calls = []

    def stale(provider_id, year):  # the first attempt counts before the other committed
        calls.append(year)
        return iter(["D2026-00001"]) if len(calls) == 1 else real(provider_id, year)

    monkeypatch.setattr(decl, "declaration_numbers", stale)
    second = declare(world, date(2026, 3, 1))
    assert (second.number, len(calls)) == ("D2026-00002", 2)


# Corrections ------------------------------------------------------------------------------


def approved_start_line(world):
    world.trajectory("started")
    declaration = declare(world)
    submit(world, declaration)
    line = declaration.lines[0]
    approve_line(line, world.users["reviewer"])
    return line


def test_credit_repeats_the_approved_debit_and_the_tranche_is_declared_again(world, staff):
    debit = approved_start_line(world)
    concept = credit_line(debit, staff, TODAY)
    assert concept.period == date(2026, 11, 1)
    credit, corrected = concept.lines
    assert (credit.reference, credit.debit_credit, credit.amount_cents, credit.period_start) == (
        debit.reference, COD043.CREDIT, debit.amount_cents, debit.period_start)
    assert (corrected.debit_credit, corrected.tranche, corrected.amount_cents) == (
        COD043.DEBIT, Tranche.START, 336000)
    assert corrected.reference != debit.reference
    assert submit(world, concept) is True


def test_credit_twice_is_refused_with_9390(world, staff):
    debit = approved_start_line(world)
    credit_line(debit, staff, TODAY)
    with pytest.raises(DomainError) as caught:
        credit_line(debit, staff, TODAY)
    assert caught.value.code == WJ001.ALREADY_CREDITED


def test_only_an_approved_debit_is_credited(world, staff):
    world.trajectory("started")
    declaration = declare(world)
    submit(world, declaration)
    with pytest.raises(DomainError) as caught:
        credit_line(declaration.lines[0], staff, TODAY)
    assert caught.value.code == WJ001.CREDIT_WITHOUT_DEBIT
