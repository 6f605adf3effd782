"""Reading measurements for the review list: filters, counts per status and keyset pages."""

from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from portal.domain.lists import MeasurementMoment, MeasurementStatus
from portal.domain.paging import Page, fetch_page
from portal.domain.permissions import trajectory_scope
from portal.extensions import db
from portal.models import Measurement, MeasurementComment, Trajectory, User


@dataclass(frozen=True)
class MeasurementFilter:
    status: MeasurementStatus | None = None
    moment: MeasurementMoment | None = None
    provider_id: int | None = None


def _filtered(user: User, f: MeasurementFilter):
    query = select(Measurement).join(Measurement.trajectory).where(trajectory_scope(user))
    if f.moment:
        query = query.where(Measurement.moment == f.moment)
    if f.provider_id:
        query = query.where(Trajectory.provider_id == f.provider_id)
    return query


def status_counts(user: User, f: MeasurementFilter) -> dict[MeasurementStatus, int]:
    """Counts per status under every filter but the status itself."""
    base = (_filtered(user, replace(f, status=None))
            .with_only_columns(Measurement.status).subquery())
    rows = db.session.execute(select(base.c.status, func.count()).group_by(base.c.status))
    counts = dict.fromkeys(MeasurementStatus, 0)
    counts.update({MeasurementStatus(status): n for status, n in rows})
    return counts


def measurement_page(user: User, f: MeasurementFilter, after: int | None,
                     size: int) -> Page[Measurement]:
    """Oldest first, as a work queue; `after` is the last id of the previous page."""
    query = _filtered(user, f).options(
        contains_eager(Measurement.trajectory).joinedload(Trajectory.client),
        contains_eager(Measurement.trajectory).joinedload(Trajectory.provider),
        joinedload(Measurement.submitted_by),
        selectinload(Measurement.goal_scores),
        selectinload(Measurement.comments).joinedload(MeasurementComment.author),
    )
    if f.status:
        query = query.where(Measurement.status == f.status)
    if after:
        query = query.where(Measurement.id > after)
    return fetch_page(query.order_by(Measurement.id), size, lambda m: m.id,
                      lambda limited: db.session.scalars(limited).unique())
