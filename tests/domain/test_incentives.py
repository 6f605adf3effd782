"""The incentives watch worked out by hand on tests/incentive_population.py
(docs/indicators.md, "Prikkels in beeld")."""

from collections import Counter
from datetime import date
from decimal import Decimal

from portal.domain.codes import JZ588
from portal.domain.figures import Period
from portal.domain.incentives import (
    HandedOnRow,
    ProviderData,
    RestartRow,
    compute,
)
from portal.domain.incentives_queries import load_incentives
from tests.incentive_population import TODAY, populate
from tests.regions import second_region

YEAR = Period.year(2026)


def test_horizon_in_2026(world, incentive_population):
    data = load_incentives(YEAR, world.region.id)
    horizon = compute(data[world.providers[0].id], TODAY)
    assert horizon.active == 10
    # One extension at the same intensity and one upscaling, each per 100 active and with
    # the tariff of its new allocation (2026: midden 8.400,00, zwaar 14.280,00).
    assert (horizon.extensions.count, horizon.extensions.cents) == (1, 840000)
    assert horizon.extension_rate.value == Decimal("10.0")
    assert (horizon.upscalings.count, horizon.upscalings.cents) == (1, 1428000)
    assert horizon.upscaling_rate.value == Decimal("10.0")
    # Ten new trajectories; one of a child back within 182 days (31 March -> 1 June).
    assert (horizon.new_starts, horizon.reallocated) == (10, 1)
    assert horizon.reallocated_share.value == Decimal("10.0")
    # 38 and 39 on 29 May are judged, 10 November not yet; only the 38 had no follow-up.
    assert (horizon.handed_on, horizon.handed_on_pending) == (2, 1)
    not_followed = incentive_population.not_followed
    assert [h.trajectory_id for h in horizon.without_follow_up] == [not_followed.id]
    listed = horizon.without_follow_up[0]
    assert (listed.allocation_number, listed.ended_on, listed.end_reason) == (
        not_followed.current_allocation.number, date(2026, 5, 29),
        JZ588.OTHER_PROVIDER)
    assert horizon.without_follow_up_share.too_small  # 1 of 2


def test_case_mix(world, incentive_population):
    horizon = compute(load_incentives(YEAR, world.region.id)[world.providers[0].id], TODAY)
    # Born 17-05-2015 and started 03-02-2026: 10 years; the teenager was 17 both times.
    assert [(s.key, s.count, s.share.value) for s in horizon.ages] == [
        (6, 8, Decimal("80.0")), (12, 2, Decimal("20.0"))]
    licht, midden = (world.arrangements[k].intensity_id for k in ("ontw_licht", "ontw_midden"))
    assert [(s.key, s.count, s.share.value) for s in horizon.intensities] == sorted(
        [(licht, 1, Decimal("10.0")), (midden, 9, Decimal("90.0"))])
    assert [(s.count, s.share.value) for s in horizon.profiles] == [(10, Decimal("100.0"))]


def test_the_region_is_the_sum_and_de_kiem_too_small(world, incentive_population):
    data = load_incentives(YEAR, world.region.id)
    kiem = compute(data[world.providers[1].id], TODAY)
    assert (kiem.active, kiem.new_starts) == (0, 1)  # allocated, not started
    assert kiem.extension_rate.too_small and kiem.reallocated_share.too_small
    region = compute(sum(data.values(), ProviderData()), TODAY)
    assert (region.new_starts, region.reallocated) == (11, 1)
    assert region.reallocated_share.value == Decimal("9.1")


def test_one_provider_only(world, incentive_population):
    data = load_incentives(YEAR, world.region.id, world.providers[1].id)
    assert set(data) == {world.providers[1].id}


def test_another_region_changes_nothing(world, incentive_population):
    before = compute(load_incentives(YEAR, world.region.id)[world.providers[0].id], TODAY)
    north = second_region()
    populate(north)
    after = compute(load_incentives(YEAR, world.region.id)[world.providers[0].id], TODAY)
    assert after == before
    assert set(load_incentives(YEAR, north.region.id)) == {p.id for p in north.providers}


def test_a_quarter_holds_only_its_own_events(world, incentive_population):
    q2 = compute(load_incentives(Period.quarter(2026, 2), world.region.id)[
        world.providers[0].id], TODAY)
    # Extension, upscaling and the return fall in June; the 31 March end is before Q2.
    assert (q2.active, q2.extensions.count, q2.new_starts, q2.reallocated) == (9, 1, 1, 1)
    assert q2.handed_on == 2


def test_windows_by_hand():
    back = RestartRow(1, date(2026, 12, 1), date(2026, 6, 2))  # 182 days
    late = RestartRow(2, date(2026, 12, 2), date(2026, 6, 2))  # 183 days
    assert back.within_window and not late.within_window
    ended = date(2026, 5, 1)
    row = HandedOnRow(1, 1, "A", "B", 7, ended, JZ588.OTHER_PROVIDER, date(2026, 5, 31))
    assert row.followed_up and row.settled(date(2026, 5, 31))
    assert not row.settled(date(2026, 5, 30))
    assert not HandedOnRow(1, 1, "A", "B", 7, ended, JZ588.OTHER_PROVIDER,
                           date(2026, 6, 1)).followed_up


def test_small_groups_carry_no_value():
    figures = compute(ProviderData(case_mix=Counter({(6, 1, 1): 4}), new_starts=4), TODAY)
    assert figures.extension_rate.too_small and figures.extension_rate.value is None
    assert all(s.share.too_small for s in figures.ages)
