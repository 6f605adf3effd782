"""Payment exports (reviewer): approved lines go to the payment system exactly once.

An export takes the approved lines of the municipality's declarations over a range of
months that no earlier export took; the conditional UPDATE on `payment_export_id` makes
sure that two exports at the same moment never share a line. An export's file is always
regenerated from its own lines, so downloading it again gives the same file.
"""

import io
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import contains_eager, joinedload

from portal.database import rows_matched
from portal.domain import DomainError
from portal.domain.audit import record, snapshot
from portal.domain.lists import LineStatus
from portal.domain.paging import Page, fetch_page
from portal.domain.text_hygiene import NumberText, SpreadsheetWriter
from portal.domain.tranches import month_bounds
from portal.extensions import db
from portal.formatting import format_euros
from portal.models import (
    Allocation,
    Declaration,
    DeclarationLine,
    Municipality,
    PaymentExport,
    Provider,
    User,
)

COLUMNS = ("gemeente", "agb_code", "declaratienummer", "toewijzingnummer", "referentie",
           "tranche", "begindatum", "einddatum", "bedrag_centen", "bedrag_euro",
           "debet_credit")


@dataclass(frozen=True)
class ExportSummary:
    export: PaymentExport
    line_count: int
    total_cents: int


def create_export(municipality: Municipality, first_month: date, last_month: date,
                  actor: User) -> PaymentExport:
    """Every approved, not yet exported line of declarations over these months."""
    first_month, last_day = first_month.replace(day=1), month_bounds(last_month)[1]
    if last_day < first_month:
        raise DomainError(_l("De laatste maand ligt vóór de eerste maand."), field="last_month")
    in_period = (select(Declaration.id)
                 .where(Declaration.municipality_id == municipality.id,
                        Declaration.period.between(first_month, last_day)))
    with db.session.begin_nested():  # nothing stays behind when there is nothing to export
        export = PaymentExport(municipality=municipality, period_from=first_month,
                               period_to=last_day, created_by=actor)
        db.session.add(export)
        db.session.flush()
        taken = rows_matched(
            update(DeclarationLine)
            .where(DeclarationLine.municipality_id == municipality.id,
                   DeclarationLine.status == LineStatus.APPROVED,
                   DeclarationLine.payment_export_id.is_(None),
                   DeclarationLine.declaration_id.in_(in_period))
            .values(payment_export_id=export.id)
            .execution_options(synchronize_session=False))
        if not taken:
            raise DomainError(_l("Er zijn in deze maanden geen goedgekeurde regels die nog "
                                 "niet zijn geëxporteerd."))
    lines = export_lines(export)
    record(actor, "payment_export.created", export,
           after={"lines": len(lines), "total_cents": sum(ln.signed_amount_cents
                                                          for ln in lines)})
    for line in lines:
        record(actor, "declaration_line.exported", line, trajectory=line.allocation.trajectory,
               after=snapshot(line, "payment_export_id"))
    return export


def export_lines(export: PaymentExport) -> list[DeclarationLine]:
    return list(db.session.scalars(
        select(DeclarationLine)
        .join(DeclarationLine.declaration).join(Declaration.provider)
        .options(contains_eager(DeclarationLine.declaration)
                 .contains_eager(Declaration.provider),
                 joinedload(DeclarationLine.allocation).joinedload(Allocation.trajectory))
        .where(DeclarationLine.payment_export_id == export.id)
        .order_by(Provider.agb_code, DeclarationLine.reference, DeclarationLine.id)
        .execution_options(populate_existing=True)))


def export_csv(export: PaymentExport) -> str:
    """The file for the payment system: semicolons, amounts in cents and in Dutch euros."""
    out = io.StringIO()
    writer = SpreadsheetWriter(out)
    writer.writerow(COLUMNS)
    for line in export_lines(export):
        writer.writerow([
            export.municipality.cbs_code, line.declaration.provider.agb_code,
            line.declaration.number, line.allocation.number, line.reference,
            line.tranche.value, line.period_start.isoformat(), line.period_end.isoformat(),
            line.amount_cents, NumberText(format_euros(line.amount_cents)),
            line.debit_credit.value,
        ])
    return out.getvalue()


def _summaries(limited_ids) -> list[ExportSummary]:
    """The exports a page's ids name, each with its number of lines and total."""
    shown = limited_ids.subquery()
    # Only the lines of the exports shown, through the index on payment_export_id.
    totals = (select(DeclarationLine.payment_export_id.label("export_id"),
                     func.count().label("line_count"),
                     func.sum(DeclarationLine.signed_amount_cents).label("total"))
              .where(DeclarationLine.payment_export_id.in_(select(shown.c.id)))
              .group_by(DeclarationLine.payment_export_id).subquery())
    rows = db.session.execute(
        select(PaymentExport, totals.c.line_count, totals.c.total)
        .join(totals, totals.c.export_id == PaymentExport.id)
        .options(joinedload(PaymentExport.created_by))
        .order_by(PaymentExport.id.desc())).all()
    return [ExportSummary(export, count, total or 0) for export, count, total in rows]


def export_page(municipality: Municipality, after: int | None,
                size: int) -> Page[ExportSummary]:
    """The municipality's exports, newest first, with their number of lines and total;
    `after` is the last export id of the previous page (keyset, no OFFSET)."""
    ids = select(PaymentExport.id).where(PaymentExport.municipality_id == municipality.id)
    if after:
        ids = ids.where(PaymentExport.id < after)
    return fetch_page(ids.order_by(PaymentExport.id.desc()), size,
                      lambda summary: summary.export.id, _summaries)
