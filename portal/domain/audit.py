"""Writing the append-only audit trail."""

from contextvars import ContextVar
from datetime import date
from enum import Enum

from portal.database import insert_rows
from portal.extensions import db
from portal.models import AuditEvent, User
from portal.models.types import utcnow

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
    event = AuditEvent(**event_values(
        actor, action, type(obj).__name__.lower(), obj.id,
        client_id=trajectory.client_id if trajectory else None,
        trajectory_id=trajectory.id if trajectory else None, before=before, after=after))
    db.session.add(event)
    return event


def event_values(actor: User | None, action: str, object_type: str, object_id: int | None, *,
                 client_id: int | None = None, trajectory_id: int | None = None,
                 before: dict | None = None, after: dict | None = None) -> dict:
    """The columns of one audit row, for `record` and for bulk inserts of many rows."""
    return {"actor_id": actor.id if actor else None, "role": actor.role if actor else None,
            "action": action, "object_type": object_type, "object_id": object_id,
            "client_id": client_id, "trajectory_id": trajectory_id, "before": before,
            "after": after, "origin": current_origin.get()}


def record_many(events: list[dict]) -> None:
    """Many audit rows from `event_values` at once (bulk imports)."""
    at = utcnow()
    insert_rows(AuditEvent, [{"at": at, **values} for values in events])
