"""The rows behind the incentives watch: five aggregates per page, whatever the number of
trajectories. Every query holds one region's trajectories only (regions are walls), and one
provider's when the viewer is that provider."""

from collections import defaultdict

from sqlalchemy import and_, case, extract, func, or_, select
from sqlalchemy.orm import aliased

from portal.domain.codes import JZ588
from portal.domain.figures import Period
from portal.domain.incentives import (
    AGE_GROUPS,
    HANDED_ON_WATCHED,
    ChangeTally,
    HandedOnRow,
    ProviderData,
    RestartRow,
)
from portal.domain.indicator_queries import (
    NOT_DELETED,
    approved_changes,
    decided_in,
    later_allocations,
)
from portal.domain.regions import municipality_ids_in
from portal.extensions import db
from portal.models import (
    Allocation,
    Arrangement,
    Client,
    Municipality,
    Provider,
    Trajectory,
)


def _walls(trajectory, region_id: int, provider_id: int | None) -> list:
    conditions = [trajectory.municipality_id.in_(municipality_ids_in(region_id))]
    if provider_id is not None:
        conditions.append(trajectory.provider_id == provider_id)
    return conditions


def _first_allocations():
    """Per trajectory its first allocation that was not deleted (change reason 13)."""
    return (select(Allocation.trajectory_id, func.min(Allocation.id).label("allocation_id"),
                   func.min(Allocation.start_date).label("start_date"))
            .where(NOT_DELETED).group_by(Allocation.trajectory_id).subquery())


def _day_number(column):
    """A date as yyyymmdd, so that ages can be compared without date arithmetic in SQL."""
    return (extract("year", column) * 10000 + extract("month", column) * 100
            + extract("day", column))


def _case_mix(period: Period, region_id: int, provider_id: int | None, data: dict) -> None:
    """Active trajectories (started by the end of the period, not ended before its start)
    by age group at the start and by the profile and intensity of the first allocation."""
    first = _first_allocations()
    age = _day_number(Trajectory.started_on) - _day_number(Client.birth_date)
    age_group = case(*((age >= lowest * 10000, lowest) for lowest, _ in reversed(AGE_GROUPS)))
    rows = db.session.execute(
        select(Trajectory.provider_id, age_group, Arrangement.profile_id,
               Arrangement.intensity_id, func.count())
        .join(Client, Client.id == Trajectory.client_id)
        .join(first, first.c.trajectory_id == Trajectory.id)
        .join(Allocation, Allocation.id == first.c.allocation_id)
        .join(Arrangement, Arrangement.id == Allocation.arrangement_id)
        .where(*_walls(Trajectory, region_id, provider_id), Trajectory.started_on <= period.end,
               or_(Trajectory.ended_on.is_(None), Trajectory.ended_on >= period.start))
        .group_by(Trajectory.provider_id, age_group, Arrangement.profile_id,
                  Arrangement.intensity_id))
    for provider, lowest, profile_id, intensity_id, count in rows:
        data[provider].case_mix[(int(lowest), profile_id, intensity_id)] += count


def _changes(period: Period, region_id: int, provider_id: int | None, data: dict) -> None:
    """Change requests approved in the period (Amsterdam days): to the same intensity rank
    (an extension) or a higher one (upscaling), with the tariffs of the new allocations."""
    changes = approved_changes(and_(*_walls(Trajectory, region_id, provider_id),
                                    decided_in(period)))
    direction = case((changes.c.wanted_rank == changes.c.before_rank, "same"),
                     (changes.c.wanted_rank > changes.c.before_rank, "higher"), else_="lower")
    rows = db.session.execute(
        select(changes.c.provider_id, direction, func.count(),
               func.coalesce(func.sum(Allocation.amount_cents), 0))
        .select_from(changes)
        .outerjoin(Allocation, Allocation.id == changes.c.new_allocation_id)
        .group_by(changes.c.provider_id, direction))
    for provider, kind, count, cents in rows:
        if kind == "same":
            data[provider].extensions = ChangeTally(count, int(cents))
        elif kind == "higher":
            data[provider].upscalings = ChangeTally(count, int(cents))


def _starts(period: Period, region_id: int, provider_id: int | None, data: dict) -> None:
    """Trajectories whose first allocation begins in the period, and for those of a child
    who had care from the same provider before: the latest end on or before the start."""
    first = _first_allocations()
    rows = db.session.execute(
        select(Trajectory.provider_id, func.count()).join(first, first.c.trajectory_id ==
                                                          Trajectory.id)
        .where(*_walls(Trajectory, region_id, provider_id),
               first.c.start_date.between(period.start, period.end))
        .group_by(Trajectory.provider_id))
    for provider, count in rows:
        data[provider].new_starts = count
    earlier = aliased(Trajectory)
    rows = db.session.execute(
        select(Trajectory.provider_id, Trajectory.id, first.c.start_date,
               func.max(earlier.ended_on))
        .join(first, first.c.trajectory_id == Trajectory.id)
        .join(earlier, and_(earlier.client_id == Trajectory.client_id,
                            earlier.provider_id == Trajectory.provider_id,
                            earlier.id != Trajectory.id))
        .where(*_walls(Trajectory, region_id, provider_id), *_walls(earlier, region_id, None),
               first.c.start_date.between(period.start, period.end),
               earlier.ended_on <= first.c.start_date, earlier.end_reason != JZ588.TEMPORARY)
        .group_by(Trajectory.provider_id, Trajectory.id, first.c.start_date))
    for provider, trajectory_id, started_on, previous_end in rows:
        data[provider].restarts.append(RestartRow(trajectory_id, started_on, previous_end))


def _handed_on(period: Period, region_id: int, provider_id: int | None, data: dict) -> None:
    """Trajectories ended in the period with 38 or 39, their last allocation's number, and
    the first allocation of another trajectory of the same child in the region from the end
    day on (deleted ones not counted)."""
    handed_on = and_(*_walls(Trajectory, region_id, provider_id),
                     Trajectory.ended_on.between(period.start, period.end),
                     Trajectory.end_reason.in_(HANDED_ON_WATCHED))
    later = later_allocations(handed_on).subquery()
    rows = db.session.execute(
        select(Trajectory.id, Trajectory.provider_id, Provider.name, Municipality.name,
               Allocation.number, Trajectory.ended_on, Trajectory.end_reason,
               func.min(later.c.start_date))
        .join(Provider, Provider.id == Trajectory.provider_id)
        .join(Municipality, Municipality.id == Trajectory.municipality_id)
        .join(Allocation, and_(Allocation.trajectory_id == Trajectory.id,
                               Allocation.is_current))
        .outerjoin(later, later.c.trajectory_id == Trajectory.id)
        .where(handed_on)
        .group_by(Trajectory.id, Trajectory.provider_id, Provider.name, Municipality.name,
                  Allocation.number, Trajectory.ended_on, Trajectory.end_reason))
    for row in rows:
        data[row[1]].handed_on.append(HandedOnRow(*row))


def load_incentives(period: Period, region_id: int,
                    provider_id: int | None = None) -> dict[int, ProviderData]:
    """Per provider of the region (or only `provider_id`): the rows of the period."""
    data: dict[int, ProviderData] = defaultdict(ProviderData)
    for load in (_case_mix, _changes, _starts, _handed_on):
        load(period, region_id, provider_id, data)
    return dict(data)
