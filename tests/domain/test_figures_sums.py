"""The kept sums (portal.domain.figures_sums): served while their region's facts version
holds, computed again when it changed, per region and per day, and kept by the refresh job.
That they equal a recomputation after every kind of event is in test_figures_store."""

from datetime import date, timedelta

from sqlalchemy import func, select, update

from portal.domain.codes import JZ588
from portal.domain.figures import Period
from portal.domain.figures_store import write_facts
from portal.domain.figures_sums import _computed, sums_by, warm
from portal.domain.store_queries import computed_sums_by
from portal.domain.trajectories import end_trajectory
from portal.extensions import db
from portal.jobs.figures import default_views, refresh
from portal.models import FiguresSum, FiguresVersion, Municipality, Region
from tests.regions import populate, second_region, work_in_region_b

TODAY = date.today()
YEAR = Period(date(2026, 1, 1), TODAY)


def version(region_id: int) -> int:
    return db.session.scalar(select(FiguresVersion.version)
                             .where(FiguresVersion.region_id == region_id)) or 0


def kept(region_id: int, grouping: str = "provider", today: date = TODAY,
         period: Period = YEAR) -> FiguresSum | None:
    return db.session.scalar(select(FiguresSum).where(
        FiguresSum.region_id == region_id, FiguresSum.grouping == grouping,
        FiguresSum.period_start == period.start, FiguresSum.period_end == period.end,
        FiguresSum.as_of == today))


def planted(region_id: int, today: date = TODAY) -> None:
    """Another figure in the kept row: what sums_by returns then shows where it read."""
    db.session.execute(update(FiguresSum).where(
        FiguresSum.region_id == region_id, FiguresSum.as_of == today)
        .values(sums={"999": {"ended": 42}}))


def test_kept_sums_are_served_until_the_regions_facts_change(world):
    populate(world, plan_ends=3, drop_outs=1)
    refresh()
    first = sums_by(world.region.id, YEAR, TODAY, "provider")
    assert first == computed_sums_by(world.region.id, YEAR, TODAY, "provider")
    assert kept(world.region.id).version == version(world.region.id)
    planted(world.region.id)
    assert sums_by(world.region.id, YEAR, TODAY, "provider")[999].ended == 42  # kept: read
    running = world.trajectory("started")
    refresh()
    end_trajectory(running, date(2026, 7, 31), JZ588.ACCORDING_TO_PLAN,
                   world.users["provider_staff"])
    db.session.commit()
    before = version(world.region.id)
    refresh()  # the job: a new version, and today's kept row computed again
    assert version(world.region.id) == before + 1
    assert kept(world.region.id).version == before + 1
    after = sums_by(world.region.id, YEAR, TODAY, "provider")
    assert 999 not in after and after == computed_sums_by(world.region.id, YEAR, TODAY,
                                                          "provider")
    assert sum(s.ended for s in after.values()) == sum(s.ended for s in first.values()) + 1


def test_a_refresh_without_marks_keeps_the_version(world):
    populate(world, plan_ends=1, drop_outs=0)
    refresh()
    before = version(world.region.id)
    assert before > 0
    refresh()
    assert version(world.region.id) == before


def test_a_trajectory_moved_to_another_region_bumps_both_and_only_those(world):
    trajectory = world.trajectory("ended")
    north = second_region()
    refresh()
    versions = {r: version(r) for r in (world.region.id, north.region.id)}
    write_facts({trajectory.id})
    assert (version(world.region.id), version(north.region.id)) == (
        versions[world.region.id] + 1, versions[north.region.id])
    # its municipality goes to the north: the facts leave the one region for the other
    db.session.get(Municipality, trajectory.municipality_id).region_id = north.region.id
    db.session.flush()
    write_facts({trajectory.id})
    assert (version(world.region.id), version(north.region.id)) == (
        versions[world.region.id] + 2, versions[north.region.id] + 1)


def test_a_regions_kept_sums_never_serve_another(world):
    north = second_region()
    work_in_region_b(world, north, trajectories=2, ended=True)
    populate(world, plan_ends=3, drop_outs=1)
    refresh()
    horizon = world.providers[0].id
    mine = sums_by(world.region.id, YEAR, TODAY, "provider")
    theirs = sums_by(north.region.id, YEAR, TODAY, "provider")
    assert mine == computed_sums_by(world.region.id, YEAR, TODAY, "provider")
    assert theirs == computed_sums_by(north.region.id, YEAR, TODAY, "provider")
    assert mine[horizon] != theirs[horizon]  # the same provider, each region's own figures
    planted(world.region.id)
    assert sums_by(north.region.id, YEAR, TODAY, "provider") == theirs
    # a change in the north leaves the region's kept row as it was
    mine_version = kept(world.region.id).version
    north_trajectory = north.trajectory("started")
    refresh()
    end_trajectory(north_trajectory, date(2026, 7, 31), JZ588.ACCORDING_TO_PLAN,
                   north.users["provider_staff"])
    db.session.commit()
    refresh()
    assert kept(world.region.id).version == mine_version == version(world.region.id)
    assert sums_by(world.region.id, YEAR, TODAY, "provider")[999].ended == 42


def test_two_computations_of_the_same_key_keep_one_row_and_the_newer_version(world):
    populate(world, plan_ends=2, drop_outs=1)
    refresh()
    key = (world.region.id, "provider", YEAR.start, YEAR.end)
    current = version(world.region.id)
    _computed(key, TODAY, current)
    _computed(key, TODAY, current)  # another worker, the same moment: an update, no error
    _computed(key, TODAY, current - 1)  # a slower one that read the version before
    rows = db.session.scalars(select(FiguresSum).where(
        FiguresSum.region_id == world.region.id)).all()
    assert [row.version for row in rows] == [current]


def test_a_new_day_computes_afresh_and_the_job_drops_earlier_days(world):
    populate(world, plan_ends=2, drop_outs=1)
    refresh()
    yesterday = TODAY - timedelta(days=1)
    sums_by(world.region.id, YEAR, yesterday, "provider")
    planted(world.region.id, yesterday)
    fresh = sums_by(world.region.id, YEAR, TODAY, "provider")
    assert 999 not in fresh and kept(world.region.id, today=yesterday) is not None
    warm(TODAY, default_views(TODAY))
    assert kept(world.region.id, today=yesterday) is None
    assert db.session.scalar(select(func.count()).select_from(FiguresSum)
                             .where(FiguresSum.as_of < TODAY)) == 0


def test_the_periodic_refresh_warms_the_default_views_of_every_region(world):
    north = second_region()
    populate(world, plan_ends=2, drop_outs=1)
    refresh()
    assert db.session.scalar(select(func.count()).select_from(FiguresSum)) == 0
    refresh(defaults=True)
    regions = db.session.scalars(select(Region.id)).all()
    assert north.region.id in regions
    for region_id in regions:
        for period, grouping in default_views(TODAY):
            row = kept(region_id, grouping, period=period)
            assert row is not None and row.version == version(region_id)
            assert sums_by(region_id, period, TODAY, grouping) == computed_sums_by(
                region_id, period, TODAY, grouping)
    assert warm(TODAY, default_views(TODAY)) == 0  # nothing changed: nothing computed
