"""Allocation form and CSV import (access staff); requests and decisions."""

import io
from datetime import date

from sqlalchemy import func, select

from portal.domain.codes import WJ758, WJ759
from portal.domain.lists import RequestStatus
from portal.domain.requests import request_change
from portal.extensions import db
from portal.models import AllocationRequest, Trajectory
from tests.conftest import login_as
from tests.factories import next_bsn


def form(world, **overrides):
    data = {"bsn": next_bsn(), "birth_date": "2015-05-17", "given_name": "Noor",
            "family_name": "Bakker", "provider": world.providers[0].id,
            "arrangement": world.arrangements["ontw_midden"].id,
            "start_date": "2026-02-01", "end_date": "2026-07-31"}
    data.update(overrides)
    return data


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Trajectory))


def test_access_staff_allocate_and_the_provider_sees_it_in_the_inbox(app, world):
    staff, provider = app.test_client(), app.test_client()
    login_as(staff, world.users["access_staff"])
    response = staff.post("/toewijzingen/nieuw", data=form(world))
    assert response.status_code == 302
    login_as(provider, world.users["provider_staff"])
    assert "Noor Bakker" in provider.get("/trajecten/inbox").get_data(as_text=True)


def test_allocation_form_bad_input_gets_dutch_messages_and_saves_nothing(client, world):
    login_as(client, world.users["access_staff"])
    cases = [
        ({"bsn": "123456789"}, "elfproef"),
        ({"end_date": "2026-01-01"}, "De einddatum ligt vóór de startdatum."),
        ({"arrangement": world.arrangements["gedrag_midden"].id}, "WJ759 4"),
        ({"arrangement": "999999"}, "Ongeldige keuze."),
        ({"start_date": "31-31-2026"}, "Ongeldige datum"),
        ({"birth_date": ""}, "Dit veld is verplicht."),
        ({"birth_date": "1905-01-01"}, "meer dan 120 jaar terug (TR002)"),
        ({"postcode": "25111"}, "geen Nederlandse postcode"),
        ({"house_number": "12"}, "Een adres heeft een huisnummer en een postcode."),
        ({"house_number": "twaalf"}, "Ongeldig getal."),
        ({"phone": "070-abc"}, "hoogstens 15 cijfers"),
    ]
    for overrides, message in cases:
        html = client.post("/toewijzingen/nieuw", data=form(world, **overrides)).get_data(
            as_text=True)
        assert message in html, (overrides, message)
    assert count() == 0


def test_the_allocation_form_records_the_childs_address_and_phone(client, world):
    login_as(client, world.users["access_staff"])
    response = client.post("/toewijzingen/nieuw", data=form(
        world, street="Spui", house_number="70", house_number_addition="b",
        postcode="2511 bt", city="Den Haag", phone="070 353 3000"))
    assert response.status_code == 302
    client_row = db.session.scalar(select(Trajectory)).client
    assert (client_row.street, client_row.house_number, client_row.house_number_addition,
            client_row.postcode, client_row.city, client_row.phone) == (
        "Spui", 70, "b", "2511BT", "Den Haag", "0703533000")


def test_only_access_staff_may_allocate(client, world):
    for role in ("reviewer", "provider_staff", "contract_manager"):
        login_as(client, world.users[role])
        assert client.post("/toewijzingen/nieuw", data=form(world)).status_code == 403
    assert count() == 0


def test_csv_import_reports_rows_and_imports_nothing_on_error(client, world):
    login_as(client, world.users["access_staff"])
    header = ("bsn;geboortedatum;voornaam;achternaam;agb_code;productcategorie;productcode;"
              "startdatum;einddatum")
    good = f"{next_bsn()};17-05-2015;Sam;Vos;{world.providers[0].agb_code};45;01M;" \
           "01-02-2026;31-07-2026"
    bad = f"123456789;17-05-2015;Sam;Vos;{world.providers[0].agb_code};45;01M;" \
          "01-02-2026;31-07-2026"
    upload = {"file": (io.BytesIO(f"{header}\n{good}\n{bad}".encode()), "toewijzingen.csv")}
    html = client.post("/toewijzingen/importeren", data=upload,
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "Er is niets geïmporteerd" in html and "<td class=\"utrecht-table__cell\">3</td>" \
        in html
    assert count() == 0
    upload = {"file": (io.BytesIO(f"{header}\n{good}".encode()), "toewijzingen.csv")}
    assert client.post("/toewijzingen/importeren", data=upload,
                       content_type="multipart/form-data").status_code == 302
    assert count() == 1


def test_change_request_rejected_and_the_provider_sees_why(app, world):
    trajectory = world.trajectory("started")
    provider, staff = app.test_client(), app.test_client()
    login_as(provider, world.users["provider_staff"])
    response = provider.post(f"/trajecten/{trajectory.id}/wijzigingsverzoek", data={
        "reason": "1", "arrangement": world.arrangements["ontw_zwaar"].id,
        "end_date": "2026-10-31", "motivation": "Meer hulp nodig"})
    assert response.status_code == 302
    second = provider.post(f"/trajecten/{trajectory.id}/wijzigingsverzoek", data={
        "reason": "1", "arrangement": world.arrangements["ontw_zwaar"].id,
        "end_date": "2026-10-31", "motivation": "Nog een keer"})
    assert "al een wijzigingsverzoek" in second.get_data(as_text=True)
    change = trajectory.change_requests[0]
    login_as(staff, world.users["access_staff"])
    no_reason = staff.post(f"/verzoeken/wijziging/{change.id}",
                           data={"besluit": "afwijzen", "afwijzen-rejection_reason": ""})
    assert "Dit veld is verplicht." in no_reason.get_data(as_text=True)
    staff.post(f"/verzoeken/wijziging/{change.id}", data={
        "besluit": "afwijzen", "afwijzen-rejection_reason": "7",
        "afwijzen-decision_note": "Eerst evalueren met het gezin"})
    db.session.refresh(change)
    assert change.status == RequestStatus.REJECTED
    page = provider.get(f"/trajecten/{trajectory.id}").get_data(as_text=True)
    assert "Zorginhoudelijke afkeur" in page and "Eerst evalueren met het gezin" in page


def test_change_request_approved_gives_a_new_allocation(client, world):
    trajectory = world.trajectory("started")
    change = request_change(trajectory, reason=WJ758.CLIENT_SITUATION,
                            arrangement=world.arrangements["ontw_zwaar"],
                            end_date=trajectory.current_allocation.end_date,
                            motivation="Zwaarder", actor=world.users["provider_staff"])
    db.session.commit()
    login_as(client, world.users["access_staff"])
    response = client.post(f"/verzoeken/wijziging/{change.id}", data={
        "besluit": "toekennen", "toekennen-effective": "2026-05-01"})
    assert response.status_code == 302
    db.session.refresh(trajectory)
    assert len(trajectory.allocations) == 2
    assert trajectory.current_allocation.arrangement == world.arrangements["ontw_zwaar"]


def test_other_municipality_and_reviewer_cannot_decide(client, world):
    trajectory = world.trajectory("started")
    change = request_change(trajectory, reason=WJ758.CARE_PLAN,
                            arrangement=world.arrangements["ontw_zwaar"],
                            end_date=trajectory.current_allocation.end_date,
                            motivation="Zwaarder", actor=world.users["provider_staff"])
    db.session.commit()
    login_as(client, world.users["other_access_staff"])
    assert client.get(f"/verzoeken/wijziging/{change.id}").status_code == 404
    login_as(client, world.users["reviewer"])
    assert client.post(f"/verzoeken/wijziging/{change.id}", data={
        "besluit": "afwijzen", "afwijzen-rejection_reason": "2"}).status_code == 403
    login_as(client, world.users["provider_staff"])
    assert client.post(f"/verzoeken/wijziging/{change.id}", data={
        "besluit": "afwijzen", "afwijzen-rejection_reason": "2"}).status_code == 403
    assert change.status == RequestStatus.OPEN


def test_allocation_request_from_provider_to_decision(app, world):
    provider, staff = app.test_client(), app.test_client()
    login_as(provider, world.users["provider_staff"])
    response = provider.post("/verzoeken/toewijzing/nieuw", data={
        "bsn": next_bsn(), "birth_date": "2013-04-02", "given_name": "Yara",
        "family_name": "Kaya", "municipality": world.municipalities[0].id, "referrer": "02",
        "arrangement": world.arrangements["ontw_midden"].id, "start_date": "2026-03-01",
        "end_date": "2026-08-31", "motivation": "Verwezen door de huisarts",
        "referrer_code": "0123456"})
    assert "Een AGB-code bestaat uit 8 cijfers." in response.get_data(as_text=True)
    response = provider.post("/verzoeken/toewijzing/nieuw", data={
        "bsn": next_bsn(), "birth_date": "2013-04-02", "given_name": "Yara",
        "family_name": "Kaya", "municipality": world.municipalities[0].id, "referrer": "02",
        "arrangement": world.arrangements["ontw_midden"].id, "start_date": "2026-03-01",
        "end_date": "2026-08-31", "motivation": "Verwezen door de huisarts"})
    assert "Geef de AGB-code of de naam van de verwijzer." in response.get_data(as_text=True)
    response = provider.post("/verzoeken/toewijzing/nieuw", data={
        "bsn": next_bsn(), "birth_date": "2013-04-02", "given_name": "Yara",
        "family_name": "Kaya", "municipality": world.municipalities[0].id, "referrer": "02",
        "arrangement": world.arrangements["ontw_midden"].id, "start_date": "2026-03-01",
        "end_date": "2026-08-31", "motivation": "Verwezen door de huisarts",
        "referrer_name": "Huisartsenpraktijk Spui"})
    assert response.status_code == 302
    request = db.session.scalar(select(AllocationRequest))
    assert (request.referrer_code, request.referrer_name) == (None, "Huisartsenpraktijk Spui")
    login_as(staff, world.users["access_staff"])
    assert "Yara Kaya" in staff.get("/verzoeken").get_data(as_text=True)
    staff.post(f"/verzoeken/toewijzing/{request.id}", data={"besluit": "toekennen"})
    db.session.refresh(request)
    assert request.status == RequestStatus.APPROVED and request.trajectory is not None
    again = staff.post(f"/verzoeken/toewijzing/{request.id}", data={
        "besluit": "afwijzen", "afwijzen-rejection_reason": WJ759.BUDGET.value})
    assert "al besloten" in again.get_data(as_text=True)


def test_change_requests_are_listed_in_keyset_pages(app, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    staff = world.users["provider_staff"]
    made = []
    for _ in range(3):
        trajectory = world.trajectory("started")
        made.append(request_change(trajectory, reason=WJ758.CLIENT_SITUATION,
                                   arrangement=world.arrangements["ontw_zwaar"],
                                   end_date=date(2026, 10, 31), motivation="Meer hulp",
                                   actor=staff))
    db.session.commit()
    login_as(client, staff)

    def listed(html: str) -> list[int]:
        links = {r.id: html.find(f"/verzoeken/wijziging/{r.id}\"") for r in made}
        return sorted((i for i, at in links.items() if at >= 0), key=links.get)

    first = client.get("/verzoeken").get_data(as_text=True)
    assert listed(first) == [made[2].id, made[1].id]
    assert f"na_wijziging={made[1].id}" in first
    second = client.get(f"/verzoeken?na_wijziging={made[1].id}").get_data(as_text=True)
    assert listed(second) == [made[0].id] and "Volgende pagina" not in second
