"""The worked examples of docs/declarations.md, each declared, submitted and approved
through the domain, in cents.

Conventions (domain.md section 9): "Ontwikkeling, midden" at 840000 cents, scheme 40 % at the
start and the rest at the end, an early or administrative end pro rata over the planned
period (days inclusive, rounded down). The trajectory is allocated 01-02-2026 - 31-07-2026
(181 days) and care starts on 03-02-2026.
"""

from datetime import date

import pytest
from sqlalchemy import select

from portal.domain.codes import JZ002, JZ588, WJ758
from portal.domain.contracts import add_scheme_version
from portal.domain.declarations import credit_line
from portal.domain.lists import EarlyEndRule, LineStatus, Tranche
from portal.domain.requests import approve_change, request_change
from portal.domain.review import approve_lines
from portal.domain.tariffs import add_tariff_version
from portal.domain.trajectories import change_allocation_end, end_allocation, end_trajectory
from portal.extensions import db
from portal.models import DeclarationLine
from tests.declaring import TODAY, declare, measure_end, submit

PRO_RATA = (EarlyEndRule.PRO_RATA, EarlyEndRule.PRO_RATA)


def declare_and_approve(world, period: date) -> list[tuple[int, Tranche, int]]:
    """The month's declaration with every line the portal proposes, submitted and approved
    (so every rule held): (allocation number, tranche, signed cents) per line."""
    declaration = declare(world, period)
    assert submit(world, declaration) is True
    result = approve_lines(list(declaration.lines), world.users["reviewer"])
    assert not result.refused, result.refused
    return [(line.allocation.number, line.tranche, line.signed_amount_cents)
            for line in declaration.lines]


def amounts(lines) -> list[int]:
    return [cents for _number, _tranche, cents in lines]


def paid(trajectory) -> int:
    return sum(line.signed_amount_cents for allocation in trajectory.allocations
               for line in allocation_lines(allocation) if line.status == LineStatus.APPROVED)


def allocation_lines(allocation) -> list[DeclarationLine]:
    return list(db.session.scalars(select(DeclarationLine).where(
        DeclarationLine.allocation_id == allocation.id)))


def end(world, trajectory, on: date, reason: JZ588) -> None:
    end_trajectory(trajectory, on, reason, world.users["provider_staff"])
    measure_end(trajectory, world.users["provider_staff"])


@pytest.fixture
def started(world):
    trajectory = world.trajectory("started")
    assert amounts(declare_and_approve(world, date(2026, 2, 1))) == [336000]
    return trajectory


def test_1_plan_end(world, started):
    end(world, started, date(2026, 7, 31), JZ588.ACCORDING_TO_PLAN)
    assert amounts(declare_and_approve(world, date(2026, 7, 1))) == [504000]
    assert paid(started) == 840000


@pytest.mark.parametrize(("ended_on", "reason", "end_cents"), [
    (date(2026, 5, 1), JZ588.EARLY_BY_CLIENT, 250607),     # 504000 x 90 / 181
    (date(2026, 3, 31), JZ588.EARLY_BY_PROVIDER, 164287),  # 504000 x 59 / 181
])
def test_2_3_early_end_by_client_and_by_provider(world, started, ended_on, reason, end_cents):
    end(world, started, ended_on, reason)
    assert amounts(declare_and_approve(world, ended_on.replace(day=1))) == [end_cents]
    assert paid(started) == 336000 + end_cents


@pytest.mark.parametrize(("change", "end_reason"), [
    (JZ002.MOVED, JZ588.EARLY_EXTERNAL),                   # the early-end rule
    (JZ002.REASSESSMENT_SHORTENING, JZ588.BY_MUNICIPALITY),  # the administrative rule
])
def test_4_municipal_end(world, started, change, end_reason):
    end_allocation(started, date(2026, 4, 30), change, world.users["access_staff"])
    assert started.end_reason == end_reason
    measure_end(started, world.users["provider_staff"])
    assert amounts(declare_and_approve(world, date(2026, 4, 1))) == [247823]  # x 89 / 181
    assert paid(started) == 583823


def test_5_extension_then_drop_out(world, started):
    change_allocation_end(started, date(2026, 10, 31), JZ002.REASSESSMENT_EXTENSION,
                          world.users["access_staff"])
    end(world, started, date(2026, 8, 31), JZ588.EARLY_BY_CLIENT)
    # 212 of the 273 planned days: not the full end tranche of a plan end.
    assert amounts(declare_and_approve(world, date(2026, 8, 1))) == [391384]
    assert paid(started) == 727384


def test_6_correction_then_drop_out(world, started):
    change_allocation_end(started, date(2026, 4, 30), JZ002.ADMINISTRATIVE_CORRECTION,
                          world.users["access_staff"])
    end(world, started, date(2026, 3, 31), JZ588.EARLY_BY_CLIENT)
    # 59 of the 89 corrected planned days, not of the 181 first allocated (164287).
    assert amounts(declare_and_approve(world, date(2026, 3, 1))) == [334112]


def tariff_of_7777_77(world):
    """"Ontwikkeling, licht" at 777777 cents from 15-01-2026, for the scheme examples."""
    arrangement = world.arrangements["ontw_licht"]
    add_tariff_version(arrangement, date(2026, 1, 15), 777777, world.users["contract_manager"])
    return arrangement


@pytest.mark.parametrize(("first", "second", "start_cents", "end_cents"), [
    (35, 50, 272221, 505556),
    (40, 30, 311110, 466667),
])
def test_7_scheme_change_after_the_start_tranche(world, first, second, start_cents,
                                                  end_cents):
    manager, contract = world.users["contract_manager"], world.contracts[0]
    tariff_of_7777_77(world)
    if first != 40:
        add_scheme_version(contract, date(2026, 1, 15), first, *PRO_RATA, manager,
                           date(2026, 1, 15))
    trajectory = world.trajectory("started", arrangement="ontw_licht")
    assert amounts(declare_and_approve(world, date(2026, 2, 1))) == [start_cents]
    add_scheme_version(contract, date(2026, 3, 1), second, *PRO_RATA, manager,
                       date(2026, 2, 20))
    end(world, trajectory, date(2026, 7, 31), JZ588.ACCORDING_TO_PLAN)
    assert amounts(declare_and_approve(world, date(2026, 7, 1))) == [end_cents]
    assert paid(trajectory) == 777777
    # A trajectory allocated from 01-03-2026 is paid under the new scheme.
    later = world.trajectory(arrangement="ontw_licht", start=date(2026, 3, 1),
                             end=date(2026, 8, 31))
    assert later.current_allocation.scheme_version.start_share_percent == second


def test_7_the_issue_figures(world):
    """Re-pricing the end tranche with the new share would underpay 35 -> 50 % by
    € 1.166,67 and overrun the tariff at 40 -> 30 % (9322); the rest of the tariff does
    neither."""
    assert (777777 - 777777 * 35 // 100) - (777777 - 777777 * 50 // 100) == 116667
    assert 777777 * 40 // 100 + (777777 - 777777 * 30 // 100) == 855554 > 777777


def test_7_a_start_tranche_declared_under_an_earlier_scheme(world, started):
    """Data from before scheme versions: the allocation holds the contract's later scheme
    (50 %), its start tranche was declared at 40 %. The end tranche is the rest."""
    version = add_scheme_version(world.contracts[0], date(2026, 12, 1), 50, *PRO_RATA,
                                 world.users["contract_manager"], TODAY)
    started.current_allocation.scheme_version = version
    end(world, started, date(2026, 7, 31), JZ588.ACCORDING_TO_PLAN)
    assert amounts(declare_and_approve(world, date(2026, 7, 1))) == [504000]
    assert paid(started) == 840000


def test_8_tariff_version_change_mid_allocation(world, started):
    add_tariff_version(world.arrangements["ontw_midden"], date(2026, 4, 1), 900000,
                       world.users["contract_manager"])
    end(world, started, date(2026, 7, 31), JZ588.ACCORDING_TO_PLAN)
    assert amounts(declare_and_approve(world, date(2026, 7, 1))) == [504000]
    assert paid(started) == 840000  # the tariff valid on the allocation's start
    later = world.trajectory("started", start=date(2026, 4, 1), end=date(2026, 9, 30),
                             started_on=date(2026, 4, 2))
    assert later.current_allocation.amount_cents == 900000


def test_9_intensity_change_mid_way(world, started):
    change = request_change(started, reason=WJ758.CLIENT_SITUATION,
                            arrangement=world.arrangements["ontw_zwaar"],
                            end_date=date(2026, 10, 31), motivation="Meer zorg nodig.",
                            actor=world.users["provider_staff"])
    approve_change(change, date(2026, 5, 1), world.users["access_staff"])
    old, new = started.allocations
    assert (old.end_date, old.planned_end_date) == (date(2026, 4, 30), date(2026, 7, 31))
    assert (new.start_date, new.planned_end_date) == (date(2026, 5, 1), date(2026, 10, 31))
    # The old allocation ends with JZ588 37: pro rata 89 of its 181 planned days; the new
    # one (1428000) starts its own tranches.
    may = declare_and_approve(world, date(2026, 5, 1))
    assert sorted(may) == sorted([(old.number, Tranche.END, 247823),
                                  (new.number, Tranche.START, 571200)])
    end(world, started, date(2026, 10, 31), JZ588.ACCORDING_TO_PLAN)
    assert amounts(declare_and_approve(world, date(2026, 10, 1))) == [856800]
    assert paid(started) == 336000 + 247823 + 1428000


def test_10_credit_and_re_debit(world, started):
    [debit] = allocation_lines(started.current_allocation)
    correction = credit_line(debit, world.users["provider_staff"], TODAY)
    assert submit(world, correction) is True
    assert [line.signed_amount_cents for line in correction.lines] == [-336000, 336000]
    result = approve_lines(list(reversed(correction.lines)), world.users["reviewer"])
    assert not result.refused
    end(world, started, date(2026, 7, 31), JZ588.ACCORDING_TO_PLAN)
    assert amounts(declare_and_approve(world, date(2026, 7, 1))) == [504000]
    assert paid(started) == 840000


def test_11_the_next_contract_year_pays_its_indexed_tariff_under_its_changed_scheme(world):
    """The contract manager copies 2026 to 2027 with 2,5 % indexation and raises the start
    share to 50 % for Horizon's new contract; an allocation in 2027 keeps 861000 cents and
    the 50 % scheme: 430500 at the start, the rest (430500) at a plan end. The 2026
    allocation beside it still pays 40 % of 840000."""
    from decimal import Decimal

    from portal.domain.contract_year import copy_year
    from portal.domain.trajectories import ChildDetails, allocate, register_start
    from portal.models import Contract
    from tests.factories import ADDRESS, next_bsn

    manager, staff = world.users["contract_manager"], world.users["provider_staff"]
    running = world.trajectory("started")  # 01-02-2026 to 31-07-2026, 40 %
    for contract in world.contracts:
        contract.ends_on = date(2026, 12, 31)
    copy_year(world.region.id, 2026, Decimal("2.5"), manager)
    horizon_2027 = db.session.scalar(select(Contract).where(Contract.number == "T-001-2027"))
    add_scheme_version(horizon_2027, date(2027, 1, 1), 50, *PRO_RATA, manager,
                       today=date(2026, 12, 1))
    bsn = next_bsn()
    trajectory = allocate(municipality=world.municipalities[0],
                          child=ChildDetails(bsn, date(2015, 5, 17), "Noor", "Nieuwjaar",
                                             ADDRESS),
                          provider=world.providers[0], arrangement=world.arrangements[
                              "ontw_midden"], start=date(2027, 1, 4), end=date(2027, 6, 30),
                          actor=world.users["access_staff"])
    allocation = trajectory.current_allocation
    assert (allocation.amount_cents, allocation.scheme_version.start_share_percent) == (861000,
                                                                                      50)
    register_start(trajectory, date(2027, 1, 4), staff, today=date(2027, 1, 5))
    january = start_and_approve(world, date(2027, 1, 1), today=date(2027, 2, 1))
    assert (allocation.number, Tranche.START, 430500) in january
    end_trajectory(trajectory, date(2027, 6, 30), JZ588.ACCORDING_TO_PLAN, staff,
                   today=date(2027, 7, 1))
    measure_end(trajectory, staff)
    june = start_and_approve(world, date(2027, 6, 1), today=date(2027, 7, 2))
    assert june == [(allocation.number, Tranche.END, 430500)]
    assert paid(trajectory) == 861000
    assert running.current_allocation.scheme_version.start_share_percent == 40
    assert paid(running) == 336000


def start_and_approve(world, period: date, today: date) -> list[tuple[int, Tranche, int]]:
    """As declare_and_approve, on a day of the next year."""
    from portal.domain.declarations import start_declaration, submit_declaration

    staff = world.users["provider_staff"]
    declaration, _created = start_declaration(world.providers[0], world.municipalities[0],
                                              period, staff, today)
    assert submit_declaration(declaration, staff, today) is True
    result = approve_lines(list(declaration.lines), world.users["reviewer"])
    assert not result.refused, result.refused
    return [(line.allocation.number, line.tranche, line.signed_amount_cents)
            for line in declaration.lines]
