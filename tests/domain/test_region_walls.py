"""Regions are walls: another region's data changes none of a region's figures, lists or
checks. Two complete regions in one database (tests.regions)."""

from dataclasses import asdict
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from portal.domain import DomainError
from portal.domain.access_log import LogFilter, access_log_scope, search_access_log
from portal.domain.allocation_import import import_allocations
from portal.domain.audit import record
from portal.domain.catalogue import (
    all_arrangements,
    all_municipalities,
    all_providers,
    contracted_arrangements,
)
from portal.domain.codes import WJ759
from portal.domain.figures import Period
from portal.domain.indicator_queries import load_indicator_data
from portal.domain.indicators import GROUPINGS, compute, compute_by
from portal.domain.permissions import user_scope
from portal.domain.regions import region_ids_of, regions_of
from portal.domain.statements import contract_statement
from portal.domain.trajectories import ChildDetails, allocate
from portal.extensions import db
from portal.models import User
from tests.factories import TrajectoryFactory, next_bsn
from tests.layers import shared_layer
from tests.regions import populate, second_region, work_in_region_b

PERIOD = Period(date(2026, 1, 1), date(2026, 12, 31))
TODAY = date(2026, 11, 29)


def figures(region_id: int) -> dict:
    """Every indicator of the region, and per provider, arrangement and municipality."""
    data = load_indicator_data(PERIOD, region_id)
    return {"region": asdict(compute(data, PERIOD, TODAY)),
            **{grouping: {key: asdict(value) for key, value in
                          compute_by(data, PERIOD, TODAY, GROUPINGS[grouping]).items()}
               for grouping in GROUPINGS}}


@shared_layer(on="region_a")
def two_regions(region_a):
    """Region A: 9 ended according to plan and 1 drop-out (10 %). Region B: 5 drop-outs,
    poorly rated and cheap, and A's Horizon working in B too under a contract there. Built
    once for the tests here, with A's figures from before B was added."""
    world = region_a
    before = figures(world.region.id)
    north = second_region()
    populate(north, plan_ends=0, drop_outs=5, satisfaction=2, cents=100)
    work_in_region_b(world, north, trajectories=2, started=True)
    db.session.commit()
    return world, north, before


def test_drop_out_rate_of_a_is_unchanged_by_b(two_regions):
    world, north, _before = two_regions
    region = compute(load_indicator_data(PERIOD, world.region.id), PERIOD, TODAY)
    assert (region.ended, region.drop_out.value) == (10, Decimal("10.0"))
    assert region.satisfaction.value == Decimal("8.0")
    assert (region.treatment_achieved.value, region.treatment_achieved.base) == (
        Decimal("100.0"), 10)
    other = compute(load_indicator_data(PERIOD, north.region.id), PERIOD, TODAY)
    assert (other.ended, other.drop_out.value) == (5, Decimal("100.0"))
    assert other.treatment_achieved.base == 5


def test_every_indicator_of_a_is_unchanged_by_b(two_regions):
    world, _north, before = two_regions
    assert figures(world.region.id) == before


def test_b_data_never_reaches_a_rows(two_regions):
    world, north, _before = two_regions
    data = load_indicator_data(PERIOD, world.region.id)
    a_municipalities = {m.id for m in world.municipalities}
    assert {t.municipality_id for t in data.trajectories} == {world.municipalities[0].id}
    assert {t.municipality_id for t in data.trajectories} <= a_municipalities
    a_trajectories = {t.id for t in data.trajectories}
    for rows in (data.measurements, data.goals, data.later_starts, data.changes):
        assert {row.trajectory_id for row in rows} <= a_trajectories
    assert set(data.costs) <= a_trajectories
    assert north.providers[0].id not in {t.provider_id for t in data.trajectories}


def test_a_provider_in_two_regions_has_apart_figures(two_regions):
    world, north, _before = two_regions
    horizon = world.providers[0].id
    in_a = compute_by(load_indicator_data(PERIOD, world.region.id), PERIOD, TODAY,
                      GROUPINGS["provider"])[horizon]
    in_b = compute_by(load_indicator_data(PERIOD, north.region.id), PERIOD, TODAY,
                      GROUPINGS["provider"])[horizon]
    assert in_a.ended == 10 and in_b.ended == 0  # B's two Horizon trajectories still run


def test_choices_on_forms_hold_only_the_region(two_regions):
    world, north, _before = two_regions
    reviewer = world.users["reviewer"]
    assert {p.name for p in all_providers(region_ids_of(reviewer))} == {
        "Horizon Jeugdhulp", "De Kiem"}
    assert {m.name for m in all_municipalities(region_ids_of(reviewer))} == {
        "'s-Gravenhage", "Delft"}
    assert {a.product_code for a in all_arrangements(region_ids_of(reviewer))} == {
        "01L", "01M", "01Z", "03M"}
    # Horizon works in both regions: its staff choose among both regions' municipalities,
    # and each region's contracted arrangements.
    staff = world.users["provider_staff"]
    assert [r.name for r in regions_of(staff)] == ["Regio Noord", "Testregio"]
    assert len(all_municipalities(region_ids_of(staff))) == 4
    assert [a.product_code for a in contracted_arrangements(
        world.providers[0], date(2026, 3, 1), [north.region.id])] == ["91M"]
    # De Kiem works in A only.
    assert [r.name for r in regions_of(world.users["other_provider_staff"])] == ["Testregio"]


def child() -> ChildDetails:
    return ChildDetails(next_bsn(), date(2015, 5, 17), "Sam", "de Vries")


def test_a_municipality_cannot_allocate_to_b_provider_or_arrangement(two_regions):
    world, north, _before = two_regions
    with pytest.raises(DomainError) as no_contract:
        allocate(municipality=world.municipalities[0], child=child(),
                 provider=north.providers[0], arrangement=north.arrangements["ontw_midden"],
                 start=date(2026, 2, 1), end=date(2026, 7, 31), actor=None)
    assert no_contract.value.code == WJ759.NO_CONTRACT
    # Horizon has a contract in both regions, but B's arrangement is not in A's contract.
    with pytest.raises(DomainError) as not_in_contract:
        allocate(municipality=world.municipalities[0], child=child(),
                 provider=world.providers[0], arrangement=north.arrangements["ontw_midden"],
                 start=date(2026, 2, 1), end=date(2026, 7, 31), actor=None)
    assert not_in_contract.value.code == WJ759.NOT_IN_CONTRACT


def test_csv_import_does_not_know_b_arrangements_or_contracts(two_regions):
    world, north, _before = two_regions
    rows = [f"{next_bsn()};17-05-2015;Sam;de Vries;{north.providers[0].agb_code};45;91M;"
            "01-02-2026;31-07-2026",
            f"{next_bsn()};17-05-2015;Sam;de Vries;{world.providers[0].agb_code};45;91M;"
            "01-02-2026;31-07-2026"]
    header = "bsn;geboortedatum;voornaam;achternaam;agb_code;productcategorie;productcode;" \
             "startdatum;einddatum"
    result = import_allocations("\n".join([header, *rows]).encode(), world.municipalities[0],
                                world.users["access_staff"])
    assert result.created == [] and [e.line for e in result.errors] == [2, 3]
    assert all("Onbekend arrangement" in e.message for e in result.errors)


def test_contract_statement_of_a_is_unchanged_by_b(world):
    populate(world, plan_ends=3, drop_outs=1)
    contract = world.contracts[0]
    before = contract_statement(contract, PERIOD).content()
    north = second_region()
    populate(north, plan_ends=2, drop_outs=2, cents=100)
    work_in_region_b(world, north, started=True)
    assert contract_statement(contract, PERIOD).content() == before
    # 4 ended, and the running one's allocation and the one after its upscaling
    assert before["allocations"]["new"] == 6


def test_administrator_sees_only_its_region_accounts_and_log(two_regions):
    world, north, _before = two_regions
    admin = world.users["administrator"]
    emails = set(db.session.scalars(select(User.email).where(user_scope(admin))))
    assert "contract_manager@example.test" in emails
    assert "provider_staff@example.test" in emails
    assert not any(e.endswith("noord.example.test") for e in emails)
    seen_a = world.trajectory("started")
    seen_b = TrajectoryFactory(municipality=north.municipalities[0],
                               provider=north.providers[0],
                               arrangement=north.arrangements["ontw_midden"],
                               actor=north.users["provider_staff"])
    record(world.users["provider_staff"], "trajectory.viewed", seen_a, trajectory=seen_a)
    record(world.users["provider_staff"], "trajectory.viewed", seen_b, trajectory=seen_b)
    record(north.users["access_staff"], "user.created", north.users["reviewer"])
    db.session.flush()
    page = search_access_log(LogFilter(), None, 1000, access_log_scope(admin))
    clients = {e.client_id for e in page.rows if e.client_id}
    assert seen_a.client_id in clients and seen_b.client_id not in clients
    assert north.users["access_staff"].id not in {e.actor_id for e in page.rows}
