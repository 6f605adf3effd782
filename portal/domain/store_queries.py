"""Reading the indicators from the figures store: one aggregate over trajectory_fact per
period, grouped by provider, arrangement or municipality, whatever the number of
trajectories. The sums mirror indicators.sums_of (the same facts summed in Python) and end
in the same indicators_from(); regions are walls: every query holds one region's rows.
The pages read these sums through portal.domain.figures_sums, which keeps them."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Integer, and_, cast, func, or_, select

from portal.domain.codes import JZ588
from portal.domain.figures import Period
from portal.domain.indicators import (
    HANDED_ON_REASONS,
    OUTCOME_REASONS,
    SOCIETAL_ITEMS,
    Sums,
    settled_before,
)
from portal.extensions import db
from portal.models import TrajectoryFact, UpscalingFact

F = TrajectoryFact
GROUP_COLUMNS = {"provider": F.provider_id, "arrangement": F.arrangement_id,
                 "municipality": F.municipality_id}
# Facts summed over the ended trajectories as they are.
ENDED_SUMS = ("satisfaction_sum", "satisfaction_count", "young_sum", "young_count",
              "parent_sum", "parent_count", "goals", "goals_achieved", "goals_partly",
              "cost_cents")
ENDED_FLAGS = ("without_help_answered", "without_help_yes", "treatment_answered",
               "treatment_solved", "treatment_reduced", "societal_improved",
               *(f"improved_{item}" for item in SOCIETAL_ITEMS))


@dataclass(frozen=True)
class Conditions:
    """Which trajectory_fact rows a period's figures rest on. computed_sums_by() classes its
    rows by these; the lists behind a figure (portal.domain.figure_rows) select by them."""

    in_period: ColumnElement  # ended in the period, with any reason
    ended: ColumnElement  # the outcome base: ended in the period with 02 or 31-35
    handed_on: ColumnElement  # ended in the period with 36-39
    active: ColumnElement  # started on or before the period's end, not ended before it
    settled: ColumnElement  # ended, and its new-start window has passed
    upscalings: ColumnElement  # the number of upscalings decided in the period (per row)


def conditions(period: Period, today: date) -> Conditions:
    in_period = F.ended_on.between(period.start, period.end)
    ended = and_(in_period, F.end_reason.in_(OUTCOME_REASONS))
    return Conditions(
        in_period=in_period, ended=ended,
        handed_on=and_(in_period, F.end_reason.in_(HANDED_ON_REASONS)),
        active=and_(F.started_on <= period.end,
                    or_(F.ended_on.is_(None), F.ended_on >= period.start)),
        settled=and_(ended, F.ended_on <= settled_before(today)),
        upscalings=select(func.count()).where(
            UpscalingFact.trajectory_id == F.trajectory_id,
            UpscalingFact.decided_on.between(period.start, period.end)).scalar_subquery())


def _upscaled(period: Period):
    """Upscalings decided in the period, counted per trajectory (joined, not correlated:
    one pass over the period's few rows)."""
    return (select(UpscalingFact.trajectory_id, func.count().label("count"))
            .where(UpscalingFact.decided_on.between(period.start, period.end))
            .group_by(UpscalingFact.trajectory_id).subquery())


def _as_int(flag):
    return cast(flag, Integer)


# Summed over each class of rows as they are; which classes count is decided in _sums().
SUMMED = [
    *(func.sum(getattr(F, name)).label(name) for name in ENDED_SUMS),
    *(func.sum(_as_int(getattr(F, name))).label(name) for name in ENDED_FLAGS),
    func.sum(_as_int(F.satisfaction_count > 0)).label("satisfaction_trajectories"),
    func.sum(_as_int(F.goals > 0)).label("goal_trajectories"),
    func.sum(_as_int(F.societal_pair)).label("societal_pairs"),
    func.sum(_as_int(F.new_start_within_window)).label("restarted"),
    func.sum(F.duration_days).label("duration_days"),
    func.count(F.duration_days).label("duration_count"),
]
PER_REASON = {JZ588.ACCORDING_TO_PLAN: "according_to_plan", JZ588.EARLY_BY_CLIENT: "drop_out",
              JZ588.EARLY_BY_PROVIDER: "ended_by_provider"}


def _sums(row) -> Sums:
    """One class of rows (a group, an end reason, ended in the period or not, active or not,
    settled or not) as sums: the rules of indicators.sums_of, applied per class."""
    counts: dict[str, int] = {}
    if row.in_period and row.end_reason in HANDED_ON_REASONS:
        counts["handed_on"] = row.trajectories
    if row.active:
        counts.update(active=row.trajectories, upscaled=int(row.upscaled or 0))
    if row.in_period and row.end_reason in OUTCOME_REASONS:
        counts["ended"] = row.trajectories
        if row.end_reason in PER_REASON:
            counts[PER_REASON[row.end_reason]] = row.trajectories
        counts.update({c.name: int(getattr(row, c.name) or 0) for c in SUMMED
                       if c.name != "restarted"})
        if row.settled:
            counts.update(settled=row.trajectories, restarted=int(row.restarted or 0))
    return Sums(**counts)


def computed_sums_by(region_id: int, period: Period, today: date,
                     grouping: str) -> dict[int, Sums]:
    """The sums of each group of the region that has trajectories ended or active in the
    period: one query, which sums plain columns per class of rows (group, end reason, in the
    period, active, settled), so each row's conditions are evaluated once."""
    key = GROUP_COLUMNS[grouping]
    upscaled = _upscaled(period)
    c = conditions(period, today)
    in_period, active = c.in_period, c.active
    classes = (key.label("group_key"), F.end_reason.label("end_reason"),
               in_period.label("in_period"), active.label("active"),
               (F.ended_on <= settled_before(today)).label("settled"))
    rows = db.session.execute(
        select(*classes, func.count().label("trajectories"), *SUMMED,
               func.sum(func.coalesce(upscaled.c.count, 0)).label("upscaled"))
        .outerjoin(upscaled, upscaled.c.trajectory_id == F.trajectory_id)
        .where(F.region_id == region_id, or_(in_period, active))
        .group_by(*(c.element for c in classes)))
    by_group: dict[int, Sums] = defaultdict(Sums)
    for row in rows:
        by_group[row.group_key] += _sums(row)
    return dict(by_group)


def region_sums(by_group: dict[int, Sums]) -> Sums:
    """Every trajectory is in exactly one group, so the region's sums are the groups'."""
    return sum(by_group.values(), Sums())
