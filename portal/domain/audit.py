"""Writing the append-only audit trail."""

from contextvars import ContextVar
from datetime import date
from enum import Enum

from portal.extensions import db
from portal.models import AuditEvent, User

# Set by the web layer per request (the client address); None for the CLI.
current_origin: ContextVar[str | None] = ContextVar("current_origin", default=None)


def snapshot(obj, *fields: str) -> dict:
    """JSON-safe copy of some attributes, for the before/after columns."""
    out = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, Enum):
            value = value.value
        elif isinstance(value, date):
            value = value.isoformat()
        out[name] = value
    return out


def record(actor: User | None, action: str, obj, *, trajectory=None,
           before: dict | None = None, after: dict | None = None) -> AuditEvent:
    """One audit row; `trajectory` ties it to that trajectory's timeline and child."""
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        role=actor.role if actor else None,
        action=action,
        object_type=type(obj).__name__.lower(),
        object_id=obj.id,
        client_id=trajectory.client_id if trajectory else None,
        trajectory_id=trajectory.id if trajectory else None,
        before=before,
        after=after,
        origin=current_origin.get(),
    )
    db.session.add(event)
    return event
