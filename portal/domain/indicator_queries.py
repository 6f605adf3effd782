"""Fetching the rows the indicators are computed from: six queries, whatever the number of
trajectories. Every query holds only the trajectories of one region's municipalities:
regions are walls, so another region's data never changes a figure.

Two selections share the queries: a region's period (load_indicator_data: the full
recomputation) and a set of trajectories (load_trajectory_data: what the figures store
derives each trajectory's facts from)."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import aliased

from portal.domain.codes import COD043, JZ002
from portal.domain.figures import Period
from portal.domain.indicators import (
    ChangeRow,
    GoalRow,
    IndicatorData,
    LaterStartRow,
    MeasurementRow,
    TrajectoryRow,
)
from portal.domain.lists import LineStatus, MeasurementMoment, RequestStatus
from portal.domain.regions import municipality_ids_in
from portal.extensions import db
from portal.formatting import AMSTERDAM
from portal.models import (
    Allocation,
    Arrangement,
    ChangeRequest,
    Contract,
    DeclarationLine,
    Goal,
    GoalScoreEntry,
    Intensity,
    Measurement,
    Municipality,
    Profile,
    Provider,
    Trajectory,
)

# An allocation deleted (change reason 13) never started: it does not count.
NOT_DELETED = or_(Allocation.change_reason.is_(None), Allocation.change_reason != JZ002.DELETED)


def _ended_in(period: Period, region_id: int):
    return and_(Trajectory.ended_on.between(period.start, period.end),
                _in_region(Trajectory, region_id))


def _in_region(trajectory, region_id: int):
    return trajectory.municipality_id.in_(municipality_ids_in(region_id))


def _active_in(period: Period, region_id: int):
    return and_(_in_region(Trajectory, region_id), or_(
        _ended_in(period, region_id),
        and_(Trajectory.started_on <= period.end,
             or_(Trajectory.ended_on.is_(None), Trajectory.ended_on >= period.start))))


def _trajectories(selection) -> list[TrajectoryRow]:
    """The selected trajectories, with their first arrangement."""
    first = (select(Allocation.trajectory_id, func.min(Allocation.id).label("allocation_id"))
             .group_by(Allocation.trajectory_id).subquery())
    rows = db.session.execute(
        select(Trajectory.id, Trajectory.client_id, Trajectory.provider_id,
               Trajectory.municipality_id, Allocation.arrangement_id, Trajectory.started_on,
               Trajectory.ended_on, Trajectory.end_reason)
        .join(first, first.c.trajectory_id == Trajectory.id)
        .join(Allocation, Allocation.id == first.c.allocation_id)
        .where(selection)
    )
    return [TrajectoryRow(*row) for row in rows]


def _measurements(selection) -> list[MeasurementRow]:
    rows = db.session.execute(
        select(Measurement.trajectory_id, Measurement.moment, Measurement.informant,
               Measurement.goes_to_school_or_work, Measurement.grows_up_at_home,
               Measurement.takes_part, Measurement.is_safe, Measurement.satisfaction,
               Measurement.without_help, Measurement.treatment_result)
        .join(Trajectory, Trajectory.id == Measurement.trajectory_id)
        .where(selection, Measurement.moment != MeasurementMoment.INTERIM)
    )
    return [MeasurementRow(*row) for row in rows]


def _goals(selection) -> list[GoalRow]:
    end_scores = (
        select(GoalScoreEntry.goal_id, GoalScoreEntry.score, Measurement.informant)
        .join(Measurement, Measurement.id == GoalScoreEntry.measurement_id)
        .where(Measurement.moment == MeasurementMoment.END).subquery()
    )
    rows = db.session.execute(
        select(Goal.trajectory_id, Goal.id, end_scores.c.informant, end_scores.c.score)
        .join(Trajectory, Trajectory.id == Goal.trajectory_id)
        .outerjoin(end_scores, end_scores.c.goal_id == Goal.id)
        .where(selection)
    )
    return [GoalRow(*row) for row in rows]


def later_allocations(selection) -> Select[tuple[int, date]]:
    """(trajectory_id, start_date) of every allocation of the same child's other
    trajectories in the same region from the end day on, for the trajectories `selection`
    holds: where a child went after an ended trajectory."""
    other = aliased(Trajectory)
    own_place, other_place = aliased(Municipality), aliased(Municipality)
    return (
        select(Trajectory.id.label("trajectory_id"), Allocation.start_date)
        .select_from(Trajectory)
        .join(other, and_(other.client_id == Trajectory.client_id, other.id != Trajectory.id))
        .join(own_place, own_place.id == Trajectory.municipality_id)
        .join(other_place, and_(other_place.id == other.municipality_id,
                                other_place.region_id == own_place.region_id))
        .join(Allocation, Allocation.trajectory_id == other.id)
        .where(selection, Allocation.start_date >= Trajectory.ended_on, NOT_DELETED)
    )


def _later_starts(selection) -> list[LaterStartRow]:
    return [LaterStartRow(*row) for row in db.session.execute(later_allocations(selection))]


def decided_in(period: Period):
    """Decided on one of the period's days in Amsterdam."""
    since = datetime.combine(period.start, time(), AMSTERDAM).astimezone(UTC)
    until = datetime.combine(period.end + timedelta(days=1), time(), AMSTERDAM).astimezone(UTC)
    return and_(ChangeRequest.decided_at >= since, ChangeRequest.decided_at < until)


def approved_changes(selection):
    """The approved change requests of the trajectories `selection` holds, as a subquery:
    trajectory_id, provider_id, the intensity rank of the allocation changed
    (before_rank) and of the arrangement asked for (wanted_rank), decided_at and
    new_allocation_id."""
    before, wanted = aliased(Arrangement), aliased(Arrangement)
    before_rank, wanted_rank = aliased(Intensity), aliased(Intensity)
    return (
        select(ChangeRequest.trajectory_id, Trajectory.provider_id,
               before_rank.rank.label("before_rank"), wanted_rank.rank.label("wanted_rank"),
               ChangeRequest.decided_at, ChangeRequest.new_allocation_id)
        .select_from(ChangeRequest)
        .join(Allocation, Allocation.id == ChangeRequest.allocation_id)
        .join(before, before.id == Allocation.arrangement_id)
        .join(before_rank, before_rank.id == before.intensity_id)
        .join(wanted, wanted.id == ChangeRequest.arrangement_id)
        .join(wanted_rank, wanted_rank.id == wanted.intensity_id)
        .join(Trajectory, Trajectory.id == ChangeRequest.trajectory_id)
        .where(selection, ChangeRequest.status == RequestStatus.APPROVED)
        .subquery()
    )


def _changes(selection) -> list[ChangeRow]:
    """Approved change requests, with intensity ranks and the day of the decision."""
    changes = approved_changes(selection)
    rows = db.session.execute(select(changes.c.trajectory_id, changes.c.before_rank,
                                     changes.c.wanted_rank, changes.c.decided_at))
    return [ChangeRow(trajectory_id, before, after, decided_at.astimezone(AMSTERDAM).date())
            for trajectory_id, before, after, decided_at in rows]


def _costs(selection) -> dict[int, int]:
    """Approved debit minus credit per trajectory, summed in the database."""
    signed = case((DeclarationLine.debit_credit == COD043.CREDIT,
                   -DeclarationLine.amount_cents), else_=DeclarationLine.amount_cents)
    rows = db.session.execute(
        select(Allocation.trajectory_id, func.sum(signed))
        .join(Allocation, Allocation.id == DeclarationLine.allocation_id)
        .join(Trajectory, Trajectory.id == Allocation.trajectory_id)
        .where(selection, DeclarationLine.status == LineStatus.APPROVED)
        .group_by(Allocation.trajectory_id)
    )
    return {trajectory_id: int(cents) for trajectory_id, cents in rows}


def group_names(grouping: str, ids) -> dict[int, str]:
    """What the groups `ids` of a grouping (see indicators.GROUPINGS) are called, in order:
    only the groups that hold the region's trajectories, so no other region's name shows."""
    ids = list(ids)
    if not ids:
        return {}
    queries: dict[str, Select[Any]] = {
        "provider": select(Provider).order_by(Provider.name),
        "arrangement": select(Arrangement).join(Arrangement.profile).join(Arrangement.intensity)
        .order_by(Profile.name, Intensity.rank),
        "municipality": select(Municipality).order_by(Municipality.name),
    }
    query = queries[grouping]
    model = query.column_descriptions[0]["entity"]
    return {o.id: o.name for o in db.session.scalars(query.where(model.id.in_(ids)))}


def load_indicator_data(period: Period, region_id: int) -> IndicatorData:
    """One region's rows for the period; split() groups them in Python."""
    ended = _ended_in(period, region_id)
    return IndicatorData(
        trajectories=_trajectories(_active_in(period, region_id)),
        measurements=_measurements(ended),
        goals=_goals(ended),
        later_starts=_later_starts(ended),
        changes=_changes(and_(_in_region(Trajectory, region_id), decided_in(period))),
        costs=_costs(ended),
    )


def load_trajectory_data(trajectory_ids) -> IndicatorData:
    """Every row of the given trajectories, whatever the period: what their facts are
    derived from."""
    chosen = Trajectory.id.in_(trajectory_ids)
    return IndicatorData(trajectories=_trajectories(chosen), measurements=_measurements(chosen),
                         goals=_goals(chosen), later_starts=_later_starts(chosen),
                         changes=_changes(chosen), costs=_costs(chosen))


def group_name_in_region(grouping: str, group_id: int | None, region_id: int) -> str | None:
    """A group's name when it belongs to the region (a provider by a contract there), else
    None: another region's group is not found."""
    if group_id is None or not 0 < group_id < 2**31:  # beyond any id column
        return None
    queries: dict[str, Select[Any]] = {
        "provider": select(Provider).where(Provider.id.in_(
            select(Contract.provider_id).where(Contract.region_id == region_id))),
        "arrangement": select(Arrangement).where(Arrangement.region_id == region_id),
        "municipality": select(Municipality).where(Municipality.region_id == region_id),
    }
    query = queries[grouping]
    model = query.column_descriptions[0]["entity"]
    found = db.session.scalar(query.where(model.id == group_id))
    return found.name if found else None
