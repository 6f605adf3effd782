"""The day's work per role for the start page: one count per to-do, each one query, scoped
to the viewer's organisation (and region for the region's roles)."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from portal.domain.conversations import action_counts
from portal.domain.declaration_queries import DeclarationFilter, declaration_counts
from portal.domain.lists import (
    PROVIDER_ROLES,
    DeclarationStatus,
    LineStatus,
    MeasurementMoment,
    MeasurementStatus,
    RequestStatus,
    Role,
    TrajectoryStatus,
)
from portal.domain.measurement_queries import MeasurementFilter, status_counts
from portal.domain.permissions import (
    allocation_request_scope,
    change_request_scope,
    declaration_scope,
    trajectory_scope,
)
from portal.domain.review_queue import QueueFilter, queue_counts
from portal.extensions import db
from portal.models import (
    AllocationRequest,
    ChangeRequest,
    Contract,
    Declaration,
    DeclarationLine,
    Measurement,
    Municipality,
    Trajectory,
    User,
)

CONTRACT_HORIZON_DAYS = 60


def _count(query) -> int:
    return db.session.scalar(query) or 0


def _provider(user: User, today: date) -> dict[str, int]:
    mine = trajectory_scope(user)
    started_unmeasured = ~select(Measurement.id).where(
        Measurement.trajectory_id == Trajectory.id,
        Measurement.moment == MeasurementMoment.START).exists()
    return {
        "inbox": _count(select(func.count(Trajectory.id)).where(
            mine, Trajectory.status == TrajectoryStatus.ALLOCATED)),
        "start_measurements": _count(select(func.count(Trajectory.id)).where(
            mine, Trajectory.status == TrajectoryStatus.STARTED, started_unmeasured)),
        "explanations": status_counts(user, MeasurementFilter())[
            MeasurementStatus.EXPLANATION_REQUESTED],
        "concepts": declaration_counts(user, DeclarationFilter())[DeclarationStatus.CONCEPT],
        "rejected_lines": _count(select(func.count(DeclarationLine.id)).join(
            DeclarationLine.declaration).where(
            declaration_scope(user), DeclarationLine.status == LineStatus.REJECTED)),
        **action_counts(user, today),
    }


def _access_staff(user: User) -> dict[str, int]:
    return {
        "allocation_requests": _count(select(func.count(AllocationRequest.id)).where(
            allocation_request_scope(user), AllocationRequest.status == RequestStatus.OPEN)),
        "change_requests": _count(select(func.count(ChangeRequest.id)).where(
            change_request_scope(user), ChangeRequest.status == RequestStatus.OPEN)),
    }


def _reviewer(user: User, today: date) -> dict[str, int]:
    queue = queue_counts(user, QueueFilter(), today)
    return {
        "lines_to_review": queue["statuses"][LineStatus.SUBMITTED],
        "overdue_lines": queue["overdue"],
        "measurements_to_review": status_counts(user, MeasurementFilter())[
            MeasurementStatus.SUBMITTED],
    }


def _contract_manager(user: User, today: date) -> dict[str, int]:
    return {
        "contracts_ending": _count(select(func.count(Contract.id)).where(
            Contract.region_id == user.region_id, Contract.ends_on >= today,
            Contract.ends_on <= today + timedelta(days=CONTRACT_HORIZON_DAYS))),
        **action_counts(user, today),
    }


def todo_counts(user: User, today: date) -> dict[str, int]:
    """The counts of the user's to-dos by key; empty for a role without any."""
    if user.role in PROVIDER_ROLES:
        return _provider(user, today)
    if user.role == Role.ACCESS_STAFF:
        return _access_staff(user)
    if user.role == Role.REVIEWER:
        return _reviewer(user, today)
    if user.role == Role.CONTRACT_MANAGER:
        return _contract_manager(user, today)
    return {}


@dataclass(frozen=True)
class MonthToDeclare:
    """A municipality the provider works for, and its declaration over the month if any."""

    municipality: Municipality
    declaration: Declaration | None


def previous_month(today: date) -> date:
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def months_to_declare(user: User, period: date) -> list[MonthToDeclare]:
    """Per municipality with a started (or ended) trajectory of the provider: the month's
    regular declaration, or None when there is none yet (two queries)."""
    worked_for = (select(Trajectory.municipality_id).where(
        trajectory_scope(user), Trajectory.status != TrajectoryStatus.ALLOCATED).distinct())
    municipalities = db.session.scalars(select(Municipality).where(
        Municipality.id.in_(worked_for)).order_by(Municipality.name)).all()
    declarations = {d.municipality_id: d for d in db.session.scalars(select(Declaration).where(
        declaration_scope(user), Declaration.period == period, ~Declaration.is_correction))}
    return [MonthToDeclare(m, declarations.get(m.id)) for m in municipalities]
