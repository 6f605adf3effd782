"""The administrators' page for API tokens."""

from lxml import etree
from sqlalchemy import func, select

from portal.domain.api_tokens import create_token
from portal.extensions import db
from portal.ijw.standard import KINDS
from portal.models import ApiToken, Declaration
from tests.conftest import login_as
from tests.ijw.declared_month import exported_february, month_declared_in_the_portal, renumbered


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


def test_the_door_answers_a_jw323_for_a_month_already_declared_with_its_jw325(client, world):
    """The provider's system posts a declaration of a month declared in the portal: the
    JW325 refuses it (0001: no WJ001 code names the portal's one declaration a month), and
    nothing is stored."""
    data, allocations = exported_february(world)
    month_declared_in_the_portal(world, allocations, submitted=True)
    _token, secret = create_token(world.providers[0], "ECD", world.users["provider_admin"])
    db.session.commit()
    response = client.post("/api/ijw/berichten", data=renumbered(data),
                           content_type="application/xml",
                           headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    root = etree.fromstring(response.data)
    assert [code.text for code in root.findall(
        "m:DeclaratieAntwoord/m:RetourCodes/m:RetourCode",
        {"m": KINDS["JW325"].namespace})] == ["0001"]
    assert db.session.scalar(select(func.count()).select_from(Declaration)) == 1
