"""A JW323 for a month the portal already holds a declaration of: one declaration per
provider, municipality and month, whichever door it comes through."""

import re
from datetime import date

import pytest

from portal.domain import DomainError
from portal.domain.declarations import check_month_free, delete_concept, remove_line
from portal.extensions import db
from portal.ijw import jw323
from portal.ijw.exporting import export
from portal.models import Declaration
from tests.declaring import declare, submit

FEBRUARY = date(2026, 2, 1)


def exported_february(world) -> tuple[bytes, set[int]]:
    """The JW323 of February with the start tranches of two children, and the allocations
    of its lines; the concept it was exported from is gone again."""
    world.trajectory("started")
    world.trajectory("started")
    concept = declare(world, FEBRUARY)
    allocations = {line.allocation_id for line in concept.lines}
    made = export(jw323.EXPORTER, concept, world.users["provider_staff"])
    delete_concept(concept, world.users["provider_staff"])
    return made.content, allocations


def renumbered(data: bytes, number: str = "ECD000042") -> bytes:
    """The message under a DeclaratieNummer of the provider's own system."""
    return re.sub(rb"<jw323:DeclaratieNummer>\w+<",
                  f"<jw323:DeclaratieNummer>{number}<".encode(), data, count=1)


def month_declared_in_the_portal(world, allocations: set[int], submitted: bool) -> Declaration:
    """February declared in the portal for a third child, without the lines of the message
    (`allocations`): the month's open concept, or its submitted declaration."""
    world.trajectory("started")
    staff = world.users["provider_staff"]
    concept = declare(world, FEBRUARY)
    for line in list(concept.lines):
        if line.allocation_id in allocations:
            remove_line(line, staff)
    db.session.expire(concept, ["lines"])
    assert len(concept.lines) == 1
    if submitted:
        assert submit(world, concept)
    return concept


def month_taken_message(world) -> str:
    """What the portal's own declaration form says about February now."""
    with pytest.raises(DomainError) as refused:
        check_month_free(world.providers[0], world.municipalities[0], FEBRUARY)
    return str(refused.value.message)
