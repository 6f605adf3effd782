"""What receivers refused of the portal's messages, shown on the object it concerns."""

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from flask import g
from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, joinedload

from portal.domain.codes import WJ001
from portal.extensions import db
from portal.models import Allocation, AllocationRequest, ChangeRequest, DeclarationLine, IjwRefusal
from portal.web.door.views import bp

# Per kind of object: its column, and the group loaded at once (a page shows all of a
# declaration's lines and all of a trajectory's allocations: one query, not one per row).
_GROUPS: dict[type, tuple[InstrumentedAttribute[Any], Callable[[Any], tuple[int, Any]]]] = {
    Allocation: (IjwRefusal.allocation_id, lambda a: (
        a.trajectory_id, select(Allocation.id).where(Allocation.trajectory_id == a.trajectory_id))),
    DeclarationLine: (IjwRefusal.declaration_line_id, lambda line: (
        line.declaration_id, select(DeclarationLine.id).where(
            DeclarationLine.declaration_id == line.declaration_id))),
    AllocationRequest: (IjwRefusal.allocation_request_id, lambda r: (r.id, [r.id])),
    ChangeRequest: (IjwRefusal.change_request_id, lambda r: (r.id, [r.id])),
}
_LABELS = {member.value: member.label for member in WJ001}


@bp.app_template_global("ijw_refusals")
def refusals_of(obj) -> list[tuple[str, str, IjwRefusal]]:
    """(code, label, refusal) for every refused part of `obj`, oldest first; the caller has
    loaded `obj` within the user's scope."""
    if type(obj) not in _GROUPS:
        return []
    column, group = _GROUPS[type(obj)]
    key, members = group(obj)
    cache = g.setdefault("ijw_refusals", {})
    if (type(obj), key) not in cache:
        found = defaultdict(list)
        for refusal in db.session.scalars(
                select(IjwRefusal).options(joinedload(IjwRefusal.message))
                .where(column.in_(members)).order_by(IjwRefusal.id)):
            found[getattr(refusal, column.key)].append(refusal)
        cache[(type(obj), key)] = found
    return [(refusal.code, str(_LABELS.get(refusal.code, "")), refusal)
            for refusal in cache[(type(obj), key)].get(obj.id, [])]
