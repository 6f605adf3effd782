"""The figures store equals a full recomputation from the raw rows after every kind of
event, and so do its kept sums (portal.domain.figures_sums); a write marks exactly what it
touched."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portal.domain.codes import JZ002, JZ588, WJ001, WJ758
from portal.domain.declarations import credit_line
from portal.domain.figures import Period
from portal.domain.figures_store import COPIED, refreshed_at, stale_count, write_facts
from portal.domain.figures_sums import sums_by
from portal.domain.indicator_queries import load_indicator_data, load_trajectory_data
from portal.domain.indicators import (
    GROUPINGS,
    SOCIETAL_ITEMS,
    compute,
    compute_by,
    duration_days,
    facts_of,
    indicators_from,
)
from portal.domain.lists import GoalScore, LifeDomain, MeasurementMoment
from portal.domain.plans import GoalText, add_goal
from portal.domain.requests import approve_change, request_change
from portal.domain.review import approve_line, reject_line
from portal.domain.store_queries import computed_sums_by, region_sums
from portal.domain.trajectories import end_trajectory, register_start
from portal.extensions import db
from portal.jobs.figures import rebuild, refresh
from portal.models import (
    FiguresSum,
    FiguresVersion,
    StaleFact,
    Trajectory,
    TrajectoryFact,
    UpscalingFact,
)
from tests.declaring import declare, measure_end, submit
from tests.domain.test_indicator_queries import measurement
from tests.regions import populate, second_region

# The world's trajectories end on 31-07-2026; the later day sees their 182 days passed.
TODAYS = (date.today(), date(2027, 6, 1))
PERIODS = (Period(date(2026, 1, 1), date.today()), Period.quarter(2026, 3),
           Period(date(2026, 7, 31), date(2026, 7, 31)), Period.year(2025))


def stored_facts() -> dict[int, dict]:
    rows = db.session.execute(select(TrajectoryFact.__table__)).mappings()
    return {row["trajectory_id"]: dict(row) for row in rows}


def expected_facts() -> dict[int, dict]:
    ids = db.session.scalars(select(Trajectory.id)).all()
    facts = {}
    for f in facts_of(load_trajectory_data(ids)):
        t = f.trajectory
        facts[t.id] = {
            "trajectory_id": t.id, "region_id": t_region(t.municipality_id),
            "municipality_id": t.municipality_id, "provider_id": t.provider_id,
            "arrangement_id": t.arrangement_id, "client_id": t.client_id,
            "started_on": t.started_on, "ended_on": t.ended_on, "end_reason": t.end_reason,
            "duration_days": duration_days(t), **{n: getattr(f, n) for n in COPIED},
            **{f"improved_{item}": item in f.improved for item in SOCIETAL_ITEMS}}
    return facts


def t_region(municipality_id: int) -> int:
    from portal.models import Municipality

    return db.session.get(Municipality, municipality_id).region_id


def outdated_sums_of_today() -> list[FiguresSum]:
    """Kept sums of today whose region's facts changed after they were computed."""
    current = func.coalesce(select(FiguresVersion.version).where(
        FiguresVersion.region_id == FiguresSum.region_id).scalar_subquery(), 0)
    return list(db.session.scalars(select(FiguresSum).where(
        FiguresSum.as_of == date.today(), FiguresSum.version != current)))


def assert_store_is_recomputation(region_ids) -> None:
    """The facts and the figures of every period, day and grouping as a recomputation
    from the raw rows has them. The sums of today that an earlier check kept were computed
    again by the refresh (the other day's on reading), so they are checked too."""
    refresh()
    assert stale_count() == 0
    assert stored_facts() == expected_facts()
    assert outdated_sums_of_today() == []
    for region_id in region_ids:
        for period in PERIODS:
            for today in TODAYS:
                data = load_indicator_data(period, region_id)
                for grouping, key in GROUPINGS.items():
                    by_group = sums_by(region_id, period, today, grouping)
                    assert by_group == computed_sums_by(region_id, period, today, grouping)
                    assert indicators_from(region_sums(by_group)) == compute(data, period, today)
                    assert ({k: indicators_from(s) for k, s in by_group.items()}
                            == compute_by(data, period, today, key))


def test_store_follows_every_kind_of_event(world):
    check = lambda: assert_store_is_recomputation([world.region.id])  # noqa: E731
    staff, access, reviewer = (world.users[r] for r in
                               ("provider_staff", "access_staff", "reviewer"))
    populate(world, plan_ends=4, drop_outs=2)
    check()
    # allocation
    trajectory = world.trajectory()
    check()
    # start
    register_start(trajectory, date(2026, 2, 3), staff)
    db.session.commit()
    check()
    # goal and measurement, end
    goal = add_goal(trajectory, GoalText(LifeDomain.HEALTH, "Slaapt goed", "Rust", "School"),
                    staff)
    measurement(world, trajectory, MeasurementMoment.START)
    end_trajectory(trajectory, date(2026, 7, 31), JZ588.EARLY_BY_PROVIDER, staff)
    db.session.commit()
    check()
    measurement(world, trajectory, MeasurementMoment.END, {goal.id: GoalScore.PARTLY})
    db.session.commit()
    check()
    # a new allocation for the same child: the ended trajectory gets a new start
    later = world.trajectory(child=_child_of(trajectory), start=date(2026, 9, 1),
                             end=date(2027, 2, 28))
    check()
    assert stored_facts()[trajectory.id]["next_start_on"] == date(2026, 9, 1)
    # the later allocation deleted (change reason 13): no new start any more
    allocation = later.current_allocation
    allocation.change_reason, allocation.end_date = JZ002.DELETED, allocation.start_date
    db.session.commit()
    check()
    assert stored_facts()[trajectory.id]["next_start_on"] is None
    # declaration decisions: approve and reject
    ended = world.trajectory("ended")
    measure_end(ended, staff)
    declaration = declare(world, date(2026, 7, 1))
    submit(world, declaration)
    db.session.commit()
    check()
    lines = sorted(declaration.lines, key=lambda line: line.id)
    approve_line(lines[0], reviewer)
    db.session.commit()
    check()
    reject_line(lines[-1], WJ001.NOT_THIS_CLIENT, "Nee.", reviewer)
    db.session.commit()
    check()
    # credit: an approved credit takes the cost back
    correction = credit_line(lines[0], staff, date(2026, 11, 23))
    submit(world, correction, today=date(2026, 11, 23))
    credit = next(line for line in correction.lines if line.debit_credit.value == "C")
    approve_line(credit, reviewer)
    db.session.commit()
    check()
    # change request approval (upscaling)
    running = world.trajectory("started")
    change = request_change(running, reason=WJ758.CLIENT_SITUATION,
                            arrangement=world.arrangements["ontw_zwaar"],
                            end_date=date(2026, 10, 31), motivation="Meer hulp nodig",
                            actor=staff)
    db.session.commit()
    approve_change(change, date(2026, 4, 1), access)
    db.session.commit()
    check()
    assert db.session.scalar(select(func.count()).select_from(UpscalingFact)
                             .where(UpscalingFact.trajectory_id == running.id)) == 1


def _child_of(trajectory: Trajectory):
    from portal.domain.trajectories import ChildDetails

    client = trajectory.client
    return ChildDetails(client.bsn, client.birth_date, client.given_name, client.family_name)


def test_a_write_marks_its_trajectory_and_a_refresh_takes_the_mark(world):
    trajectory = world.trajectory("started")
    refresh()
    before = refreshed_at()
    assert stale_count() == 0 and before is not None
    end_trajectory(trajectory, date(2026, 7, 31), JZ588.ACCORDING_TO_PLAN,
                   world.users["provider_staff"])
    db.session.commit()
    marked = set(db.session.scalars(select(StaleFact.trajectory_id)))
    assert marked == {trajectory.id}
    assert stored_facts()[trajectory.id]["ended_on"] is None  # not yet refreshed
    refresh()
    assert stale_count() == 0 and refreshed_at() >= before
    assert stored_facts()[trajectory.id]["ended_on"] == date(2026, 7, 31)


def test_a_rolled_back_write_leaves_no_mark(world):
    trajectory = world.trajectory("started")
    refresh()
    end_trajectory(trajectory, date(2026, 7, 31), JZ588.ACCORDING_TO_PLAN,
                   world.users["provider_staff"])
    db.session.rollback()
    assert stale_count() == 0


def test_rebuild_builds_the_whole_store_and_drops_old_facts(world):
    populate(world, plan_ends=5, drop_outs=1)
    db.session.execute(TrajectoryFact.__table__.delete())
    write_facts(set())  # nothing to do
    rebuild()
    assert stored_facts() == expected_facts()


@pytest.mark.parametrize("size", [1, 3])
def test_small_batches_give_the_same_store(world, size, monkeypatch):
    populate(world, plan_ends=3, drop_outs=2)
    monkeypatch.setattr("portal.domain.figures_store.BATCH", size)
    rebuild()
    assert stored_facts() == expected_facts()


def test_two_regions_each_equal_their_recomputation(world):
    populate(world, plan_ends=5, drop_outs=1)
    north = second_region()
    populate(north, plan_ends=2, drop_outs=5)
    assert_store_is_recomputation([world.region.id, north.region.id])
    mine = indicators_from(region_sums(sums_by(world.region.id, PERIODS[0], TODAYS[0],
                                               "provider")))
    assert (mine.ended, mine.drop_out.value) == (6, Decimal("16.7"))  # 1 of 6


def test_a_changed_intensity_rank_marks_every_trajectory(world):
    populate(world, plan_ends=2, drop_outs=0)  # with one upscaling from rank 2 to 3
    refresh()
    intensity = world.arrangements["ontw_midden"].intensity
    intensity.rank = 9  # above zwaar: midden to zwaar is now a downscaling
    db.session.commit()
    assert set(db.session.scalars(select(StaleFact.trajectory_id))) == set(
        db.session.scalars(select(Trajectory.id)))
    assert_store_is_recomputation([world.region.id])
    assert db.session.scalar(select(func.count()).select_from(UpscalingFact)) == 0


def test_a_bulk_import_marks_the_childs_other_trajectories(world):
    from portal.domain.allocation_import import COLUMNS, import_allocations

    ended = world.trajectory("ended")
    refresh()
    client = ended.client
    line = (f"{client.bsn};17-05-2015;{client.given_name};{client.family_name};"
            f"{world.providers[0].agb_code};45;01M;01-09-2026;28-02-2027")
    result = import_allocations("\n".join([";".join(COLUMNS), line]).encode(),
                                world.municipalities[0], world.users["access_staff"])
    assert result.errors == []
    db.session.commit()
    assert ended.id in set(db.session.scalars(select(StaleFact.trajectory_id)))
    assert_store_is_recomputation([world.region.id])
    assert stored_facts()[ended.id]["next_start_on"] == date(2026, 9, 1)
