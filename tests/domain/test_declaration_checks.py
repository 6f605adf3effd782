"""Each declaration rule of domain.md section 6: its return code, one failing and one
passing case, and that start and stop registrations never block payment."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from portal.domain.codes import COD043, JZ002, JZ020, JZ588, WJ001
from portal.domain.declaration_checks import (
    LINE_CHECKS,
    CheckContext,
    LineIndex,
    Stage,
    run_checks,
)
from portal.domain.declarations import start_declaration
from portal.domain.lists import LineStatus
from portal.domain.review import approve_line
from portal.domain.trajectories import end_trajectory
from portal.extensions import db
from portal.models import DeclarationLine
from tests.declaring import TODAY, declare, submit

RULES = {check.name: check for check in LINE_CHECKS}


def verdict(line, name, stage=Stage.SUBMIT, ctx=None):
    ctx = ctx or CheckContext.load([line], stage)
    return RULES[name].rule(line, ctx)


def copy_of(line, **changes) -> DeclarationLine:
    """Another line like `line` (same allocation and tranche), flushed."""
    fields = {name: getattr(line, name) for name in (
        "declaration_id", "provider_id", "municipality_id", "allocation_id", "reference",
        "tranche", "period_start", "period_end", "amount_cents", "debit_credit", "status",
        "product_category", "product_code")}
    other = DeclarationLine(**{**fields, **changes})
    db.session.add(other)
    db.session.flush()
    return other


@pytest.fixture
def line(world):
    world.trajectory("started")
    return declare(world, date(2026, 2, 1)).lines[0]


@pytest.fixture
def approved(world, line):
    submit(world, line.declaration)
    approve_line(line, world.users["reviewer"])
    return line


@pytest.fixture
def later_concept(world):
    declaration, _created = start_declaration(
        world.providers[0], world.municipalities[0], date(2026, 11, 1),
        world.users["provider_staff"], TODAY)
    return declaration


def test_every_rule_of_section_6_has_a_named_check():
    assert {check.code for check in LINE_CHECKS} == {
        WJ001.TARIFF_DIFFERS, WJ001.REFERENCE_ALREADY_SUBMITTED,
        WJ001.START_OUTSIDE_ALLOCATION, WJ001.END_OUTSIDE_ALLOCATION,
        WJ001.NOT_IN_ONE_PERIOD, WJ001.EXCEEDS_ALLOCATED, WJ001.NUMBER_NOT_UNIQUE,
        WJ001.NO_ALLOCATION, WJ001.CATEGORY_DIFFERS, WJ001.CODE_DIFFERS,
        WJ001.ALLOCATION_DELETED, WJ001.CREDIT_WITHOUT_DEBIT, WJ001.DEBIT_WITHOUT_CREDIT,
        WJ001.ALREADY_CREDITED}
    assert len(RULES) == len(LINE_CHECKS)


def test_a_proposed_line_meets_every_rule(line):
    assert run_checks([line], Stage.SUBMIT) == {line.id: []}


def test_findings_carry_the_code_and_a_dutch_explanation(line):
    line.period_end = date(2026, 3, 3)
    (finding,) = run_checks([line], Stage.SUBMIT)[line.id]
    assert finding.code == WJ001.NOT_IN_ONE_PERIOD
    assert finding.explanation == "De productperiode loopt over meer dan één kalendermaand."


# One failing and one passing case per rule on a debit line --------------------------------


def _amount(world, line):
    line.amount_cents += 1


def _reference(world, line):
    return replace(CheckContext.load([line], Stage.SUBMIT), index=LineIndex(
        [line, DeclarationLine(id=10**9, provider_id=line.provider_id, reference=line.reference,
                               debit_credit=COD043.DEBIT, allocation_id=-1,
                               tranche=line.tranche, status=LineStatus.SUBMITTED)]))


def _tranche(world, line):
    other = declare(world, date(2026, 3, 1))
    copy_of(line, declaration_id=other.id, reference="P2026-999999")


def _start(world, line):
    line.period_start = line.allocation.start_date - timedelta(days=1)


def _end(world, line):
    line.period_end = line.allocation.end_date + timedelta(days=1)


def _month(world, line):
    line.period_end = date(2026, 3, 1)


def _exceeds(world, line):
    line.allocation.amount_cents = line.amount_cents - 1


def _number(world, line):
    return replace(CheckContext.load([line], Stage.SUBMIT), duplicate_numbers={
        (line.declaration.provider_id, line.declaration.number)})


def _provider(world, line):
    line.provider_id = world.providers[1].id


def _category(world, line):
    line.product_category = JZ020.YOUTH_MENTAL_HEALTH


def _code(world, line):
    line.product_code = "99X"


def _deleted(world, line):
    line.allocation.change_reason = JZ002.DELETED


@pytest.mark.parametrize("name, code, breaker", [
    ("amount_follows_contract_tariff", WJ001.TARIFF_DIFFERS, _amount),
    ("reference_used_once", WJ001.REFERENCE_ALREADY_SUBMITTED, _reference),
    ("tranche_declared_once", WJ001.REFERENCE_ALREADY_SUBMITTED, _tranche),
    ("period_starts_in_allocation", WJ001.START_OUTSIDE_ALLOCATION, _start),
    ("period_ends_in_allocation", WJ001.END_OUTSIDE_ALLOCATION, _end),
    ("period_in_one_month", WJ001.NOT_IN_ONE_PERIOD, _month),
    ("total_within_allocation", WJ001.EXCEEDS_ALLOCATED, _exceeds),
    ("declaration_number_unique", WJ001.NUMBER_NOT_UNIQUE, _number),
    ("allocation_of_this_provider", WJ001.NO_ALLOCATION, _provider),
    ("product_category_as_allocated", WJ001.CATEGORY_DIFFERS, _category),
    ("product_code_as_allocated", WJ001.CODE_DIFFERS, _code),
    ("allocation_not_deleted", WJ001.ALLOCATION_DELETED, _deleted),
])
def test_rule_fails_and_passes(world, line, name, code, breaker):
    assert RULES[name].code == code
    assert verdict(line, name) is None
    injected = breaker(world, line)  # some rules guard what a constraint already refuses
    assert verdict(line, name, ctx=injected) is not None
    if injected is None:
        assert code in {f.code for f in run_checks([line], Stage.SUBMIT)[line.id]}


def test_period_after_the_declaration_month_fails_9319(world):
    world.trajectory("started", started_on=date(2026, 3, 2))
    concept = declare(world, date(2026, 3, 1))
    line = concept.lines[0]
    concept.period = date(2026, 2, 1)
    assert "na de declaratiemaand" in verdict(line, "period_in_one_month")


# Corrections: credits and the debit that follows them (8017, 9389, 9390) -----------------


def test_credit_without_approved_debit_fails_8017(world, line, later_concept):
    submit(world, line.declaration)
    credit = copy_of(line, declaration_id=later_concept.id, debit_credit=COD043.CREDIT,
                     status=LineStatus.CONCEPT)
    assert "geen goedgekeurde debetregel" in verdict(credit, "credit_has_approved_debit")
    approve_line(line, world.users["reviewer"])
    assert verdict(credit, "credit_has_approved_debit") is None


def test_correction_debit_without_credit_fails_9389(world, approved, later_concept):
    debit = copy_of(approved, declaration_id=later_concept.id, reference="P2026-999999",
                    status=LineStatus.CONCEPT)
    assert "Crediteer die regel eerst" in verdict(debit, "correction_debit_has_credit")
    credit = copy_of(approved, declaration_id=later_concept.id, debit_credit=COD043.CREDIT,
                     status=LineStatus.CONCEPT)
    assert verdict(debit, "correction_debit_has_credit") is None
    # On review the credit must have been approved first.
    credit.status = debit.status = LineStatus.SUBMITTED
    assert "nog niet goedgekeurd" in verdict(debit, "correction_debit_has_credit",
                                             Stage.REVIEW)
    credit.status = LineStatus.APPROVED
    assert verdict(debit, "correction_debit_has_credit", Stage.REVIEW) is None


def test_second_credit_of_a_reference_fails_9390(world, approved, later_concept):
    credit = copy_of(approved, declaration_id=later_concept.id, debit_credit=COD043.CREDIT,
                     status=LineStatus.CONCEPT)
    assert verdict(credit, "credited_once") is None
    twin = DeclarationLine(id=10**9, provider_id=credit.provider_id, reference=credit.reference,
                           debit_credit=COD043.CREDIT, allocation_id=credit.allocation_id,
                           tranche=credit.tranche, status=LineStatus.APPROVED)
    ctx = replace(CheckContext.load([credit], Stage.SUBMIT),
                  index=LineIndex([approved, credit, twin]))
    assert "al gecrediteerd" in verdict(credit, "credited_once", ctx=ctx)


def test_credit_is_checked_against_its_debit_amount(world, approved, later_concept):
    credit = copy_of(approved, declaration_id=later_concept.id, debit_credit=COD043.CREDIT,
                     status=LineStatus.CONCEPT)
    assert run_checks([credit], Stage.SUBMIT) == {credit.id: []}
    credit.amount_cents -= 1
    assert [f.code for f in run_checks([credit], Stage.SUBMIT)[credit.id]] == [
        WJ001.TARIFF_DIFFERS]


def test_a_rejected_line_claims_nothing(world, line):
    submit(world, line.declaration)
    line.status = LineStatus.REJECTED
    again = declare(world, date(2026, 3, 1)).lines[0]
    assert run_checks([again], Stage.SUBMIT) == {again.id: []}


# Start and stop registrations never block payment ----------------------------------------


def test_stop_registered_after_declaring_does_not_block_approval(world):
    trajectory = world.trajectory("started", started_on=date(2026, 2, 1))
    declaration = declare(world, date(2026, 2, 1))
    submit(world, declaration)
    end_trajectory(trajectory, date(2026, 2, 10), JZ588.EARLY_BY_CLIENT,
                   world.users["provider_staff"])
    line = declaration.lines[0]
    assert run_checks([line], Stage.REVIEW) == {line.id: []}
    approve_line(line, world.users["reviewer"])
    assert line.status == LineStatus.APPROVED


def test_no_rule_reads_the_start_registration(world, line):
    line.allocation.trajectory.started_on = None
    assert run_checks([line], Stage.SUBMIT) == {line.id: []}
