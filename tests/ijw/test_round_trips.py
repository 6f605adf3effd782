"""Round trips: a client's allocations exported, imported into a database that never saw
them, and exported again give the same message apart from its identification and
dagtekening; a declaration with a credit exported and imported back gives the same JW323."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.domain.codes import JZ002
from portal.domain.contact import Contact
from portal.domain.declarations import credit_line, delete_concept
from portal.domain.review import approve_line
from portal.domain.trajectories import (
    ChildDetails,
    allocate,
    change_allocation_end,
    end_allocation,
)
from portal.extensions import db
from portal.ijw import jw301, jw323
from portal.ijw.exporting import export
from portal.ijw.importing import import_message
from portal.models import Allocation, Client, Declaration, User
from tests.declaring import declare, submit
from tests.factories import next_bsn

_IDENTIFICATION = re.compile(rb"<(\w+):BerichtIdentificatie>.*?</\1:BerichtIdentificatie>",
                             re.S)


def without_identification(content: bytes) -> bytes:
    return _IDENTIFICATION.sub(b"", content)


def allocated(staff, world):
    return allocate(
        municipality=staff.municipality, provider=world.providers[0],
        child=ChildDetails(next_bsn(), date(2013, 8, 21), "Sanne Eva", "van der Berg",
                           Contact(street="Laan van Meerdervoort", house_number=12,
                                   house_number_addition="A", postcode="2517AB",
                                   city="Den Haag", phone="0701234567")),
        arrangement=world.arrangements["ontw_zwaar"], start=date(2026, 3, 1),
        end=date(2026, 12, 31), actor=staff)


CHANGES = {
    "new": lambda trajectory, staff: None,
    "changed": lambda trajectory, staff: change_allocation_end(
        trajectory, date(2027, 2, 28), JZ002.REASSESSMENT_EXTENSION, staff),
    "ended": lambda trajectory, staff: end_allocation(
        trajectory, date(2026, 6, 30), JZ002.MOVED, staff),
    "deleted": lambda trajectory, staff: end_allocation(
        trajectory, date(2026, 3, 1), JZ002.DELETED, staff),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_allocations_travel_to_an_empty_database_and_back(world, change):
    staff = world.users["access_staff"]
    nothing_yet = db.session.begin_nested()
    trajectory = allocated(staff, world)
    CHANGES[change](trajectory, staff)
    first = export(jw301.EXPORTER, trajectory.allocations[0], staff).content
    nothing_yet.rollback()
    db.session.expunge_all()  # objects read inside the savepoint are gone with it
    staff = db.session.get(User, staff.id)
    assert db.session.scalar(select(func.count()).select_from(Client)) == 0

    report = import_message(first, actor=staff, municipality=staff.municipality)
    assert report.ok and report.outcome.created == 1, report.findings
    again = export(jw301.EXPORTER, db.session.scalar(select(Allocation)), staff).content
    assert first != again  # a message of its own ...
    assert without_identification(first) == without_identification(again)  # ... saying the same


def test_a_declaration_with_a_credit_travels_back_to_the_same_message(world):
    world.trajectory("started")
    declaration = declare(world)
    submit(world, declaration)
    approve_line(declaration.lines[0], world.users["reviewer"])
    concept = credit_line(declaration.lines[0], world.users["provider_staff"], date(2026, 3, 5))
    first = export(jw323.EXPORTER, concept, world.users["provider_staff"]).content
    delete_concept(concept, world.users["provider_staff"])

    report = import_message(first, actor=world.users["access_staff"],
                            municipality=world.municipalities[0], source="credit.xml")
    assert report.ok, report.findings
    imported = db.session.get(Declaration, report.outcome.declaration_id)
    again = export(jw323.EXPORTER, imported, world.users["provider_staff"]).content
    # Imported, the declaration is submitted: its DeclaratieDagtekening is today.
    assert without_identification(first) == without_identification(again)
