"""JW301 toewijzing: importing the allocations a municipality's case system sends, and the
message for one allocation made in the portal."""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from lxml import etree
from sqlalchemy import select

from portal.domain import DomainError
from portal.domain.codes import JZ002, JZ020, WJ001
from portal.domain.identifiers import validate_bsn
from portal.domain.lists import Role
from portal.domain.trajectories import (
    END_DATE_CHANGE_REASONS,
    MUNICIPAL_END_REASONS,
    ChildDetails,
    allocate,
    change_allocation_end,
    end_allocation,
)
from portal.domain.validity import ADULT_AGE, age_on
from portal.extensions import db
from portal.formatting import AMSTERDAM
from portal.ijw.building import Builder
from portal.ijw.exporting import Exporter
from portal.ijw.names import join_family_name
from portal.ijw.parsing import Message
from portal.ijw.reading import Reading
from portal.ijw.report import Outcome
from portal.ijw.standard import KINDS
from portal.models import Allocation, Arrangement, Client, Municipality, Provider, User

ADDRESS_BRP = "01"  # LDT_AdresSoort; the portal keeps no address, so only its kind is sent
CATEGORIES = frozenset(category.value for category in JZ020)
# The element of a ToegewezenProduct that a DomainError's field is about.
FIELD_ELEMENTS = {"number": "m:ToewijzingNummer", "arrangement": "m:Product",
                  "start_date": "m:Ingangsdatum", "end_date": "m:Einddatum",
                  "reason": "m:RedenWijziging"}
GIVEN_NAME_MAX = Client.__table__.c.given_name.type.length
FAMILY_NAME_MAX = Client.__table__.c.family_name.type.length


@dataclass(frozen=True)
class AllocatedProduct:
    """A ToegewezenProduct in portal terms; `existing` is the allocation with its number."""

    element: etree._Element
    number: int
    arrangement: Arrangement | None
    start: date | None
    end: date | None
    reason: JZ002 | None
    existing: Allocation | None


class _Reading(Reading):
    """Reads a JW301 into portal terms; whatever cannot be mapped becomes a finding."""

    def municipality(self, expected: Municipality | None) -> Municipality | None:
        return self.known_municipality(
            "m:Header/m:Afzender", self.message.sender, expected,
            lambda m: _l("Dit bericht komt van %(name)s (%(code)s); u kunt alleen berichten "
                         "van uw eigen gemeente importeren.", name=m.name, code=m.cbs_code))

    def provider(self) -> Provider | None:
        return self.known_provider("m:Header/m:Ontvanger", self.message.receiver)

    def child(self) -> ChildDetails | None:
        message, count = self.message, len(self.findings)
        try:
            bsn = validate_bsn(message.text("m:Client/m:Bsn"))
        except DomainError as error:
            self.refuse(error.message, message.find("m:Client/m:Bsn"))
        birth_date = self.date("m:Client/m:Geboortedatum/b:Datum")
        name = message.find("m:Client/m:Naam")
        family_name = join_family_name(
            message.text("b:Geslachtsnaam/b:Achternaam", name) or "",
            message.text("b:Geslachtsnaam/b:Voorvoegsel", name))
        given_name = (message.text("b:Voornamen", name) or message.text("b:Voorletters", name)
                      or "")
        if not given_name:
            self.refuse(_l("De voornamen of voorletters van het kind ontbreken."), name)
        if len(given_name) > GIVEN_NAME_MAX or len(family_name) > FAMILY_NAME_MAX:
            self.refuse(_l("De naam van het kind is langer dan het portaal kan bewaren "
                           "(voornamen %(given)s, achternaam %(family)s tekens).",
                           given=GIVEN_NAME_MAX, family=FAMILY_NAME_MAX), name)
        if len(self.findings) > count:
            return None
        return ChildDetails(bsn, birth_date, given_name, family_name)

    def arrangement(self, element, number: int) -> Arrangement | None:
        product = self.message.find("m:Product", element)
        category = self.message.text("b:Categorie", product) if product is not None else None
        code = self.message.text("b:Code", product) if product is not None else None
        arrangement = None
        if category in CATEGORIES and code:
            arrangement = db.session.scalar(select(Arrangement).where(
                Arrangement.product_category == category, Arrangement.product_code == code))
        if arrangement is None:
            self.refuse(_l("Toewijzing %(number)s: productcategorie %(category)s met productcode "
                           "%(code)s is geen arrangement van de regio.", number=number,
                           category=category or "–", code=code or "–"),
                        product if product is not None else element, WJ001.PRODUCT_CODE_INVALID)
        return arrangement

    def product(self, element, municipality: Municipality | None) -> AllocatedProduct:
        number = int(self.message.text("m:ToewijzingNummer", element))
        end = self.date("m:Einddatum", element)
        if self.message.find("m:Einddatum", element) is None:
            self.refuse(_l("Toewijzing %(number)s heeft geen einddatum; in het portaal heeft "
                           "elke toewijzing een einddatum.", number=number), element)
        reason_code = self.message.text("m:RedenWijziging", element)
        reason = JZ002(reason_code) if reason_code in {r.value for r in JZ002} else None
        if reason_code and reason is None:
            self.refuse(_l("Reden wijziging %(code)s wordt niet meer gebruikt.",
                           code=reason_code), self.message.find("m:RedenWijziging", element))
        existing = None
        if municipality is not None:
            existing = db.session.scalar(select(Allocation).where(
                Allocation.municipality_id == municipality.id, Allocation.number == number))
        return AllocatedProduct(element, number, self.arrangement(element, number),
                                self.date("m:Ingangsdatum", element), end, reason, existing)

    def check_number(self, product: AllocatedProduct, child: ChildDetails | None,
                     provider: Provider | None) -> None:
        """An allocation number names one allocation: the same child, provider, product
        and start (WJ001 9332); only a new allocation can come without an earlier one."""
        where = self.message.find("m:ToewijzingNummer", product.element)
        existing = product.existing
        if existing is None:
            if product.reason is not None:
                self.refuse(_l("Toewijzing %(number)s is onbekend; een reden wijziging kan "
                               "alleen bij een bekende toewijzing.", number=product.number),
                            where)
            return
        trajectory = existing.trajectory
        differences = [str(label) for label, differs in (
            (_l("ander kind"), child and trajectory.client.bsn != child.bsn),
            (_l("andere aanbieder"), provider and trajectory.provider_id != provider.id),
            (_l("ander product"), product.arrangement
             and existing.arrangement_id != product.arrangement.id),
            (_l("andere ingangsdatum"), product.start and existing.start_date != product.start),
        ) if differs]
        if differences:
            self.refuse(_l("Toewijzingsnummer %(number)s is bij deze gemeente al gebruikt voor "
                           "een andere toewijzing (%(differences)s).", number=product.number,
                           differences=", ".join(differences)),
                        where, WJ001.ALLOCATION_NUMBER_NOT_UNIQUE)


def _apply(product: AllocatedProduct, municipality: Municipality, provider: Provider,
           child: ChildDetails, actor: User | None, outcome: Outcome) -> None:
    """One ToegewezenProduct through the domain rules; a DomainError refuses it."""
    existing = product.existing
    if existing is None:
        # JW301 has no element for extended youth care: a municipality sends an allocation
        # for an 18- to 22-year-old only when it decided on extended youth care.
        allocate(municipality=municipality, child=child, provider=provider,
                 arrangement=product.arrangement, start=product.start, end=product.end,
                 actor=actor, number=product.number,
                 extended=age_on(child.birth_date, product.start) >= ADULT_AGE)
        outcome.created += 1
        return
    if (existing.end_date, existing.change_reason) == (product.end, product.reason):
        outcome.unchanged += 1
        return
    trajectory, reason = existing.trajectory, product.reason
    if not existing.is_current:
        raise DomainError(_l("Deze toewijzing is vervangen na een wijzigingsverzoek en kan "
                             "niet meer worden gewijzigd."))
    if reason is None:
        raise DomainError(_l("De einddatum wijkt af van die van de bekende toewijzing; geef "
                             "een reden wijziging (JZ002) mee."), field="end_date")
    if reason == JZ002.DELETED and product.end != product.start:
        raise DomainError(_l("Bij reden 13 (verwijderd) is de einddatum gelijk aan de "
                             "ingangsdatum."), field="end_date")
    if reason in END_DATE_CHANGE_REASONS:
        change_allocation_end(trajectory, product.end, reason, actor)
    elif reason in MUNICIPAL_END_REASONS:
        end_allocation(trajectory, product.end, reason, actor)
    else:
        raise DomainError(_l("Reden wijziging 12 verwerkt het portaal zelf wanneer de gemeente "
                             "een wijzigingsverzoek toekent."), field="reason")
    outcome.changed += 1


def import_allocations(message: Message, actor: User | None,
                       municipality: Municipality | None) -> Outcome:
    """Map every ToegewezenProduct onto the portal's allocations. `municipality` is the
    importing user's; a message of another municipality is refused (S300)."""
    reading = _Reading(message)
    sender = reading.municipality(municipality)
    provider, child = reading.provider(), reading.child()
    products = [reading.product(element, sender) for element in
                message.findall("m:Client/m:ToegewezenProducten/m:ToegewezenProduct")]
    numbers = [product.number for product in products]
    for product in products:
        reading.check_number(product, child, provider)
        if numbers.count(product.number) > 1:
            reading.refuse(_l("Toewijzingsnummer %(number)s komt meer dan eens voor in het "
                              "bericht.", number=product.number), product.element,
                           WJ001.ALLOCATION_NUMBER_NOT_UNIQUE)
    outcome = Outcome(findings=reading.findings)
    if outcome.findings:
        return outcome
    # Changes to known allocations first: an ended allocation makes room for a new one.
    for product in sorted(products, key=lambda p: p.existing is None):
        try:
            with db.session.begin_nested():
                _apply(product, sender, provider, child, actor, outcome)
        except DomainError as error:
            path = FIELD_ELEMENTS.get(error.field)
            element = message.find(path, product.element) if path else None
            outcome.findings.append(message.finding(
                _l("Toewijzing %(number)s: %(message)s", number=product.number,
                   message=error.message),
                product.element if element is None else element, error.code))
    outcome.findings.sort(key=lambda finding: finding.line or 0)
    return outcome


def _parties(allocation: Allocation) -> tuple[str, str]:
    return allocation.municipality.cbs_code, allocation.trajectory.provider.agb_code


def _body(builder: Builder, allocation: Allocation) -> None:
    person = allocation.trajectory.client
    client = builder.client(person.bsn, person, full_name=True)
    builder.add(builder.add(builder.add(client, "Contactgegevens"), "Contact"), "Soort",
                ADDRESS_BRP)
    item = builder.add(builder.add(client, "ToegewezenProducten"), "ToegewezenProduct")
    builder.add(item, "ToewijzingNummer", allocation.number)
    builder.product(item, allocation.arrangement)
    moment = allocation.created_at.astimezone(AMSTERDAM)
    builder.add(item, "Toewijzingsdatum", moment.date())
    builder.add(item, "Toewijzingstijd", moment.time().replace(microsecond=0))
    builder.add(item, "Ingangsdatum", allocation.start_date)
    builder.add(item, "Einddatum", allocation.end_date)
    if allocation.change_reason:
        builder.add(item, "RedenWijziging", allocation.change_reason)
    builder.amount(item, allocation.amount_cents)


EXPORTER = Exporter(KINDS["JW301"], Allocation, frozenset({Role.ACCESS_STAFF}),
                    _l("Toewijzingsbericht (JW301)"), lambda allocation: None, _parties, _body)
