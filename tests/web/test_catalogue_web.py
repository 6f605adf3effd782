"""The contract manager's catalogue, contracts and new contract year, through the pages."""

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.domain.lists import Role
from portal.domain.tariffs import tariff_on
from portal.extensions import db
from portal.models import Arrangement, AuditEvent, Contract, Intensity, Profile, Tariff
from tests.conftest import login_as
from tests.factories import RegionFactory, UserFactory


@pytest.fixture
def manager(client, world):
    db.session.commit()
    login_as(client, world.users["contract_manager"])
    return client


def html(response) -> str:
    return response.get_data(as_text=True)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def ids(world) -> dict:
    midden = world.arrangements["ontw_midden"]
    return {"profile": midden.profile_id, "intensity": midden.intensity_id,
            "arrangement": midden.id, "contract": world.contracts[0].id}


def test_catalogue_lists_arrangements_profiles_and_intensities(manager):
    page = html(manager.get("/catalogus"))
    assert "Ontwikkeling, midden" in page and "01M" in page and "€ 8.400,00" in page
    assert "Gedrag" in page and "Zwaar" in page


def test_a_profile_is_created_and_its_history_shown(manager):
    response = manager.post("/catalogus/profielen/nieuw", data={"code": "p9", "name": "Verblijf"})
    assert response.status_code == 302
    profile = db.session.scalar(select(Profile).where(Profile.code == "P9"))
    manager.post(f"/catalogus/profielen/{profile.id}", data={"code": "P9", "name": "Wonen"})
    page = html(manager.get(f"/catalogus/profielen/{profile.id}"))
    assert "Geschiedenis" in page and "Profiel aangemaakt" in page
    assert "Profiel gewijzigd" in page and "<del>Verblijf</del> → Wonen" in page
    assert "contract_manager (Contractbeheerder)" in page


def test_a_long_term_intensity_with_its_own_rank(manager):
    response = manager.post("/catalogus/intensiteiten/nieuw", data={
        "code": "D", "name": "Duurzaam", "rank": "4", "long_term": "y"})
    assert response.status_code == 302
    duurzaam = db.session.scalar(select(Intensity).where(Intensity.code == "D"))
    assert (duurzaam.rank, duurzaam.long_term) == (4, True)


@pytest.mark.parametrize("data, message", [
    ({"code": "D", "name": "Duurzaam", "rank": "3"},
     "Rang 3 is al gegeven aan de intensiteit Zwaar."),
    ({"code": "D", "name": "Duurzaam", "rank": "0"}, "De rang is een geheel getal van 1 tot en"),
    ({"code": "D", "name": "Duurzaam", "rank": "drie"}, "Ongeldig getal."),
    ({"code": "M", "name": "Middel", "rank": "7"},
     "De code M is in deze regio al in gebruik voor de intensiteit Midden."),
    ({"code": "", "name": "", "rank": ""}, "Dit veld is verplicht."),
])
def test_bad_intensity_input_gets_a_message_and_saves_nothing(manager, data, message):
    before = (count(Intensity), count(AuditEvent))
    response = manager.post("/catalogus/intensiteiten/nieuw", data=data)
    assert response.status_code == 200 and message in html(response)
    assert (count(Intensity), count(AuditEvent)) == before


@pytest.mark.parametrize("code, message", [
    ("01M", "De productcode 01M is in deze regio al in gebruik voor Ontwikkeling, midden."),
    ("ABCDEF", "Veld mag niet langer zijn dan 5 karakters."),
    ("0-1", "Een productcode bestaat uit 1 tot 5 letters of cijfers."),
])
def test_bad_product_code_gets_a_message(manager, world, code, message):
    gedrag = world.arrangements["gedrag_midden"]
    zwaar = world.arrangements["ontw_zwaar"].intensity
    before = count(Arrangement)
    response = manager.post("/catalogus/arrangementen/nieuw", data={
        "profile": gedrag.profile_id, "intensity": zwaar.id, "product_category": "45",
        "product_code": code})
    assert response.status_code == 200 and message in html(response)
    assert count(Arrangement) == before


def test_a_new_arrangement_then_its_tariff(manager, world):
    gedrag = world.arrangements["gedrag_midden"]
    zwaar = world.arrangements["ontw_zwaar"].intensity
    response = manager.post("/catalogus/arrangementen/nieuw", data={
        "profile": gedrag.profile_id, "intensity": zwaar.id, "product_category": "45",
        "product_code": "03z"})
    new = db.session.scalar(select(Arrangement).where(Arrangement.product_code == "03Z"))
    assert response.headers["Location"] == f"/catalogus/arrangementen/{new.id}"
    manager.post(f"/contracten/tarieven/nieuw/{new.id}",
                 data={"valid_from": "2027-01-01", "amount": "15.470,00"})
    page = html(manager.get(f"/catalogus/arrangementen/{new.id}"))
    assert "Gedrag, zwaar" in page and "€ 15.470,00" in page
    assert "Arrangement aangemaakt" in page and "Tariefversie toegevoegd" in page


def test_a_used_tariff_is_not_deleted(manager, world):
    tariff = world.trajectory().current_allocation.tariff
    db.session.commit()
    response = manager.post(f"/catalogus/tarieven/{tariff.id}/verwijderen",
                            follow_redirects=True)
    assert "Dit tarief is al gebruikt in een toewijzing en wordt daarom niet verwijderd." in \
        html(response)
    assert db.session.get(Tariff, tariff.id) is not None


def contract_data(world, **change) -> dict:
    data = {"number": "T-003", "provider": world.providers[0].id, "starts_on": "2028-01-01",
            "ends_on": "2028-12-31", "arrangements": [world.arrangements["ontw_midden"].id]}
    return {**data, **change}


def test_a_contract_is_created_and_shown_with_its_history(manager, world):
    response = manager.post("/contracten/nieuw", data=contract_data(world))
    contract = db.session.scalar(select(Contract).where(Contract.number == "T-003"))
    assert response.headers["Location"] == f"/contracten/{contract.id}"
    page = html(manager.get(f"/contracten/{contract.id}"))
    assert "Contract aangemaakt" in page and "01-01-2028" in page and "checked" in page


@pytest.mark.parametrize("change, message", [
    ({"starts_on": "2027-07-01"}, "Contract T-001 van Horizon Jeugdhulp loopt al van "
                                  "01-01-2025 tot en met 31-12-2027 met Ontwikkeling, midden."),
    ({"number": "T-002"}, "Het contractnummer T-002 bestaat al."),
    ({"ends_on": "2027-01-01"}, "De einddatum ligt vóór de ingangsdatum."),
    ({"arrangements": []}, "Kies ten minste één arrangement."),
    ({"starts_on": "1-1-2028"}, "Ongeldige datum."),
    ({"provider": ""}, "Dit veld is verplicht."),
])
def test_bad_contract_input_gets_a_message_and_saves_nothing(manager, world, change, message):
    before = count(Contract)
    response = manager.post("/contracten/nieuw", data=contract_data(world, **change))
    assert response.status_code == 200 and message in html(response)
    assert count(Contract) == before


def end_contracts_in(world, year):
    for contract in world.contracts:
        contract.ends_on = date(year, 12, 31)
    db.session.commit()


def test_new_year_is_shown_per_arrangement_then_confirmed(manager, world):
    end_contracts_in(world, 2026)
    before = (count(Contract), count(Tariff))
    page = html(manager.post("/contracten/nieuw-jaar", data={"year": "2026", "percent": "2,5"}))
    assert "Voorstel voor 2027" in page and "T-001-2027" in page
    assert "€ 8.400,00" in page and "€ 8.610,00" in page  # ontwikkeling, midden
    assert (count(Contract), count(Tariff)) == before  # nothing saved yet
    response = manager.post("/contracten/nieuw-jaar/bevestigen",
                            data={"year": "2026", "percent": "2,5"})
    assert response.headers["Location"] == "/contracten"
    assert (count(Contract), count(Tariff)) == (before[0] + 2, before[1] + 4)
    assert tariff_on(world.arrangements["ontw_midden"], date(2027, 1, 1)).amount_cents == 861000


@pytest.mark.parametrize("data, message", [
    ({"year": "2026", "percent": "-100"}, "Een indexatie ligt tussen −10 en 25 procent."),
    ({"year": "2026", "percent": "1000"}, "Een indexatie ligt tussen −10 en 25 procent."),
    ({"year": "2026", "percent": "1,000"}, "als percentage met hoogstens twee decimalen"),
    ({"year": "2026", "percent": ""}, "Dit veld is verplicht."),
    ({"year": "twee", "percent": "2"}, "Ongeldig getal."),
    ({"year": "2031", "percent": "2"}, "Er lopen op 31-12-2031 geen contracten om over te nemen."),
])
def test_bad_year_copy_input_gets_a_message(manager, world, data, message):
    end_contracts_in(world, 2026)
    before = (count(Contract), count(Tariff))
    for url in ("/contracten/nieuw-jaar", "/contracten/nieuw-jaar/bevestigen"):
        response = manager.post(url, data=data)
        assert response.status_code == 200 and message in html(response)
    assert (count(Contract), count(Tariff)) == before


def test_a_year_that_already_has_contracts_gets_a_message(manager, world):
    """The world's contracts run to 31-12-2027: 2027 is taken for both providers."""
    before = (count(Contract), count(Tariff))
    response = manager.post("/contracten/nieuw-jaar/bevestigen",
                            data={"year": "2026", "percent": "2,5"})
    assert "In 2027 is er al een contract voor De Kiem (T-002), Horizon Jeugdhulp (T-001)." \
        in html(response)
    assert (count(Contract), count(Tariff)) == before


def test_another_regions_contract_manager_gets_404(client, world):
    other = UserFactory(role=Role.CONTRACT_MANAGER, organisation=RegionFactory(),
                        email="cm@elders.example")
    db.session.commit()
    login_as(client, other)
    objects = ids(world)
    for path in (f"/catalogus/profielen/{objects['profile']}",
                 f"/catalogus/intensiteiten/{objects['intensity']}",
                 f"/catalogus/arrangementen/{objects['arrangement']}",
                 f"/contracten/{objects['contract']}"):
        assert client.get(path).status_code == 404, path
        assert client.post(path, data={}).status_code == 404, path
    page = html(client.get("/catalogus"))
    assert "Ontwikkeling" not in page and "Er zijn nog geen arrangementen." in page


def test_a_failure_after_the_contracts_are_copied_saves_nothing(manager, world):
    """An allocation from 15-01-2027 already uses the open tariff, so that tariff cannot get a
    2027 version: the refusal comes after both contracts were copied, and takes them back."""
    world.trajectory(start=date(2027, 1, 15), end=date(2027, 6, 30))
    end_contracts_in(world, 2026)
    before = (count(Contract), count(Tariff), count(AuditEvent))
    response = manager.post("/contracten/nieuw-jaar/bevestigen",
                            data={"year": "2026", "percent": "2,5"})
    assert "Er zijn al toewijzingen met het huidige tarief die op 15-01-2027 of later" in \
        html(response)
    assert (count(Contract), count(Tariff), count(AuditEvent)) == before
