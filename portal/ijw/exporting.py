"""Producing a message from a portal object: header, body, XSD check, record and audit."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from flask_babel import lazy_gettext as _l

from portal.domain import DomainError
from portal.domain.audit import record
from portal.domain.lists import MessageDirection, Role
from portal.extensions import db
from portal.formatting import AMSTERDAM
from portal.ijw.building import Builder
from portal.ijw.parsing import MessageRefused, schema_findings, xsd_dir
from portal.ijw.rules import stylesheet_findings
from portal.ijw.standard import MessageKind
from portal.models import Declaration, IjwMessage, Trajectory, User

Source = TypeVar("Source")  # the kind of portal object a message is made from


@dataclass(frozen=True)
class Exporter(Generic[Source]):
    """How one kind of message is made from one kind of portal object."""

    kind: MessageKind
    model: type[Source]
    roles: frozenset[Role]  # who may download it (within their organisation's scope)
    label: object  # lazy Dutch name for buttons and reports
    refusal: Callable[[Source], object]  # why `obj` has no such message, or None
    parties: Callable[[Source], tuple[str, str]]  # (Afzender, Ontvanger)
    body: Callable[[Builder, Source], None]  # writes everything after the Header


@dataclass(frozen=True)
class Export:
    kind: MessageKind
    identification: str
    content: bytes

    @property
    def filename(self) -> str:
        return f"{self.kind.name}_{self.identification}.xml"


def _trajectory_of(obj) -> Trajectory | None:
    return obj if isinstance(obj, Trajectory) else getattr(obj, "trajectory", None)


def _check(builder: Builder) -> None:
    """Validate against the XSD (unless the schemas are switched off), then against the
    chain's rules: the portal never sends what a receiver would refuse."""
    directory = xsd_dir()
    if directory is not None:
        try:
            findings = schema_findings(builder.root, builder.kind, directory)
        except MessageRefused as refused:
            findings = refused.findings
        if findings:
            raise DomainError(_l("Het bericht %(kind)s voldoet niet aan het XSD-schema: "
                                 "%(detail)s", kind=builder.kind.name,
                                 detail=findings[0].message))
    findings = stylesheet_findings(builder.root)
    if findings:
        raise DomainError(_l("Het bericht %(kind)s voldoet niet aan de regels van iJw 3.2: "
                             "%(detail)s (%(path)s)", kind=builder.kind.name,
                             detail=findings[0].message, path=findings[0].path or "–"))


def export(exporter: Exporter[Source], obj: Source, actor: User | None) -> Export:
    """The message for `obj`; a DomainError says why there is none. The identification is
    the number of the portal's own record of the message, so it is unique."""
    reason = exporter.refusal(obj)
    if reason:
        raise DomainError(reason)
    sender, receiver = exporter.parties(obj)
    day = datetime.now(AMSTERDAM).date()
    message = IjwMessage(direction=MessageDirection.OUT, kind=exporter.kind.name,
                         sender=sender, receiver=receiver, actor_id=actor.id if actor else None,
                         dagtekening=day,
                         declaration_id=obj.id if isinstance(obj, Declaration) else None)
    db.session.add(message)
    db.session.flush()
    message.identification = f"{message.id:012d}"
    builder = Builder(exporter.kind)
    builder.header(sender=sender, receiver=receiver, identification=message.identification,
                   day=day)
    exporter.body(builder, obj)
    _check(builder)
    content = builder.serialise()
    message.sha256 = hashlib.sha256(content).hexdigest()
    record(actor, "ijw.exported", obj, trajectory=_trajectory_of(obj),
           after={"kind": exporter.kind.name, "identification": message.identification})
    db.session.flush()
    return Export(exporter.kind, message.identification, content)
