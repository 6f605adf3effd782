"""JW301 toewijzing: importing the allocations a municipality's case system sends, and the
message for one allocation made in the portal."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from flask_babel import lazy_gettext as _l
from lxml import etree
from sqlalchemy import or_, select

from portal.domain import DomainError
from portal.domain.codes import JZ002, JZ020, WJ001
from portal.domain.contact import Contact, checked_contact
from portal.domain.identifiers import validate_bsn
from portal.domain.lists import Role
from portal.domain.trajectories import (
    END_DATE_CHANGE_REASONS,
    FAMILY_NAME_MAX,
    GIVEN_NAME_MAX,
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
from portal.ijw.jw315 import reference as jw315_reference
from portal.ijw.jw317 import reference as jw317_reference
from portal.ijw.names import join_family_name
from portal.ijw.parsing import Message
from portal.ijw.reading import Reading
from portal.ijw.report import Outcome
from portal.ijw.rules import TR379
from portal.ijw.standard import KINDS
from portal.models import (
    Allocation,
    AllocationRequest,
    Arrangement,
    ChangeRequest,
    Client,
    Municipality,
    Provider,
    Trajectory,
    User,
)

ADDRESS_BRP = "01"  # LDT_AdresSoort: BRP address
ADDRESS_CORRESPONDENCE = "02"
DUTCH = "NL"  # LDT_LandCode
DUTCH_PHONE = "0031"  # LDT_Landnummer
ADDRESS_KINDS = ("01", "02", "03")  # BRP, correspondence and residence address (TR061)
CATEGORIES = frozenset(category.value for category in JZ020)
# The element of a ToegewezenProduct that a DomainError's field is about.
FIELD_ELEMENTS = {"number": "m:ToewijzingNummer", "arrangement": "m:Product",
                  "start_date": "m:Ingangsdatum", "end_date": "m:Einddatum",
                  "reason": "m:RedenWijziging"}


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
    allocated_at: datetime | None  # Toewijzingsdatum/-tijd: this version's moment (IV013)

    def complete(self) -> tuple[Arrangement, date, date, datetime]:
        """The arrangement, start, end and moment: reading refuses a product that lacks one,
        and only a message without findings is applied."""
        if (self.arrangement is None or self.start is None or self.end is None
                or self.allocated_at is None):
            raise LookupError(f"ToegewezenProduct {self.number} applied despite its findings")
        return self.arrangement, self.start, self.end, self.allocated_at


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
            bsn = validate_bsn(message.required_text("m:Client/m:Bsn"))
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
        self.check_text(given_name, _l("Voornamen van het kind"), GIVEN_NAME_MAX, name)
        self.check_text(family_name, _l("Achternaam van het kind"), FAMILY_NAME_MAX, name)
        contact = self.contact()
        # The schema requires the birth date: one that cannot be read was refused.
        if birth_date is None or len(self.findings) > count:
            return None
        return ChildDetails(bsn, birth_date, given_name, family_name, contact)

    def contact(self) -> Contact | None:
        """The child's address (a Dutch one) and phone from its first Contact of kind 01,
        02 or 03 (TR061)."""
        message = self.message
        contacts = [element for element in message.findall("m:Client/m:Contactgegevens/"
                                                            "m:Contact")
                    if message.text("m:Soort", element) in ADDRESS_KINDS]
        if not contacts:
            return None
        element = min(contacts, key=lambda e: message.required_text("m:Soort", e))
        address = message.find("m:Adres", element)
        dutch = address is not None and message.text("b:LandCode", address) in (None, "NL")
        number = message.text("b:Huis/b:Huisnummer", address) if dutch else None
        contact = Contact(
            street=message.text("b:Straatnaam", address) if dutch else None,
            house_number=int(number) if number else None,
            house_number_addition=(message.text("b:Huis/b:HuisnummerToevoeging", address)
                                   if dutch else None),
            postcode=message.text("b:Postcode", address) if dutch else None,
            city=message.text("b:Plaatsnaam", address) if dutch else None,
            phone=message.text("m:Telefoon/b:Telefoon01/b:Telefoonnummer", element))
        try:
            return checked_contact(contact)
        except DomainError as error:
            self.refuse(error.message, element)
            return None

    def known_request(self, reference: str | None, provider: Provider | None,
                      child: ChildDetails | None) -> bool:
        """Whether ReferentieAanbieder names a request of this provider for this child: the
        portal's own VOT-/VOW- references (TR379)."""
        if reference is None or provider is None or child is None:
            return False
        kind, _, number = reference.partition("-")
        if not number.isdigit():
            return False
        if kind == "VOT":
            request = db.session.get(AllocationRequest, int(number))
            return bool(request and request.provider_id == provider.id
                        and request.bsn == child.bsn)
        if kind == "VOW":
            change = db.session.get(ChangeRequest, int(number))
            return bool(change and change.trajectory.provider_id == provider.id
                        and change.trajectory.client.bsn == child.bsn)
        return False

    def arrangement(self, element, number: int,
                    municipality: Municipality | None) -> Arrangement | None:
        product = self.message.find("m:Product", element)
        category = self.message.text("b:Categorie", product) if product is not None else None
        code = self.message.text("b:Code", product) if product is not None else None
        arrangement = None
        if category in CATEGORIES and code:
            query = select(Arrangement).where(Arrangement.product_category == category,
                                              Arrangement.product_code == code)
            if municipality is not None:  # product codes are unique per region
                query = query.where(Arrangement.region_id == municipality.region_id)
            arrangement = db.session.scalar(query.limit(1))
        if arrangement is None:
            self.refuse(_l("Toewijzing %(number)s: productcategorie %(category)s met productcode "
                           "%(code)s is geen arrangement van de regio.", number=number,
                           category=category or "–", code=code or "–"),
                        product if product is not None else element, WJ001.PRODUCT_CODE_INVALID)
        return arrangement

    def product(self, element, municipality: Municipality | None) -> AllocatedProduct:
        number = int(self.message.required_text("m:ToewijzingNummer", element))
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
        return AllocatedProduct(element, number, self.arrangement(element, number, municipality),
                                self.date("m:Ingangsdatum", element), end, reason, existing,
                                self.allocated_at(element))

    def allocated_at(self, element) -> datetime | None:
        """Toewijzingsdatum and -tijd, Dutch time, as a moment (IV013)."""
        day = self.date("m:Toewijzingsdatum", element)
        text = self.message.required_text("m:Toewijzingstijd", element)
        try:
            moment = time.fromisoformat(text)
        except ValueError:
            self.refuse(_l("De tijd %(value)s wordt niet ondersteund.", value=text),
                        self.message.find("m:Toewijzingstijd", element))
            return None
        if day is None:
            return None
        return datetime.combine(day, moment.replace(tzinfo=None), AMSTERDAM).astimezone(UTC)

    def check_number(self, product: AllocatedProduct, child: ChildDetails | None,
                     provider: Provider | None) -> None:
        """An allocation number names one allocation: the same child, provider, product
        and start (WJ001 9332); only a new allocation can come without an earlier one."""
        where = self.message.find("m:ToewijzingNummer", product.element)
        existing = product.existing
        if existing is None:
            if product.reason is not None and product.reason not in (
                    *END_DATE_CHANGE_REASONS, *MUNICIPAL_END_REASONS):
                self.refuse(_l("Toewijzing %(number)s is onbekend; reden wijziging %(reason)s "
                               "kan alleen bij een bekende toewijzing.",
                               number=product.number, reason=product.reason.value), where)
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
    arrangement, start, end, allocated_at = product.complete()
    if existing is None:
        trajectory = allocate(municipality=municipality, child=child, provider=provider,
                              arrangement=arrangement, start=start, end=end, actor=actor,
                              number=product.number,
                              # JW301 has no element for extended youth care: a municipality
                              # sends one for an 18- to 22-year-old only when it decided so.
                              extended=age_on(child.birth_date, start) >= ADULT_AGE)
        allocation = trajectory.allocations[-1]
        # An allocation changed, ended or deleted before the portal saw it (e.g. another
        # portal's export): made as it stands now.
        if product.reason in END_DATE_CHANGE_REASONS:
            allocation.change_reason = product.reason
        elif product.reason is not None:
            end_allocation(trajectory, end, product.reason, actor)
        allocation.allocated_at = allocated_at
        outcome.created += 1
        return
    if (existing.end_date, existing.change_reason) == (end, product.reason):
        outcome.unchanged += 1
        return
    trajectory, reason = existing.trajectory, product.reason
    if not existing.is_current:
        raise DomainError(_l("Deze toewijzing is vervangen na een wijzigingsverzoek en kan "
                             "niet meer worden gewijzigd."))
    if reason is None:
        raise DomainError(_l("De einddatum wijkt af van die van de bekende toewijzing; geef "
                             "een reden wijziging (JZ002) mee."), field="end_date")
    if reason == JZ002.DELETED and end != start:
        raise DomainError(_l("Bij reden 13 (verwijderd) is de einddatum gelijk aan de "
                             "ingangsdatum."), field="end_date")
    if reason in END_DATE_CHANGE_REASONS:
        change_allocation_end(trajectory, end, reason, actor)
    elif reason in MUNICIPAL_END_REASONS:
        end_allocation(trajectory, end, reason, actor)
    else:
        raise DomainError(_l("Reden wijziging 12 verwerkt het portaal zelf wanneer de gemeente "
                             "een wijzigingsverzoek toekent."), field="reason")
    existing.allocated_at = allocated_at
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
        reference = message.text("m:ReferentieAanbieder", product.element)
        reading.findings += TR379(message, product.element,
                                  reading.known_request(reference, provider, child))
        if numbers.count(product.number) > 1:
            reading.refuse(_l("Toewijzingsnummer %(number)s komt meer dan eens voor in het "
                              "bericht.", number=product.number), product.element,
                           WJ001.ALLOCATION_NUMBER_NOT_UNIQUE)
    outcome = Outcome(findings=sorted(reading.findings, key=lambda f: f.line or 0))
    if sender is None or provider is None or child is None or outcome.findings:
        return outcome  # none of the three: refused
    # Changes to known allocations first: an ended allocation makes room for a new one.
    for product in sorted(products, key=lambda p: p.existing is None):
        try:
            with db.session.begin_nested():
                _apply(product, sender, provider, child, actor, outcome)
        except DomainError as error:
            path = FIELD_ELEMENTS.get(error.field) if error.field is not None else None
            element = message.find(path, product.element) if path else None
            outcome.findings.append(message.finding(
                _l("Toewijzing %(number)s: %(message)s", number=product.number,
                   message=error.message),
                product.element if element is None else element, error.code))
    outcome.findings.sort(key=lambda finding: finding.line or 0)
    return outcome


def _parties(allocation: Allocation) -> tuple[str, str]:
    return allocation.municipality.cbs_code, allocation.trajectory.provider.agb_code


def _refusal(allocation: Allocation):
    if not (allocation.trajectory.client.has_address or allocation.trajectory.client.phone):
        return _l("Van dit kind zijn geen adres en geen telefoonnummer bekend; een "
                  "toewijzingsbericht heeft minstens een van beide (TR061, TR006). Vul ze aan "
                  "bij de toewijzing.")
    return None


def allocations_in_message(allocation: Allocation) -> list[Allocation]:
    """OP087: every allocation of the child with this provider and municipality still valid
    today, and every allocation of this trajectory (so a replaced or ended one is there)."""
    today = datetime.now(AMSTERDAM).date()
    trajectory = allocation.trajectory
    found = db.session.scalars(
        select(Allocation).join(Allocation.trajectory).where(
            Trajectory.client_id == trajectory.client_id,
            Trajectory.provider_id == trajectory.provider_id,
            Allocation.municipality_id == allocation.municipality_id,
            or_(Allocation.trajectory_id == trajectory.id, Allocation.end_date >= today))
        .order_by(Allocation.start_date, Allocation.number)).all()
    return list(found)


def provider_reference(allocation: Allocation) -> str | None:
    """ReferentieAanbieder of the request an allocation honours (TR379, IV093): the
    allocation a change request made and the one it replaced, or the first allocation of a
    trajectory made on a request for an allocation."""
    change = db.session.scalar(select(ChangeRequest).where(
        ChangeRequest.new_allocation_id.is_not(None),
        or_(ChangeRequest.new_allocation_id == allocation.id,
            ChangeRequest.allocation_id == allocation.id))
        .order_by(ChangeRequest.id.desc()).limit(1))
    if change is not None:
        return jw317_reference(change)
    request = db.session.scalar(select(AllocationRequest).where(
        AllocationRequest.trajectory_id == allocation.trajectory_id))
    if request is not None and allocation.trajectory.allocations[0].id == allocation.id:
        return jw315_reference(request)
    return None


def _contact(builder: Builder, parent, person: Client) -> None:
    """One Contact: the BRP address (01) with the phone when an address is known, else a
    correspondence contact (02) with only the phone (TR061, TR006, CD034)."""
    contact = builder.add(builder.add(parent, "Contactgegevens"), "Contact")
    builder.add(contact, "Soort", ADDRESS_BRP if person.has_address else ADDRESS_CORRESPONDENCE)
    if person.has_address:
        address = builder.add(contact, "Adres")
        house = builder.add_base(address, "Huis")
        builder.add_base(house, "Huisnummer", person.house_number)
        if person.house_number_addition:
            builder.add_base(house, "HuisnummerToevoeging", person.house_number_addition)
        builder.add_base(address, "Postcode", person.postcode)
        if person.street:
            builder.add_base(address, "Straatnaam", person.street)
        if person.city:
            builder.add_base(address, "Plaatsnaam", person.city)
        builder.add_base(address, "LandCode", DUTCH)
    if person.phone:
        phone = builder.add_base(builder.add(contact, "Telefoon"), "Telefoon01")
        builder.add_base(phone, "Telefoonnummer", person.phone)
        builder.add_base(phone, "Landnummer", DUTCH_PHONE)


def _product(builder: Builder, parent, allocation: Allocation) -> None:
    item = builder.add(parent, "ToegewezenProduct")
    builder.add(item, "ToewijzingNummer", allocation.number)
    if reference := provider_reference(allocation):
        builder.add(item, "ReferentieAanbieder", reference)
    builder.product(item, allocation.arrangement)
    moment = allocation.allocated_at.astimezone(AMSTERDAM)
    builder.add(item, "Toewijzingsdatum", moment.date())
    builder.add(item, "Toewijzingstijd", moment.time().replace(microsecond=0))
    builder.add(item, "Ingangsdatum", allocation.start_date)
    builder.add(item, "Einddatum", allocation.end_date)
    if allocation.change_reason:
        builder.add(item, "RedenWijziging", allocation.change_reason)
    builder.amount(item, allocation.amount_cents)


def _body(builder: Builder, allocation: Allocation) -> None:
    person = allocation.trajectory.client
    client = builder.client(person.bsn, person, full_name=True)
    _contact(builder, client, person)
    products = builder.add(client, "ToegewezenProducten")
    for item in allocations_in_message(allocation):
        _product(builder, products, item)


EXPORTER = Exporter(KINDS["JW301"], Allocation, frozenset({Role.ACCESS_STAFF}),
                    _l("Toewijzingsbericht (JW301)"), _refusal, _parties, _body)
