"""Reading requests for the list: each kind newest first in keyset pages (no OFFSET)."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.domain.lists import RequestStatus
from portal.domain.paging import Page, fetch_page
from portal.domain.permissions import allocation_request_scope, change_request_scope
from portal.models import AllocationRequest, ChangeRequest, Trajectory, User


def _page(query, model, status: RequestStatus | None, after: int | None,
          size: int) -> Page:
    if status:
        query = query.where(model.status == status)
    if after:
        query = query.where(model.id < after)
    return fetch_page(query.order_by(model.id.desc()), size, lambda r: r.id)


def allocation_request_page(user: User, status: RequestStatus | None, after: int | None,
                            size: int) -> Page[AllocationRequest]:
    query = select(AllocationRequest).options(
        joinedload(AllocationRequest.provider), joinedload(AllocationRequest.arrangement),
        joinedload(AllocationRequest.municipality),
    ).where(allocation_request_scope(user))
    return _page(query, AllocationRequest, status, after, size)


def change_request_page(user: User, status: RequestStatus | None, after: int | None,
                        size: int) -> Page[ChangeRequest]:
    query = select(ChangeRequest).options(
        joinedload(ChangeRequest.trajectory).joinedload(Trajectory.client),
        joinedload(ChangeRequest.trajectory).joinedload(Trajectory.provider),
        joinedload(ChangeRequest.arrangement), joinedload(ChangeRequest.allocation),
    ).where(change_request_scope(user))
    return _page(query, ChangeRequest, status, after, size)
