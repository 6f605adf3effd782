"""A trajectory's history as people read it, from the audit events."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import AuditEvent, Trajectory

DESCRIPTIONS = {
    "allocation.created": _l("Toewijzing afgegeven"),
    "allocation.replaced": _l("Toewijzing beëindigd na wijzigingsverzoek (reden 12)"),
    "allocation.ended": _l("Toewijzing beëindigd door de gemeente"),
    "allocation.end_changed": _l("Einddatum toewijzing gewijzigd door de gemeente"),
    "trajectory.started": _l("Start zorg geregistreerd"),
    "trajectory.ended": _l("Zorg beëindigd"),
    "trajectory.delivery_set": _l("Uitvoerder vastgelegd (hoofdaanbieder of onderaannemer)"),
    "goal.added": _l("Doel toegevoegd aan het plan"),
    "goal.edited": _l("Doel gewijzigd"),
    "measurement.submitted": _l("Resultaatmeting vastgelegd"),
    "measurement.accepted": _l("Resultaatmeting geaccepteerd"),
    "measurement.explanation_requested": _l("Toelichting op resultaatmeting gevraagd"),
    "measurement.explained": _l("Toelichting op resultaatmeting gegeven"),
    "change_request.submitted": _l("Wijzigingsverzoek ingediend"),
    "change_request.approved": _l("Wijzigingsverzoek toegekend"),
    "change_request.rejected": _l("Wijzigingsverzoek afgewezen"),
    "allocation_request.approved": _l("Verzoek om toewijzing toegekend"),
    "declaration_line.submitted": _l("Tranche gedeclareerd"),
    "declaration_line.approved": _l("Declaratieregel goedgekeurd"),
    "declaration_line.rejected": _l("Declaratieregel afgekeurd"),
}


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
               AuditEvent.action.in_(list(DESCRIPTIONS)))
        .order_by(AuditEvent.id)
    )
    return [TimelineEntry(e.at, DESCRIPTIONS[e.action], e.actor.name if e.actor else None,
                          e.role.label if e.role else None) for e in events]
