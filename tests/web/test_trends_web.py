"""Trends per quarter: hand-worked figures on a small population, the small-group rule, the
changes against the quarter before and a year earlier, and the walls."""

import re
from datetime import date

import pytest

from portal.domain.codes import JZ588
from portal.domain.quarters import Quarter
from portal.extensions import db
from tests.conftest import login_as, refresh_figures
from tests.layers import shared_layer
from tests.regions import second_region

PLAN, DROP_OUT = JZ588.ACCORDING_TO_PLAN, JZ588.EARLY_BY_CLIENT


def ended(world, ended_on: date, reason=PLAN, provider=0, municipality=0):
    start = date(ended_on.year, 1, 1)
    return world.trajectory(provider=provider, municipality=municipality, start=start,
                            end=date(ended_on.year, 12, 31), started_on=start,
                            ended_on=ended_on, end_reason=reason)


@shared_layer(on="world")
def quarterly_ends(world):
    """Horizon: 2025 Q3 three plan ends (too small); 2026 Q2 four plan ends and a drop-out
    (80%); 2026 Q3 five plan ends (100%). De Kiem: 2026 Q3 one drop-out. The figures store
    brought up to date, as the first request would."""
    for _ in range(3):
        ended(world, date(2025, 8, 29))
    for _ in range(4):
        ended(world, date(2026, 5, 29))
    ended(world, date(2026, 5, 29), DROP_OUT)
    for _ in range(5):
        ended(world, date(2026, 7, 31))
    ended(world, date(2026, 7, 31), DROP_OUT, provider=1, municipality=1)
    db.session.commit()
    refresh_figures()
    return world


def rows(html: str) -> dict[str, str]:
    """The table's rows by quarter label."""
    return {m.group(1): m.group(0) for m in re.finditer(
        r"<tr[^>]*>\s*<th[^>]*>(\d{4}-K\d)</th>.*?</tr>", html, re.S)}


def cells(row: str) -> list[str]:
    """The cells' text (a figure is a link to the trajectories behind it)."""
    return [re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_eight_quarters_up_to_today():
    today = date(2026, 11, 30)
    quarters = Quarter.of(today).last()
    assert [q.label for q in quarters] == ["2025-K1", "2025-K2", "2025-K3", "2025-K4",
                                           "2026-K1", "2026-K2", "2026-K3", "2026-K4"]
    assert quarters[-1].until(today).end == today  # the running quarter, to date
    assert quarters[-2].until(today).end == date(2026, 9, 30)
    assert quarters[0].until(today).start == date(2025, 1, 1)


@pytest.fixture
def today_is(monkeypatch):
    """The page's today fixed at 30-11-2026, so the eight quarters are 2025-K1 to 2026-K4."""
    monkeypatch.setattr("portal.web.dashboard.views.today_in_amsterdam",
                        lambda: date(2026, 11, 30))


def test_a_providers_trend_beside_the_region(client, quarterly_ends, today_is):
    world = quarterly_ends
    login_as(client, world.users["contract_manager"])
    html = client.get("/stuurinformatie/trend", query_string={
        "indicator": "according_to_plan", "per": "aanbieder",
        "id": world.providers[0].id}).get_data(as_text=True)
    assert "Trend per kwartaal van Horizon Jeugdhulp" in html and "<svg" in html
    by_quarter = rows(html)
    assert len(by_quarter) == 8
    # Horizon value, n, region value, n, change since the quarter before, since a year ago
    assert cells(by_quarter["2026-K3"]) == ["100,0%", "5", "83,3%", "6",
                                            "+20,0 procentpunt", "–"]
    assert cells(by_quarter["2026-K2"]) == ["80,0%", "5", "80,0%", "5", "–", "–"]
    assert cells(by_quarter["2025-K3"])[:2] == ["te klein om te beoordelen", "3"]
    assert "%" not in by_quarter["2025-K3"]
    assert cells(by_quarter["2026-K4"])[:2] == ["te klein om te beoordelen", "0"]  # none yet


def test_the_regions_own_trend_and_the_change_a_year_on(client, quarterly_ends, today_is):
    world = quarterly_ends
    for _ in range(5):  # 2025 Q2: five plan ends, the year-ago quarter of 2026 Q2
        ended(world, date(2025, 5, 30))
    db.session.commit()
    login_as(client, world.users["reviewer"])
    html = client.get("/stuurinformatie/trend?indicator=drop_out").get_data(as_text=True)
    assert "Trend per kwartaal van de hele regio" in html
    by_quarter = rows(html)
    # 2026-K2: 1 of 5 dropped out (20%); 2025-K2: 0 of 5 (0%): +20 points on a year ago;
    # 2026-K1 holds no end: no change on the quarter before
    assert cells(by_quarter["2026-K2"]) == ["20,0%", "5", "–", "+20,0 procentpunt"]
    assert cells(by_quarter["2026-K3"])[:2] == ["16,7%", "6"]


def test_a_provider_sees_its_own_trend_only(client, quarterly_ends, today_is):
    world = quarterly_ends
    login_as(client, world.users["provider_staff"])
    html = client.get("/stuurinformatie/trend", query_string={
        "indicator": "according_to_plan", "per": "aanbieder",
        "id": world.providers[1].id}).get_data(as_text=True)  # ignored: its own
    assert "Horizon Jeugdhulp" in html and "De Kiem" not in html
    assert cells(rows(html)["2026-K3"])[:4] == ["100,0%", "5", "83,3%", "6"]


def test_an_unknown_indicator_falls_back_to_the_first(client, quarterly_ends):
    login_as(client, quarterly_ends.users["contract_manager"])
    response = client.get("/stuurinformatie/trend?indicator=%3Cscript%3E&per=nonsense&id=x")
    assert response.status_code == 200
    assert "Volgens plan beëindigd (31)" in response.get_data(as_text=True)


def test_another_regions_groups_are_not_found(client, quarterly_ends):
    world = quarterly_ends
    north = second_region()
    login_as(client, world.users["contract_manager"])
    for per, group in (("aanbieder", north.providers[0].id),
                       ("arrangement", north.arrangements["ontw_midden"].id),
                       ("gemeente", north.municipalities[0].id),
                       ("aanbieder", 999999), ("gemeente", None)):
        response = client.get("/stuurinformatie/trend",
                              query_string={"per": per, **({"id": group} if group else {})})
        assert response.status_code == 404
    ok = client.get("/stuurinformatie/trend", query_string={
        "per": "gemeente", "id": world.municipalities[1].id})
    assert ok.status_code == 200 and "Delft" in ok.get_data(as_text=True)
