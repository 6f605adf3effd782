"""The machine door: an organisation's own system posts one message with an API token and
gets its answer message back (docs/ijw.md, "The machine door").

The token's organisation must be the message's Afzender; that is checked on the header alone,
before the message is validated or read. Domain functions that need an acting person get the
token's creator (the administrator who answers for the token).
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from portal.ijw.answers import RETOUR_KINDS
from portal.ijw.parsing import MessageRefused, identify, parse_xml
from portal.ijw.receiving import Received, receive_message
from portal.ijw.report import Finding
from portal.models import ApiToken


@dataclass
class DoorReply:
    status: int
    content: bytes | None = None  # the answer message
    error: dict = field(default_factory=dict)  # JSON when there is no answer message
    received: Received | None = None


def finding_json(finding: Finding) -> dict:
    return {"line": finding.line, "path": finding.path, "rule": finding.rule,
            "code": finding.code, "message": finding.message}


def _sender(data: bytes) -> str:
    """The party that sends the message: the Afzender, but for a retour message (a copy of
    the header it answers) the Ontvanger."""
    root = parse_xml(data)
    kind = identify(root)
    party = "Ontvanger" if kind.name in RETOUR_KINDS.values() else "Afzender"
    return root.findtext(f"{{{kind.namespace}}}Header/{{{kind.namespace}}}{party}",
                         "").strip()


def receive(data: bytes, token: ApiToken) -> DoorReply:
    """200 with the answer message whenever there is one, also when it refuses the message;
    202 when the message was read and its answer comes later (a JW323: the JW325 follows
    review); 400 for what is no readable iJw message, 403 for another organisation's message,
    422 for a refused message that has no answer message."""
    try:
        sender = _sender(data)
    except MessageRefused as refused:
        return DoorReply(400, error={"error": "unreadable", "findings": [
            finding_json(finding) for finding in refused.findings]})
    if sender != token.sender_code:
        return DoorReply(403, error={"error": "sender", "message": str(_l(
            "Dit bericht is van afzender %(sender)s; deze sleutel is van %(own)s.",
            sender=sender[:8], own=token.sender_code))})
    received = receive_message(data, actor=token.created_by, municipality=token.municipality,
                               source=f"api:{token.name}")
    report = received.report
    if received.answer is not None:
        return DoorReply(200, content=received.answer.content, received=received)
    if report.ok:
        return DoorReply(202, error={"status": "accepted", "message": report.summary()},
                         received=received)
    return DoorReply(422, error={"error": "refused", "message": report.summary(),
                                 "findings": [finding_json(f) for f in report.findings]},
                     received=received)
