"""Tranche amounts and product periods (domain.md section 9)."""

from datetime import date

import pytest

from portal.domain.codes import JZ002, JZ588, WJ758
from portal.domain.lists import EarlyEndRule, Tranche
from portal.domain.requests import approve_change, request_change
from portal.domain.trajectories import end_allocation
from portal.domain.tranches import (
    PaymentScheme,
    TrancheDue,
    end_tranche_cents,
    start_tranche_cents,
    tranches_due,
)

DEMO_SCHEME = PaymentScheme(40, EarlyEndRule.PRO_RATA, EarlyEndRule.PRO_RATA)


def due(trajectory, allocation=None):
    allocation = allocation or trajectory.current_allocation
    return tranches_due(allocation, trajectory, DEMO_SCHEME)


def test_worked_example_a_ends_according_to_plan(world):
    a = world.trajectory("ended", started_on=date(2026, 2, 1), ended_on=date(2026, 7, 31),
                         end_reason=JZ588.ACCORDING_TO_PLAN)
    assert due(a) == [
        TrancheDue(Tranche.START, date(2026, 2, 1), date(2026, 2, 28), 336000),
        TrancheDue(Tranche.END, date(2026, 7, 1), date(2026, 7, 31), 504000),
    ]


def test_worked_example_b_ends_early_pro_rata_rounded_down(world):
    b = world.trajectory("ended", started_on=date(2026, 2, 1), ended_on=date(2026, 5, 1),
                         end_reason=JZ588.EARLY_BY_CLIENT)
    assert due(b)[1] == TrancheDue(Tranche.END, date(2026, 5, 1), date(2026, 5, 31),
                                   504000 * 90 // 181)
    assert due(b)[1].amount_cents == 250607


def test_start_tranche_is_due_from_the_start_of_care(world):
    started = world.trajectory("started", started_on=date(2026, 3, 10))
    assert due(started) == [
        TrancheDue(Tranche.START, date(2026, 3, 1), date(2026, 3, 31), 336000)]
    assert due(world.trajectory()) == []  # start not registered: nothing earned yet


def test_product_period_is_clipped_to_the_allocation(world):
    short = world.trajectory("ended", start=date(2026, 2, 10), end=date(2026, 6, 20),
                             started_on=date(2026, 2, 12), ended_on=date(2026, 6, 20),
                             end_reason=JZ588.ACCORDING_TO_PLAN)
    start, end = due(short)
    assert (start.period_start, start.period_end) == (date(2026, 2, 10), date(2026, 2, 28))
    assert (end.period_start, end.period_end) == (date(2026, 6, 1), date(2026, 6, 20))


@pytest.mark.parametrize("reason", [JZ588.DECEASED, JZ588.EARLY_BY_CLIENT,
                                    JZ588.EARLY_BY_PROVIDER, JZ588.EARLY_BY_AGREEMENT,
                                    JZ588.EARLY_EXTERNAL])
@pytest.mark.parametrize("rule, expected", [(EarlyEndRule.PRO_RATA, 250607),
                                            (EarlyEndRule.FULL, 504000),
                                            (EarlyEndRule.NONE, 0)])
def test_early_end_follows_the_contract_rule(reason, rule, expected):
    scheme = PaymentScheme(40, rule, EarlyEndRule.PRO_RATA)
    assert end_tranche_cents(840000, scheme, reason, 90, 181) == expected


@pytest.mark.parametrize("reason", [JZ588.BY_MUNICIPALITY, JZ588.CHANGE_REQUEST,
                                    JZ588.OTHER_PROVIDER, JZ588.OTHER_DOMAIN])
def test_administrative_end_has_its_own_rule(reason):
    pro_rata = PaymentScheme(40, EarlyEndRule.FULL, EarlyEndRule.PRO_RATA)
    full = PaymentScheme(40, EarlyEndRule.PRO_RATA, EarlyEndRule.FULL)
    assert end_tranche_cents(840000, pro_rata, reason, 90, 181) == 250607
    assert end_tranche_cents(840000, full, reason, 90, 181) == 504000


def test_end_according_to_plan_is_always_the_full_end_share():
    scheme = PaymentScheme(25, EarlyEndRule.NONE, EarlyEndRule.NONE)
    assert end_tranche_cents(840000, scheme, JZ588.ACCORDING_TO_PLAN, 10, 181) == 630000


def test_temporary_end_is_no_end():
    with pytest.raises(ValueError):
        end_tranche_cents(840000, DEMO_SCHEME, JZ588.TEMPORARY, 10, 181)


@pytest.mark.parametrize("share, start, end", [(40, 336000, 504000), (0, 0, 840000),
                                                (100, 840000, 0), (33, 277200, 562800)])
def test_start_share_rounds_down_and_the_end_tranche_is_the_rest(share, start, end):
    scheme = PaymentScheme(share, EarlyEndRule.PRO_RATA, EarlyEndRule.PRO_RATA)
    assert start_tranche_cents(840000, scheme) == start
    assert end_tranche_cents(840000, scheme, JZ588.ACCORDING_TO_PLAN, 1, 1) == end


def test_rounding_down_to_the_cent():
    scheme = PaymentScheme(33, EarlyEndRule.PRO_RATA, EarlyEndRule.PRO_RATA)
    assert start_tranche_cents(100001, scheme) == 33000  # 33000.33 rounds down
    assert end_tranche_cents(100001, scheme, JZ588.EARLY_BY_CLIENT, 1, 3) == 22333


def test_change_request_gives_the_new_allocation_its_own_tranches(world):
    trajectory = world.trajectory("started", started_on=date(2026, 2, 1))
    old = trajectory.current_allocation
    change = request_change(trajectory, reason=WJ758.CLIENT_SITUATION,
                            arrangement=world.arrangements["ontw_zwaar"],
                            end_date=date(2026, 10, 31), motivation="Zwaarder nodig.",
                            actor=world.users["provider_staff"])
    approve_change(change, date(2026, 4, 15), world.users["access_staff"])
    new = trajectory.current_allocation
    # The old allocation ended with JZ002 12, i.e. JZ588 37: pro rata over its planned
    # 181 days, of which 73 (1 February - 14 April) were served.
    assert old.planned_end_date == date(2026, 7, 31)
    assert due(trajectory, old) == [
        TrancheDue(Tranche.START, date(2026, 2, 1), date(2026, 2, 28), 336000),
        TrancheDue(Tranche.END, date(2026, 4, 1), date(2026, 4, 14), 504000 * 73 // 181),
    ]
    assert due(trajectory, new) == [
        TrancheDue(Tranche.START, date(2026, 4, 15), date(2026, 4, 30), 1428000 * 40 // 100)]


def test_municipal_end_counts_against_the_planned_period(world):
    trajectory = world.trajectory("started", started_on=date(2026, 2, 1))
    end_allocation(trajectory, date(2026, 5, 1), JZ002.OTHER_DOMAIN, world.users["access_staff"])
    end = due(trajectory)[1]
    assert end.amount_cents == 250607  # 90 of the 181 planned days, JZ588 39


def test_deleted_allocation_earns_nothing(world):
    trajectory = world.trajectory()
    end_allocation(trajectory, date(2026, 2, 1), JZ002.DELETED, world.users["access_staff"])
    assert due(trajectory) == []
