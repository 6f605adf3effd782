"""JW323 declaratie: a provider's declaration of tranches to a municipality.

Every line is one tranche in the allocation's unit, Eenheid 83 (euro's): GeleverdVolume and
IngediendBedrag the tranche amount in euro cents (CS339), no ProductTarief (CD087). A credit
has its own ReferentieNummer and the debit's as VorigReferentieNummer (IV091, CD060). The
DeclaratieNummer is the declaration's number without its hyphen; see docs/ijw.md.
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from lxml import etree
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.domain import DomainError
from portal.domain.codes import COD043, JZ020, WJ001, WJ756
from portal.domain.declaration_checks import Stage, run_checks
from portal.domain.declarations import (
    check_month_free,
    earned_tranches,
    lock_declaring,
    submit_declaration,
)
from portal.domain.lists import PROVIDER_ROLES, DeclarationStatus, LineStatus, Tranche
from portal.domain.measurements import has_end_measurement
from portal.domain.text_hygiene import column_length
from portal.domain.tranches import month_bounds
from portal.extensions import db
from portal.formatting import AMSTERDAM, format_date
from portal.ijw.building import Builder
from portal.ijw.exporting import Exporter
from portal.ijw.parsing import Message
from portal.ijw.reading import Reading
from portal.ijw.report import Finding, Outcome
from portal.ijw.rules import TR333, TR341, TR346
from portal.ijw.standard import KINDS
from portal.models import (
    Allocation,
    Declaration,
    DeclarationLine,
    Municipality,
    Provider,
    User,
)

CATEGORIES = frozenset(category.value for category in JZ020)

CREDIT_SUFFIX = "C"  # a credit's own ReferentieNummer: the debit's with this suffix
# The portal's declaration number as a message writes it: 'D2026-00001' <-> 'D202600001'.
_PORTAL_NUMBER = re.compile(r"(D\d{4})(\d{5})")


def message_number(declaration: Declaration) -> str:
    """DeclaratieNummer allows letters and digits only: 'D2026-00001' -> 'D202600001'."""
    return "".join(char for char in declaration.number if char.isalnum())


def portal_number(number: str) -> str:
    """A DeclaratieNummer as the portal keeps it: one that has the form of the portal's own
    numbers gets its hyphen back, so that two declarations never write the same number
    (TR333) and the portal's numbering counts it."""
    match = _PORTAL_NUMBER.fullmatch(number)
    return f"{match.group(1)}-{match.group(2)}" if match else number


def credit_reference(reference: str) -> str:
    return f"{reference}{CREDIT_SUFFIX}"


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
    reference = builder.add(item, "ProductReferentie")
    if line.debit_credit == COD043.CREDIT:
        builder.add_base(reference, "ReferentieNummer", credit_reference(line.reference))
        builder.add_base(reference, "VorigReferentieNummer", line.reference)
    else:
        builder.add_base(reference, "ReferentieNummer", line.reference)
    builder.add(item, "ToewijzingNummer", line.allocation.number)
    builder.add(item, "ProductCategorie", line.product_category)
    builder.add(item, "ProductCode", line.product_code)
    period = builder.add(item, "ProductPeriode")
    builder.add_base(period, "Begindatum", line.period_start)
    builder.add_base(period, "Einddatum", line.period_end)
    builder.add(item, "GeleverdVolume", line.amount_cents)
    builder.add(item, "Eenheid", WJ756.EUROS)
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


# Import -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Performance:
    """A Prestatie in portal terms, read before anything is stored."""

    element: etree._Element
    reference: str
    allocation: Allocation
    tranche: Tranche
    category: JZ020
    code: str
    start: date
    end: date
    cents: int
    debit_credit: COD043


def line_reference(message: Message, element) -> str:
    """The portal's reference of a Prestatie: a credit is kept under its debit's reference
    (VorigReferentieNummer, IV091)."""
    return (message.text("m:ProductReferentie/b:VorigReferentieNummer", element)
            or message.required_text("m:ProductReferentie/b:ReferentieNummer", element))


class _Reading(Reading):
    """Reads a JW323 into portal terms; whatever cannot be mapped becomes a finding."""

    def municipality(self, expected: Municipality | None) -> Municipality | None:
        return self.known_municipality(
            "m:Header/m:Ontvanger", self.message.receiver, expected,
            lambda m: _l("Deze declaratie is gericht aan %(name)s (%(code)s); u kunt alleen "
                         "declaraties aan uw eigen gemeente importeren.", name=m.name,
                         code=m.cbs_code))

    def provider(self) -> Provider | None:
        return self.known_provider("m:Header/m:Afzender", self.message.sender)

    def period(self) -> date | None:
        element = self.message.find("m:Declaratie/m:DeclaratiePeriode")
        first, last = self.date("b:Begindatum", element), self.date("b:Einddatum", element)
        if first is None or last is None:
            return None
        if (first, last) != month_bounds(first):
            self.refuse(_l("De declaratieperiode is in het portaal een kalendermaand."),
                        element)
            return None
        return first

    def number(self, provider: Provider | None) -> str:
        element = self.message.find("m:Declaratie/m:DeclaratieNummer")
        raw = self.message.required_text("m:Declaratie/m:DeclaratieNummer")
        self.check_text(raw, _l("Declaratienummer"), column_length(Declaration.number), element)
        number = portal_number(raw)
        taken = provider is not None and db.session.scalar(select(Declaration.id).where(
            Declaration.provider_id == provider.id, Declaration.number == number)) is not None
        self.findings += TR333(self.message, taken)
        return number

    def month_free(self, provider: Provider, municipality: Municipality, period: date) -> None:
        """One declaration per provider, municipality and month, as for a declaration made
        in the portal, with its message. No WJ001 code names this rule of the portal, so
        the JW325 answers it with 0001."""
        try:
            check_month_free(provider, municipality, period)
        except DomainError as taken:
            self.refuse(taken.message, self.message.find("m:Declaratie/m:DeclaratiePeriode"),
                        taken.code)

    def tranche(self, element, allocation: Allocation, provider: Provider, start: date,
                end: date, debit_credit: COD043) -> Tranche | None:
        """A credit is of the tranche of its debit; a debit of the earned tranche with
        this product period."""
        reference = line_reference(self.message, element)
        if debit_credit == COD043.CREDIT:
            debit = db.session.scalar(select(DeclarationLine).where(
                DeclarationLine.provider_id == provider.id,
                DeclarationLine.reference == reference,
                DeclarationLine.debit_credit == COD043.DEBIT))
            if debit is None:
                self.refuse(_l("Prestatie %(reference)s: van deze creditprestatie is geen "
                               "debetprestatie bekend.", reference=reference),
                            element, WJ001.CREDIT_WITHOUT_DEBIT)
                return None
            return debit.tranche
        for due in earned_tranches(allocation):
            if (due.period_start, due.period_end) != (start, end):
                continue
            if (due.tranche == Tranche.END and allocation.is_current
                    and not has_end_measurement(allocation.trajectory)):
                # As in the portal (declarations.declarable): the end tranche waits for it.
                self.refuse(_l("Prestatie %(reference)s: de eindtranche kan worden "
                               "gedeclareerd zodra de eindmeting is ingediend.",
                               reference=reference), element)
                return None
            return due.tranche
        self.refuse(_l("Prestatie %(reference)s: toewijzing %(number)s heeft geen verdiende "
                       "tranche met productperiode %(start)s – %(end)s.", reference=reference,
                       number=allocation.number, start=format_date(start),
                       end=format_date(end)),
                    self.message.find("m:ProductPeriode", element))
        return None

    def performance(self, client, element, municipality: Municipality,
                    provider: Provider) -> Performance | None:
        message, count = self.message, len(self.findings)
        reference = line_reference(message, element)
        self.check_text(reference, _l("Referentienummer"),
                        column_length(DeclarationLine.reference),
                        message.find("m:ProductReferentie", element))
        self.findings += TR346(message, element) + TR341(message, element)
        number = int(message.required_text("m:ToewijzingNummer", element))
        allocation = db.session.scalar(select(Allocation).where(
            Allocation.municipality_id == municipality.id, Allocation.number == number))
        bsn = message.text("m:Bsn", client)
        if allocation is None or allocation.trajectory.client.bsn != bsn:
            self.refuse(_l("Prestatie %(reference)s: toewijzing %(number)s van dit kind is "
                           "onbekend bij %(municipality)s.", reference=reference,
                           number=number, municipality=municipality.name),
                        message.find("m:ToewijzingNummer", element), WJ001.NO_ALLOCATION)
            return None
        category = message.required_text("m:ProductCategorie", element)
        if category not in CATEGORIES:
            self.refuse(_l("Prestatie %(reference)s: productcategorie %(category)s wordt niet "
                           "gebruikt in de regio.", reference=reference, category=category),
                        message.find("m:ProductCategorie", element), WJ001.CATEGORY_DIFFERS)
        start = self.date("m:ProductPeriode/b:Begindatum", element)
        end = self.date("m:ProductPeriode/b:Einddatum", element)
        if start is None or end is None:
            return None
        debit_credit = COD043(message.required_text("m:IngediendBedrag/b:DebetCredit", element))
        tranche = self.tranche(element, allocation, provider, start, end, debit_credit)
        if tranche is None or len(self.findings) > count:  # no tranche: refused
            return None
        return Performance(element, reference, allocation, tranche, JZ020(category),
                           message.required_text("m:ProductCode", element), start, end,
                           int(message.required_text("m:IngediendBedrag/b:Bedrag", element)),
                           debit_credit)

    def check_references(self, items: list[Performance], provider: Provider) -> None:
        """A reference is used once as debit and at most once as its credit (8021, 9390)."""
        keys = [(item.reference, item.debit_credit) for item in items]
        for item in items:
            where = self.message.find("m:ProductReferentie", item.element)
            taken = db.session.scalar(select(DeclarationLine.id).where(
                DeclarationLine.provider_id == provider.id,
                DeclarationLine.reference == item.reference,
                DeclarationLine.debit_credit == item.debit_credit))
            if taken or keys.count((item.reference, item.debit_credit)) > 1:
                code = (WJ001.ALREADY_CREDITED if item.debit_credit == COD043.CREDIT
                        else WJ001.REFERENCE_ALREADY_SUBMITTED)
                self.refuse(_l("Prestatie %(reference)s: dit referentienummer is al "
                               "aangeleverd.", reference=item.reference), where, code)


def _store(items: list[Performance], provider: Provider, municipality: Municipality,
           number: str, period: date, actor: User) -> tuple[Declaration, dict]:
    declaration = Declaration(provider=provider, municipality=municipality, number=number,
                              period=period, status=DeclarationStatus.CONCEPT,
                              created_by=actor)
    db.session.add(declaration)
    lines = {}
    for item in items:
        line = DeclarationLine(
            declaration=declaration, provider_id=provider.id, municipality_id=municipality.id,
            allocation=item.allocation, reference=item.reference, tranche=item.tranche,
            product_category=item.category, product_code=item.code,
            period_start=item.start, period_end=item.end, amount_cents=item.cents,
            debit_credit=item.debit_credit, status=LineStatus.CONCEPT)
        db.session.add(line)
        lines[item.element] = line
    db.session.flush()
    return declaration, lines


def _clashes(message: Message, items: list[Performance], provider: Provider,
             municipality: Municipality, period: date) -> list[Finding]:
    """Why a unique index refused what was read: another import, or the provider in the
    portal, committed the number (TR333), the month or a reference in the meantime. The
    findings are those the message would have met a moment later."""
    reading = _Reading(message)
    reading.number(provider)
    if not reading.findings:
        reading.month_free(provider, municipality, period)
    if not reading.findings:
        reading.check_references(items, provider)
    return reading.findings


def import_declaration(message: Message, actor: User | None,
                       municipality: Municipality | None) -> Outcome:
    """Map a provider's JW323 onto a submitted declaration of that provider, after the same
    checks a declaration made in the portal meets (declaration_checks). `municipality` is
    the importing user's; a declaration to another municipality is refused (S300)."""
    reading = _Reading(message)
    if actor is None:
        reading.refuse(_l("Een declaratie wordt ingelezen door een medewerker van de "
                          "gemeente, via het portaal."), None)
    receiver, provider = reading.municipality(municipality), reading.provider()
    if provider is not None:  # before the number, the month and the lines are read
        lock_declaring(provider)
    period = reading.period()
    number = reading.number(provider)
    if (actor is None or receiver is None or provider is None or period is None
            or reading.findings):
        return Outcome(findings=reading.findings)
    # A number already used (TR333) names a declaration the portal has; otherwise the month
    # must still be free.
    reading.month_free(provider, receiver, period)
    if reading.findings:
        return Outcome(findings=reading.findings)
    items = [item for client in message.findall("m:Declaratie/m:Clienten/m:Client")
             for element in message.findall("m:Prestaties/m:Prestatie", client)
             if (item := reading.performance(client, element, receiver, provider))]
    reading.check_references(items, provider)
    outcome = Outcome(findings=reading.findings)
    if outcome.findings:
        outcome.findings.sort(key=lambda finding: finding.line or 0)
        return outcome
    try:
        with db.session.begin_nested():
            declaration, lines = _store(items, provider, receiver, number, period, actor)
    except IntegrityError:
        clashes = _clashes(message, items, provider, receiver, period)
        if not clashes:
            raise
        return Outcome(findings=clashes)
    checked = run_checks(list(lines.values()), Stage.SUBMIT)
    for element, line in lines.items():
        for finding in checked[line.id]:
            outcome.findings.append(message.finding(
                _l("Prestatie %(reference)s: %(explanation)s", reference=line.reference,
                   explanation=finding.explanation), element, finding.code))
    if outcome.findings:
        outcome.findings.sort(key=lambda finding: finding.line or 0)
        return outcome
    submit_declaration(declaration, actor, datetime.now(AMSTERDAM).date())
    outcome.created, outcome.declaration_id = len(lines), declaration.id
    return outcome
