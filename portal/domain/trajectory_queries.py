"""Reading trajectories for lists: filters, counts per status and keyset pages."""

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from portal.domain.lists import TrajectoryStatus
from portal.domain.paging import Page, fetch_page
from portal.domain.permissions import trajectory_scope
from portal.extensions import db
from portal.models import Allocation, Client, Trajectory, User


@dataclass(frozen=True)
class TrajectoryFilter:
    status: TrajectoryStatus | None = None
    arrangement_id: int | None = None
    municipality_id: int | None = None
    provider_id: int | None = None
    text: str = ""


def _matching(user: User, f: TrajectoryFilter, *columns):
    """The trajectories the user may see that pass the filters (the status filter aside).

    Only the joins a filter needs: every trajectory has exactly one client and one
    allocation in force, so leaving a join out never changes which trajectories match, and
    the counts and the keyset walk can stay in the trajectory indexes."""
    query = select(*columns).select_from(Trajectory).where(trajectory_scope(user))
    text = f.text.strip()
    by_number = text.isascii() and text.isdigit() and len(text) <= 9
    if f.arrangement_id or by_number:
        query = query.join(Allocation, (Allocation.trajectory_id == Trajectory.id)
                           & Allocation.is_current)
    if f.arrangement_id:
        query = query.where(Allocation.arrangement_id == f.arrangement_id)
    if f.municipality_id:
        query = query.where(Trajectory.municipality_id == f.municipality_id)
    if f.provider_id:
        query = query.where(Trajectory.provider_id == f.provider_id)
    if by_number:
        query = query.where(Allocation.number == int(text))
    elif text:
        pattern = f"%{text.lower()}%"
        query = query.join(Trajectory.client).where(or_(
            func.lower(Client.given_name + " " + Client.family_name).like(pattern),
            func.lower(Client.family_name).like(pattern)))
    return query


def status_counts(user: User, f: TrajectoryFilter) -> dict[TrajectoryStatus, int]:
    """Counts per status under every filter but the status itself (for the tabs)."""
    rows = db.session.execute(_matching(user, f, Trajectory.status, func.count())
                              .group_by(Trajectory.status))
    counts = dict.fromkeys(TrajectoryStatus, 0)
    counts.update({TrajectoryStatus(status): n for status, n in rows})
    return counts


def _with_allocation(limited_ids) -> list[tuple[Trajectory, Allocation]]:
    """The trajectories a page's ids name, each with its allocation in force."""
    page_ids = limited_ids.subquery()
    return [tuple(row) for row in db.session.execute(
        select(Trajectory, Allocation)
        .join(page_ids, page_ids.c.id == Trajectory.id)
        .join(Trajectory.client)
        .join(Allocation, (Allocation.trajectory_id == Trajectory.id) & Allocation.is_current)
        .options(contains_eager(Trajectory.client), joinedload(Trajectory.municipality),
                 joinedload(Trajectory.provider), joinedload(Allocation.arrangement))
        .order_by(Trajectory.id.desc()))]


def trajectory_page(user: User, f: TrajectoryFilter, after: int | None,
                    size: int) -> Page[tuple[Trajectory, Allocation]]:
    """Newest first; `after` is the last id of the previous page (keyset, no OFFSET).

    The page's ids are found first, in the trajectory indexes alone; only those rows are
    then loaded with what the list shows (a deferred join)."""
    ids = _matching(user, f, Trajectory.id)
    if f.status:
        ids = ids.where(Trajectory.status == f.status)
    if after:
        ids = ids.where(Trajectory.id < after)
    return fetch_page(ids.order_by(Trajectory.id.desc()), size, lambda row: row[0].id,
                      _with_allocation)
