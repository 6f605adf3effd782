"""JW323 declaratie: a provider's declaration of tranches to a municipality.

Every line is one tranche: GeleverdVolume 1, Eenheid 82 (stuks output), ProductTarief and
IngediendBedrag the tranche amount in euro cents; the DeclaratieNummer is the declaration's
number without its hyphen; see docs/ijw.md.
"""

from collections import defaultdict
from datetime import datetime

from flask_babel import lazy_gettext as _l

from portal.domain.codes import COD043, WJ756
from portal.domain.lists import PROVIDER_ROLES
from portal.domain.tranches import month_bounds
from portal.formatting import AMSTERDAM
from portal.ijw.building import Builder
from portal.ijw.exporting import Exporter
from portal.ijw.standard import KINDS
from portal.models import Declaration, DeclarationLine

ONE_TRANCHE = 1  # GeleverdVolume of a line: one tranche


def message_number(declaration: Declaration) -> str:
    """DeclaratieNummer allows letters and digits only: 'D2026-00001' -> 'D202600001'."""
    return "".join(char for char in declaration.number if char.isalnum())


def parties(declaration: Declaration) -> tuple[str, str]:
    return declaration.provider.agb_code, declaration.municipality.cbs_code


def total(builder: Builder, parent, name: str, lines: list[DeclarationLine]) -> None:
    """A CDT_TotaalBedragMetDC: the sum of the signed amounts, with D or C."""
    cents = sum(line.signed_amount_cents for line in lines)
    element = builder.add(parent, name)
    builder.add_base(element, "TotaalBedrag", abs(cents))
    builder.add_base(element, "DebetCredit", COD043.CREDIT if cents < 0 else COD043.DEBIT)


def by_client(lines: list[DeclarationLine]) -> dict[str, list[DeclarationLine]]:
    clients: dict[str, list[DeclarationLine]] = defaultdict(list)
    for line in lines:
        clients[line.allocation.trajectory.client.bsn].append(line)
    return clients


def prestatie(builder: Builder, parent, line: DeclarationLine):
    item = builder.add(parent, "Prestatie")
    builder.add_base(builder.add(item, "ProductReferentie"), "ReferentieNummer", line.reference)
    builder.add(item, "ToewijzingNummer", line.allocation.number)
    builder.add(item, "ProductCategorie", line.product_category)
    builder.add(item, "ProductCode", line.product_code)
    period = builder.add(item, "ProductPeriode")
    builder.add_base(period, "Begindatum", line.period_start)
    builder.add_base(period, "Einddatum", line.period_end)
    builder.add(item, "GeleverdVolume", ONE_TRANCHE)
    builder.add(item, "Eenheid", WJ756.PIECES_OUTPUT)
    builder.add(item, "ProductTarief", line.amount_cents)
    amount = builder.add(item, "IngediendBedrag")
    builder.add_base(amount, "Bedrag", line.amount_cents)
    builder.add_base(amount, "DebetCredit", line.debit_credit)
    return item


def _refusal(declaration: Declaration):
    if not declaration.lines:
        return _l("Deze declaratie heeft geen regels; er is nog geen declaratiebericht.")
    return None


def _body(builder: Builder, declaration: Declaration) -> None:
    lines = list(declaration.lines)
    body = builder.add(builder.root, "Declaratie")
    builder.add(body, "DeclaratieNummer", message_number(declaration))
    first, last = month_bounds(declaration.period)
    period = builder.add(body, "DeclaratiePeriode")
    builder.add_base(period, "Begindatum", first)
    builder.add_base(period, "Einddatum", last)
    moment = declaration.submitted_at or datetime.now(AMSTERDAM)
    builder.add(body, "DeclaratieDagtekening", moment.astimezone(AMSTERDAM).date())
    total(builder, body, "TotaalIngediendBedrag", lines)
    clients = builder.add(body, "Clienten")
    for bsn, client_lines in by_client(lines).items():
        client = builder.add(clients, "Client")
        builder.add(client, "Bsn", bsn)
        items = builder.add(client, "Prestaties")
        for line in client_lines:
            prestatie(builder, items, line)


EXPORTER = Exporter(KINDS["JW323"], Declaration, PROVIDER_ROLES, _l("Declaratiebericht (JW323)"),
                    _refusal, parties, _body)
