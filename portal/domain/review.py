"""The municipality's answer to declaration lines: approve or reject, each line in full.

A decision is a conditional UPDATE on the submitted line, so when two reviewers decide the
same line at once exactly one decision counts. A declaration is answered once none of its
lines waits for a decision.
"""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select, update

from portal.database import rows_matched
from portal.domain import DomainError
from portal.domain.audit import record, snapshot
from portal.domain.codes import COD043, WJ001
from portal.domain.declaration_checks import Finding, Stage, run_checks
from portal.domain.lists import DeclarationStatus, LineStatus
from portal.domain.notifications import notify
from portal.domain.states import awaits_review
from portal.domain.timeliness import answer_working_days
from portal.extensions import db
from portal.models import Declaration, DeclarationLine, User
from portal.models.types import utcnow

# The return codes a reviewer can choose from; 0200 ("no remark") is no reason to reject.
REJECTION_CODES = tuple(code for code in WJ001 if code != WJ001.NO_REMARK)
# Codes for a reviewer's own judgement of a line that meets every rule (docs/declarations.md):
# the care was not for this child (8187), or not delivered under this allocation (9338).
JUDGEMENT_CODES = (WJ001.NOT_THIS_CLIENT, WJ001.NO_ALLOCATION)
DECISION_FIELDS = ("status", "return_code", "decision_note")


def is_overdue(line: DeclarationLine, today: date) -> bool:
    return awaits_review(line) and line.due_on is not None and line.due_on < today


def _decide(line: DeclarationLine, actor: User, status: LineStatus, settle: bool = True,
            **values) -> None:
    now = utcnow()
    matched = rows_matched(
        update(DeclarationLine)
        .where(DeclarationLine.id == line.id, DeclarationLine.status == LineStatus.SUBMITTED)
        .values(status=status, decided_by_id=actor.id, decided_at=now,
                answered_working_days=answer_working_days(line.declaration.submitted_at, now),
                **values)
        .execution_options(synchronize_session=False))
    db.session.refresh(line)
    if matched != 1:
        raise DomainError(_l("Over regel %(reference)s is intussen al besloten door %(name)s: "
                             "%(status)s.", reference=line.reference,
                             name=line.decided_by.name if line.decided_by else "-",
                             status=line.status.label.lower()))
    record(actor, f"declaration_line.{status.value}", line,
           trajectory=line.allocation.trajectory, after=snapshot(line, *DECISION_FIELDS))
    if settle:
        _settle(line.declaration, actor)


def _settle(declaration: Declaration, actor: User) -> None:
    """Answered once no line waits for a decision (conditional, so it happens once)."""
    waiting = exists().where(DeclarationLine.declaration_id == Declaration.id,
                             DeclarationLine.status == LineStatus.SUBMITTED)
    matched = rows_matched(
        update(Declaration)
        .where(Declaration.id == declaration.id,
               Declaration.status == DeclarationStatus.SUBMITTED, ~waiting)
        .values(status=DeclarationStatus.ANSWERED)
        .execution_options(synchronize_session=False))
    db.session.refresh(declaration)
    if matched == 1:
        record(actor, "declaration.answered", declaration, after=snapshot(declaration, "status"))


def approve_line(line: DeclarationLine, actor: User,
                 findings: list[Finding] | None = None, settle: bool = True) -> None:
    """Approve in full; a line that breaks a rule can only be rejected with its code."""
    if findings is None:
        findings = run_checks([line], Stage.REVIEW)[line.id]
    if findings and awaits_review(line):
        raise DomainError(_l("Regel %(reference)s voldoet niet aan regel %(code)s: "
                             "%(explanation)s Keur de regel af met deze retourcode.",
                             reference=line.reference, code=findings[0].code.value,
                             explanation=findings[0].explanation), code=findings[0].code)
    _decide(line, actor, LineStatus.APPROVED, settle, return_code=None, decision_note=None)


def reject_line(line: DeclarationLine, code: WJ001 | None, note: str, actor: User) -> None:
    """Reject in full, with a note for the provider and a return code: one the rules found
    for this line, or a judgement code."""
    if code is None or WJ001(code) not in REJECTION_CODES:
        raise DomainError(_l("Kies een retourcode."), field="return_code")
    note = (note or "").strip()
    if not note:
        raise DomainError(_l("Geef een toelichting voor de aanbieder."), field="note")
    findings = run_checks([line], Stage.REVIEW)[line.id]
    allowed = [*dict.fromkeys(f.code for f in findings), *JUDGEMENT_CODES]
    if WJ001(code) not in allowed:
        raise DomainError(_l("Retourcode %(code)s past niet bij deze regel: de controles vinden "
                             "die fout niet. Kies %(allowed)s.", code=WJ001(code).value,
                             allowed=", ".join(c.value for c in allowed)),
                          field="return_code")
    _decide(line, actor, LineStatus.REJECTED, return_code=WJ001(code), decision_note=note)
    notify("line_rejected", line.declaration.provider, f"declaration:{line.declaration_id}")


@dataclass
class BulkResult:
    approved: list[DeclarationLine] = field(default_factory=list)
    refused: list[tuple[DeclarationLine, str]] = field(default_factory=list)


def approve_lines(lines: list[DeclarationLine], actor: User) -> BulkResult:
    """Approve several lines; each that breaks a rule or was decided meanwhile is reported
    and left as it is. Credits go first and the other lines are checked after them, so a
    correction's new debit passes with its credit approved in the same batch."""
    credits = sorted((x for x in lines if x.debit_credit == COD043.CREDIT), key=lambda x: x.id)
    others = sorted((x for x in lines if x.debit_credit != COD043.CREDIT), key=lambda x: x.id)
    result = BulkResult()
    for batch in (credits, others):
        findings = run_checks(batch, Stage.REVIEW)
        for line in batch:
            try:
                with db.session.begin_nested():
                    approve_line(line, actor, findings[line.id], settle=False)
                result.approved.append(line)
            except DomainError as error:
                result.refused.append((line, str(error.message)))
    for declaration in dict.fromkeys(line.declaration for line in result.approved):
        _settle(declaration, actor)
    return result


def correction_partner(credit: DeclarationLine) -> DeclarationLine | None:
    """The new debit that corrects what `credit` cancels: the same tranche of the same
    allocation, waiting for a decision."""
    return correction_partners([credit]).get(credit.id)


def correction_partners(lines: list[DeclarationLine]) -> dict[int, DeclarationLine]:
    """For each waiting credit among `lines`, its waiting new debit, and back (one query)."""
    credits = [x for x in lines if x.debit_credit == COD043.CREDIT
               and x.status == LineStatus.SUBMITTED]
    if not credits:
        return {}
    debits = db.session.scalars(select(DeclarationLine).where(
        DeclarationLine.allocation_id.in_({c.allocation_id for c in credits}),
        DeclarationLine.debit_credit == COD043.DEBIT,
        DeclarationLine.status == LineStatus.SUBMITTED).order_by(DeclarationLine.id)).all()
    pairs: dict[int, DeclarationLine] = {}
    for credit in credits:
        debit = next((d for d in debits if (d.allocation_id, d.tranche, d.provider_id) ==
                      (credit.allocation_id, credit.tranche, credit.provider_id)
                      and d.reference != credit.reference and d.id not in pairs), None)
        if debit is not None:
            pairs[credit.id], pairs[debit.id] = debit, credit
    return pairs


def approve_correction(credit: DeclarationLine, actor: User) -> DeclarationLine:
    """Approve a credit and its new debit in one decision: both or neither."""
    debit = correction_partner(credit) if credit.debit_credit == COD043.CREDIT else None
    if debit is None:
        raise DomainError(_l("Bij regel %(reference)s hoort geen nieuwe debetregel die op een "
                             "besluit wacht.", reference=credit.reference))
    with db.session.begin_nested():  # a refused debit undoes the credit's approval
        approve_line(credit, actor, settle=False)
        approve_line(debit, actor, settle=False)
    for declaration in dict.fromkeys((credit.declaration, debit.declaration)):
        _settle(declaration, actor)
    return debit
