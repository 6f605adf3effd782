"""Reading trajectories for lists: filters, counts per status and keyset pages."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select

from portal.domain.identifiers import mask_bsn
from portal.domain.lists import TrajectoryStatus
from portal.domain.paging import Page, fetch_page
from portal.domain.permissions import trajectory_scope
from portal.extensions import db
from portal.models import (
    Allocation,
    Arrangement,
    Client,
    Intensity,
    Municipality,
    Profile,
    Provider,
    Trajectory,
    User,
)
from portal.models.catalogue import arrangement_name
from portal.models.clients import full_name


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


@dataclass(frozen=True, slots=True)
class TrajectoryRow:
    """One line of a trajectory list, read as plain columns: loading the trajectory,
    allocation, client, arrangement and organisations of 25 rows as ORM entities took more
    CPU than running the page's SQL (bench, issue 17)."""

    id: int
    status: TrajectoryStatus
    allocation_number: int
    start_date: date
    end_date: date
    child_name: str
    masked_bsn: str
    arrangement_name: str
    municipality_name: str
    provider_name: str


def _rows(limited_ids) -> list[TrajectoryRow]:
    """The trajectories a page's ids name, each with its allocation in force."""
    page_ids = limited_ids.subquery()
    result = db.session.execute(
        select(Trajectory.id, Trajectory.status, Allocation.number, Allocation.start_date,
               Allocation.end_date, Client.given_name, Client.family_name, Client.bsn,
               Profile.name, Intensity.name, Municipality.name, Provider.name)
        .join(page_ids, page_ids.c.id == Trajectory.id)
        .join(Trajectory.client).join(Trajectory.municipality).join(Trajectory.provider)
        .join(Allocation, (Allocation.trajectory_id == Trajectory.id) & Allocation.is_current)
        .join(Allocation.arrangement).join(Arrangement.profile).join(Arrangement.intensity)
        .order_by(Trajectory.id.desc()))
    return [TrajectoryRow(id, status, number, start, end, full_name(given, family),
                          mask_bsn(bsn), arrangement_name(profile, intensity), municipality,
                          provider)
            for (id, status, number, start, end, given, family, bsn, profile, intensity,
                 municipality, provider) in result]


def trajectory_page(user: User, f: TrajectoryFilter, after: int | None,
                    size: int) -> Page[TrajectoryRow]:
    """Newest first; `after` is the last id of the previous page (keyset, no OFFSET).

    The page's ids are found first, in the trajectory indexes alone; only those rows are
    then loaded with what the list shows (a deferred join)."""
    ids = _matching(user, f, Trajectory.id)
    if f.status:
        ids = ids.where(Trajectory.status == f.status)
    if after:
        ids = ids.where(Trajectory.id < after)
    return fetch_page(ids.order_by(Trajectory.id.desc()), size, lambda row: row.id, _rows)
