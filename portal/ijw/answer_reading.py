"""Reading the answers to messages the portal sent (JW302, JW306, JW308, JW316, JW318, JW320,
JW325):
each return code other than 0200/8001 becomes a note on the object the refused part concerns
(the allocation, the trajectory's allocation, the request or the declaration line)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.domain.codes import COD043, WJ001
from portal.domain.lists import MessageDirection
from portal.extensions import db
from portal.ijw.answers import RETOUR_KINDS
from portal.ijw.jw323 import credit_reference
from portal.ijw.parsing import Message
from portal.ijw.report import Outcome
from portal.models import (
    Allocation,
    AllocationRequest,
    ChangeRequest,
    Declaration,
    IjwMessage,
    IjwRefusal,
    Municipality,
    User,
)

NO_REFUSAL = frozenset({WJ001.NO_REMARK.value, WJ001.FULLY_AWARDED.value})
ORIGINAL_KIND = {answer: original for original, answer in RETOUR_KINDS.items()}


def _original(message: Message) -> IjwMessage | None:
    """The portal's own message this answer is for: by the copied header (retour messages)
    or by DeclaratieIdentificatie (JW325, IV087)."""
    if message.kind.name == "JW325":
        kind, sender = "JW323", message.receiver
        identification = message.text("m:Header/m:DeclaratieIdentificatie/b:Identificatie")
    else:
        kind, sender = ORIGINAL_KIND[message.kind.name], message.sender
        identification = message.identification
    return db.session.scalar(select(IjwMessage).where(
        IjwMessage.direction == MessageDirection.OUT, IjwMessage.kind == kind,
        IjwMessage.sender == sender, IjwMessage.identification == identification))


def _refused_codes(message: Message, element) -> list[str]:
    return [code.text.strip() for code in message.findall("m:RetourCodes/m:RetourCode", element)
            if code.text and code.text.strip() not in NO_REFUSAL]


def _allocation(municipality_code: str, number: str | None) -> Allocation | None:
    if number is None or not number.isdigit():
        return None
    return db.session.scalar(select(Allocation).join(Allocation.municipality).where(
        Municipality.cbs_code == municipality_code, Allocation.number == int(number)))


def _request(model, reference: str | None, prefix: str):
    number = (reference or "").removeprefix(prefix)
    return db.session.get(model, int(number)) if number.isdigit() else None


def _objects(message: Message, original: IjwMessage):
    """(element, the object's column values) for every class that can carry a refusal."""
    kind = message.kind.name
    if kind == "JW302":
        for element in message.findall(".//m:ToegewezenProduct"):
            allocation = _allocation(message.sender, message.text("m:ToewijzingNummer", element))
            yield element, {"allocation_id": allocation.id if allocation else None}
    elif kind in ("JW306", "JW308"):
        for element in message.findall(".//m:StartProduct") + message.findall(
                ".//m:StopProduct"):
            allocation = _allocation(message.receiver,
                                     message.text("m:ToewijzingNummer", element))
            yield element, {"allocation_id": allocation.id if allocation else None}
    elif kind == "JW316":
        for element in message.findall(".//m:AangevraagdProduct"):
            request = _request(AllocationRequest,
                               message.text("m:ReferentieAanbieder", element), "VOT-")
            yield element, {"allocation_request_id": request.id if request else None}
    elif kind == "JW318":
        verzoek = message.find("m:Client/m:Verzoek")
        if verzoek is None:
            return
        change = _request(ChangeRequest, message.text("m:ReferentieAanbieder", verzoek), "VOW-")
        for element in [verzoek, *verzoek.iter(f"{{{message.kind.namespace}}}*")]:
            if element.find(f"{{{message.kind.namespace}}}RetourCodes") is not None:
                yield element, {"change_request_id": change.id if change else None}
    elif kind == "JW320":
        antwoord = message.find("m:Antwoord")
        if antwoord is None:
            return
        reference = message.text("m:ReferentieAanbieder", antwoord) or ""
        columns = ({"change_request_id": getattr(_request(ChangeRequest, reference, "VOW-"),
                                                 "id", None)}
                   if reference.startswith("VOW-") else
                   {"allocation_request_id": getattr(
                       _request(AllocationRequest, reference, "VOT-"), "id", None)})
        for element in (antwoord, *message.findall("m:Woonplaatsbeginsel", antwoord)):
            yield element, columns
    else:  # JW325
        declaration = db.session.get(Declaration, original.declaration_id or 0)
        lines = {(credit_reference(line.reference) if line.debit_credit == COD043.CREDIT
                  else line.reference): line for line in (declaration.lines if declaration
                                                          else [])}
        for element in message.findall(".//m:Prestatie"):
            number = message.text("m:ProductReferentie/b:ReferentieNummer", element)
            line = lines.get(number) if number is not None else None
            yield element, {"declaration_line_id": line.id if line else None}


def import_answer(message: Message, actor: User | None,
                  municipality: Municipality | None) -> Outcome:
    """Note what the receiver refused on the portal's objects; the header's own codes stay in
    the answer. `municipality` is the importing user's: it must be a party of the message."""
    outcome = Outcome()
    if municipality is not None and municipality.cbs_code not in (message.sender,
                                                                   message.receiver):
        outcome.findings.append(message.finding(
            _l("Dit bericht gaat niet over %(name)s.", name=municipality.name),
            message.find("m:Header/m:Afzender"), WJ001.MUNICIPALITY_INVALID))
        return outcome
    original = _original(message)
    if original is None:
        outcome.findings.append(message.finding(
            _l("Dit antwoord hoort niet bij een bericht dat het portaal heeft gemaakt."),
            message.find("m:Header/m:BerichtIdentificatie")))
        return outcome
    for element, columns in _objects(message, original):
        codes = _refused_codes(message, element)
        if codes and not any(columns.values()):
            outcome.findings.append(message.finding(
                _l("Het geweigerde onderdeel is in het portaal niet te vinden."), element))
            continue
        for code in codes:
            db.session.add(IjwRefusal(message=original, code=code, **columns))
            outcome.changed += 1
    return outcome
