"""Reading the review queue: filters, counts, sort orders and keyset pages (no OFFSET).

Every page costs the same few queries whatever its length: the lines with what they show
joined in, and the checks for the page's submitted lines in one batch.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, contains_eager, joinedload

from portal.domain.codes import COD043
from portal.domain.declaration_checks import Finding, Stage, run_checks
from portal.domain.identifiers import bounded_int
from portal.domain.lists import LineStatus
from portal.domain.paging import Page, fetch_page, id_cursor
from portal.domain.permissions import review_scope
from portal.domain.review import correction_partners
from portal.domain.tranches import month_bounds
from portal.extensions import db
from portal.models import Allocation, Declaration, DeclarationLine, User

REVIEW_STATUSES = (LineStatus.SUBMITTED, LineStatus.APPROVED, LineStatus.REJECTED)


@dataclass(frozen=True)
class Sort:
    """An order over one column with the id as tie-breaker, and its keyset condition."""

    column: InstrumentedAttribute[Any]
    descending: bool
    parse: Callable[[str], object]

    def order_by(self):
        if self.descending:
            return self.column.desc(), DeclarationLine.id.desc()
        return self.column.asc(), DeclarationLine.id.asc()

    def after(self, value, line_id: int):
        beyond = self.column < value if self.descending else self.column > value
        same_id = DeclarationLine.id < line_id if self.descending else DeclarationLine.id > line_id
        return or_(beyond, and_(self.column == value, same_id))

    def cursor(self, line: DeclarationLine) -> str:
        value = getattr(line, self.column.key)
        return f"{value.isoformat() if isinstance(value, date) else value}_{line.id}"


SORTS = {
    "termijn": Sort(DeclarationLine.due_on, False, date.fromisoformat),
    "bedrag_hoog": Sort(DeclarationLine.amount_cents, True, bounded_int),
    "bedrag_laag": Sort(DeclarationLine.amount_cents, False, bounded_int),
    "nieuwste": Sort(DeclarationLine.id, True, bounded_int),
}
DEFAULT_SORT = "termijn"


@dataclass(frozen=True)
class QueueFilter:
    status: LineStatus | None = LineStatus.SUBMITTED
    provider_id: int | None = None
    arrangement_id: int | None = None
    overdue: bool = False
    min_cents: int | None = None
    max_cents: int | None = None
    first_month: date | None = None
    last_month: date | None = None
    sort: str = DEFAULT_SORT


@dataclass
class QueuePage(Page[DeclarationLine]):
    findings: dict[int, list[Finding]]
    # A waiting credit and its waiting new debit, each by the other's id.
    partners: dict[int, DeclarationLine] = field(default_factory=dict)


def _filtered(user: User, f: QueueFilter, today: date, with_allocation: bool = False):
    """The lines the filters keep; the allocation is joined when a filter or the caller
    needs it (every line has one, so the join never changes which lines match)."""
    query = select(DeclarationLine).where(review_scope(user))
    if with_allocation or f.arrangement_id:
        query = query.join(DeclarationLine.allocation)
    if f.status:
        query = query.where(DeclarationLine.status == f.status)
    if f.provider_id:
        query = query.where(DeclarationLine.provider_id == f.provider_id)
    if f.arrangement_id:
        query = query.where(Allocation.arrangement_id == f.arrangement_id)
    if f.overdue:
        query = query.where(DeclarationLine.status == LineStatus.SUBMITTED,
                            DeclarationLine.due_on < today)
    if f.min_cents is not None:
        query = query.where(DeclarationLine.amount_cents >= f.min_cents)
    if f.max_cents is not None:
        query = query.where(DeclarationLine.amount_cents <= f.max_cents)
    if f.first_month:
        query = query.where(DeclarationLine.period_start >= f.first_month.replace(day=1))
    if f.last_month:
        query = query.where(DeclarationLine.period_start <= month_bounds(f.last_month)[1])
    return query


def _parse_cursor(sort: Sort, cursor: str | None):
    try:
        value, line_id = (cursor or "").rsplit("_", 1)
        position = sort.parse(value), id_cursor(line_id)
    except ValueError:
        return None
    return position if position[1] is not None else None


def queue_page(user: User, f: QueueFilter, cursor: str | None, size: int,
               today: date) -> QueuePage:
    sort = SORTS.get(f.sort, SORTS[DEFAULT_SORT])
    query = _filtered(user, f, today, with_allocation=True).options(
        contains_eager(DeclarationLine.allocation).joinedload(Allocation.arrangement),
        joinedload(DeclarationLine.declaration).joinedload(Declaration.provider),
        joinedload(DeclarationLine.decided_by))
    position = _parse_cursor(sort, cursor)
    if position is not None:
        query = query.where(sort.after(*position))
    page = fetch_page(query.order_by(*sort.order_by()), size, sort.cursor)
    waiting = [line for line in page.rows if line.status == LineStatus.SUBMITTED]
    return QueuePage(page.rows, page.next_after, findings_approving_credits(waiting),
                     correction_partners(waiting))


def findings_approving_credits(waiting: list[DeclarationLine]) -> dict[int, list[Finding]]:
    """The findings as they stand when the credits among `waiting` that meet every rule are
    approved with the other lines (a bulk approval): a correction's new debit is then
    valid, and the page does not tell the reviewer to reject it."""
    credits = frozenset(x.id for x in waiting if x.debit_credit == COD043.CREDIT)
    findings = run_checks(waiting, Stage.REVIEW, credits)
    approvable = frozenset(c for c in credits if not findings[c])
    if approvable != credits:
        findings = run_checks(waiting, Stage.REVIEW, approvable)
    return findings


def queue_counts(user: User, f: QueueFilter, today: date) -> dict:
    """Lines per status under every filter but the status, and how many are overdue."""
    base = _filtered(user, replace(f, status=None), today).subquery()
    late = case(((base.c.status == LineStatus.SUBMITTED) & (base.c.due_on < today), 1),
                else_=0)
    rows = db.session.execute(
        select(base.c.status, func.count(), func.sum(late)).group_by(base.c.status)).all()
    counts = dict.fromkeys(REVIEW_STATUSES, 0)
    overdue = 0
    for status, count, late_count in rows:
        counts[LineStatus(status)] = count
        overdue += int(late_count or 0)
    return {"statuses": counts, "overdue": overdue}
