"""The figures of the PDF statements (portal/domain/statements.py), from the domain: sums per
state of the lines, per arrangement and per municipality, the allocation counts, when a
period is closed, and no full BSN in what is printed."""

import json
from datetime import date

import pytest
from sqlalchemy import select

from portal.domain.codes import JZ588, WJ001
from portal.domain.figures import Period
from portal.domain.payment_exports import create_export
from portal.domain.review import approve_line, reject_line
from portal.domain.statements import (
    Money,
    clip_to_contract,
    contract_period_closed,
    contract_statement,
    declaration_statement,
)
from portal.domain.trajectories import end_trajectory
from portal.extensions import db
from portal.models import Client, Contract, Trajectory
from tests.declaring import declare, submit

YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))
FEBRUARY = Period(date(2026, 2, 1), date(2026, 2, 28))


def cents(lines) -> int:
    return sum(line.amount_cents for line in lines)


@pytest.fixture
def february(world):
    """Horizon's February declarations for Den Haag (two children) and Delft (one), submitted;
    De Kiem declares under its own contract."""
    world.trajectory("started")
    world.trajectory("started", arrangement="ontw_zwaar")
    world.trajectory("started", municipality=1)
    world.trajectory("started", provider=1)
    den_haag, delft = declare(world), declare(world, municipality=1)
    kiem = declare(world, provider=1)
    for declaration, provider in ((den_haag, 0), (delft, 0), (kiem, 1)):
        submit(world, declaration, provider=provider)
    db.session.flush()
    return den_haag, delft, kiem


def test_a_period_is_clipped_to_the_contract_term():
    contract = Contract(starts_on=date(2025, 1, 1), ends_on=date(2027, 12, 31))
    assert clip_to_contract(contract, YEAR) == YEAR
    assert clip_to_contract(contract, Period(date(2024, 7, 1), date(2025, 6, 30))) == Period(
        date(2025, 1, 1), date(2025, 6, 30))
    assert clip_to_contract(contract, Period(date(2028, 1, 1), date(2028, 12, 31))) is None


def test_money_adds_up_and_nets_credits():
    money = Money(declared=100, approved=80, rejected=20)
    money.add(Money(approved=50, credited=30, open=-10))
    assert (money.declared, money.approved, money.rejected, money.credited, money.open) == (
        100, 130, 20, 30, -10)
    assert money.net_approved == 100


def test_the_contract_statement_sums_the_lines_per_state(world, february):
    den_haag, delft, kiem = february
    reviewer = world.users["reviewer"]
    approved, rejected, *waiting = den_haag.lines
    approve_line(approved, reviewer)
    reject_line(rejected, WJ001.NOT_THIS_CLIENT, "Bedrag wijkt af.", reviewer)
    db.session.flush()
    statement = contract_statement(world.contracts[0], YEAR)
    totals = statement.totals
    assert totals.approved == approved.amount_cents
    assert totals.rejected == rejected.amount_cents
    assert totals.open == cents(waiting) + cents(delft.lines)
    assert totals.declared == cents(den_haag.lines) + cents(delft.lines)
    assert totals.declared == totals.approved + totals.rejected + totals.open
    per_arrangement = Money()
    for summary in statement.arrangements:
        per_arrangement.add(summary.money)
    assert per_arrangement == totals
    # De Kiem's lines count under its own contract only.
    assert contract_statement(world.contracts[1], YEAR).totals.declared == cents(kiem.lines)


def test_a_municipalitys_part_holds_only_its_own_children(world, february):
    _den_haag, delft, _kiem = february
    part = contract_statement(world.contracts[0], YEAR, world.municipalities[1])
    assert part.totals.declared == cents(delft.lines)
    assert {line.municipality for line in part.trajectories} == {"Delft"}
    whole = contract_statement(world.contracts[0], YEAR)
    assert len(whole.trajectories) == 3 and len(part.trajectories) == 1


def test_allocation_counts_and_ends_per_reason(world, february):
    statement = contract_statement(world.contracts[0], YEAR)
    assert (statement.allocations.new, statement.allocations.running) == (3, 3)
    assert statement.allocations.ended == []
    trajectory = world.trajectory("started", municipality=1)
    end_trajectory(trajectory, date(2026, 6, 30), JZ588.EARLY_BY_CLIENT,
                   world.users["provider_staff"])
    db.session.flush()
    statement = contract_statement(world.contracts[0], YEAR)
    assert statement.allocations.new == 4
    assert statement.allocations.ended == [(JZ588.EARLY_BY_CLIENT, 1)]
    assert contract_statement(world.contracts[0], FEBRUARY).allocations.ended == []


def test_the_printed_figures_hold_no_full_bsn_and_hash_the_same(world, february):
    statement = contract_statement(world.contracts[0], YEAR)
    printed = json.dumps(statement.content())
    bsns = db.session.scalars(select(Client.bsn).join(Trajectory).where(
        Trajectory.provider_id == world.providers[0].id)).all()
    assert len(bsns) == 3
    assert not any(bsn in printed for bsn in bsns)
    for line in statement.trajectories:
        assert line.masked_bsn.startswith("******") and len(line.masked_bsn) == 9
    assert contract_statement(world.contracts[0], YEAR).content() == statement.content()


def test_a_period_closes_once_every_line_is_decided_and_exported(world, february):
    den_haag, delft, _kiem = february
    after_february = date(2026, 3, 15)
    assert not contract_period_closed(contract_statement(world.contracts[0], FEBRUARY),
                                      after_february)
    for declaration, reviewer in ((den_haag, "reviewer"), (delft, "other_reviewer")):
        for line in declaration.lines:
            approve_line(line, world.users[reviewer])
    db.session.flush()
    statement = contract_statement(world.contracts[0], FEBRUARY)
    assert not contract_period_closed(statement, after_february)  # approved, not exported
    for municipality, reviewer in ((0, "reviewer"), (1, "other_reviewer")):
        create_export(world.municipalities[municipality], FEBRUARY.start, FEBRUARY.start,
                      world.users[reviewer])
    db.session.flush()
    statement = contract_statement(world.contracts[0], FEBRUARY)
    assert contract_period_closed(statement, after_february)
    assert not contract_period_closed(statement, FEBRUARY.end)  # the period is not over


def test_a_declaration_statement_counts_submitted_lines_only(world):
    world.trajectory("started")
    declaration = declare(world)
    assert declaration.lines
    assert declaration_statement(declaration).totals.declared == 0  # a concept
    submit(world, declaration)
    db.session.flush()
    statement = declaration_statement(declaration)
    assert statement.totals.declared == statement.totals.open == cents(declaration.lines)
    assert [line.id for line in statement.lines] == [line.id for line in declaration.lines]
