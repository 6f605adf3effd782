"""Steering information pages per role: the region, each provider, the CSV, the definitions."""

import re
from datetime import date

import pytest

from portal.domain.codes import JZ588
from portal.domain.lists import Informant, MeasurementMoment, TreatmentResult, YesNoUnknown
from portal.domain.measurements import Answers, record_measurement
from portal.extensions import db
from tests.conftest import login_as, refresh_figures
from tests.layers import shared_layer

PERIOD = "van=2026-01-01&tot=2026-12-31"  # the world's trajectories end on 31-07-2026


@shared_layer(on="world")
def ended_trajectories(world):
    """Five of Horizon's ended according to plan, one of De Kiem's by drop-out. Built once
    for the tests here, the figures store up to date."""
    made = [world.trajectory("ended") for _ in range(5)]
    made.append(world.trajectory("ended", provider=1, municipality=1,
                                 end_reason=JZ588.EARLY_BY_CLIENT))
    db.session.commit()
    refresh_figures()  # as the first request after these commits would: part of the layer
    return made


def row(html: str, label: str) -> str:
    """The table row that starts with `label`."""
    return re.search(r"<tr[^>]*>\s*<th[^>]*>(?:<a[^>]*>)?" + re.escape(label) + r".*?</tr>",
                     html, re.S).group(0)


@pytest.mark.parametrize("role, status", [
    ("contract_manager", 200), ("reviewer", 200), ("other_reviewer", 200),
    ("provider_staff", 403), ("access_staff", 403), ("administrator", 403),
])
def test_region_page_is_for_contract_managers_and_reviewers(client, world, role, status):
    login_as(client, world.users[role])
    assert client.get("/stuurinformatie").status_code == status
    assert client.get("/stuurinformatie/export.csv").status_code == status


def test_region_page_compares_providers_and_hides_small_groups(client, world, ended_trajectories):
    login_as(client, world.users["contract_manager"])
    html = client.get(f"/stuurinformatie?{PERIOD}").get_data(as_text=True)
    horizon = row(html, "Horizon Jeugdhulp")
    assert ">5</a></td>" in horizon and "100,0%" in horizon  # 5 of 5 according to plan
    kiem = row(html, "De Kiem")
    assert "te klein om te beoordelen" in kiem and "%" not in kiem  # 1 trajectory
    region = row(html, "Hele regio")
    assert "83,3%" in region and "16,7%" in region  # 5 / 6 according to plan, 1 / 6 drop-out
    assert f'href="/stuurinformatie/aanbieders/{world.providers[0].id}?' in horizon


def test_grouping_per_municipality(client, world, ended_trajectories):
    login_as(client, world.users["reviewer"])
    html = client.get(f"/stuurinformatie?{PERIOD}&per=gemeente").get_data(as_text=True)
    assert "Vergelijking per gemeente" in html
    assert ">5</a></td>" in row(html, "&#39;s-Gravenhage")
    assert ">1</a></td>" in row(html, "Delft")


def test_every_chart_is_accessible_svg_with_its_table(client, world, ended_trajectories):
    login_as(client, world.users["contract_manager"])
    html = client.get(f"/stuurinformatie?{PERIOD}").get_data(as_text=True)
    charts = re.findall(r'<svg [^>]*role="img"[^>]*aria-labelledby="([\w-]+)-title '
                        r'\1-desc"', html)
    assert len(charts) == 9 and "grafiek-treatment_achieved" in charts
    assert html.count('<caption class="utrecht-table__caption visually-hidden">Tabel bij de '
                      'grafiek') == 9
    assert "<script" not in html.split("</head>")[1]


def test_filters_swap_only_the_figures_for_htmx(client, world, ended_trajectories):
    login_as(client, world.users["contract_manager"])
    response = client.get(f"/stuurinformatie?{PERIOD}", headers={"HX-Request": "true"})
    fragment = response.get_data(as_text=True)
    assert "<html" not in fragment and "Hele regio" in fragment
    assert "HX-Request" in response.headers["Vary"]
    later = client.get("/stuurinformatie?van=2027-01-01&tot=2027-12-31").get_data(as_text=True)
    assert ">0</td>" in row(later, "Hele regio")


def test_default_period_and_a_wrong_period(client, world):
    login_as(client, world.users["contract_manager"])
    today = date.today()
    html = client.get("/stuurinformatie").get_data(as_text=True)
    assert f'value="{today.isoformat()}"' in html
    wrong = client.get("/stuurinformatie?van=2026-06-01&tot=2026-01-01").get_data(as_text=True)
    assert "Deze datum ligt vóór de begindatum." in wrong
    assert f"tot en met {today.strftime('%d-%m-%Y')}" in wrong  # back to the default


def test_csv_download_with_dutch_columns(client, world, ended_trajectories):
    login_as(client, world.users["contract_manager"])
    response = client.get(f"/stuurinformatie/export.csv?{PERIOD}")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="stuurinformatie-per-aanbieder-2026-01-01-2026-12-31.csv"')
    assert response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    header = lines[0].split(";")
    assert header[:5] == ["Aanbieder", "Van", "Tot en met", "Beëindigde trajecten",
                          "Overgedragen (36-39)"]
    assert header[5] == "Volgens plan beëindigd (31) (%)"
    region = lines[1].split(";")
    assert region[:7] == ["Hele regio", "01-01-2026", "31-12-2026", "6", "0", "83,3", "6"]
    kiem = next(line for line in lines if line.startswith("De Kiem")).split(";")
    assert kiem[5] == "te klein om te beoordelen"


def test_treatment_result_on_the_region_page_and_in_the_csv(client, world, ended_trajectories):
    """Horizon's five ends: three problems solved, one reduced, one unchanged."""
    results = [TreatmentResult.SOLVED] * 3 + [TreatmentResult.REDUCED, TreatmentResult.UNCHANGED]
    no = YesNoUnknown.NO
    for trajectory, result in zip(ended_trajectories, results, strict=False):
        record_measurement(trajectory, Answers(
            moment=MeasurementMoment.END, informant=Informant.YOUNG_PERSON,
            measured_on=date(2026, 7, 31), goes_to_school_or_work=no, grows_up_at_home=no,
            takes_part=no, is_safe=no, treatment_result=result, goal_scores={},
            satisfaction=None), world.users["provider_staff"], date(2026, 8, 1))
    db.session.commit()
    login_as(client, world.users["contract_manager"])
    html = client.get(f"/stuurinformatie?{PERIOD}").get_data(as_text=True)
    assert "Behandeldoel bereikt" in html
    assert "60,0%" in row(html, "Horizon Jeugdhulp")  # 3 / 5
    lines = client.get(f"/stuurinformatie/export.csv?{PERIOD}").get_data(
        as_text=True).lstrip("\ufeff").splitlines()
    header, region = lines[0].split(";"), lines[1].split(";")
    achieved = header.index("Behandeldoel bereikt (%)")
    partly = header.index("Behandeldoel deels bereikt (%)")
    assert (region[achieved], region[achieved + 1]) == ("60,0", "5")
    assert (region[partly], region[partly + 1]) == ("20,0", "5")
    kiem = next(line for line in lines if line.startswith("De Kiem")).split(";")
    assert (kiem[achieved], kiem[achieved + 1]) == ("te klein om te beoordelen", "0")


def test_provider_sees_its_own_figures_beside_the_region(client, world, ended_trajectories):
    login_as(client, world.users["provider_staff"])
    html = client.get(f"/stuurinformatie/aanbieder?{PERIOD}").get_data(as_text=True)
    assert "Stuurinformatie Horizon Jeugdhulp" in html
    plan = row(html, "Volgens plan beëindigd (31)")
    assert "100,0%" in plan and "83,3%" in plan
    assert "De Kiem" not in html
    own = client.get(f"/stuurinformatie/aanbieders/{world.providers[0].id}?{PERIOD}")
    assert own.status_code == 200
    csv = client.get(f"/stuurinformatie/aanbieder/export.csv?{PERIOD}")
    assert csv.get_data(as_text=True).splitlines()[1].startswith("Horizon Jeugdhulp;")


def test_another_providers_page_is_404_for_a_provider(client, world):
    login_as(client, world.users["provider_staff"])
    other = world.providers[1].id
    assert client.get(f"/stuurinformatie/aanbieders/{other}").status_code == 404
    assert client.get(f"/stuurinformatie/aanbieders/{other}/export.csv").status_code == 404


@pytest.mark.parametrize("role, status", [
    ("contract_manager", 200), ("reviewer", 200), ("access_staff", 403),
    ("administrator", 403),
])
def test_provider_pages_for_region_roles(client, world, role, status):
    login_as(client, world.users[role])
    assert client.get(f"/stuurinformatie/aanbieders/{world.providers[1].id}").status_code == status
    if status == 200:
        assert client.get("/stuurinformatie/aanbieders/999999").status_code == 404
        assert client.get("/stuurinformatie/aanbieder").status_code == 404


def test_definitions_page_renders_the_formulas(client, world):
    login_as(client, world.users["provider_staff"])
    html = client.get("/stuurinformatie/definities").get_data(as_text=True)
    assert "<h1>Definities van de indicatoren</h1>" in html
    assert "<td>Uitval (32)</td>" in html
    assert "<td>Behandeldoel bereikt</td>" in html
    login_as(client, world.users["contract_manager"])
    page = client.get(f"/stuurinformatie?{PERIOD}").get_data(as_text=True)
    assert 'href="/stuurinformatie/definities"' in page


def test_region_page_queries_do_not_grow_with_trajectories(client, world, count_queries):
    login_as(client, world.users["contract_manager"])
    world.trajectory("ended")
    db.session.commit()
    client.get(f"/stuurinformatie?{PERIOD}")  # computes the sums and the page, keeps both
    with count_queries() as few:
        client.get(f"/stuurinformatie?{PERIOD}")
    for _ in range(6):
        world.trajectory("ended", provider=1)
    db.session.commit()
    # The refresh computed the kept sums again; the first request renders the page anew.
    client.get(f"/stuurinformatie?{PERIOD}")
    with count_queries() as many:
        client.get(f"/stuurinformatie?{PERIOD}")
    assert len(few) == len(many)


@pytest.mark.parametrize("role, links", [
    ("contract_manager", ["/stuurinformatie"]),
    ("reviewer", ["/stuurinformatie", "/metingen"]),
    ("provider_staff", []),
])
def test_start_page_links_to_the_results(client, world, role, links):
    login_as(client, world.users[role])
    html = client.get("/").get_data(as_text=True)
    main = html.split('<main', 1)[1]
    assert ("Stuurinformatie bekijken" in main) == bool(links)
    for link in links:
        assert f'href="{link}"' in main


@pytest.mark.parametrize("query", [
    "van=abc&tot=2026-13-45&per=zz", "van=2030-01-01", "van=0001-01-01&tot=9999-12-31",
])
def test_odd_filters_fall_back_instead_of_failing(client, world, query):
    login_as(client, world.users["reviewer"])
    assert client.get(f"/stuurinformatie?{query}").status_code == 200
    assert client.get(f"/stuurinformatie/export.csv?{query}").status_code == 200
