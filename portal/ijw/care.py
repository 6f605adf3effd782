"""JW305 start zorg and JW307 stop zorg read: a provider's own record system reports the start
and the end of care, applied through the same domain functions as the provider's forms
(register_start, end_trajectory). A start or stop the portal already knows (the portal's own
export read back) changes nothing.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from lxml import etree
from sqlalchemy import select

from portal.domain import DomainError
from portal.domain.codes import JZ588, WJ001
from portal.domain.lists import PROVIDER_ROLES, TrajectoryStatus
from portal.domain.trajectories import end_trajectory, register_start
from portal.extensions import db
from portal.formatting import format_date
from portal.ijw.deliveries import FIRST_DELIVERY, deliveries
from portal.ijw.parsing import Message
from portal.ijw.reading import Reading
from portal.ijw.report import Outcome
from portal.models import Allocation, Municipality, Provider, User


@dataclass(frozen=True)
class _Product:
    element: etree._Element
    allocation: Allocation
    begin: date
    end: date | None = None
    reason: JZ588 | None = None


class _Reading(Reading):
    def parties(self, actor: User | None, municipality: Municipality | None):
        """The provider (Afzender) the actor works for, and the municipality (Ontvanger)."""
        message = self.message
        provider = self.known_provider("m:Header/m:Afzender", message.sender)
        receiver = self.known_municipality(
            "m:Header/m:Ontvanger", message.receiver, municipality,
            lambda other: _l("Dit bericht is voor %(name)s.", name=other.name))
        if actor is None or actor.role not in PROVIDER_ROLES or (
                provider is not None and actor.provider_id != provider.id):
            self.refuse(_l("Een start- of stopbericht wordt ingelezen namens de aanbieder die "
                           "het stuurt (een account of API-sleutel van die aanbieder)."), None)
        return provider, receiver

    def product(self, element, provider: Provider, municipality: Municipality,
                bsn: str) -> _Product | None:
        message = self.message
        number = message.required_text("m:ToewijzingNummer", element)
        allocation = db.session.scalar(select(Allocation).where(
            Allocation.municipality_id == municipality.id,
            Allocation.number == int(number)))
        arrangement = allocation.arrangement if allocation else None
        if (allocation is None or arrangement is None
                or allocation.trajectory.provider_id != provider.id
                or allocation.trajectory.client.bsn != bsn
                or self.date("m:ToewijzingIngangsdatum", element) != allocation.start_date
                or message.text("m:Product/b:Categorie", element) != str(
                    arrangement.product_category.value)
                or message.text("m:Product/b:Code", element) != arrangement.product_code):
            self.refuse(_l("Toewijzing %(number)s met deze ingangsdatum en dit product is "
                           "van %(municipality)s aan deze aanbieder voor dit kind niet bekend.",
                           number=number, municipality=municipality.name),
                        element, WJ001.NOT_LINKED)
            return None
        if message.text("m:StatusAanlevering", element) != FIRST_DELIVERY:
            self.refuse(_l("Het portaal leest alleen eerste aanleveringen "
                           "(StatusAanlevering 1); corrigeer een start of einde op de "
                           "trajectpagina."), message.find("m:StatusAanlevering", element))
            return None
        begin = self.date("m:Begindatum", element)
        if begin is None:  # the schema requires it: a date that cannot be read was refused
            return None
        reason = message.text("m:RedenBeeindiging", element)
        return _Product(element, allocation, begin, self.date("m:Einddatum", element),
                        JZ588(reason) if reason else None)


def _known(product: _Product, stop: bool) -> bool:
    """Whether the portal already has this start (or this stop) of care."""
    return any(delivery.allocation == product.allocation and delivery.begin == product.begin
               and (not stop or (delivery.end, delivery.reason) == (product.end, product.reason))
               for delivery in deliveries(product.allocation.trajectory))


def _start(product: _Product, actor: User) -> None:
    trajectory = product.allocation.trajectory
    if not product.allocation.is_current:
        raise DomainError(_l("Deze toewijzing is vervangen na een wijzigingsverzoek; de zorg "
                             "start onder de toewijzing die nu geldt."), WJ001.NOT_LINKED)
    register_start(trajectory, product.begin, actor)


def _stop(product: _Product, actor: User) -> None:
    trajectory = product.allocation.trajectory
    if trajectory.started_on is None:
        raise DomainError(_l("De start van de zorg is nog niet bekend; stuur eerst het "
                             "startbericht."), WJ001.NO_EARLIER_MESSAGE)
    current = [d for d in deliveries(trajectory) if d.allocation == product.allocation]
    if not current or current[0].begin != product.begin:
        raise DomainError(_l("Er is geen start van de zorg op %(day)s onder deze toewijzing.",
                             day=format_date(product.begin)), WJ001.NO_CURRENT_START)
    if not product.allocation.is_current or trajectory.status == TrajectoryStatus.ENDED:
        raise DomainError(_l("De zorg onder deze toewijzing is al gestopt op %(day)s.",
                             day=format_date(current[0].end)))
    if product.end is None or product.reason is None:
        raise LookupError("a stop message without the Einddatum or RedenBeeindiging it requires")
    end_trajectory(trajectory, product.end, product.reason, actor)


def _import(message: Message, actor: User | None, municipality: Municipality | None,
            path: str, stop: bool) -> Outcome:
    reading = _Reading(message)
    provider, receiver = reading.parties(actor, municipality)
    if actor is None or reading.findings:  # no actor: refused by parties()
        return Outcome(findings=reading.findings)
    bsn = message.required_text("m:Client/m:Bsn")
    products = [product for element in message.findall(path)
                if (product := reading.product(element, provider, receiver, bsn))]
    outcome = Outcome(findings=reading.findings)
    if outcome.findings:
        return outcome
    for product in products:
        if _known(product, stop):
            outcome.unchanged += 1
            continue
        try:
            with db.session.begin_nested():
                (_stop if stop else _start)(product, actor)
        except DomainError as error:
            outcome.findings.append(message.finding(
                _l("Toewijzing %(number)s: %(message)s", number=product.allocation.number,
                   message=error.message), product.element, error.code))
        else:
            outcome.changed += 1
    return outcome


def import_starts(message: Message, actor: User | None,
                  municipality: Municipality | None) -> Outcome:
    """JW305: each StartProduct starts the care of its trajectory."""
    return _import(message, actor, municipality, "m:Client/m:StartProducten/m:StartProduct",
                   stop=False)


def import_stops(message: Message, actor: User | None,
                 municipality: Municipality | None) -> Outcome:
    """JW307: each StopProduct ends the care of its trajectory."""
    return _import(message, actor, municipality, "m:Client/m:StopProducten/m:StopProduct",
                   stop=True)
