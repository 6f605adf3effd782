"""Reading trajectories for lists: filters, counts per status and keyset pages."""

from dataclasses import dataclass, replace

from sqlalchemy import func, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from portal.domain.lists import TrajectoryStatus
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


@dataclass
class Page:
    rows: list[tuple[Trajectory, Allocation]]  # each with the allocation in force
    next_after: int | None  # the keyset cursor: the last id shown, when there is more


def _filtered(user: User, f: TrajectoryFilter):
    query = (
        select(Trajectory, Allocation)
        .join(Trajectory.client)
        .join(Allocation, (Allocation.trajectory_id == Trajectory.id) & Allocation.is_current)
        .where(trajectory_scope(user))
    )
    if f.arrangement_id:
        query = query.where(Allocation.arrangement_id == f.arrangement_id)
    if f.municipality_id:
        query = query.where(Trajectory.municipality_id == f.municipality_id)
    if f.provider_id:
        query = query.where(Trajectory.provider_id == f.provider_id)
    text = f.text.strip()
    if text.isdigit() and len(text) <= 9:
        query = query.where(Allocation.number == int(text))
    elif text:
        pattern = f"%{text.lower()}%"
        query = query.where(or_(func.lower(Client.given_name + " " + Client.family_name)
                                .like(pattern), func.lower(Client.family_name).like(pattern)))
    return query


def status_counts(user: User, f: TrajectoryFilter) -> dict[TrajectoryStatus, int]:
    """Counts per status under every filter but the status itself (for the tabs)."""
    base = (_filtered(user, replace(f, status=None))
            .with_only_columns(Trajectory.status).subquery())
    rows = db.session.execute(select(base.c.status, func.count()).group_by(base.c.status))
    counts = dict.fromkeys(TrajectoryStatus, 0)
    counts.update({TrajectoryStatus(status): n for status, n in rows})
    return counts


def trajectory_page(user: User, f: TrajectoryFilter, after: int | None, size: int) -> Page:
    """Newest first; `after` is the last id of the previous page (keyset, no OFFSET)."""
    query = _filtered(user, f).options(
        contains_eager(Trajectory.client), joinedload(Trajectory.municipality),
        joinedload(Trajectory.provider), joinedload(Allocation.arrangement))
    if f.status:
        query = query.where(Trajectory.status == f.status)
    if after:
        query = query.where(Trajectory.id < after)
    results = db.session.execute(query.order_by(Trajectory.id.desc()).limit(size + 1)).all()
    rows = [tuple(row) for row in results[:size]]
    return Page(rows, rows[-1][0].id if len(results) > size else None)
