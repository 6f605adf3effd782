"""A JW301 made from a portal allocation validates and imports back to the same data."""

from datetime import date

from sqlalchemy import func, select

from portal.domain.codes import JZ002
from portal.domain.contact import Contact
from portal.domain.trajectories import ChildDetails, allocate, end_allocation
from portal.extensions import db
from portal.ijw import jw301
from portal.ijw.exporting import export
from portal.ijw.importing import import_message
from portal.ijw.parsing import read_message
from portal.models import Allocation, Client, User
from tests.factories import next_bsn


def facts(allocation: Allocation) -> dict:
    trajectory, client = allocation.trajectory, allocation.trajectory.client
    return {"bsn": client.bsn, "birth_date": client.birth_date, "given": client.given_name,
            "family": client.family_name, "number": allocation.number,
            "municipality": allocation.municipality_id, "provider": trajectory.provider_id,
            "arrangement": allocation.arrangement_id, "start": allocation.start_date,
            "end": allocation.end_date, "amount": allocation.amount_cents,
            "reason": allocation.change_reason, "status": trajectory.status,
            "contact": (client.street, client.house_number, client.house_number_addition,
                        client.postcode, client.city, client.phone),
            # IV013: the version's moment travels (to the second) as Toewijzingsdatum/-tijd
            "allocated_at": allocation.allocated_at.replace(microsecond=0)}


def test_an_exported_allocation_imports_back_to_the_same_data(world):
    staff = world.users["access_staff"]
    before_export = db.session.begin_nested()
    trajectory = allocate(
        municipality=staff.municipality, provider=world.providers[0],
        child=ChildDetails(next_bsn(), date(2013, 8, 21), "Sanne Eva", "van der Berg",
                           Contact(street="Laan van Meerdervoort", house_number=12,
                                   house_number_addition="A", postcode="2517AB",
                                   city="Den Haag", phone="0701234567")),
        arrangement=world.arrangements["ontw_zwaar"], start=date(2026, 3, 1),
        end=date(2026, 12, 31), actor=staff)
    made = export(jw301.EXPORTER, trajectory.current_allocation, staff)
    expected = facts(trajectory.current_allocation)
    before_export.rollback()
    db.session.expunge_all()  # objects read inside the savepoint are gone with it
    staff = db.session.get(User, staff.id)
    assert db.session.scalar(select(func.count()).select_from(Client)) == 0

    message = read_message(made.content)
    assert (message.sender, message.receiver) == ("0518", world.providers[0].agb_code)
    report = import_message(made.content, actor=staff, municipality=staff.municipality)
    assert report.ok and report.outcome.created == 1
    assert facts(db.session.scalar(select(Allocation))) == expected


def test_an_ended_allocation_exported_and_imported_again_changes_nothing(world):
    staff = world.users["access_staff"]
    trajectory = world.trajectory()
    end_allocation(trajectory, date(2026, 4, 30), JZ002.MOVED, staff)
    allocation = trajectory.current_allocation
    expected = facts(allocation)
    made = export(jw301.EXPORTER, allocation, staff)
    assert read_message(made.content).text(
        "m:Client/m:ToegewezenProducten/m:ToegewezenProduct/m:RedenWijziging") == "07"
    report = import_message(made.content, actor=staff, municipality=staff.municipality)
    assert report.ok and report.outcome.unchanged == 1
    assert facts(allocation) == expected
