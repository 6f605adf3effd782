"""iJw on the web: the upload page for access staff and the message downloads."""

import io
from datetime import date

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from portal.domain.codes import COD327, WJ758
from portal.domain.declarations import delete_concept
from portal.domain.requests import AllocationWish, request_allocation, request_change
from portal.domain.review import approve_line
from portal.domain.trajectories import ChildDetails
from portal.extensions import db
from portal.ijw.parsing import read_message
from portal.models import Allocation, AuditEvent, Declaration, Trajectory
from tests.conftest import login_as
from tests.declaring import declare, submit
from tests.factories import next_bsn
from tests.ijw.declared_month import (
    exported_february,
    month_declared_in_the_portal,
    month_taken_message,
    renumbered,
)
from tests.ijw.messages import BILLION_LAUGHS, EXTERNAL_ENTITY, jw301, product, sample


def upload(client, data: bytes, name="toewijzing.xml"):
    return client.post("/toewijzingen/ijw", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def trajectories() -> int:
    return db.session.scalar(select(func.count()).select_from(Trajectory))


def events(action: str) -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                              .order_by(AuditEvent.id)).all()


@pytest.fixture
def staff(client, world):
    login_as(client, world.users["access_staff"])
    return client


def test_access_staff_import_a_jw301_and_see_what_happened(staff, world):
    data = jw301(product(300201), receiver=world.providers[0].agb_code, bsn=next_bsn())
    response = upload(staff, data)
    assert response.status_code == 302 and response.headers["Location"] == "/toewijzingen/ijw"
    page = staff.get("/toewijzingen/ijw").get_data(as_text=True)
    assert "toewijzing.xml (JW301 T1): ingelezen; 1 nieuwe" in page
    assert db.session.scalar(select(Allocation.number)) == 300201
    [event] = events("ijw.imported")
    assert event.actor_id == world.users["access_staff"].id
    again = upload(staff, data)
    assert again.status_code == 302 and trajectories() == 1
    assert "al ingelezen op" in staff.get("/toewijzingen/ijw").get_data(as_text=True)


def test_a_refused_message_shows_every_finding_in_a_table(staff, world):
    response = upload(staff, sample("JW301"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "geweigerd, 6 fout(en); er is niets ingelezen" in html
    for expected in ("<th class=\"utrecht-table__header-cell\" scope=\"col\">Regel</th>",
                     "<code>/Bericht/Header/Afzender</code>", "WJ001 S300", "WJ001 S329",
                     "Gemeente met CBS-code 0384 is onbekend in het portaal."):
        assert expected in html
    assert trajectories() == 0
    [event] = events("ijw.import_refused")
    assert (event.object_type, event.after["findings"]) == ("municipality", 6)


@pytest.mark.parametrize("data, expected", [
    (EXTERNAL_ENTITY, "DOCTYPE-declaratie"),
    (BILLION_LAUGHS, "DOCTYPE-declaratie"),
    (b"<Bericht><Header></Bericht>", "geen geldige XML"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "geen UTF-8 (OP192)"),
    (sample("JW315"), "Voldoet niet aan het XSD-schema"),
    (sample("JW319"), "importeert geen JW319-berichten"),
])
def test_bad_files_get_a_dutch_report_and_never_a_server_error(staff, data, expected):
    response = upload(staff, data)
    assert response.status_code == 200
    assert expected in response.get_data(as_text=True)
    assert trajectories() == 0


def test_an_upload_needs_a_file(staff):
    assert "Kies een bestand." in staff.post("/toewijzingen/ijw", data={}).get_data(as_text=True)


def test_without_schemas_the_page_says_importing_is_off(app, staff, monkeypatch, world):
    monkeypatch.setitem(app.config, "IJW_XSD_DIR", None)
    assert "Inlezen is uitgeschakeld" in staff.get("/toewijzingen/ijw").get_data(as_text=True)
    data = jw301(product(1), receiver=world.providers[0].agb_code, bsn=next_bsn())
    assert "PORTAL_IJW_XSD_DIR" in upload(staff, data).get_data(as_text=True)
    assert trajectories() == 0


def test_the_menu_of_access_staff_leads_to_the_upload_page(staff):
    assert 'href="/toewijzingen/ijw"' in staff.get("/").get_data(as_text=True)


def download(client, url: str, kind: str):
    response = client.post(url)
    assert response.status_code == 200, response.headers.get("Location")
    assert response.mimetype == "application/xml"
    assert response.headers["Cache-Control"] == "no-store"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="{kind}_') and disposition.endswith(
        '.xml"')
    assert read_message(response.data).kind.name == kind
    return response


def test_the_provider_downloads_start_and_stop_messages_of_its_trajectory(client, world):
    trajectory = world.trajectory("ended")
    login_as(client, world.users["provider_staff"])
    page = client.get(f"/trajecten/{trajectory.id}").get_data(as_text=True)
    assert "Startbericht (JW305) downloaden" in page and "Stopbericht (JW307) downloaden" in page
    download(client, f"/trajecten/{trajectory.id}/jw305", "JW305")
    download(client, f"/trajecten/{trajectory.id}/jw307", "JW307")
    assert [(e.action, e.trajectory_id, e.after["kind"]) for e in events("ijw.exported")] == [
        ("ijw.exported", trajectory.id, "JW305"), ("ijw.exported", trajectory.id, "JW307")]


def test_no_stop_message_while_care_goes_on(client, world):
    trajectory = world.trajectory("started")
    login_as(client, world.users["provider_staff"])
    page = client.get(f"/trajecten/{trajectory.id}").get_data(as_text=True)
    assert "Startbericht (JW305)" in page and "Stopbericht (JW307)" not in page
    response = client.post(f"/trajecten/{trajectory.id}/jw307", follow_redirects=True)
    assert "niet gestart of nog niet beëindigd" in response.get_data(as_text=True)
    assert events("ijw.exported") == []


def test_access_staff_download_the_jw301_of_an_allocation(client, world):
    trajectory = world.trajectory()
    allocation = trajectory.current_allocation
    login_as(client, world.users["access_staff"])
    page = client.get(f"/trajecten/{trajectory.id}").get_data(as_text=True)
    assert "Toewijzingsbericht (JW301) downloaden" in page and "Startbericht" not in page
    message = read_message(download(client, f"/toewijzingen/{allocation.id}/jw301",
                                    "JW301").data)
    assert message.text("m:Client/m:ToegewezenProducten/m:ToegewezenProduct/"
                        "m:ToewijzingNummer") == str(allocation.number)


def test_reviewers_see_no_message_buttons(client, world):
    trajectory = world.trajectory("ended")
    login_as(client, world.users["reviewer"])
    assert "downloaden" not in client.get(f"/trajecten/{trajectory.id}").get_data(as_text=True)


def test_the_provider_downloads_its_requests(client, world):
    staff = world.users["provider_staff"]
    wish = request_allocation(world.providers[0], AllocationWish(
        ChildDetails(next_bsn(), date(2012, 1, 1), "Ali", "Vos"), world.municipalities[0],
        COD327.MEDICAL_SPECIALIST, world.arrangements["ontw_midden"], date(2026, 3, 1),
        date(2026, 8, 31), "Verwezen", referrer_code="01234567"), staff)
    change = request_change(world.trajectory("started"), reason=WJ758.CARE_PLAN,
                            arrangement=world.arrangements["ontw_zwaar"],
                            end_date=date(2027, 9, 30), motivation="Zwaarder", actor=staff)
    db.session.commit()
    login_as(client, staff)
    assert "Verzoek om toewijzing (JW315) downloaden" in client.get(
        f"/verzoeken/toewijzing/{wish.id}").get_data(as_text=True)
    assert "Verzoek om wijziging (JW317) downloaden" in client.get(
        f"/verzoeken/wijziging/{change.id}").get_data(as_text=True)
    download(client, f"/verzoeken/toewijzing/{wish.id}/jw315", "JW315")
    download(client, f"/verzoeken/wijziging/{change.id}/jw317", "JW317")


def test_downloads_need_the_csrf_token(client, world, csrf):
    trajectory = world.trajectory("started")
    login_as(client, world.users["provider_staff"])
    assert client.post(f"/trajecten/{trajectory.id}/jw305").status_code == 400


def test_the_provider_downloads_its_declaration_and_the_answer(client, world):
    world.trajectory("started")
    declaration = declare(world)
    login_as(client, world.users["provider_staff"])
    page = client.get(f"/declaraties/{declaration.id}").get_data(as_text=True)
    assert "Declaratiebericht (JW323) downloaden" in page
    assert "Declaratie-antwoord (JW325)" not in page
    download(client, f"/declaraties/{declaration.id}/jw323", "JW323")
    response = client.post(f"/declaraties/{declaration.id}/jw325", follow_redirects=True)
    assert "Nog niet alle regels" in response.get_data(as_text=True)
    submit(world, declaration)
    for line in declaration.lines:
        approve_line(line, world.users["reviewer"])
    db.session.commit()
    page = client.get(f"/declaraties/{declaration.id}").get_data(as_text=True)
    assert "Declaratie-antwoord (JW325) downloaden" in page
    download(client, f"/declaraties/{declaration.id}/jw325", "JW325")
    assert [e.after["kind"] for e in events("ijw.exported")] == ["JW323", "JW325"]


def test_another_providers_declaration_is_not_found(client, world):
    world.trajectory("started")
    declaration = declare(world)
    db.session.commit()
    login_as(client, world.users["other_provider_staff"])
    assert client.post(f"/declaraties/{declaration.id}/jw323").status_code == 404
    assert client.post(f"/declaraties/{declaration.id}/jw325").status_code == 404
    assert events("ijw.exported") == []


def test_access_staff_import_a_providers_jw323(client, world):
    world.trajectory("started")
    concept = declare(world)
    login_as(client, world.users["provider_staff"])
    data = download(client, f"/declaraties/{concept.id}/jw323", "JW323").data
    delete_concept(concept, world.users["provider_staff"])
    db.session.commit()
    client.post("/uitloggen")
    login_as(client, world.users["access_staff"])
    response = upload(client, data, name="declaratie.xml")
    assert response.status_code == 302
    page = client.get("/toewijzingen/ijw").get_data(as_text=True)
    assert "een ingediende declaratie met 1 regel(s)" in page
    assert [e.after["kind"] for e in events("ijw.imported")] == ["JW323"]


def test_a_jw323_for_a_month_already_declared_gets_the_forms_message(client, world):
    """Not a 500 from the database's index: the message the provider's form gives, in the
    report, and nothing stored."""
    data, allocations = exported_february(world)
    month_declared_in_the_portal(world, allocations, submitted=False)
    db.session.commit()
    login_as(client, world.users["access_staff"])
    response = upload(client, renumbered(data), name="declaratie.xml")
    assert response.status_code == 200
    assert str(escape(month_taken_message(world))) in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Declaration)) == 1
    assert [e.after["kind"] for e in events("ijw.import_refused")] == ["JW323"]


def test_access_staff_record_the_childs_address_so_that_a_jw301_can_go(client, world):
    """A child without an address or phone has no JW301 (TR061, TR006) until access staff
    record one on the trajectory."""
    trajectory = world.trajectory(child=ChildDetails(next_bsn(), date(2014, 1, 1), "Mo", "Ek"))
    allocation = trajectory.current_allocation
    login_as(client, world.users["access_staff"])
    refused = client.post(f"/toewijzingen/{allocation.id}/jw301", follow_redirects=True)
    assert "geen adres en geen telefoonnummer" in refused.get_data(as_text=True)
    page = client.get(f"/trajecten/{trajectory.id}").get_data(as_text=True)
    assert f"/trajecten/{trajectory.id}/contact" in page
    for data, message in (({}, "Vul een adres of een telefoonnummer in."),
                          ({"postcode": "2511 BT"}, "Een adres heeft een huisnummer en een "
                                                    "postcode.")):
        html = client.post(f"/trajecten/{trajectory.id}/contact", data=data).get_data(
            as_text=True)
        assert message in html
    response = client.post(f"/trajecten/{trajectory.id}/contact",
                           data={"house_number": "70", "postcode": "2511 bt", "city": "Den Haag"})
    assert response.status_code == 302
    [event] = events("client.contact_changed")
    assert event.after["postcode"] == "2511BT" and event.trajectory_id == trajectory.id
    message = read_message(download(client, f"/toewijzingen/{allocation.id}/jw301",
                                    "JW301").data)
    assert message.text("m:Client/m:Contactgegevens/m:Contact/m:Adres/b:Postcode") == "2511BT"
