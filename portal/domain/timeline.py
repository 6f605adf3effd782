"""A trajectory's history as people read it, from the audit events."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.domain.audit_labels import ACTION_LABELS
from portal.extensions import db
from portal.models import AuditEvent, Trajectory

# The actions a trajectory's timeline shows (labels in portal.domain.audit_labels).
SHOWN = (
    "allocation.created", "allocation.replaced", "allocation.ended", "allocation.end_changed",
    "trajectory.started", "trajectory.ended", "trajectory.delivery_set", "goal.added",
    "goal.edited", "measurement.submitted", "measurement.accepted",
    "measurement.explanation_requested", "measurement.explained", "change_request.submitted",
    "change_request.approved", "change_request.rejected", "allocation_request.approved",
    "declaration_line.submitted", "declaration_line.approved", "declaration_line.rejected",
)


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    description: str
    actor: str | None
    role: str | None


def trajectory_timeline(trajectory: Trajectory) -> list[TimelineEntry]:
    events = db.session.scalars(
        select(AuditEvent)
        .options(joinedload(AuditEvent.actor))
        .where(AuditEvent.trajectory_id == trajectory.id,
               AuditEvent.action.in_(SHOWN))
        .order_by(AuditEvent.id)
    )
    return [TimelineEntry(e.at, ACTION_LABELS[e.action], e.actor.name if e.actor else None,
                          e.role.label if e.role else None) for e in events]
