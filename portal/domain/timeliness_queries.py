"""The counts behind the municipal timeliness: per kind two aggregates, whatever the number
of lines or requests (answers per quarter, municipality and working days; unanswered past
their due day now). Every query stays inside one region, and inside one municipality or one
provider when the viewer is one."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, or_, select

from portal.domain.lists import LineStatus, RequestStatus
from portal.domain.quarters import Quarter
from portal.domain.regions import municipality_ids_in
from portal.domain.timeliness import Kind, Tally
from portal.extensions import db
from portal.models import AllocationRequest, ChangeRequest, DeclarationLine, Trajectory


@dataclass(frozen=True)
class Scope:
    """Whose answers: a region's, narrowed to one municipality or to one provider's own."""

    region_id: int
    municipality_id: int | None = None
    provider_id: int | None = None


@dataclass(frozen=True)
class _Source:
    model: Any  # a mapped class: its columns are read as attributes
    waiting: object  # the status of something not yet answered
    join: tuple = ()  # where the municipality and provider live, when not on the row

    @property
    def owner(self):
        return self.join[0] if self.join else self.model


SOURCES = {
    Kind.LINES: _Source(DeclarationLine, LineStatus.SUBMITTED),
    Kind.CHANGE_REQUESTS: _Source(ChangeRequest, RequestStatus.OPEN,
                                  (Trajectory, Trajectory.id == ChangeRequest.trajectory_id)),
    Kind.ALLOCATION_REQUESTS: _Source(AllocationRequest, RequestStatus.OPEN),
}


def _scoped(query, source: _Source, scope: Scope):
    owner = source.owner
    if source.join:
        query = query.join(*source.join)
    query = query.where(owner.municipality_id.in_(municipality_ids_in(scope.region_id)))
    if scope.municipality_id is not None:
        query = query.where(owner.municipality_id == scope.municipality_id)
    if scope.provider_id is not None:
        query = query.where(owner.provider_id == scope.provider_id)
    return query


def quarter_tallies(kind: Kind, scope: Scope, quarters: list[Quarter],
                    today: date) -> dict[tuple[Quarter, int], Tally]:
    """Per quarter of the due day and municipality: the answers per working days they took,
    and the unanswered ones whose due day has passed (those not yet due are not judged)."""
    source = SOURCES[kind]
    model, owner = source.model, source.owner
    quarter_of = case(*((model.due_on.between(q.period.start, q.period.end), n)
                        for n, q in enumerate(quarters)))
    waiting = model.status == source.waiting
    days = case((waiting, None), else_=model.answered_working_days)
    query = _scoped(
        select(quarter_of, owner.municipality_id, days, func.count()).select_from(model),
        source, scope,
    ).where(model.due_on.between(quarters[0].period.start, quarters[-1].period.end),
            or_(and_(waiting, model.due_on < today),
                and_(~waiting, model.answered_working_days.is_not(None))))
    rows = db.session.execute(query.group_by(quarter_of, owner.municipality_id, days))
    counts: dict = defaultdict(Counter)
    late: Counter = Counter()
    for n, municipality_id, answered_days, count in rows:
        key = (quarters[n], municipality_id)
        if answered_days is None:
            late[key] += count
        else:
            counts[key][answered_days] += count
    return {key: Tally(counts[key], late[key]) for key in {*counts, *late}}


def overdue_now(kind: Kind, scope: Scope, today: date) -> dict[int, int]:
    """Per municipality: unanswered and past the due day today."""
    source = SOURCES[kind]
    model, owner = source.model, source.owner
    rows = db.session.execute(_scoped(
        select(owner.municipality_id, func.count()).select_from(model), source, scope,
    ).where(model.status == source.waiting, model.due_on < today)
        .group_by(owner.municipality_id))
    return {municipality_id: count for municipality_id, count in rows}
