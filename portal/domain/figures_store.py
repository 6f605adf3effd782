"""Keeping the figures store: each trajectory's facts derived by the indicators' own rules
(indicators.facts_of over load_trajectory_data), written as rows of trajectory_fact.

Writes mark trajectories stale (portal.domain.figures_marks); refresh_batch() recomputes a
batch of them. The caller commits (the refresh job, the CLI), so a batch and the removal of
its marks are kept together or not at all."""

from datetime import datetime

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from portal.database import upsert
from portal.domain.indicator_queries import load_trajectory_data
from portal.domain.indicators import SOCIETAL_ITEMS, TrajectoryFacts, duration_days, facts_of
from portal.extensions import db
from portal.models import (
    FiguresRefresh,
    FiguresVersion,
    Municipality,
    StaleFact,
    Trajectory,
    TrajectoryFact,
    UpscalingFact,
)

BATCH = 2000  # trajectories per transaction: about 8 rows each are read to derive them
COPIED = ("satisfaction_sum", "satisfaction_count", "young_sum", "young_count", "parent_sum",
          "parent_count", "without_help_answered", "without_help_yes", "treatment_answered",
          "treatment_solved", "treatment_reduced", "goals", "goals_achieved", "goals_partly",
          "societal_pair", "societal_improved", "next_start_on", "new_start_within_window",
          "cost_cents")


def _row(f: TrajectoryFacts, region_of: dict[int, int]) -> dict:
    t = f.trajectory
    return {"trajectory_id": t.id, "region_id": region_of[t.municipality_id],
            "municipality_id": t.municipality_id, "provider_id": t.provider_id,
            "arrangement_id": t.arrangement_id, "client_id": t.client_id,
            "started_on": t.started_on, "ended_on": t.ended_on, "end_reason": t.end_reason,
            "duration_days": duration_days(t),
            **{name: getattr(f, name) for name in COPIED},
            **{f"improved_{item}": item in f.improved for item in SOCIETAL_ITEMS}}


def write_facts(trajectory_ids: set[int]) -> int:
    """Replace the facts of these trajectories by freshly derived ones; returns how many.
    The regions they were in and are in now get a new facts version."""
    if not trajectory_ids:
        return 0
    ids = sorted(trajectory_ids)
    facts = facts_of(load_trajectory_data(ids))
    region_of: dict[int, int] = {municipality_id: region_id for municipality_id, region_id in
                                 db.session.execute(select(Municipality.id,
                                                           Municipality.region_id))}
    rows = [_row(f, region_of) for f in facts]
    regions = set(db.session.scalars(select(TrajectoryFact.region_id).distinct().where(
        TrajectoryFact.trajectory_id.in_(ids)))) | {row["region_id"] for row in rows}
    db.session.execute(delete(UpscalingFact).where(UpscalingFact.trajectory_id.in_(ids)))
    db.session.execute(delete(TrajectoryFact).where(TrajectoryFact.trajectory_id.in_(ids)))
    bump_versions(regions)
    if facts:
        db.session.execute(insert(TrajectoryFact), rows)
        upscalings = [{"trajectory_id": f.trajectory.id, "decided_on": day}
                      for f in facts for day in f.upscalings]
        if upscalings:
            db.session.execute(insert(UpscalingFact), upscalings)
    return len(facts)


def bump_versions(region_ids: set[int]) -> None:
    """A new facts version for these regions: their kept aggregates (portal.domain
    .figures_sums) no longer count. Refreshes take turns (_state), so no two bump at once."""
    if not region_ids:
        return
    statement = upsert(FiguresVersion).values(
        [{"region_id": region_id, "version": 1} for region_id in sorted(region_ids)])
    db.session.execute(statement.on_conflict_do_update(
        index_elements=[FiguresVersion.region_id],
        set_={"version": FiguresVersion.version + 1}))


def _state() -> FiguresRefresh:
    """The refresh row, locked by writing it first: refreshes run one after the other (on
    PostgreSQL the row lock; on SQLite the write lock, taken before anything is read, so a
    refresh waits for a writer instead of failing on a stale read)."""
    db.session.execute(update(FiguresRefresh).values(refreshed_at=FiguresRefresh.refreshed_at)
                       .execution_options(synchronize_session=False))
    state = db.session.scalar(select(FiguresRefresh).order_by(FiguresRefresh.id))
    if state is not None:
        return state
    try:  # the first refresh ever makes the row; of two at once one does (the primary key)
        with db.session.begin_nested():
            db.session.add(FiguresRefresh(id=1))
    except IntegrityError:
        pass
    return _state()  # now locked as every later refresh locks it


def refresh_batch(started_at: datetime, size: int | None = None) -> bool:
    """Recompute up to `size` stale trajectories and drop their marks. Returns True when no
    mark is left: the store then holds every write committed before `started_at`, which is
    recorded as its time."""
    size = size or BATCH
    state = _state()
    marks = db.session.execute(
        select(StaleFact.id, StaleFact.trajectory_id).order_by(StaleFact.id).limit(size)).all()
    write_facts({trajectory_id for _id, trajectory_id in marks})
    if marks:
        db.session.execute(delete(StaleFact).where(StaleFact.id.in_([m.id for m in marks])))
    done = len(marks) < size
    if done:
        state.refreshed_at = started_at
    db.session.flush()
    return done


def mark_all() -> None:
    """Every trajectory stale: the next refresh rebuilds the whole store."""
    db.session.execute(insert(StaleFact).from_select(["trajectory_id"], select(Trajectory.id)))


def refreshed_at() -> datetime | None:
    return db.session.scalar(select(FiguresRefresh.refreshed_at).order_by(FiguresRefresh.id))


def stale_count() -> int:
    return db.session.scalar(select(func.count()).select_from(StaleFact)) or 0
