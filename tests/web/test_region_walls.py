"""Regions are walls, through the pages: every dashboard view, the CSV files, the contract
statement and the lists show the viewer's region only; another region's data changes
nothing in them and its provider never appears."""


import pytest
from sqlalchemy import select

from portal.domain.audit import record
from portal.extensions import db
from portal.models import Contract, Statement
from tests.conftest import login_as
from tests.factories import TrajectoryFactory
from tests.regions import YEAR, populate, second_region, work_in_region_b

B_NAMES = ("Noorderlicht Zorg", "Wadden Jeugd", "Groningen", "Leeuwarden", "Regio Noord")
GROUPINGS = ("aanbieder", "arrangement", "gemeente")
REGION_READERS = ("contract_manager", "reviewer", "other_reviewer")


def text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def add_region_b(world):
    """Region B: drop-outs only, with A's Horizon contracted and working there too."""
    north = second_region()
    populate(north, plan_ends=0, drop_outs=5, satisfaction=2, cents=100)
    work_in_region_b(world, north, ended=True)
    db.session.commit()
    return north


def csv_files(client, world) -> dict[str, str]:
    files = {per: text(client, f"/stuurinformatie/export.csv?{YEAR}&per={per}")
             for per in GROUPINGS}
    files["horizon"] = text(
        client, f"/stuurinformatie/aanbieders/{world.providers[0].id}/export.csv?{YEAR}")
    return files


@pytest.mark.parametrize("role", REGION_READERS)
def test_region_dashboard_and_csv_are_unchanged_by_b(client, region_a, role):
    world = region_a
    login_as(client, world.users[role])
    before = csv_files(client, world)
    assert ";10,0;" in before["aanbieder"].splitlines()[1]  # the region's drop-out rate
    north = add_region_b(world)
    assert csv_files(client, world) == before
    for per in GROUPINGS:
        html = text(client, f"/stuurinformatie?{YEAR}&per={per}")
        assert not any(name in html for name in B_NAMES), per
    for provider in north.providers:
        assert client.get(f"/stuurinformatie/aanbieders/{provider.id}").status_code == 404
        assert client.get(
            f"/stuurinformatie/aanbieders/{provider.id}/export.csv").status_code == 404


def test_region_b_sees_its_own_figures_only(client, region_a):
    north = add_region_b(region_a)
    login_as(client, north.users["contract_manager"])
    html = text(client, f"/stuurinformatie?{YEAR}")
    assert "Noorderlicht Zorg" in html and "De Kiem" not in html
    lines = text(client, f"/stuurinformatie/export.csv?{YEAR}").splitlines()
    region = lines[1].split(";")
    assert region[0] == "Hele regio" and region[3] == "6"  # 5 drop-outs, Horizon's plan end
    assert "83,3" in region  # 5 / 6 drop-out
    horizon = next(line for line in lines if line.startswith("Horizon Jeugdhulp;"))
    assert horizon.split(";")[3] == "1"  # its 10 ended trajectories in A do not count here
    for provider in region_a.providers[1:]:
        assert client.get(f"/stuurinformatie/aanbieders/{provider.id}").status_code == 404


def test_a_provider_in_two_regions_compares_with_one_region_at_a_time(client, region_a):
    world = region_a
    login_as(client, world.users["provider_staff"])
    before = text(client, f"/stuurinformatie/aanbieder/export.csv?{YEAR}")
    north = add_region_b(world)
    a, b = world.region.id, north.region.id
    html = text(client, f"/stuurinformatie/aanbieder?{YEAR}")
    assert 'name="regio"' in html and "Regio Noord" in html and "Testregio" in html
    assert text(client, f"/stuurinformatie/aanbieder/export.csv?{YEAR}&regio={a}") == before
    in_b = text(client, f"/stuurinformatie/aanbieder/export.csv?{YEAR}&regio={b}").splitlines()
    assert in_b[1].startswith("Horizon Jeugdhulp;") and in_b[1].split(";")[3] == "1"
    assert in_b[2].split(";")[3] == "6"  # region B: its 5 drop-outs and Horizon's one
    # De Kiem works in A only: no choice of region.
    login_as(client, world.users["other_provider_staff"])
    assert 'name="regio"' not in text(client, f"/stuurinformatie/aanbieder?{YEAR}")


def test_figures_store_keeps_each_region_apart(client, region_a):
    north = add_region_b(region_a)
    login_as(client, region_a.users["contract_manager"])
    a = text(client, f"/stuurinformatie/export.csv?{YEAR}")
    login_as(client, north.users["contract_manager"])
    b = text(client, f"/stuurinformatie/export.csv?{YEAR}")
    assert a != b and "Noorderlicht Zorg" in b and "Noorderlicht Zorg" not in a


def statement_content(client, contract) -> dict:
    asked = client.get(f"/overzichten/contracten/{contract.id}", query_string={"periode": "2026"})
    assert asked.status_code == 302  # a job makes it (run at once in tests)
    response = client.get(asked.headers["Location"] + "/bestand")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    content = db.session.scalars(select(Statement).order_by(Statement.id.desc())).first().content
    return {k: v for k, v in content.items() if k != "generated_at"}


@pytest.mark.parametrize("role", ["contract_manager", "reviewer", "provider_staff"])
def test_contract_statement_is_unchanged_by_b(client, region_a, role):
    world = region_a
    login_as(client, world.users[role])
    before = statement_content(client, world.contracts[0])
    north = add_region_b(world)
    assert statement_content(client, world.contracts[0]) == before
    if role != "provider_staff":
        for contract in north.contracts:
            assert client.get(f"/overzichten/contracten/{contract.id}").status_code == 404
        assert not any(name in text(client, "/overzichten") for name in B_NAMES)


@pytest.mark.parametrize("role, url", [
    ("reviewer", "/beoordelen"),
    ("reviewer", "/metingen"),
    ("reviewer", "/trajecten"),
    ("access_staff", "/trajecten"),
    ("access_staff", "/toewijzingen/nieuw"),
    ("access_staff", "/verzoeken"),
    ("reviewer", "/beoordelen/betaalbestanden"),
    ("other_provider_staff", "/trajecten"),
    ("other_provider_staff", "/verzoeken/toewijzing/nieuw"),
    ("other_provider_staff", "/declaraties/nieuw"),
    ("administrator", "/beheer"),
    ("administrator", "/beheer/gebruikers/nieuw"),
    ("contract_manager", "/contracten"),
])
def test_lists_and_choices_hold_no_other_region(client, region_a, role, url):
    add_region_b(region_a)
    login_as(client, region_a.users[role])
    html = text(client, url)
    assert not any(name in html for name in B_NAMES), [n for n in B_NAMES if n in html]
    assert "noord.example.test" not in html


def test_a_provider_in_two_regions_chooses_among_both(client, region_a):
    add_region_b(region_a)
    login_as(client, region_a.users["provider_staff"])
    html = text(client, "/verzoeken/toewijzing/nieuw")
    assert "Groningen" in html and "Delft" in html and "Leeuwarden" in html


def test_access_log_shows_only_the_region(client, region_a):
    north = add_region_b(region_a)
    seen_b = db.session.scalars(select(Contract)).first()  # any object outside a child
    b_trajectory = TrajectoryFactory(municipality=north.municipalities[0],
                                     provider=north.providers[0],
                                     arrangement=north.arrangements["ontw_midden"],
                                     actor=north.users["provider_staff"])
    record(north.users["access_staff"], "trajectory.viewed", b_trajectory,
           trajectory=b_trajectory)
    record(north.users["access_staff"], "contract.viewed", seen_b)
    db.session.commit()
    login_as(client, region_a.users["administrator"])
    html = text(client, "/beheer/toegangslog")
    assert "access_staff@noord.example.test" not in html
    login_as(client, north.users["administrator"])
    assert "access_staff@noord.example.test" in text(client, "/beheer/toegangslog")


@pytest.mark.parametrize("role", ["contract_manager", "administrator"])
def test_start_page_counts_only_the_region(client, region_a, role):
    from portal.domain.lists import TrajectoryStatus
    from portal.domain.overview import start_page_figures

    before = start_page_figures(region_a.users[role])
    add_region_b(region_a)
    after = start_page_figures(region_a.users[role])
    assert after == before
    # A's 10 ended and 1 upscaled running; Horizon holds a contract in B too.
    assert after["trajectories"][TrajectoryStatus.ENDED] == 10
    assert after["organisations"] == {"municipalities": 2, "providers": 2, "contracts": 2}
    login_as(client, region_a.users[role])
    assert not any(name in text(client, "/") for name in B_NAMES)
