"""Receiving a message from any door (upload page, command line, machine door): import it and
write its answer message (OP090), refusing what the import refused."""

from dataclasses import dataclass

from portal.ijw.answers import Answer, answer_for
from portal.ijw.importing import import_message
from portal.ijw.report import ImportReport
from portal.models import Municipality, User


@dataclass(frozen=True)
class Received:
    report: ImportReport
    answer: Answer | None  # None: no answer message for this kind, or no readable header


def receive_message(data: bytes, *, actor: User | None, municipality: Municipality | None,
                    source: str) -> Received:
    """The caller commits."""
    report = import_message(data, actor=actor, municipality=municipality, source=source)
    return Received(report, answer_for(data, report.findings, actor.id if actor else None))
