"""Targets per contract: validation, and each target against its provider's figure, worked
out by hand on a small population."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portal.domain import DomainError
from portal.domain.codes import JZ588
from portal.domain.targets import (
    DUPLICATE,
    TargetInput,
    add_target,
    contract_targets,
    provider_targets,
    results,
)
from portal.extensions import db
from portal.models import Contract, ContractTarget
from tests.conftest import refresh_figures
from tests.factories import demo_scheme
from tests.regions import second_region

TODAY = date(2026, 11, 29)


def given(indicator="according_to_plan", year=2026, quarter=0, comparison="ge", value="70"):
    return TargetInput(indicator, year, quarter, comparison, value)


@pytest.fixture
def population(world):
    """Horizon: five ended according to plan and one drop-out, all on 31-07-2026 (Q3)."""
    for _ in range(5):
        world.trajectory("ended")
    world.trajectory("ended", end_reason=JZ588.EARLY_BY_CLIENT)
    world.trajectory("ended", provider=1, municipality=1, end_reason=JZ588.EARLY_BY_CLIENT)
    db.session.commit()
    refresh_figures()
    return world


def test_a_target_is_kept_in_tenths(world):
    target = add_target(world.contracts[0], given(indicator="satisfaction", value="7,5"),
                        world.users["contract_manager"])
    assert (target.value_tenths, target.comparison, target.quarter) == (75, "ge", 0)
    assert contract_targets(world.contracts[0]) == [target]


@pytest.mark.parametrize("values, field, message", [
    ({"value": "101"}, "value", "tussen 0 en 100"),
    ({"value": "-1"}, "value", "tussen 0 en 100"),
    ({"indicator": "satisfaction", "value": "11"}, "value", "tussen 1 en 10"),
    ({"indicator": "satisfaction", "value": "0,5"}, "value", "tussen 1 en 10"),
    ({"value": "70,25"}, "value", "hoogstens één decimaal"),
    ({"value": "zeventig"}, "value", "hoogstens één decimaal"),
    ({"value": "NaN"}, "value", "hoogstens één decimaal"),
    ({"indicator": "duration"}, "indicator", "alleen voor percentages en rapportcijfers"),
    ({"indicator": "cost_per_trajectory"}, "indicator", "alleen voor percentages"),
    ({"indicator": "nonsense"}, "indicator", "Kies een indicator"),
    ({"comparison": "gt"}, "comparison", "ten minste of ten hoogste"),
    ({"year": 2030}, "year", "buiten de looptijd"),  # the contract ends 31-12-2027
    ({"year": 2024, "quarter": 4}, "year", "buiten de looptijd"),
    ({"year": None}, "year", "Kies een jaar"),
    ({"quarter": 5}, "year", "Kies een jaar"),
])
def test_bad_targets_are_refused_and_nothing_is_saved(world, values, field, message):
    with pytest.raises(DomainError) as caught:
        add_target(world.contracts[0], given(**values), world.users["contract_manager"])
    assert caught.value.field == field and message in str(caught.value)
    assert db.session.scalar(select(func.count()).select_from(ContractTarget)) == 0


def test_a_duplicate_is_refused_but_a_quarter_of_the_same_year_is_not(world):
    manager = world.users["contract_manager"]
    add_target(world.contracts[0], given(), manager)
    with pytest.raises(DomainError) as caught:
        add_target(world.contracts[0], given(value="80"), manager)
    assert str(caught.value) == str(DUPLICATE)
    add_target(world.contracts[0], given(quarter=3), manager)
    add_target(world.contracts[1], given(), manager)  # another contract: its own targets
    assert len(contract_targets(world.contracts[0])) == 2


def test_each_target_against_the_providers_figure(population):
    world = population
    manager = world.users["contract_manager"]
    plan = add_target(world.contracts[0], given(), manager)
    drop_out = add_target(world.contracts[0], given("drop_out", comparison="le", value="10"),
                          manager)
    third = add_target(world.contracts[0], given(quarter=3, value="90"), manager)
    first = add_target(world.contracts[0], given(quarter=1), manager)
    kiem = add_target(world.contracts[1], given("drop_out", comparison="le", value="10"),
                      manager)
    found = {r.target.id: r for r in results([plan, drop_out, third, first, kiem], TODAY)}
    # Horizon 2026: 5 of 6 according to plan = 83.3% >= 70: met, 13.3 above
    assert (found[plan.id].figure.value, found[plan.id].met, found[plan.id].distance) == (
        Decimal("83.3"), True, Decimal("13.3"))
    # 1 of 6 dropped out = 16.7% <= 10: not met, 6.7 too high
    assert (found[drop_out.id].met, found[drop_out.id].distance) == (False, Decimal("6.7"))
    # Q3 holds every end: 83.3% >= 90 not met, 6.7 short
    assert (found[third.id].met, found[third.id].distance) == (False, Decimal("-6.7"))
    # Q1 holds no end, De Kiem one: too small to judge, never met or not met
    for small in (first, kiem):
        assert (found[small.id].figure.too_small, found[small.id].met,
                found[small.id].distance) == (True, None, None)
    assert provider_targets(world.providers[0].id, world.region.id) == [plan, drop_out, first,
                                                                         third]


def test_a_target_in_another_region_counts_only_that_regions_trajectories(population):
    world = population
    north = second_region()
    horizon = world.providers[0]
    contract = Contract(number="N-009", region=north.region, provider=horizon,
                        starts_on=date(2025, 1, 1), ends_on=date(2027, 12, 31),
                        scheme_versions=[demo_scheme()])
    db.session.add(contract)
    db.session.flush()
    target = add_target(contract, given(), north.users["contract_manager"])
    [result] = results([target], TODAY)
    assert (result.figure.base, result.met) == (0, None)
    assert provider_targets(horizon.id, world.region.id) == []
    assert provider_targets(horizon.id, north.region.id) == [target]
