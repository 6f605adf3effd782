"""The page behind a figure: who sees which rows, the pseudonyms and the access log, the
links from the dashboards, walls and bad input, and a query count that does not grow."""

import re

import pytest
from sqlalchemy import select

from portal.domain.pseudonyms import pseudonym
from portal.extensions import db
from portal.models import AuditEvent
from tests.conftest import login_as, refresh_figures
from tests.layers import shared_layer
from tests.queries import statements_for
from tests.regions import YEAR, populate, second_region

URL = "/stuurinformatie/achter-het-cijfer"


def page(client, query: str, status: int = 200) -> str:
    response = client.get(f"{URL}?{query}")
    assert response.status_code == status, query
    return response.get_data(as_text=True)


@shared_layer(on="world")
def both_ended(world):
    """Horizon: 4 ended according to plan, 2 dropped out; the other provider 3 and 1."""
    mine = populate(world, plan_ends=4, drop_outs=2)
    theirs = populate(world, plan_ends=3, drop_outs=1, provider=1)
    refresh_figures()
    return mine, theirs


def test_the_contract_manager_sees_pseudonyms_and_every_view_is_logged(app, client, world,
                                                                       both_ended):
    mine, _theirs = both_ended
    login_as(client, world.users["contract_manager"])
    horizon = world.providers[0]
    html = page(client, f"indicator=drop_out&per=aanbieder&id={horizon.id}&{YEAR}")
    key = app.secret_key.encode()
    shown = set(re.findall(r"P-[A-Z2-7]{8}", html))
    assert shown == {pseudonym(t.id, key) for t in mine}
    for t in mine:
        assert t.client.family_name not in html and t.client.masked_bsn not in html
        assert t.client.birth_date.strftime("%d-%m-%Y") not in html
    assert "/trajecten/" not in html  # no allocation numbers linking to trajectories
    assert "trajecten in de basis" in html and "daarvan meegeteld" in html
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "pseudonymised_trajectory.viewed")).all()
    assert {e.trajectory_id for e in events} == {t.id for t in mine}
    assert {e.client_id for e in events} == {t.client_id for t in mine}


def test_a_provider_sees_its_own_trajectories_by_allocation_number(client, world, both_ended):
    mine, theirs = both_ended
    login_as(client, world.users["provider_staff"])
    html = page(client, f"indicator=according_to_plan&{YEAR}")  # the region's figure
    for t in mine:
        assert f"/trajecten/{t.id}\"" in html and t.client.masked_bsn in html
    for t in theirs:
        assert f"/trajecten/{t.id}\"" not in html and t.client.family_name not in html
    assert "U ziet 6 trajecten" in html
    assert db.session.scalars(select(AuditEvent.trajectory_id).where(
        AuditEvent.action == "trajectory_behind_figure.viewed")).all()
    other = world.providers[1].id
    page(client, f"indicator=according_to_plan&per=aanbieder&id={other}&{YEAR}", 404)
    municipality = world.municipalities[0].id
    page(client, f"indicator=according_to_plan&per=gemeente&id={municipality}&{YEAR}", 404)


def test_a_reviewer_sees_the_children_of_the_own_municipality(client, world, both_ended):
    mine, theirs = both_ended
    login_as(client, world.users["reviewer"])
    html = page(client, f"indicator=ended&{YEAR}")
    for t in mine + theirs:
        shown = f"/trajecten/{t.id}\"" in html
        assert shown == (t.municipality_id == world.users["reviewer"].municipality_id)


def test_the_dashboards_and_the_trend_link_to_their_trajectories(client, world, both_ended):
    login_as(client, world.users["contract_manager"])
    region = client.get(f"/stuurinformatie?{YEAR}").get_data(as_text=True)
    horizon = world.providers[0].id
    assert (f"achter-het-cijfer?indicator=drop_out&amp;per=aanbieder&amp;id={horizon}"
            "&amp;van=2026-01-01&amp;tot=2026-12-31") in region
    assert "achter-het-cijfer?indicator=ended&amp;van=2026-01-01" in region
    provider = client.get(f"/stuurinformatie/aanbieders/{horizon}?{YEAR}").get_data(
        as_text=True)
    assert "achter-het-cijfer?indicator=satisfaction&amp;per=aanbieder" in provider
    trend = client.get(f"/stuurinformatie/trend?indicator=according_to_plan&per=aanbieder"
                       f"&id={horizon}").get_data(as_text=True)
    assert "achter-het-cijfer?indicator=according_to_plan&amp;per=aanbieder" in trend
    # the links lead to lists whose counts are the figure's
    link = re.search(r'href="(/stuurinformatie/achter-het-cijfer\?indicator=drop_out[^"]*'
                     rf'id={horizon}[^"]*)"', region).group(1).replace("&amp;", "&")
    html = client.get(link).get_data(as_text=True)
    assert re.search(r'portal-counts__value">6</span> trajecten in de basis', html)
    assert re.search(r'portal-counts__value">2</span> daarvan meegeteld', html)


@pytest.mark.parametrize("query", [
    "indicator=bestaat_niet", "indicator=", "indicator=drop_out&per=planeet&id=1",
    "indicator=drop_out&per=aanbieder", "indicator=drop_out&per=aanbieder&id=abc",
    "indicator=drop_out&per=aanbieder&id=99999999999999999999",
])
def test_unknown_indicators_and_groups_are_not_found(client, world, query):
    login_as(client, world.users["contract_manager"])
    page(client, query, 404)


def test_another_regions_group_is_not_found_and_nothing_of_it_shows(client, world, both_ended):
    north = second_region()
    theirs = populate(north, plan_ends=5, drop_outs=1)
    refresh_figures()
    login_as(client, world.users["contract_manager"])
    for per, group in (("aanbieder", north.providers[0]), ("gemeente", north.municipalities[0]),
                       ("arrangement", north.arrangements["ontw_midden"])):
        page(client, f"indicator=according_to_plan&per={per}&id={group.id}&{YEAR}", 404)
    html = page(client, f"indicator=according_to_plan&{YEAR}")
    key = client.application.secret_key.encode()
    assert not {pseudonym(t.id, key) for t in theirs} & set(re.findall(r"P-[A-Z2-7]{8}", html))


@pytest.mark.parametrize("period", ["van=31-02-2026", "van=2026-13-01", "tot=1999-01-01",
                                    "van=2026-06-01&tot=2026-01-01"])
def test_a_malformed_period_gets_a_dutch_message(client, world, period):
    login_as(client, world.users["contract_manager"])
    html = page(client, f"indicator=drop_out&{period}")
    assert "utrecht-alert--error" in html and "Trajecten achter het cijfer" not in html


def test_the_page_costs_the_same_whatever_its_rows(app, client, world, monkeypatch):
    login_as(client, world.users["contract_manager"])
    url = f"{URL}?indicator=according_to_plan&{YEAR}"
    populate(world, plan_ends=1, drop_outs=1)
    few = statements_for(client, url)
    populate(world, plan_ends=6, drop_outs=3, provider=1)
    many = statements_for(client, url)
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    assert few == many == statements_for(client, url)


def test_one_pseudonymised_trajectory_and_pseudonyms_typed_by_hand(app, client, world, both_ended):
    mine, _theirs = both_ended
    north = second_region()
    theirs = populate(north, plan_ends=1, drop_outs=0)
    refresh_figures()
    key = app.secret_key.encode()
    login_as(client, world.users["contract_manager"])
    listed = page(client, f"indicator=according_to_plan&{YEAR}")
    own = pseudonym(mine[0].id, key)
    assert f'href="{URL}/{own}"' in listed
    html = client.get(f"{URL}/{own}").get_data(as_text=True)
    assert own in html and "Horizon Jeugdhulp" in html
    assert "31 Levering is volgens plan beëindigd" in html
    assert mine[0].client.family_name not in html and mine[0].client.masked_bsn not in html
    assert db.session.scalars(select(AuditEvent.trajectory_id).where(
        AuditEvent.action == "pseudonymised_trajectory.viewed")
        .order_by(AuditEvent.id.desc())).first() == mine[0].id
    for typed in ("P-AAAAAAAA", "P-ZZZZZZZZ", "P-abc", "P-0000000O", "x" * 300,
                  pseudonym(theirs[0].id, key), pseudonym(mine[0].id, b"another key")):
        assert client.get(f"{URL}/{typed}").status_code == 404, typed
    login_as(client, world.users["reviewer"])
    assert client.get(f"{URL}/{own}").status_code == 403
