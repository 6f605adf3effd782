"""Reading a provider's declarations: a keyset-paged list with totals, and one declaration
with its lines, their checks and whether each may be credited."""

from dataclasses import dataclass, replace

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from portal.domain.codes import COD043
from portal.domain.declaration_checks import Finding, LineIndex, Stage, run_checks
from portal.domain.lists import DeclarationStatus, LineStatus
from portal.domain.paging import Page, fetch_page, fetch_rows
from portal.domain.permissions import declaration_scope
from portal.extensions import db
from portal.models import Allocation, Declaration, DeclarationLine, User


@dataclass(frozen=True)
class DeclarationFilter:
    status: DeclarationStatus | None = None


@dataclass(frozen=True)
class DeclarationRow:
    declaration: Declaration
    line_count: int
    total_cents: int
    waiting: int
    approved: int
    rejected: int


def _count(status: LineStatus):
    return func.sum(case((DeclarationLine.status == status, 1), else_=0))


def _filtered(user: User, f: DeclarationFilter):
    query = select(Declaration).where(declaration_scope(user))
    if f.status:
        query = query.where(Declaration.status == f.status)
    return query


def _with_totals(limited) -> list[DeclarationRow]:
    return [DeclarationRow(d, *(int(v or 0) for v in values))
            for d, *values in fetch_rows(limited)]


def declaration_page(user: User, f: DeclarationFilter, after: int | None,
                     size: int) -> Page[DeclarationRow]:
    """Newest first; `after` is the last id of the previous page."""
    totals = (select(DeclarationLine.declaration_id.label("declaration_id"),
                     func.count().label("line_count"),
                     func.sum(DeclarationLine.signed_amount_cents).label("total"),
                     _count(LineStatus.SUBMITTED).label("waiting"),
                     _count(LineStatus.APPROVED).label("approved"),
                     _count(LineStatus.REJECTED).label("rejected"))
              .group_by(DeclarationLine.declaration_id).subquery())
    query = (_filtered(user, f)
             .add_columns(totals.c.line_count, totals.c.total, totals.c.waiting,
                          totals.c.approved, totals.c.rejected)
             .outerjoin(totals, totals.c.declaration_id == Declaration.id)
             .options(joinedload(Declaration.municipality)))
    if after:
        query = query.where(Declaration.id < after)
    return fetch_page(query.order_by(Declaration.id.desc()), size,
                      lambda row: row.declaration.id, _with_totals)


def declaration_counts(user: User, f: DeclarationFilter) -> dict[DeclarationStatus, int]:
    base = _filtered(user, replace(f, status=None)).subquery()
    counts = dict.fromkeys(DeclarationStatus, 0)
    counts.update({DeclarationStatus(status): n for status, n in db.session.execute(
        select(base.c.status, func.count()).group_by(base.c.status))})
    return counts


@dataclass
class DeclarationDetail:
    lines: list[DeclarationLine]
    findings: dict[int, list[Finding]]
    creditable: set[int]  # ids of approved debit lines that no credit cancels yet
    total_cents: int


def declaration_detail(declaration: Declaration) -> DeclarationDetail:
    lines = list(db.session.scalars(
        select(DeclarationLine)
        .options(joinedload(DeclarationLine.allocation).joinedload(Allocation.arrangement),
                 joinedload(DeclarationLine.decided_by))
        .where(DeclarationLine.declaration_id == declaration.id)
        .order_by(DeclarationLine.id)))
    concept = [line for line in lines if line.status == LineStatus.CONCEPT]
    approved = [line for line in lines if line.status == LineStatus.APPROVED
                and line.debit_credit == COD043.DEBIT]
    index = LineIndex.load(set(), {(ln.provider_id, ln.reference) for ln in approved})
    return DeclarationDetail(
        lines, run_checks(concept, Stage.SUBMIT),
        {ln.id for ln in approved if not index.same_reference(ln, COD043.CREDIT)},
        sum(line.signed_amount_cents for line in lines))
