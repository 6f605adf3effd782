"""The municipal timeliness and the incentives watch as each role sees them: walls between
regions, providers and municipalities, bad periods, and the figures worked out in
tests/domain/test_timeliness.py and tests/domain/test_incentives.py."""

from datetime import date

import pytest

from portal.extensions import db
from tests.conftest import login_as, refresh_figures
from tests.incentive_population import TODAY, populate
from tests.layers import shared_layer
from tests.regions import second_region
from tests.timeliness_rows import line

TIMELINESS = "/sturing/tijdigheid?periode=2026-K3"
INCENTIVES = "/sturing/prikkels?periode=2026"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("portal.web.steering.views.today_in_amsterdam", lambda: TODAY)


def page(client, user, url) -> str:
    login_as(client, user)
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@shared_layer(on="world")
def q3_lines(world):
    """As in the domain test: 's-Gravenhage 4 of 6 in time in Q3, Delft two answers; and a
    region up north with a late line of its own."""
    horizon = world.trajectory("started")
    kiem = world.trajectory("started", provider=1, municipality=1)
    user = world.users["provider_staff"]
    for days in (2, 4, 6, 10, 12, None):
        line(horizon, date(2026, 7, 15), days, user)
    for _ in range(2):
        line(kiem, date(2026, 8, 3), 3, user)
    north = second_region()
    line(north.trajectory("started"), date(2026, 7, 15), None, north.users["provider_staff"])
    db.session.commit()
    return world


def test_the_region_sees_each_municipality_and_the_total(client, q3_lines):
    html = page(client, q3_lines.users["contract_manager"], TIMELINESS)
    assert "66,7%" in html and "75,0%" in html  # 's-Gravenhage; the region's 6 of 8
    assert "Delft" in html and "te klein om te beoordelen" in html
    assert "Groningen" not in html and "Leeuwarden" not in html
    assert html.count('role="img"') == 3  # a line chart per kind
    assert "2025-K4" in html and "2026-K3" in html  # eight quarters up to the chosen one


def test_a_municipality_sees_only_its_own(client, q3_lines):
    html = page(client, q3_lines.users["other_reviewer"], TIMELINESS)  # Delft
    assert "Delft" in html and "Gravenhage" not in html and "66,7%" not in html


def test_a_provider_sees_its_own_lines_only(client, q3_lines):
    html = page(client, q3_lines.users["other_provider_staff"], TIMELINESS)  # De Kiem, Delft
    assert "Delft" in html and "Gravenhage" not in html
    html = page(client, q3_lines.users["provider_staff"], TIMELINESS)
    assert "66,7%" in html and "Delft" not in html


@pytest.mark.parametrize(("url", "message"), [
    ("/sturing/tijdigheid?periode=2027-K1", "nog niet begonnen"),
    ("/sturing/tijdigheid?periode=derde+kwartaal", "Geef een kwartaal"),
    ("/sturing/prikkels?periode=2031", "nog niet begonnen"),
    ("/sturing/prikkels?periode=2026-K9", "Geef een kwartaal"),
])
def test_a_bad_period_gets_a_message_and_the_default(client, world, url, message):
    html = page(client, world.users["contract_manager"], url)
    assert message in html and "Er is een probleem" in html


def listed_cell(number: int) -> str:
    return f'<td class="utrecht-table__cell">{number}</td>'


@shared_layer(on="incentive_population")
def populations(incentive_population):
    """The incentives population (tests/conftest.py) and the same in the region up north."""
    populate(second_region())
    return incentive_population


def test_the_region_lists_ends_without_follow_up_by_number_only(client, world, populations):
    html = page(client, world.users["contract_manager"], INCENTIVES)
    assert listed_cell(populations.not_followed.current_allocation.number) in html
    assert ">38 Overstap naar andere aanbieder<" in html.replace("\n", "")
    client_of = populations.not_followed.client
    assert client_of.bsn not in html and client_of.family_name not in html
    assert "Noorderlicht" not in html  # the other region's provider
    assert "Horizon Jeugdhulp" in html and "De Kiem" in html and "Hele regio" in html
    assert "€ 8.400,00" in html and "€ 14.280,00" in html  # extension and upscaling


def test_a_provider_sees_its_own_column_and_its_own_ends(client, world, populations):
    listed = listed_cell(populations.not_followed.current_allocation.number)
    html = page(client, world.users["other_provider_staff"], INCENTIVES)
    assert "De Kiem" in html and "Horizon" not in html and listed not in html
    html = page(client, world.users["provider_staff"], INCENTIVES)
    assert listed in html and "De Kiem" not in html


def test_incentive_queries_do_not_grow_with_the_rows(client, world, count_queries):
    login_as(client, world.users["contract_manager"])
    world.trajectory("started")
    refresh_figures()  # the worker's task after the set-up's commits, not the page's
    with count_queries() as few:
        client.get(INCENTIVES)
    populate(world)
    refresh_figures()
    with count_queries() as many:
        client.get(INCENTIVES)
    assert len(many) == len(few)


def test_timeliness_queries_do_not_grow_with_the_rows(client, world, count_queries):
    login_as(client, world.users["contract_manager"])
    trajectory = world.trajectory("started")
    line(trajectory, date(2026, 7, 15), 3, world.users["provider_staff"])
    with count_queries() as few:
        client.get(TIMELINESS)
    for days in (1, 5, 11, None):
        line(world.trajectory("started", municipality=1), date(2026, 8, 3), days,
             world.users["provider_staff"])
    with count_queries() as many:
        client.get(TIMELINESS)
    assert len(many) == len(few)
