"""The start page's to-dos: counts of the viewer's own work, each linking to its list, at a
fixed number of queries."""

import re
from datetime import date

import pytest
from markupsafe import escape
from sqlalchemy import select

from portal.domain.todos import previous_month
from portal.domain.working_days import today_in_amsterdam
from portal.extensions import db
from portal.formatting import format_month
from portal.models import Declaration
from tests.conftest import login_as
from tests.declaring import declare, submit
from tests.queries import statements_for


def todos(client) -> dict[str, tuple[int, str]]:
    """label → (count, link) of the to-do cards on the start page."""
    html = client.get("/").get_data(as_text=True)
    block = html.split("data-todos", 1)[1].split("</ul>", 1)[0] if "data-todos" in html else ""
    return {label: (int(count), href.replace("&amp;", "&")) for href, count, label in re.findall(
        r'href="([^"]+)"><span class="portal-card__value">(\d+)</span> '
        r'<span class="portal-card__label">([^<]+)</span>', block)}


def test_provider_sees_its_own_work_only(client, world):
    world.trajectory(provider=0)
    world.trajectory(provider=0, municipality=1)
    world.trajectory("started", provider=0)
    world.trajectory(provider=1)  # another provider's
    declare(world, date(2026, 2, 1))
    db.session.commit()
    login_as(client, world.users["provider_staff"])
    found = todos(client)
    assert found["nieuwe toewijzingen, start te melden"] == (2, "/trajecten/inbox")
    assert found["gestarte trajecten zonder beginmeting"] == (1, "/trajecten?status=started")
    assert found["declaraties in concept, in te dienen"] == (1, "/declaraties?status=concept")
    assert found["afgekeurde declaratieregels"][0] == 0
    assert client.get(found["gestarte trajecten zonder beginmeting"][1]).status_code == 200


def test_reviewer_sees_lines_and_overdue_of_its_municipality(client, world):
    world.trajectory("ended", provider=0)
    declaration = declare(world, date(2026, 2, 1))
    submit(world, declaration, today=date(2026, 3, 2))
    db.session.commit()
    waiting = len(declaration.lines)
    assert waiting
    login_as(client, world.users["reviewer"])
    found = todos(client)
    assert found["declaratieregels te beoordelen"] == (waiting, "/beoordelen")
    # submitted long ago, so past the 10 working days
    assert found["declaratieregels te laat (na 10 werkdagen)"] == (
        waiting, "/beoordelen?overdue=y")
    login_as(client, world.users["other_reviewer"])
    assert todos(client)["declaratieregels te beoordelen"][0] == 0


def test_access_staff_and_contract_manager_have_their_todos(client, world):
    login_as(client, world.users["access_staff"])
    found = todos(client)
    assert found["toewijzingsverzoeken in behandeling"] == (0, "/verzoeken?status=open")
    assert "wijzigingsverzoeken in behandeling" in found
    login_as(client, world.users["contract_manager"])
    assert "contracten die binnen 60 dagen aflopen" in todos(client)
    login_as(client, world.users["administrator"])
    assert todos(client) == {}


@pytest.mark.parametrize("role", ["provider_staff", "reviewer", "access_staff"])
def test_start_page_costs_the_same_for_more_work(client, world, role):
    login_as(client, world.users[role])
    db.session.commit()  # as after the data below, so both visits reload the user alike
    few = statements_for(client, "/")
    for _ in range(3):
        world.trajectory(provider=0)
        world.trajectory("started", provider=0)
    db.session.commit()
    assert statements_for(client, "/") == few


def form_of(html: str, municipality: str) -> dict[str, str]:
    """The hidden fields of the start page's declare button for a municipality."""
    item = html.split(f'data-municipality="{escape(municipality)}"', 1)[1].split("</li>", 1)[0]
    return dict(re.findall(r'name="([^"]+)" (?:type="hidden" )?value="([^"]*)"', item))


def test_provider_declares_last_month_from_the_start_page(client, world):
    world.trajectory("started", provider=0)
    world.trajectory("started", provider=0, municipality=1)
    world.trajectory(provider=0, municipality=1)
    db.session.commit()
    login_as(client, world.users["provider_staff"])
    html = client.get("/").get_data(as_text=True)
    period = previous_month(today_in_amsterdam())
    assert f'Declareren over {format_month(period)}' in html
    den_haag, delft = (m.name for m in world.municipalities)
    fields = form_of(html, den_haag)
    assert fields["period"] == period.strftime("%Y-%m")
    answer = client.post("/declaraties/nieuw", data=fields)
    assert answer.status_code == 302
    declaration = db.session.scalar(select(Declaration).where(
        Declaration.municipality_id == world.municipalities[0].id))
    assert declaration.period == period and declaration.lines
    # The start page now opens that concept instead of making another.
    html = client.get("/").get_data(as_text=True)
    assert f'href="/declaraties/{declaration.id}"' in html
    assert "Declaratie voor " + escape(delft) in html  # the other one is still to make


def test_start_page_offers_no_declaring_to_other_roles(client, world):
    world.trajectory("started", provider=0)
    db.session.commit()
    login_as(client, world.users["reviewer"])
    assert "data-declare" not in client.get("/").get_data(as_text=True)
    login_as(client, world.users["other_provider_staff"])  # no trajectory of its own
    assert "data-declare" not in client.get("/").get_data(as_text=True)
