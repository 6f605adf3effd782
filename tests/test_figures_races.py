"""Refreshes of the figures store from several workers at once (real connections, committed
data): they take turns on the refresh row, none fails on a trajectory another one wrote, and
writes marking trajectories meanwhile never wait on a refresh or get lost. Workers that
compute the same kept sums at once all succeed."""

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.domain.codes import JZ588
from portal.domain.figures import Period
from portal.domain.figures_store import mark_all, stale_count
from portal.domain.figures_sums import sums_by
from portal.domain.store_queries import computed_sums_by
from portal.domain.trajectories import end_trajectory
from portal.extensions import db
from portal.jobs.figures import refresh
from portal.models import FiguresSum, Trajectory, User
from tests.conftest import in_parallel
from tests.domain.test_figures_store import expected_facts, stored_facts
from tests.regions import populate

pytestmark = pytest.mark.committed


def test_parallel_refreshes_and_writes_leave_the_store_equal_to_a_recomputation(
        app, committed_world):
    world = committed_world
    running = [world.trajectory("started").id for _ in range(4)]
    for _ in range(4):
        world.trajectory("ended")
    mark_all()
    db.session.commit()
    staff_id = world.users["provider_staff"].id
    # On SQLite writers outside a request do not queue (requests do: portal/database.py), so
    # there only the refreshes overlap.
    writes = db.engine.dialect.name == "postgresql"

    def work(n: int):
        if n % 2 or not writes:  # a worker's refresh
            return refresh()
        end_running(running[n // 2], staff_id)
        return "ended"

    results = in_parallel(app, work, count=8)
    assert not [r for r in results if isinstance(r, Exception)], results
    for trajectory_id in running if not writes else ():
        end_running(trajectory_id, staff_id)
    refresh()  # what the periodic task does a minute later
    assert stale_count() == 0
    assert stored_facts() == expected_facts()
    assert all(stored_facts()[t]["ended_on"] == date(2026, 7, 31) for t in running)


def end_running(trajectory_id: int, staff_id: int) -> None:
    end_trajectory(db.session.get(Trajectory, trajectory_id), date(2026, 7, 31),
                   JZ588.ACCORDING_TO_PLAN, db.session.get(User, staff_id))
    db.session.commit()


def test_parallel_requests_for_the_same_sums_keep_one_row(app, committed_world):
    """Workers that find the same sums missing at once each compute and keep them: none
    fails on the row another one inserted, and one row remains."""
    world = committed_world
    populate(world, plan_ends=2, drop_outs=1)
    refresh()
    region_id, period = world.region.id, Period(date(2026, 1, 1), date.today())

    def work(_n: int):
        by_group = sums_by(region_id, period, date.today(), "provider")
        db.session.commit()  # a job's commit; a request's own keeps it on PostgreSQL
        return by_group

    results = in_parallel(app, work, count=6)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert all(r == computed_sums_by(region_id, period, date.today(), "provider")
               for r in results)
    assert db.session.scalar(select(func.count()).select_from(FiguresSum)) == 1
