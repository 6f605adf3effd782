"""Marking trajectories stale in the transaction that changes what their facts come from.

Two listeners on every session: after a flush, the trajectories of the flushed rows of the
models the indicators read; before an ORM UPDATE statement (the domain's conditional
transitions: a decided declaration line or change request, a trajectory's start or end), the
trajectories of the rows it will change. A changed allocation marks every trajectory of the
same child, whose "new start within 182 days" may change with it. The session remembers that
it marked something, so a refresh can be queued once the commit is through."""

from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session

from portal.models import (
    Allocation,
    ChangeRequest,
    DeclarationLine,
    Goal,
    GoalScoreEntry,
    Intensity,
    Measurement,
    Municipality,
    StaleFact,
    Trajectory,
)

MARKED = "figures_marked"
CHUNK = 10_000
# Rows that name their trajectory.
WITH_TRAJECTORY = (Measurement, Goal, ChangeRequest)


def _mark(session: Session, trajectory_ids) -> None:
    """`trajectory_ids`: a select of ids."""
    session.connection().execute(
        insert(StaleFact.__table__).from_select(["trajectory_id"], trajectory_ids))
    session.info[MARKED] = True


def _siblings(trajectory_ids):
    """The trajectories of the children of these trajectories (ids or a select of ids),
    themselves included."""
    children = select(Trajectory.client_id).where(Trajectory.id.in_(trajectory_ids))
    return select(Trajectory.id).where(Trajectory.client_id.in_(children))


def mark_children(session: Session, trajectory_ids) -> None:
    """For rows written in bulk (no flush): every trajectory of these trajectories' children.
    In chunks, as a bulk import may hold more ids than a statement takes parameters."""
    ids = list(trajectory_ids)
    for start in range(0, len(ids), CHUNK):
        _mark(session, _siblings(ids[start:start + CHUNK]))


# Changes that reach every trajectory: an intensity's rank (upscaling), a municipality's region.
EVERYWHERE = ((Intensity, "rank"), (Municipality, "region_id"))


def _reaches_everything(session: Session) -> bool:
    return any(isinstance(obj, model) and inspect(obj).attrs[name].history.has_changes()
               for obj in session.dirty for model, name in EVERYWHERE)


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context) -> None:
    if _reaches_everything(session):
        _mark(session, select(Trajectory.id))
        return
    direct, of_children, measurement_ids, allocation_ids = set(), set(), set(), set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Trajectory):
            direct.add(obj.id)
        elif isinstance(obj, WITH_TRAJECTORY):
            direct.add(obj.trajectory_id)
        elif isinstance(obj, Allocation):
            of_children.add(obj.trajectory_id)
        elif isinstance(obj, GoalScoreEntry):
            measurement_ids.add(obj.measurement_id)
        elif isinstance(obj, DeclarationLine):
            allocation_ids.add(obj.allocation_id)
    direct.discard(None)
    if direct:
        _mark(session, select(Trajectory.id).where(Trajectory.id.in_(direct)))
    mark_children(session, of_children)
    if measurement_ids:
        _mark(session, select(Measurement.trajectory_id)
              .where(Measurement.id.in_(measurement_ids)))
    if allocation_ids:
        _mark(session, select(Allocation.trajectory_id).where(Allocation.id.in_(allocation_ids)))


# An UPDATE statement on one of these: how to find the trajectories of the rows it changes.
UPDATED = {
    Trajectory: lambda where: select(Trajectory.id).where(where),
    ChangeRequest: lambda where: select(ChangeRequest.trajectory_id).where(where),
    DeclarationLine: lambda where: (
        select(Allocation.trajectory_id).select_from(DeclarationLine)
        .join(Allocation, Allocation.id == DeclarationLine.allocation_id).where(where)),
    Allocation: lambda where: _siblings(select(Allocation.trajectory_id).where(where)),
}


@event.listens_for(Session, "do_orm_execute")
def _updating(state: ORMExecuteState) -> None:
    if not state.is_update:
        return
    mapper = state.bind_mapper
    trajectories = UPDATED.get(mapper.class_) if mapper is not None else None
    if trajectories is not None and state.statement.whereclause is not None:
        _mark(state.session, trajectories(state.statement.whereclause))
