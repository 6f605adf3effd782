"""Functional administration: organisations and accounts; bad codes get Dutch messages."""

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Municipality, Provider, User
from tests.conftest import login_as


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("data, message", [
    ({"cbs_code": "518", "name": "Den Haag"}, "Een CBS-gemeentecode bestaat uit 4 cijfers."),
    ({"cbs_code": "05a8", "name": "Den Haag"}, "Een CBS-gemeentecode bestaat uit 4 cijfers."),
    ({"cbs_code": "0518", "name": "Dubbel"}, "Er is al een gemeente met CBS-code 0518."),
])
def test_malformed_or_duplicate_cbs_code(client, world, data, message):
    login_as(client, world.users["administrator"])
    before = count(Municipality)
    html = client.post("/beheer/gemeenten/nieuw", data=data).get_data(as_text=True)
    assert message in html
    assert count(Municipality) == before


@pytest.mark.parametrize("data, message", [
    ({"agb_code": "7575001", "kvk_number": "41150011", "name": "X"},
     "Een AGB-code bestaat uit 8 cijfers."),
    ({"agb_code": "75750011", "kvk_number": "4115", "name": "X"},
     "Een KvK-nummer bestaat uit 8 cijfers."),
])
def test_malformed_agb_or_kvk(client, world, data, message):
    login_as(client, world.users["administrator"])
    before = count(Provider)
    assert message in client.post("/beheer/aanbieders/nieuw", data=data).get_data(as_text=True)
    assert count(Provider) == before


def test_administrator_adds_organisations(client, world):
    login_as(client, world.users["administrator"])
    assert client.post("/beheer/gemeenten/nieuw",
                       data={"cbs_code": "0637", "name": "Zoetermeer"}).status_code == 302
    assert client.post("/beheer/aanbieders/nieuw", data={
        "agb_code": "75759999", "kvk_number": "41159999", "name": "Nieuw"}).status_code == 302
    html = client.get("/beheer").get_data(as_text=True)
    assert "Zoetermeer" in html and "75759999" in html


def test_provider_admin_creates_accounts_only_for_its_own_organisation(client, world):
    login_as(client, world.users["provider_admin"])
    page = client.get("/beheer/gebruikers/nieuw").get_data(as_text=True)
    assert "De Kiem" not in page and "Beoordelaar" not in page
    tampered = client.post("/beheer/gebruikers/nieuw", data={
        "email": "x@example.test", "name": "X", "role": "reviewer",
        "organisation": f"municipality-{world.municipalities[0].id}",
        "password": "lang genoeg wachtwoord"})
    assert tampered.status_code == 200 and count(User) == len(world.users)
    ok = client.post("/beheer/gebruikers/nieuw", data={
        "email": "nieuw@horizon.example", "name": "Nieuw", "role": "provider_staff",
        "organisation": f"provider-{world.providers[0].id}",
        "password": "lang genoeg wachtwoord"})
    assert ok.status_code == 302
    assert db.session.scalar(select(User).filter_by(email="nieuw@horizon.example")).provider \
        == world.providers[0]


def test_short_password_is_refused(client, world):
    login_as(client, world.users["administrator"])
    html = client.post("/beheer/gebruikers/nieuw", data={
        "email": "kort@example.test", "name": "Kort", "role": "reviewer",
        "organisation": f"municipality-{world.municipalities[0].id}",
        "password": "kort"}).get_data(as_text=True)
    assert "minstens 12 tekens" in html


def test_disabling_an_account_ends_its_sessions(app, world):
    admin, victim = app.test_client(), app.test_client()
    login_as(victim, world.users["reviewer"])
    assert victim.get("/").status_code == 200
    login_as(admin, world.users["administrator"])
    admin.post(f"/beheer/gebruikers/{world.users['reviewer'].id}/actief", data={"actief": "0"})
    assert victim.get("/").status_code == 302


def test_provider_admin_cannot_touch_other_organisations_accounts(client, world):
    login_as(client, world.users["provider_admin"])
    other = world.users["other_provider_staff"]
    assert client.post(f"/beheer/gebruikers/{other.id}/actief",
                       data={"actief": "0"}).status_code == 404
    assert client.get("/beheer/gemeenten/nieuw").status_code == 403


@pytest.mark.parametrize("role", ["provider_staff", "reviewer", "access_staff",
                                  "contract_manager"])
def test_other_roles_have_no_administration(client, world, role):
    login_as(client, world.users[role])
    assert client.get("/beheer").status_code == 403


def test_access_log_shows_who_saw_which_child_and_searches_by_bsn(client, world):
    """In words and the numbers people know (see also tests/web/test_access_log_web.py)."""
    trajectory = world.trajectory("started")
    other = world.trajectory()
    reader = world.users["reviewer"]
    login_as(client, reader)
    client.get(f"/trajecten/{trajectory.id}")
    client.get(f"/trajecten/{other.id}")
    login_as(client, world.users["administrator"])
    html = client.post("/beheer/toegangslog", data={
        "child": trajectory.client.bsn, "reads_only": "y"}).get_data(as_text=True)
    assert html.count("Traject bekeken") == 1 and "trajectory.viewed" not in html
    assert reader.email in html and trajectory.client.masked_bsn in html
    assert trajectory.client.bsn not in html.replace(f'value="{trajectory.client.bsn}"', "")
    by_user = client.post("/beheer/toegangslog", data={"actor_email": reader.email})
    assert by_user.get_data(as_text=True).count("Traject bekeken") == 2


def test_accounts_are_listed_in_keyset_pages(app, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 4)
    login_as(client, world.users["administrator"])
    emails = sorted(db.session.scalars(select(User.email)))

    def listed(html: str) -> list[str]:
        return [e for e in emails if f'<td class="utrecht-table__cell">{e}</td>' in html]

    first = client.get("/beheer").get_data(as_text=True)
    assert listed(first) == emails[:4] and f"/beheer?na={emails[3]}" in first
    assert listed(client.get(f"/beheer?na={emails[3]}").get_data(as_text=True)) == emails[4:8]
