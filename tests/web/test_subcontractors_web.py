"""Subcontractors on the contract, who delivers per trajectory, and the family's choice on the
allocation form: through the pages."""

from sqlalchemy import func, select

from portal.domain.lists import FamilyChoice, NotChosenReason
from portal.domain.subcontractors import add_subcontractor
from portal.extensions import db
from portal.models import Subcontractor, Trajectory
from tests.conftest import login_as
from tests.web.test_allocations_and_requests_web import form


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_main_provider_registers_subcontractors_on_its_contract(client, world):
    login_as(client, world.users["provider_staff"])
    page = client.get("/onderaannemers").get_data(as_text=True)
    assert "T-001" in page and "T-002" not in page  # its own contracts only
    contract = world.contracts[0].id
    for data, message in (
        ({"agb_code": "1234", "name": "Zon"}, "Een AGB-code bestaat uit 8 cijfers."),
        ({"agb_code": "87654321", "name": ""}, "Dit veld is verplicht."),
        ({"agb_code": world.providers[0].agb_code, "name": "Zelf"},
         "geen onderaannemer van zichzelf"),
        ({"agb_code": "87654321", "name": "Zon", "contract": world.contracts[1].id},
         "Ongeldige keuze"),
    ):
        html = client.post("/onderaannemers", data={"contract": contract, **data}).get_data(
            as_text=True)
        assert message in html, data
    assert count(Subcontractor) == 0
    done = client.post("/onderaannemers", data={"contract": contract, "agb_code": "87654321",
                                                "name": "Zon Jeugd"})
    assert done.status_code == 302
    assert "Zon Jeugd" in client.get("/onderaannemers").get_data(as_text=True)
    login_as(client, world.users["other_provider_staff"])
    assert "Zon Jeugd" not in client.get("/onderaannemers").get_data(as_text=True)


def test_who_delivers_is_recorded_and_shown_on_the_trajectory(client, world):
    own = add_subcontractor(world.contracts[0], "87654321", "Zon Jeugd",
                            world.users["provider_staff"])
    kiems = add_subcontractor(world.contracts[1], "87654322", "Maan Zorg",
                              world.users["other_provider_staff"])
    trajectory = world.trajectory("started")
    db.session.commit()
    login_as(client, world.users["provider_staff"])
    url = f"/trajecten/{trajectory.id}/uitvoering"
    page = client.get(url).get_data(as_text=True)
    assert "Zon Jeugd" in page and "Maan Zorg" not in page
    assert "Ongeldige keuze" in client.post(url, data={"delivered_by": kiems.id}).get_data(
        as_text=True)
    assert client.post(url, data={"delivered_by": own.id}).status_code == 302
    shown = client.get(f"/trajecten/{trajectory.id}").get_data(as_text=True)
    assert "Zon Jeugd (AGB 87654321)" in shown and "Horizon Jeugdhulp" in shown
    login_as(client, world.users["reviewer"])
    assert "Zon Jeugd (AGB 87654321)" in client.get(f"/trajecten/{trajectory.id}").get_data(
        as_text=True)
    assert client.post(url, data={"delivered_by": 0}).status_code == 403


def test_allocation_form_records_the_family_choice(client, world):
    login_as(client, world.users["access_staff"])
    for overrides, message in (
        ({"family_choice": "no"}, "Kies waarom de aanbieder niet de keuze"),
        ({"family_choice": "no", "not_chosen_reason": "anders"}, "Licht de reden"),
        ({"family_choice": "yes", "not_chosen_reason": "crisis"}, "Geef alleen een reden"),
        ({"family_choice": "misschien"}, "Ongeldige keuze"),
        ({"family_choice": "no", "not_chosen_reason": "zomaar"}, "Ongeldige keuze"),
    ):
        html = client.post("/toewijzingen/nieuw", data=form(world, **overrides)).get_data(
            as_text=True)
        assert message in html, overrides
    assert count(Trajectory) == 0
    done = client.post("/toewijzingen/nieuw", data=form(
        world, family_choice="no", not_chosen_reason="anders",
        not_chosen_text="Het gezin wilde dichter bij huis"))
    assert done.status_code == 302
    allocation = db.session.scalar(select(Trajectory)).current_allocation
    assert (allocation.family_choice, allocation.not_chosen_reason) == (
        FamilyChoice.NO, NotChosenReason.OTHER)
    shown = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Nee: Anders – Het gezin wilde dichter bij huis" in shown
