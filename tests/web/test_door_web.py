"""The administrators' page for API tokens."""

from sqlalchemy import select

from portal.extensions import db
from portal.models import ApiToken
from tests.conftest import login_as


def test_a_provider_administrator_creates_and_revokes_a_token(client, world):
    login_as(client, world.users["provider_admin"])
    page = client.get("/beheer/api-sleutels")
    assert page.status_code == 200
    assert b"Horizon Jeugdhulp" in page.data
    made = client.post("/beheer/api-sleutels", data={
        "name": "ECD productie", "organisation": f"provider-{world.providers[0].id}"})
    token = db.session.scalar(select(ApiToken))
    assert made.status_code == 200 and token.name == "ECD productie"
    shown = made.data.decode().split('id="new-token">')[1].split("<")[0]
    assert shown.startswith("rpj_")
    assert shown not in client.get("/beheer/api-sleutels").data.decode()  # shown once
    client.post(f"/beheer/api-sleutels/{token.id}/intrekken")
    assert token.revoked_at is not None


def test_a_token_for_another_organisation_cannot_be_made(client, world):
    login_as(client, world.users["provider_admin"])
    page = client.post("/beheer/api-sleutels", data={
        "name": "x", "organisation": f"provider-{world.providers[1].id}"})
    assert page.status_code == 200
    assert db.session.scalar(select(ApiToken)) is None


def test_the_region_administrator_makes_tokens_for_municipalities(client, world):
    login_as(client, world.users["administrator"])
    page = client.get("/beheer/api-sleutels").data.decode()
    assert "Delft" in page and "Horizon Jeugdhulp" not in page
    client.post("/beheer/api-sleutels", data={
        "name": "Zaaksysteem", "organisation": f"municipality-{world.municipalities[0].id}"})
    assert db.session.scalar(select(ApiToken)).municipality == world.municipalities[0]


def test_the_answer_to_an_uploaded_message_can_be_downloaded(client, world):
    import io
    import re

    from tests.factories import next_bsn
    from tests.ijw.messages import jw301, product

    login_as(client, world.users["access_staff"])
    data = jw301(product(300201, code="99X"), receiver=world.providers[0].agb_code,
                 bsn=next_bsn())
    page = client.post("/toewijzingen/ijw", data={"file": (io.BytesIO(data), "t.xml")},
                       content_type="multipart/form-data").data.decode()
    assert "S329" in page
    link = re.search(r'href="(/ijw/antwoorden/\d+)"', page).group(1)
    download = client.get(link)
    assert download.status_code == 200 and download.headers["Cache-Control"] == "no-store"
    assert b"<jw302:RetourCode>S329</jw302:RetourCode>" in download.data
    accepted = client.post("/toewijzingen/ijw", data={"file": (io.BytesIO(data.replace(
        b"99X", b"01M")), "t.xml")}, content_type="multipart/form-data", follow_redirects=True)
    assert b"Antwoordbericht downloaden (JW302)" in accepted.data


def test_the_machine_door_is_the_only_view_without_csrf(app):
    from portal.extensions import csrf

    assert csrf._exempt_views == {"portal.web.door.views.receive"}
    assert not csrf._exempt_blueprints
