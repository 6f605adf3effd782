"""Searching the audit trail (NEN 7513): who did or saw what of which child, and when."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from portal.domain.permissions import user_scope
from portal.domain.regions import municipality_ids_in
from portal.extensions import db
from portal.formatting import AMSTERDAM as AMSTERDAM_TZ
from portal.models import AuditEvent, Client, User


@dataclass(frozen=True)
class LogFilter:
    actor_email: str = ""
    bsn: str = ""
    reads_only: bool = False
    day_from: date | None = None
    day_to: date | None = None


@dataclass
class LogPage:
    events: list[AuditEvent]
    clients: dict[int, Client]
    next_after: int | None


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=AMSTERDAM_TZ)


def access_log_scope(administrator: User):
    """A region's administrator sees the events about its region's children, and the other
    events of the accounts it manages: never a child of another region."""
    children = select(Client.id).where(
        Client.municipality_id.in_(municipality_ids_in(administrator.region_id)))
    accounts = select(User.id).where(user_scope(administrator))
    return or_(AuditEvent.client_id.in_(children),
               AuditEvent.client_id.is_(None) & AuditEvent.actor_id.in_(accounts))


def search_access_log(f: LogFilter, after: int | None, size: int, scope) -> LogPage:
    query = select(AuditEvent).options(joinedload(AuditEvent.actor)).where(scope)
    if f.actor_email.strip():
        query = query.join(AuditEvent.actor).where(
            func.lower(User.email) == f.actor_email.strip().lower())
    if f.bsn.strip():
        query = query.join(Client, Client.id == AuditEvent.client_id).where(
            Client.bsn == f.bsn.strip())
    if f.reads_only:
        query = query.where(AuditEvent.action.like("%.viewed"))
    if f.day_from:
        query = query.where(AuditEvent.at >= _start_of(f.day_from))
    if f.day_to:
        query = query.where(AuditEvent.at < _start_of(f.day_to + timedelta(days=1)))
    if after:
        query = query.where(AuditEvent.id < after)
    events = db.session.scalars(query.order_by(AuditEvent.id.desc()).limit(size + 1)).all()
    shown = events[:size]
    client_ids = {e.client_id for e in shown if e.client_id}
    clients = {c.id: c for c in db.session.scalars(
        select(Client).where(Client.id.in_(client_ids)))} if client_ids else {}
    return LogPage(shown, clients, shown[-1].id if len(events) > size else None)
