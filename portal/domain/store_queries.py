"""Reading the indicators from the figures store: one aggregate over trajectory_fact per
period, grouped by provider, arrangement or municipality, whatever the number of
trajectories. The sums mirror indicators.sums_of (the same facts summed in Python) and end
in the same indicators_from(); regions are walls: every query holds one region's rows."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, case, func, or_, select

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


def _total(condition, value=1):
    return func.coalesce(func.sum(case((condition, value), else_=0)), 0)


@dataclass(frozen=True)
class Conditions:
    """Which trajectory_fact rows a period's figures rest on: the sums below and the lists
    behind a figure (portal.domain.figure_rows) use these same conditions."""

    in_period: ColumnElement  # ended in the period, with any reason
    ended: ColumnElement  # the outcome base: ended in the period with 02 or 31-35
    handed_on: ColumnElement  # ended in the period with 36-39
    active: ColumnElement  # started on or before the period's end, not ended before it
    settled: ColumnElement  # ended, and its new-start window has passed
    upscalings: ColumnElement  # the number of upscalings decided in the period


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


def _sum_columns(c: Conditions) -> list:
    ended, active, settled = c.ended, c.active, c.settled
    return [
        _total(ended).label("ended"),
        _total(c.handed_on).label("handed_on"),
        _total(and_(ended, F.end_reason == JZ588.ACCORDING_TO_PLAN)).label(
            "according_to_plan"),
        _total(and_(ended, F.end_reason == JZ588.EARLY_BY_CLIENT)).label("drop_out"),
        _total(and_(ended, F.end_reason == JZ588.EARLY_BY_PROVIDER)).label(
            "ended_by_provider"),
        *(_total(ended, getattr(F, name)).label(name) for name in ENDED_SUMS),
        *(_total(and_(ended, getattr(F, name))).label(name) for name in ENDED_FLAGS),
        _total(and_(ended, F.satisfaction_count > 0)).label("satisfaction_trajectories"),
        _total(and_(ended, F.goals > 0)).label("goal_trajectories"),
        _total(and_(ended, F.societal_pair)).label("societal_pairs"),
        _total(settled).label("settled"),
        _total(and_(settled, F.new_start_within_window)).label("restarted"),
        _total(and_(ended, F.duration_days.is_not(None)), F.duration_days).label(
            "duration_days"),
        _total(and_(ended, F.duration_days.is_not(None))).label("duration_count"),
        _total(active).label("active"),
        _total(active, c.upscalings).label("upscaled"),
    ]


def sums_by(region_id: int, period: Period, today: date, grouping: str) -> dict[int, Sums]:
    """The sums of each group of the region that has trajectories ended or active in the
    period (one query)."""
    key = GROUP_COLUMNS[grouping]
    c = conditions(period, today)
    rows = db.session.execute(
        select(key.label("group_key"), *_sum_columns(c))
        .where(F.region_id == region_id, or_(c.in_period, c.active))
        .group_by(key))
    return {row.group_key: Sums(**{name: int(value) for name, value in row._mapping.items()
                                   if name != "group_key"}) for row in rows}


def region_sums(by_group: dict[int, Sums]) -> Sums:
    """Every trajectory is in exactly one group, so the region's sums are the groups'."""
    return sum(by_group.values(), Sums())
