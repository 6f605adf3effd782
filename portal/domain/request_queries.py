"""Reading requests for the list: each kind newest first in keyset pages (no OFFSET)."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.domain.lists import RequestStatus
from portal.domain.permissions import allocation_request_scope, change_request_scope
from portal.extensions import db
from portal.models import AllocationRequest, ChangeRequest, Trajectory, User


@dataclass
class RequestPage:
    rows: Sequence[Any]
    next_after: int | None  # the keyset cursor: the last id shown, when there is more


def _page(query, model, status: RequestStatus | None, after: int | None,
          size: int) -> RequestPage:
    if status:
        query = query.where(model.status == status)
    if after:
        query = query.where(model.id < after)
    rows = db.session.scalars(query.order_by(model.id.desc()).limit(size + 1)).all()
    shown = rows[:size]
    return RequestPage(shown, shown[-1].id if len(rows) > size else None)


def allocation_request_page(user: User, status: RequestStatus | None, after: int | None,
                            size: int) -> RequestPage:
    query = select(AllocationRequest).options(
        joinedload(AllocationRequest.provider), joinedload(AllocationRequest.arrangement),
        joinedload(AllocationRequest.municipality),
    ).where(allocation_request_scope(user))
    return _page(query, AllocationRequest, status, after, size)


def change_request_page(user: User, status: RequestStatus | None, after: int | None,
                        size: int) -> RequestPage:
    query = select(ChangeRequest).options(
        joinedload(ChangeRequest.trajectory).joinedload(Trajectory.client),
        joinedload(ChangeRequest.trajectory).joinedload(Trajectory.provider),
        joinedload(ChangeRequest.arrangement), joinedload(ChangeRequest.allocation),
    ).where(change_request_scope(user))
    return _page(query, ChangeRequest, status, after, size)
