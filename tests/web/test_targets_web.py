"""The contract manager's targets page, bad input on it, and the walls around it."""

import pytest
from sqlalchemy import func, select

from portal.domain.codes import JZ588
from portal.extensions import db
from portal.models import ContractTarget, Statement
from tests.conftest import login_as, refresh_figures
from tests.layers import shared_layer
from tests.regions import second_region
from tests.web.test_statements_web import pdf_text


@shared_layer(on="world")
def five_ends_one_drop_out(world):
    """Horizon: five ended according to plan and one drop-out in 2026; the figures store
    brought up to date, as the first request would."""
    for _ in range(5):
        world.trajectory("ended")
    world.trajectory("ended", end_reason=JZ588.EARLY_BY_CLIENT)
    db.session.commit()
    refresh_figures()
    return world


@pytest.fixture
def manager(client, five_ends_one_drop_out):
    login_as(client, five_ends_one_drop_out.users["contract_manager"])
    return client


def url(world) -> str:
    return f"/contracten/{world.contracts[0].id}/streefwaarden"


def target(**values) -> dict:
    return {"indicator": "according_to_plan", "comparison": "ge", "value": "70",
            "year": "2026", "quarter": "0"} | values


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(ContractTarget))


def test_a_target_is_set_and_shown_beside_the_figure(manager, world):
    page = manager.get(f"/contracten/{world.contracts[0].id}").get_data(as_text=True)
    assert f'href="{url(world)}"' in page
    response = manager.post(url(world), data=target())
    assert response.status_code == 302
    manager.post(url(world), data=target(indicator="drop_out", comparison="le", value="10"))
    html = manager.get(url(world)).get_data(as_text=True)
    assert "De streefwaarde is vastgelegd." in html
    # 5 / 6 = 83,3% against >= 70: met, 13,3 above; 1 / 6 = 16,7% against <= 10: not met
    assert "≥ 70,0%" in html and "83,3%" in html and "+13,3 procentpunt" in html
    assert "≤ 10,0%" in html and "16,7%" in html and "niet gehaald" in html
    assert "+6,7 procentpunt" in html
    assert count() == 2


@pytest.mark.parametrize("values, message", [
    ({"value": "120"}, "Een percentage ligt tussen 0 en 100."),
    ({"indicator": "satisfaction", "value": "12"}, "Een rapportcijfer ligt tussen 1 en 10."),
    ({"indicator": "duration"}, "alleen voor percentages en rapportcijfers"),
    ({"indicator": "<script>"}, "Kies een indicator."),
    ({"comparison": "x"}, "Kies ten minste of ten hoogste."),
    ({"year": "2031"}, "De periode valt buiten de looptijd van het contract"),
    ({"year": "99999999999999999999"}, "Kies een jaar"),
    ({"quarter": "abc"}, "Kies een jaar en eventueel een kwartaal."),
    ({"value": "veel"}, "hoogstens één decimaal"),
    ({"value": ""}, "Dit veld is verplicht"),
])
def test_bad_input_gets_a_dutch_message_and_saves_nothing(manager, world, values, message):
    response = manager.post(url(world), data=target(**values))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert count() == 0


def test_a_duplicate_gets_a_dutch_message(manager, world):
    manager.post(url(world), data=target())
    response = manager.post(url(world), data=target(value="80"))
    assert "al een streefwaarde afgesproken" in response.get_data(as_text=True)
    assert count() == 1


def test_another_regions_contract_is_404(manager, world):
    north = second_region()
    db.session.commit()
    other = f"/contracten/{north.contracts[0].id}/streefwaarden"
    assert manager.get(other).status_code == 404
    assert manager.post(other, data=target()).status_code == 404
    assert count() == 0


@pytest.mark.parametrize("role", ["provider_staff", "reviewer", "access_staff"])
def test_other_roles_do_not_set_targets(client, world, role):
    db.session.commit()
    login_as(client, world.users[role])
    assert client.post(url(world), data=target()).status_code == 403
    assert count() == 0


def test_the_provider_view_and_the_provider_itself_see_its_targets(manager, client, world):
    manager.post(url(world), data=target(indicator="drop_out", comparison="le", value="10"))
    manager.post(f"/contracten/{world.contracts[1].id}/streefwaarden",
                 data=target(indicator="satisfaction", value="7,5"))  # De Kiem's
    region_view = manager.get(f"/stuurinformatie/aanbieders/{world.providers[0].id}")
    html = region_view.get_data(as_text=True)
    assert "Afgesproken streefwaarden" in html
    assert "≤ 10,0%" in html and "niet gehaald" in html and "+6,7 procentpunt" in html
    assert "≥ 7,5" not in html
    login_as(client, world.users["provider_staff"])
    own = client.get("/stuurinformatie/aanbieder").get_data(as_text=True)
    assert "≤ 10,0%" in own and "16,7%" in own and "niet gehaald" in own
    assert "≥ 7,5" not in own  # another provider's target
    login_as(client, world.users["other_provider_staff"])
    kiem = client.get("/stuurinformatie/aanbieder").get_data(as_text=True)
    assert "≥ 7,5" in kiem and "te klein om te beoordelen" in kiem and "≤ 10,0%" not in kiem


def test_the_contract_statement_shows_the_targets_of_its_period(manager, world):
    manager.post(url(world), data=target())
    manager.post(url(world), data=target(indicator="drop_out", comparison="le", value="10"))
    manager.post(url(world), data=target(year="2027", value="75"))  # outside the statement
    asked = manager.get(f"/overzichten/contracten/{world.contracts[0].id}",
                        query_string={"periode": "2026"})  # a job makes it, at once in tests
    text = pdf_text(manager.get(asked.headers["Location"] + "/bestand"))
    section = text.split("5. Afgesproken streefwaarden")[1].split("Bijlage")[0]
    assert "≥ 70,0%" in section and "83,3%" in section and "+13,3 procentpunt" in section
    assert "≤ 10,0%" in section and "niet gehaald" in section and "+6,7 procentpunt" in section
    assert "75,0%" not in section
    statement = db.session.scalar(select(Statement))
    assert [row[:6] for row in statement.content["targets"]] == [
        ["Volgens plan beëindigd (31)", "2026", "≥ 70,0%", "83,3%", 6, "gehaald"],
        ["Uitval: voortijdig door cliënt (32)", "2026", "≤ 10,0%", "16,7%", 6, "niet gehaald"]]
