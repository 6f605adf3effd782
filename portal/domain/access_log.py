"""Searching the audit trail (NEN 7513): who did or saw what of which child, and when."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Row, func, or_, select
from sqlalchemy.orm import joinedload

from portal.domain.paging import Page, fetch_page
from portal.domain.permissions import user_scope
from portal.domain.regions import municipality_ids_in
from portal.extensions import db
from portal.formatting import AMSTERDAM as AMSTERDAM_TZ
from portal.models import (
    Allocation,
    AuditEvent,
    Client,
    Contract,
    Declaration,
    DeclarationLine,
    Municipality,
    Trajectory,
    User,
)

# What an event's object is, in words (AuditEvent.object_type is the model's class name).
OBJECT_NAMES = {
    "allocation": _l("Toewijzing"), "trajectory": _l("Traject"), "client": _l("Kind"),
    "goal": _l("Doel"), "measurement": _l("Meting"),
    "changerequest": _l("Wijzigingsverzoek"), "allocationrequest": _l("Toewijzingsverzoek"),
    "declaration": _l("Declaratie"), "declarationline": _l("Declaratieregel"),
    "paymentexport": _l("Betaalbestand"), "statement": _l("Overzicht"),
    "contract": _l("Contract"), "tariff": _l("Tariefversie"), "profile": _l("Profiel"),
    "intensity": _l("Intensiteit"), "arrangement": _l("Arrangement"),
    "subcontractor": _l("Onderaannemer"), "ijwmessage": _l("iJw-bericht"),
    "municipality": _l("Gemeente"), "provider": _l("Aanbieder"), "user": _l("Account"),
    "apitoken": _l("API-sleutel"), "conversation": _l("Sturingsgesprek"),
}


@dataclass(frozen=True)
class LogFilter:
    actor_email: str = ""
    child: str = ""  # a BSN, an allocation number or (part of) a child's name
    reads_only: bool = False
    day_from: date | None = None
    day_to: date | None = None


@dataclass
class LogPage(Page[AuditEvent]):
    clients: dict[int, Client]
    objects: dict[int, str]  # per event id: its object as people name it


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
    if f.child.strip():
        query = query.where(AuditEvent.client_id.in_(_children_matching(f.child.strip())))
    if f.reads_only:
        query = query.where(AuditEvent.action.like("%.viewed"))
    if f.day_from:
        query = query.where(AuditEvent.at >= _start_of(f.day_from))
    if f.day_to:
        query = query.where(AuditEvent.at < _start_of(f.day_to + timedelta(days=1)))
    if after:
        query = query.where(AuditEvent.id < after)
    page: Page[AuditEvent] = fetch_page(query.order_by(AuditEvent.id.desc()), size,
                                        lambda e: e.id)
    client_ids = {e.client_id for e in page.rows if e.client_id}
    clients = {c.id: c for c in db.session.scalars(
        select(Client).where(Client.id.in_(client_ids)))} if client_ids else {}
    return LogPage(page.rows, page.next_after, clients, describe_objects(page.rows))


def _children_matching(text: str):
    """The ids of the children a search names: digits are a BSN or an allocation number
    (in any municipality: the log shows which), other text part of the name."""
    if text.isascii() and text.isdigit():
        by_number = (select(Trajectory.client_id).join(
            Allocation, Allocation.trajectory_id == Trajectory.id)
            .where(Allocation.number == int(text))) if len(text) <= 9 else None
        by_bsn = select(Client.id).where(Client.bsn == text)
        return by_bsn if by_number is None else by_bsn.union(by_number)
    pattern = f"%{text.lower()}%"
    return select(Client.id).where(
        func.lower(Client.given_name + " " + Client.family_name).like(pattern))


def _allocation_names(where) -> Sequence[Row[Any]]:
    rows = db.session.execute(
        select(Allocation.id, Allocation.trajectory_id, Allocation.number, Municipality.name)
        .join(Municipality, Municipality.id == Allocation.municipality_id).where(where)).all()
    return rows


def describe_objects(events: Sequence[AuditEvent]) -> dict[int, str]:
    """Each event's object by the number people know (allocation number with its
    municipality, declaration number, line reference, contract number, e-mail address),
    never an internal id; an object of a trajectory is named by the trajectory's
    allocation. Six queries whatever the page holds."""
    def ids(kind: str) -> list[int]:
        return [e.object_id for e in events if e.object_type == kind and e.object_id]

    allocations = {row.id: (row.number, row.name) for row in _allocation_names(
        Allocation.id.in_(ids("allocation")))}
    trajectories = {row.trajectory_id: (row.number, row.name) for row in _allocation_names(
        Allocation.is_current & Allocation.trajectory_id.in_(
            {e.trajectory_id for e in events if e.trajectory_id}))}
    numbers: dict[str, dict[int, Any]] = {
        kind: dict(db.session.execute(select(column.class_.id, column).where(
            column.class_.id.in_(ids(kind)))).tuples().all())
        for kind, column in (("declaration", Declaration.number),
                             ("declarationline", DeclarationLine.reference),
                             ("contract", Contract.number), ("user", User.email))}
    described = {}
    for e in events:
        name = str(OBJECT_NAMES.get(e.object_type, e.object_type))
        allocation = (allocations.get(e.object_id) if e.object_type == "allocation"
                      else trajectories.get(e.trajectory_id))
        if e.object_id in numbers.get(e.object_type, {}):
            described[e.id] = f"{name} {numbers[e.object_type][e.object_id]}"
        elif allocation and e.object_type == "allocation":
            described[e.id] = str(_l("Toewijzing %(number)s (%(municipality)s)",
                                     number=allocation[0], municipality=allocation[1]))
        elif allocation:
            described[e.id] = str(_l("%(object)s bij toewijzing %(number)s (%(municipality)s)",
                                     object=name, number=allocation[0],
                                     municipality=allocation[1]))
        else:
            described[e.id] = name
    return described
