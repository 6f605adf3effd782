"""Exports JW305, JW307, JW315 and JW317: every message is read back through the safe reader,
which checks it against its XSD."""

import hashlib
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.domain import DomainError
from portal.domain.codes import COD327, JZ002, JZ588, WJ758
from portal.domain.lists import MessageDirection
from portal.domain.requests import (
    AllocationWish,
    approve_change,
    request_allocation,
    request_change,
)
from portal.domain.trajectories import ChildDetails, change_allocation_end, end_trajectory
from portal.extensions import db
from portal.formatting import AMSTERDAM
from portal.ijw import jw301, jw305, jw307, jw315, jw317
from portal.ijw.exporting import export
from portal.ijw.parsing import Message, read_message
from portal.models import AuditEvent, IjwMessage
from tests.factories import ADDRESS, next_bsn

ITEM = "m:Client/m:{list}/m:{item}"


def produce(exporter, obj, actor=None) -> Message:
    made = export(exporter, obj, actor)
    message = read_message(made.content)  # refused unless it validates against the XSD
    assert message.kind == exporter.kind and message.identification == made.identification
    assert made.filename == f"{exporter.kind.name}_{made.identification}.xml"
    return message


def texts(message: Message, element, *paths: str) -> tuple:
    return tuple(message.text(path, element) for path in paths)


@pytest.fixture
def berg(world):
    """A started trajectory of a child whose family name has a prefix."""
    child = ChildDetails(next_bsn(), date(2013, 8, 21), "Sanne Eva", "van der Berg", ADDRESS)
    return world.trajectory("started", child=child)


def test_start_message_from_provider_to_municipality(world, berg):
    message = produce(jw305.EXPORTER, berg, world.users["provider_staff"])
    assert (message.sender, message.receiver) == (world.providers[0].agb_code, "0518")
    assert message.text("m:Header/m:BerichtIdentificatie/b:Dagtekening") == (
        datetime.now(AMSTERDAM).date().isoformat())
    assert texts(message, message.find("m:Client"), "m:Bsn", "m:Geboortedatum/b:Datum",
                 "m:Naam/b:Geslachtsnaam/b:Achternaam", "m:Naam/b:Geslachtsnaam/b:Voorvoegsel",
                 "m:Naam/b:Voornamen", "m:Naam/b:Voorletters") == (
        berg.client.bsn, "2013-08-21", "Berg", "van der", "Sanne Eva", "SE")
    [start] = message.findall(ITEM.format(list="StartProducten", item="StartProduct"))
    assert texts(message, start, "m:ToewijzingNummer", "m:Product/b:Categorie",
                 "m:Product/b:Code", "m:ToewijzingIngangsdatum", "m:Begindatum") == (
        str(berg.current_allocation.number), "45", "01M", "2026-02-01", "2026-02-03")


def test_every_export_has_its_own_identification_and_is_recorded(world, berg):
    actor = world.users["provider_staff"]
    first, second = (export(jw305.EXPORTER, berg, actor) for _ in range(2))
    assert first.identification != second.identification
    kept = db.session.scalars(select(IjwMessage).order_by(IjwMessage.id)).all()
    assert [(m.direction, m.kind, m.identification, m.sha256, m.actor_id) for m in kept] == [
        (MessageDirection.OUT, "JW305", made.identification,
         hashlib.sha256(made.content).hexdigest(), actor.id) for made in (first, second)]
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "ijw.exported")).all()
    assert [(e.trajectory_id, e.after["identification"]) for e in events] == [
        (berg.id, first.identification), (berg.id, second.identification)]


def test_no_start_message_before_care_started(world):
    with pytest.raises(DomainError, match="nog niet gestart"):
        export(jw305.EXPORTER, world.trajectory(), None)


def test_stop_message_carries_the_end_reason(world):
    ended = world.trajectory("ended")
    message = produce(jw307.EXPORTER, ended)
    [stop] = message.findall(ITEM.format(list="StopProducten", item="StopProduct"))
    assert texts(message, stop, "m:Begindatum", "m:RedenBeeindiging", "m:Einddatum") == (
        "2026-02-03", "31", "2026-07-31")


def test_no_stop_message_while_care_goes_on(world, berg):
    with pytest.raises(DomainError, match="niet gestart of nog niet beëindigd"):
        export(jw307.EXPORTER, berg, None)


def test_after_a_change_request_each_allocation_starts_and_stops(world, berg):
    change = request_change(berg, reason=WJ758.CARE_PLAN,
                            arrangement=world.arrangements["ontw_zwaar"],
                            end_date=date(2026, 10, 31), motivation="Zwaarder",
                            actor=world.users["provider_staff"])
    approve_change(change, date(2026, 5, 1), world.users["access_staff"])
    end_trajectory(berg, date(2026, 9, 30), JZ588.EARLY_BY_CLIENT, None)
    starts = produce(jw305.EXPORTER, berg)
    assert [texts(starts, s, "m:Product/b:Code", "m:Begindatum") for s in starts.findall(
        ITEM.format(list="StartProducten", item="StartProduct"))] == [
        ("01M", "2026-02-03"), ("01Z", "2026-05-01")]
    stops = produce(jw307.EXPORTER, berg)
    assert [texts(stops, s, "m:Product/b:Code", "m:RedenBeeindiging", "m:Einddatum")
            for s in stops.findall(ITEM.format(list="StopProducten", item="StopProduct"))] == [
        ("01M", "37", "2026-04-30"), ("01Z", "32", "2026-09-30")]


def test_request_for_an_allocation(world):
    wish = request_allocation(world.providers[0], AllocationWish(
        ChildDetails(next_bsn(), date(2012, 1, 1), "Ali", "de Vos"), world.municipalities[0],
        COD327.GENERAL_PRACTITIONER, world.arrangements["ontw_midden"], date(2026, 3, 1),
        date(2026, 8, 31), "Verwezen door de huisarts.\nWachtlijst elders." * 100,
        referrer_name="Huisarts Jansen"),
        world.users["provider_staff"])
    message = produce(jw315.EXPORTER, wish)
    assert (message.sender, message.receiver) == (world.providers[0].agb_code, "0518")
    [item] = message.findall(ITEM.format(list="AangevraagdeProducten",
                                         item="AangevraagdProduct"))
    assert texts(message, item, "m:ReferentieAanbieder", "m:Product/b:Code",
                 "m:ToewijzingIngangsdatum", "m:ToewijzingEinddatum", "m:Omvang/b:Volume",
                 "m:Omvang/b:Eenheid", "m:Omvang/b:Frequentie", "m:Verwijzer/b:Type") == (
        f"VOT-{wish.id}", "01M", "2026-03-01", "2026-08-31", "840000", "83", "6", "02")
    assert message.text("m:Client/m:Naam/b:Geslachtsnaam/b:Voorvoegsel") == "de"


def change_message(world, trajectory, arrangement, end) -> Message:
    change = request_change(trajectory, reason=WJ758.CLIENT_SITUATION,
                            arrangement=world.arrangements[arrangement], end_date=end,
                            motivation="Meer nodig", actor=world.users["provider_staff"])
    message = produce(jw317.EXPORTER, change)
    assert message.text("m:Client/m:Verzoek/m:ReferentieAanbieder") == f"VOW-{change.id}"
    assert message.text("m:Client/m:Verzoek/m:RedenVerzoek") == "1"
    return message


def test_request_for_a_later_end_changes_the_allocation_in_force(world, berg):
    message = change_message(world, berg, "ontw_midden", date(2026, 10, 31))
    [item] = message.findall("m:Client/m:Verzoek/m:TeWijzigenProducten/m:TeWijzigenProduct")
    assert texts(message, item, "m:ToewijzingNummer", "m:GewensteIngangsdatum",
                 "m:Einddatum", "m:Omvang/b:Volume") == (
        str(berg.current_allocation.number), "2026-02-01", "2026-10-31", "840000")
    assert message.find("m:Client/m:Verzoek/m:NieuweProducten") is None


def test_request_for_another_arrangement_ends_the_old_and_asks_for_a_new_one(world, berg):
    message = change_message(world, berg, "ontw_zwaar", date(2026, 12, 31))
    today = datetime.now(AMSTERDAM).date()
    wanted = max(today + timedelta(days=1), date(2026, 2, 2))  # TR380: after the message
    [old] = message.findall("m:Client/m:Verzoek/m:TeWijzigenProducten/m:TeWijzigenProduct")
    [new] = message.findall("m:Client/m:Verzoek/m:NieuweProducten/m:NieuwProduct")
    assert message.text("m:Einddatum", old) == (wanted - timedelta(days=1)).isoformat()
    assert texts(message, new, "m:Product/b:Code", "m:GewensteIngangsdatum", "m:Einddatum",
                 "m:Omvang/b:Volume") == ("01Z", wanted.isoformat(), "2026-12-31", "1428000")


def test_exports_are_produced_without_schemas_too(app, monkeypatch, world, berg):
    monkeypatch.setitem(app.config, "IJW_XSD_DIR", None)
    made = export(jw305.EXPORTER, berg, None)
    monkeypatch.undo()
    assert read_message(made.content).kind.name == "JW305"


PRODUCTS = "m:Client/m:ToegewezenProducten/m:ToegewezenProduct"


def test_a_changed_allocation_is_a_new_version_in_its_jw301(world, berg):
    """IV013, OP033x1: Toewijzingsdatum/-tijd is the moment of the latest change."""
    allocation = berg.current_allocation
    allocation.allocated_at = datetime(2026, 1, 20, 8, 30, tzinfo=AMSTERDAM)
    db.session.flush()
    staff = world.users["access_staff"]
    [item] = produce(jw301.EXPORTER, allocation, staff).findall(PRODUCTS)
    assert item.findtext("{*}Toewijzingsdatum") == "2026-01-20"
    assert item.findtext("{*}Toewijzingstijd") == "08:30:00"
    change_allocation_end(berg, date(2026, 10, 31), JZ002.REASSESSMENT_EXTENSION, staff)
    [item] = produce(jw301.EXPORTER, allocation, staff).findall(PRODUCTS)
    now = datetime.now(AMSTERDAM)
    assert item.findtext("{*}Toewijzingsdatum") == now.date().isoformat()
    assert item.findtext("{*}RedenWijziging") == "04"


def test_an_approved_change_request_sends_both_allocations_with_its_reference(world, berg):
    """OP087: the replaced allocation is in the message; TR379/IV093: both carry the
    ReferentieAanbieder of the change request they honour."""
    change = request_change(berg, reason=WJ758.CARE_PLAN,
                            arrangement=world.arrangements["ontw_zwaar"],
                            end_date=date(2026, 12, 31), motivation="Meer nodig",
                            actor=world.users["provider_staff"])
    approve_change(change, date(2026, 4, 1), world.users["access_staff"])
    message = produce(jw301.EXPORTER, berg.current_allocation, world.users["access_staff"])
    old, new = message.findall(PRODUCTS)
    assert texts(message, old, "m:ToewijzingNummer", "m:ReferentieAanbieder", "m:Einddatum",
                 "m:RedenWijziging") == (str(berg.allocations[0].number), f"VOW-{change.id}",
                                         "2026-03-31", "12")
    assert texts(message, new, "m:ToewijzingNummer", "m:ReferentieAanbieder",
                 "m:Ingangsdatum") == (str(berg.current_allocation.number), f"VOW-{change.id}",
                                       "2026-04-01")


def test_no_jw301_without_an_address_or_phone_of_the_child(world):
    """TR061/TR006: a receiver refuses a JW301 without either; so does the portal."""
    trajectory = world.trajectory(child=ChildDetails(next_bsn(), date(2014, 1, 1), "Mo", "Ek"))
    with pytest.raises(DomainError, match="geen adres en geen telefoonnummer"):
        export(jw301.EXPORTER, trajectory.current_allocation, None)
