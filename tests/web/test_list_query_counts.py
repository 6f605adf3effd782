"""Every list page issues the same number of SQL statements whatever its rows and its page
size (the review queue, the declaration and measurement lists have their own tests)."""

from datetime import date

import pytest

from portal.domain.audit import record
from portal.domain.codes import COD327, WJ758
from portal.domain.lists import Role
from portal.domain.requests import AllocationWish, request_allocation, request_change
from portal.domain.trajectories import ChildDetails
from portal.extensions import db
from tests.conftest import login_as
from tests.factories import UserFactory, next_bsn
from tests.queries import statements_for

PAGES = [
    ("provider_staff", "/trajecten"),
    ("provider_staff", "/trajecten?status=started"),
    ("provider_staff", "/trajecten?q=vries"),
    ("provider_staff", "/trajecten/inbox"),
    ("reviewer", "/trajecten"),
    ("reviewer", "/trajecten?status=allocated&q=1"),
    ("provider_staff", "/verzoeken"),
    ("access_staff", "/verzoeken?status=all"),
    ("administrator", "/beheer"),
    ("administrator", "/beheer/toegangslog"),
    ("contract_manager", "/contracten"),
    ("contract_manager", "/contracten/tarieven"),
    ("reviewer", "/beoordelen/betaalbestanden"),
]


def grow(world, count: int) -> None:
    """More of what the lists show: trajectories, requests, reads in the log, accounts."""
    staff = world.users["provider_staff"]
    for _ in range(count):
        started = world.trajectory("started")
        world.trajectory()  # waits in the inbox
        request_change(started, reason=WJ758.CLIENT_SITUATION,
                       arrangement=world.arrangements["ontw_zwaar"], end_date=date(2026, 10, 31),
                       motivation="Meer hulp nodig", actor=staff)
        request_allocation(world.providers[0], AllocationWish(
            child=ChildDetails(next_bsn(), date(2014, 5, 17), "Sam", "de Vries"),
            municipality=world.municipalities[0], referrer=COD327.GENERAL_PRACTITIONER,
            arrangement=world.arrangements["ontw_midden"], start=date(2026, 3, 1),
            end=date(2026, 8, 31), motivation="Verwezen door de huisarts.",
            referrer_name="Huisarts Jansen"), staff)
        record(world.users["reviewer"], "trajectory.viewed", started, trajectory=started)
        db.session.commit()
        UserFactory(role=Role.PROVIDER_STAFF, organisation=world.providers[0])


@pytest.mark.parametrize("role, url", PAGES)
def test_list_page_costs_the_same_whatever_its_rows_and_page_size(app, client, world,
                                                                  monkeypatch, role, url):
    login_as(client, world.users[role])
    grow(world, 1)
    few = statements_for(client, url)
    grow(world, 4)
    many = statements_for(client, url)
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    small_pages = statements_for(client, url)
    assert few == many == small_pages
