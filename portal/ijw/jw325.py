"""JW325 declaratie-antwoord: the municipality's answer once every line is decided.

It lists the rejected lines with their WJ001 return code and the total awarded, or 8001 when
every line was approved. The DeclaratieIdentificatie is the identification and Dagtekening
of the JW323 it answers (IV087): the one imported, else the last one exported; a declaration
that never travelled as a JW323 is named by its number and submission date (docs/ijw.md).
"""

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.domain.codes import WJ001
from portal.domain.lists import PROVIDER_ROLES, DeclarationStatus, LineStatus, MessageDirection
from portal.extensions import db
from portal.formatting import AMSTERDAM
from portal.ijw.building import Builder
from portal.ijw.exporting import Exporter
from portal.ijw.jw323 import by_client, message_number, parties, prestatie, total
from portal.ijw.standard import KINDS, XSD_VERSION
from portal.models import Declaration, IjwMessage


def _return_codes(builder: Builder, parent, *codes) -> None:
    element = builder.add(parent, "RetourCodes")
    for code in codes:
        builder.add(element, "RetourCode", code)


def _refusal(declaration: Declaration):
    if declaration.status != DeclarationStatus.ANSWERED:
        return _l("Nog niet alle regels van deze declaratie zijn beoordeeld; er is nog geen "
                  "declaratie-antwoord.")
    return None


def _parties(declaration: Declaration) -> tuple[str, str]:
    provider, municipality = parties(declaration)
    return municipality, provider


def answered_message(declaration: Declaration) -> tuple[str, date]:
    """Identification and Dagtekening of the JW323 this answer is for (IV087)."""
    sent = db.session.scalar(
        select(IjwMessage).where(IjwMessage.declaration_id == declaration.id,
                                 IjwMessage.kind == "JW323")
        .order_by(IjwMessage.direction == MessageDirection.OUT, IjwMessage.id.desc()).limit(1))
    # A JW323 always carries both (the schema requires them).
    if sent is not None and sent.identification is not None and sent.dagtekening is not None:
        return sent.identification, sent.dagtekening
    if declaration.submitted_at is None:  # only a submitted declaration is answered
        raise ValueError(f"declaration {declaration.id} was not submitted")
    return message_number(declaration), declaration.submitted_at.astimezone(AMSTERDAM).date()


def _body(builder: Builder, declaration: Declaration) -> None:
    header = builder.root.find(f"{{{builder.kind.namespace}}}Header")
    declared = builder.add(header, "DeclaratieIdentificatie")
    identification, day = answered_message(declaration)
    builder.add_base(declared, "Identificatie", identification)
    builder.add_base(declared, "Dagtekening", day)
    versions = builder.add(header, "XsdVersieDeclaratie")
    builder.add_base(versions, "BasisschemaXsdVersie", XSD_VERSION)
    builder.add_base(versions, "BerichtXsdVersie", XSD_VERSION)
    _return_codes(builder, header, WJ001.NO_REMARK)

    lines = list(declaration.lines)
    body = builder.add(builder.root, "DeclaratieAntwoord")
    builder.add(body, "DeclaratieNummer", message_number(declaration))
    total(builder, body, "TotaalIngediendBedrag", lines)
    total(builder, body, "TotaalToegekendBedrag",
          [line for line in lines if line.status == LineStatus.APPROVED])
    rejected = [line for line in lines if line.status == LineStatus.REJECTED]
    if rejected:
        clients = builder.add(body, "Clienten")
        for bsn, client_lines in by_client(rejected).items():
            client = builder.add(clients, "Client")
            builder.add(client, "Bsn", bsn)
            items = builder.add(client, "Prestaties")
            for line in client_lines:
                item = prestatie(builder, items, line)
                _return_codes(builder, item, line.return_code or WJ001.NO_REMARK)
            _return_codes(builder, client, WJ001.NO_REMARK)
    _return_codes(builder, body, WJ001.NO_REMARK if rejected else WJ001.FULLY_AWARDED)


EXPORTER = Exporter(KINDS["JW325"], Declaration, PROVIDER_ROLES,
                    _l("Declaratie-antwoord (JW325)"), _refusal, _parties, _body)
