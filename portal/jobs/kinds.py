"""What each kind of job does with its row. Each runs inside one transaction that the runner
commits together with the job's `done`; what the user should see goes into the row."""

from collections.abc import Callable
from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from portal.domain import permissions as can
from portal.domain.allocation_import import import_allocations
from portal.domain.figures import Period
from portal.domain.payment_exports import create_export
from portal.extensions import db
from portal.ijw.importing import import_message
from portal.jobs.records import progress
from portal.jobs.statements import make_contract_statement, statement_filename
from portal.models import Contract
from portal.models.jobs import Job, JobKind

MAX_LISTED_ERRORS = 500  # rows or findings shown on the result page


class JobFailed(Exception):
    """The job cannot be done as asked: a Dutch message, and details for the result page.
    With `keep`, what the work recorded (an audit event of the refusal) is committed."""

    def __init__(self, message: str, result: dict | None = None, keep: bool = False):
        super().__init__(message)
        self.result, self.keep = result, keep


def _input_of(job: Job) -> bytes:
    """The uploaded file: an import is always queued with one, and dropped only when done."""
    if job.input is None:
        raise ValueError(f"job {job.id} has no input")
    return job.input


def contract_statement(job: Job) -> None:
    """The period and contract were recorded when asked; the figures are those of now. The
    creator's scope is checked again: access may have changed in between."""
    actor = job.created_by
    contract = db.session.scalar(select(Contract).where(
        Contract.id == job.params["contract"], can.statement_contract_scope(actor)))
    if contract is None:
        raise JobFailed(_("Dit contract is niet meer beschikbaar voor uw organisatie; er is "
                          "geen overzicht gemaakt."))
    period = Period(date.fromisoformat(job.params["start"]),
                    date.fromisoformat(job.params["end"]))
    statement, pdf, rendered = make_contract_statement(contract, period, actor,
                                                       lambda n: progress(job, n))
    job.result_ref = f"statement:{statement.id}"
    job.result = {"code": statement.code, "rendered": rendered}
    job.output, job.output_name = pdf, statement_filename(contract, period)


def allocation_import(job: Job) -> None:
    actor = job.created_by
    result = import_allocations(_input_of(job), actor.own_municipality, actor)
    if result.errors:
        raise JobFailed(
            ngettext("Er is niets geïmporteerd: %(num)s regel bevat een fout",
                     "Er is niets geïmporteerd: %(num)s regels bevatten een fout",
                     len(result.errors)),
            {"errors": [{"line": e.line, "message": str(e.message), "code": e.code}
                        for e in result.errors[:MAX_LISTED_ERRORS]]})
    job.result = {"summary": ngettext("%(num)s toewijzing is geïmporteerd.",
                                      "%(num)s toewijzingen zijn geïmporteerd.",
                                      len(result.created))}
    job.input = None  # imported: the file is not needed any more


def ijw_import(job: Job) -> None:
    actor = job.created_by
    report = import_message(_input_of(job), actor=actor, municipality=actor.municipality,
                            source=job.params["source"])
    details = {"summary": report.summary(),
               "findings": [{"line": f.line, "path": f.path, "code": f.code,
                             "message": str(f.message)}
                            for f in report.findings[:MAX_LISTED_ERRORS]]}
    if not report.ok:  # the refusal's audit event is kept, as on the upload page
        raise JobFailed(report.summary(), details, keep=True)
    job.result = details
    job.input = None


def payment_export(job: Job) -> None:
    actor = job.created_by
    export = create_export(actor.own_municipality, date.fromisoformat(job.params["first_month"]),
                           date.fromisoformat(job.params["last_month"]), actor)
    job.result_ref = f"payment_export:{export.id}"
    job.result = {"summary": _("Betaalbestand %(number)s is aangemaakt. De regels erin worden "
                               "niet opnieuw geëxporteerd.", number=export.id),
                  "export": export.id}


WORK: dict[JobKind, Callable[[Job], None]] = {
    JobKind.CONTRACT_STATEMENT: contract_statement,
    JobKind.ALLOCATION_IMPORT: allocation_import,
    JobKind.IJW_IMPORT: ijw_import,
    JobKind.PAYMENT_EXPORT: payment_export,
}
