"""The provider's declaration pages: declaring, reviewing the proposal, submitting once,
seeing the decisions and correcting; tampered and bad input changes nothing."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.domain.codes import COD043, WJ001
from portal.domain.lists import DeclarationStatus, LineStatus
from portal.domain.review import approve_line, reject_line
from portal.extensions import db
from portal.models import AuditEvent, Declaration, DeclarationLine
from tests.conftest import login_as
from tests.declaring import declare, submit


@pytest.fixture
def provider(client, world):
    login_as(client, world.users["provider_staff"])
    return client


def html(response) -> str:
    return response.get_data(as_text=True)


def count(model, *criteria) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*criteria))


def test_new_declaration_holds_the_proposed_lines_with_computed_amounts(provider, world):
    trajectory = world.trajectory("started")
    response = provider.post("/declaraties/nieuw", data={
        "municipality": world.municipalities[0].id, "period": "2026-02"})
    assert response.status_code == 302
    page = html(provider.get(response.headers["Location"]))
    assert re.search(r"Declaratie D\d{4}-00001", page)
    assert "Declaratie D" in page and "aangemaakt met 1 voorgestelde regels" in page
    assert str(trajectory.current_allocation.number) in page
    assert "€ 3.360,00" in page and "01-02-2026" in page and "Voldoet aan de regels" in page


def test_future_month_gets_a_dutch_message(provider, world):
    response = provider.post("/declaraties/nieuw", data={
        "municipality": world.municipalities[0].id, "period": "2099-01"})
    assert response.status_code == 200
    assert "Declareer over een maand die al begonnen is." in html(response)
    assert count(Declaration) == 0


def test_same_month_opens_the_existing_concept(provider, world):
    first = declare(world, date(2026, 2, 1))
    response = provider.post("/declaraties/nieuw", data={
        "municipality": world.municipalities[0].id, "period": "2026-02"},
        follow_redirects=True)
    assert f"Declaratie {first.number}" in html(response)
    assert "Er was al een concept" in html(response)
    assert count(Declaration) == 1


def test_tampered_fields_in_the_posted_forms_change_nothing(provider, world):
    world.trajectory("started")
    other = world.trajectory("started", provider=1)
    tampered = {"amount_cents": "1", "amount": "1", "status": "approved",
                "provider_id": world.providers[1].id, "number": "X-1", "reference": "X",
                "debit_credit": "C", "period_start": "2020-01-01", "due_on": "2020-01-01"}
    provider.post("/declaraties/nieuw", data={
        "municipality": world.municipalities[0].id, "period": "2026-02", **tampered})
    declaration = db.session.scalar(select(Declaration))
    assert (declaration.provider_id, declaration.status) == (
        world.providers[0].id, DeclarationStatus.CONCEPT)
    assert declaration.number.startswith("D")
    line = declaration.lines[0]
    provider.post(f"/declaraties/{declaration.id}/regels/{line.id}/verwijderen", data=tampered)
    provider.post(f"/declaraties/{declaration.id}/regels", data={
        "allocation_number": world.trajectory("started").current_allocation.number,
        "tranche": "start", **tampered})
    provider.post(f"/declaraties/{declaration.id}/indienen", data=tampered)
    db.session.expire_all()
    lines = db.session.scalars(select(DeclarationLine)).all()
    assert [(ln.provider_id, ln.amount_cents, ln.debit_credit, ln.status, ln.period_start)
            for ln in lines] == [(world.providers[0].id, 336000, COD043.DEBIT,
                                  LineStatus.SUBMITTED, date(2026, 2, 1))]
    assert lines[0].reference.startswith("P") and lines[0].due_on > date(2026, 1, 1)
    assert other.current_allocation.id not in {ln.allocation_id for ln in lines}


def test_line_for_another_providers_allocation_is_refused_with_9338(provider, world):
    declaration = declare(world, date(2026, 2, 1))
    other = world.trajectory("started", provider=1)
    db.session.commit()  # what earlier requests saved; a refused request rolls back its own
    response = provider.post(f"/declaraties/{declaration.id}/regels", data={
        "allocation_number": other.current_allocation.number, "tranche": "start"})
    assert response.status_code == 200
    page = html(response)
    assert "niet door &#39;s-Gravenhage aan uw organisatie afgegeven" in page
    assert "WJ001 9338" in page
    assert count(DeclarationLine) == 0


def test_second_declaration_of_the_same_tranche_is_refused_with_8021(provider, world):
    trajectory = world.trajectory("started")
    declaration = declare(world, date(2026, 2, 1))
    db.session.commit()
    response = provider.post(f"/declaraties/{declaration.id}/regels", data={
        "allocation_number": trajectory.current_allocation.number, "tranche": "start"})
    assert "WJ001 8021" in html(response) and "al gedeclareerd" in html(response)
    assert count(DeclarationLine) == 1


def test_line_outside_the_allocation_cannot_be_submitted(provider, world):
    world.trajectory("started")
    declaration = declare(world, date(2026, 2, 1))
    line = declaration.lines[0]
    line.period_start = date(2026, 1, 25)  # as if the allocation had been shortened
    db.session.commit()
    page = html(provider.get(f"/declaraties/{declaration.id}"))
    assert "9307" in page and "buiten de toewijzing" in page
    response = provider.post(f"/declaraties/{declaration.id}/indienen")
    assert "1 regel(s) voldoen niet aan de regels" in html(response)
    assert declaration.status == DeclarationStatus.CONCEPT


def test_double_click_on_submit_submits_once(provider, world):
    world.trajectory("started")
    declaration = declare(world, date(2026, 2, 1))
    first = provider.post(f"/declaraties/{declaration.id}/indienen", follow_redirects=True)
    assert "is ingediend. De gemeente beantwoordt haar uiterlijk op" in html(first)
    second = provider.post(f"/declaraties/{declaration.id}/indienen", follow_redirects=True)
    assert "Deze declaratie was al ingediend; er is niets opnieuw ingediend." in html(second)
    assert count(AuditEvent, AuditEvent.action == "declaration.submitted") == 1
    assert count(AuditEvent, AuditEvent.action == "declaration_line.submitted") == 1


def test_empty_declaration_is_not_submitted(provider, world):
    declaration = declare(world, date(2026, 2, 1))
    response = provider.post(f"/declaraties/{declaration.id}/indienen")
    assert "Een declaratie zonder regels kan niet worden ingediend." in html(response)


def test_removing_a_line_and_completing_the_proposal(provider, world):
    world.trajectory("started")
    declaration = declare(world, date(2026, 2, 1))
    line = declaration.lines[0]
    provider.post(f"/declaraties/{declaration.id}/regels/{line.id}/verwijderen")
    assert count(DeclarationLine) == 0
    response = provider.post(f"/declaraties/{declaration.id}/voorstel", follow_redirects=True)
    assert "1 regels toegevoegd." in html(response)
    assert count(DeclarationLine) == 1


def test_provider_sees_every_line_with_its_decision_and_due_date(provider, world):
    for _ in range(3):
        world.trajectory("started")
    declaration = declare(world, date(2026, 2, 1))
    submit(world, declaration, today=date(2026, 11, 23))
    first, second, _third = declaration.lines
    approve_line(first, world.users["reviewer"])
    reject_line(second, WJ001.NOT_THIS_CLIENT, "Het budget is op.", world.users["reviewer"])
    page = html(provider.get(f"/declaraties/{declaration.id}"))
    assert page.count("Goedgekeurd") == 1 and "Afgekeurd" in page and "Ingediend" in page
    assert "8187" in page and "Het budget is op." in page
    assert "Antwoord uiterlijk 07-12-2026" in page
    listing = html(provider.get("/declaraties"))
    assert "1 goedgekeurd, 1 afgekeurd, 1 open" in listing and "€ 10.080,00" in listing


def test_credit_of_an_approved_line_and_the_corrected_debit(provider, world):
    world.trajectory("started")
    declaration = declare(world, date(2026, 2, 1))
    submit(world, declaration)
    line = declaration.lines[0]
    approve_line(line, world.users["reviewer"])
    db.session.commit()
    assert "Crediteren" in html(provider.get(f"/declaraties/{declaration.id}"))
    response = provider.post(f"/declaraties/regels/{line.id}/crediteren", follow_redirects=True)
    page = html(response)
    assert f"Regel {line.reference} is gecrediteerd in dit concept." in page
    assert "-€ 3.360,00" in page and "credit" in page
    again = provider.post(f"/declaraties/regels/{line.id}/crediteren")
    assert "WJ001 9390" in html(again)
    assert count(DeclarationLine, DeclarationLine.debit_credit == COD043.CREDIT) == 1


def test_another_provider_gets_404(client, world):
    world.trajectory("started")
    declaration = declare(world, date(2026, 2, 1))
    line = declaration.lines[0]
    login_as(client, world.users["other_provider_staff"])
    assert client.get(f"/declaraties/{declaration.id}").status_code == 404
    assert client.post(f"/declaraties/{declaration.id}/indienen").status_code == 404
    assert client.post(f"/declaraties/regels/{line.id}/crediteren").status_code == 404
    assert declaration.number not in html(client.get("/declaraties"))
    assert declaration.status == DeclarationStatus.CONCEPT


@pytest.mark.parametrize("role", ["reviewer", "access_staff", "contract_manager",
                                  "administrator"])
def test_other_roles_do_not_declare(client, world, role):
    login_as(client, world.users[role])
    assert client.get("/declaraties").status_code == 403
    assert client.get("/declaraties/nieuw").status_code == 403
