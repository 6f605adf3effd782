"""The history of a catalogue object or contract as people read it, from the audit events."""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload

from portal.domain.audit_labels import action_label
from portal.domain.lists import EarlyEndRule
from portal.extensions import db
from portal.formatting import format_cents, format_date
from portal.models import Arrangement, AuditEvent, Contract, Intensity, Profile

LABELS = {
    "code": _l("Code"),
    "name": _l("Naam"),
    "rank": _l("Rang"),
    "long_term": _l("Duurzaam"),
    "product_category": _l("Productcategorie"),
    "product_code": _l("Productcode"),
    "number": _l("Contractnummer"),
    "starts_on": _l("Ingangsdatum"),
    "ends_on": _l("Einddatum"),
    "arrangements": _l("Arrangementen (productcodes)"),
    "valid_from": _l("Geldig vanaf"),
    "valid_to": _l("Geldig tot en met"),
    "amount_cents": _l("Tarief"),
    "start_share_percent": _l("Aandeel bij de start (procent)"),
    "early_end_rule": _l("Voortijdig einde"),
    "administrative_end_rule": _l("Administratief einde"),
    "copied_from": _l("Overgenomen uit contract"),
}


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    description: str
    actor: str | None
    role: str | None
    changes: list[Change]


def _shown(name: str, value) -> str:
    if value is None:
        return "–"
    if name == "amount_cents":
        return format_cents(value)
    if name.endswith("_rule"):
        return str(EarlyEndRule(value).label)
    if isinstance(value, bool):
        return str(_l("ja") if value else _l("nee"))
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "–"
    if name in ("starts_on", "ends_on", "valid_from", "valid_to"):
        return format_date(date.fromisoformat(value))
    return str(value)


def _changes(event: AuditEvent) -> list[Change]:
    before, after = event.before or {}, event.after or {}
    changes = []
    for name, label in LABELS.items():
        old, new = before.get(name), after.get(name)
        if (name not in before and name not in after) or old == new:
            continue
        if isinstance(old, list) and isinstance(new, list):
            # A list shows what came in and what went out, not both lists in full.
            for values, text in (([v for v in new if v not in old], _l("toegevoegd")),
                                 ([v for v in old if v not in new], _l("vervallen"))):
                if values:
                    changes.append(Change(f"{label} {text}", "", _shown(name, values)))
            continue
        changes.append(Change(str(label), _shown(name, old) if before else "",
                              _shown(name, new) if after else ""))
    return changes


def _entries(*criteria) -> list[HistoryEntry]:
    events = db.session.scalars(
        select(AuditEvent).options(joinedload(AuditEvent.actor))
        .where(or_(*criteria)).order_by(AuditEvent.id.desc()))
    return [HistoryEntry(e.at, action_label(e.action),
                         e.actor.name if e.actor else None,
                         e.role.label if e.role else None, _changes(e)) for e in events]


def _of(object_type: str, *ids: int):
    return and_(AuditEvent.object_type == object_type, AuditEvent.object_id.in_(ids))


def history(obj: Profile | Intensity | Contract) -> list[HistoryEntry]:
    """Newest first: who changed what when."""
    return _entries(_of(type(obj).__name__.lower(), obj.id))


def arrangement_history(arrangement: Arrangement) -> list[HistoryEntry]:
    """The arrangement's own events and those of its tariff versions, deleted ones included."""
    deleted = db.session.scalars(
        select(AuditEvent.before).where(_of("arrangement", arrangement.id),
                                        AuditEvent.action == "tariff.deleted"))
    tariff_ids = [t.id for t in arrangement.tariffs] + [b["tariff_id"] for b in deleted]
    return _entries(_of("arrangement", arrangement.id), _of("tariff", *tariff_ids))
