"""Importing one message: read it safely, refuse a repeat or a reused identification, let
its importer map it onto the portal, and keep everything or nothing."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.domain.audit import record
from portal.domain.codes import WJ001
from portal.domain.lists import MessageDirection
from portal.extensions import db
from portal.formatting import AMSTERDAM, format_datetime
from portal.ijw.parsing import Message, MessageRefused, encoding_warnings, read_message
from portal.ijw.registry import IMPORTERS
from portal.ijw.report import ImportReport, Outcome
from portal.ijw.rules import message_findings
from portal.models import IjwMessage, Municipality, User


def _refused(report: ImportReport, actor: User | None) -> ImportReport:
    """Nothing of the message is kept; the attempt itself is in the audit trail."""
    if actor is not None:
        record(actor, "ijw.import_refused", actor.organisation,
               after={"source": report.source[:100], "kind": report.kind,
                      "identification": report.identification,
                      "findings": len(report.findings)})
    return report


def _earlier(message: Message) -> IjwMessage | None:
    return db.session.scalar(select(IjwMessage).where(
        IjwMessage.direction == MessageDirection.IN, IjwMessage.sender == message.sender,
        IjwMessage.identification == message.identification))


def _identification_reused(message: Message, earlier: IjwMessage | None):
    when = format_datetime(earlier.created_at) if earlier else "–"
    return message.finding(
        _l("Identificatie %(identification)s van afzender %(sender)s is al gebruikt voor een "
           "ander bericht (ingelezen %(when)s).", identification=message.identification,
           sender=message.sender, when=when),
        message.find("m:Header/m:BerichtIdentificatie"), WJ001.IDENTIFICATION_NOT_UNIQUE)


def _keep(message: Message, actor: User | None, outcome: Outcome) -> IjwMessage | None:
    """The record that recognises the message next time; None when another import of the
    same identification won a race."""
    day = message.text("m:Header/m:BerichtIdentificatie/b:Dagtekening")
    stored = IjwMessage(direction=MessageDirection.IN, kind=message.kind.name,
                        sender=message.sender, receiver=message.receiver,
                        identification=message.identification, sha256=message.sha256,
                        actor_id=actor.id if actor else None,
                        dagtekening=date.fromisoformat(day) if day else None,
                        declaration_id=outcome.declaration_id)
    try:
        with db.session.begin_nested():
            db.session.add(stored)
    except IntegrityError:
        return None
    return stored


def import_message(data: bytes, *, actor: User | None, municipality: Municipality | None = None,
                   source: str = "") -> ImportReport:
    """Import one file. `municipality` is that of the importing user (None on the command
    line). The caller commits; a report with findings means nothing was kept."""
    report = ImportReport(source)
    try:
        message = read_message(data)
    except MessageRefused as refused:
        report.findings = refused.findings
        return _refused(report, actor)
    report.kind, report.identification = message.kind.name, message.identification
    report.warnings = encoding_warnings(data)
    importer = IMPORTERS.get(message.kind.name)
    if importer is None:
        report.findings = [message.finding(
            _l("Het portaal importeert geen %(kind)s-berichten, alleen %(kinds)s.",
               kind=message.kind.name, kinds=", ".join(sorted(IMPORTERS))), None)]
        return _refused(report, actor)
    report.findings = message_findings(message, datetime.now(AMSTERDAM).date())
    if report.findings:
        return _refused(report, actor)
    earlier = _earlier(message)
    if earlier is not None and earlier.sha256 == message.sha256:
        report.imported_before = earlier.created_at
        return report
    if earlier is not None:
        report.findings = [_identification_reused(message, earlier)]
        return _refused(report, actor)
    everything = db.session.begin_nested()
    report.outcome = importer(message, actor, municipality)
    report.findings = report.outcome.findings
    stored = None if report.findings else _keep(message, actor, report.outcome)
    if stored is None:
        everything.rollback()
        report.findings = report.findings or [_identification_reused(message, None)]
        return _refused(report, actor)
    everything.commit()
    outcome = report.outcome
    record(actor, "ijw.imported", stored,
           after={"kind": stored.kind, "identification": stored.identification,
                  "created": outcome.created, "changed": outcome.changed,
                  "unchanged": outcome.unchanged})
    return report
