"""The steering conversation on the web: recording, the provider's response, actions on both
start pages, bad input, the walls (a second region), the access log and the verifiable PDF."""

import re
from datetime import date, timedelta

import pytest
from flask import current_app
from sqlalchemy import func, select

from portal.domain.codes import JZ588
from portal.domain.conversations import (
    ActionInput,
    ConversationInput,
    add_action,
    open_actions,
    record_conversation,
)
from portal.domain.working_days import today_in_amsterdam
from portal.extensions import db
from portal.formatting import format_cents
from portal.models import AuditEvent, Contract, Conversation, ConversationAction, Statement
from tests.conftest import login_as
from tests.layers import shared_layer
from tests.poppler import pdf_info
from tests.queries import statements_for
from tests.regions import second_region, work_in_region_b
from tests.web.test_statements_web import pdf_structure, pdf_text

LAST_YEAR = today_in_amsterdam().year - 1  # a period that has begun, within the contracts


def form(world, **values) -> dict:
    return {"contract": str(world.contracts[0].id), "year": str(LAST_YEAR), "quarter": "0",
            "held_on": (today_in_amsterdam() - timedelta(days=3)).isoformat(),
            "participants": "Ans de Vries (regio)\nBo Jansen (Horizon)",
            "agreements": "Uitval onder 10 procent\nEindmeting bij elk einde"} | values


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@shared_layer(on="world")
def recorded_conversation(world):
    """Horizon: five trajectories ended according to plan and one drop-out; a conversation
    with two agreements, recorded by the contract manager on the web (the request refreshes
    the figures store). Built once for the tests here."""
    for _ in range(5):
        world.trajectory("ended")
    world.trajectory("ended", end_reason=JZ588.EARLY_BY_CLIENT)
    db.session.commit()
    manager = current_app.test_client()
    login_as(manager, world.users["contract_manager"])
    response = manager.post("/sturingsgesprekken/nieuw", data=form(world, year="2026"))
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(select(Conversation))


@pytest.fixture
def recorded(client, world, recorded_conversation):
    """The recorded conversation, `client` logged in as the contract manager who recorded it."""
    login_as(client, world.users["contract_manager"])
    return recorded_conversation


def action(conversation, world, side="provider", due_on=None):
    return add_action(conversation, ActionInput(
        "Bo Jansen", side, "Uitval analyseren",
        due_on or today_in_amsterdam() + timedelta(days=10)),
        world.users["contract_manager"], conversation.held_on)


def test_the_manager_records_a_conversation_and_an_action(client, world, recorded):
    assert [a.text for a in recorded.agreements] == ["Uitval onder 10 procent",
                                                     "Eindmeting bij elk einde"]
    url = f"/sturingsgesprekken/{recorded.id}"
    due = (today_in_amsterdam() + timedelta(days=14)).isoformat()
    response = client.post(f"{url}/acties", data={"owner": "Bo Jansen, teamleider",
                                                  "owner_side": "provider",
                                                  "what": "Uitval analyseren", "due_on": due})
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "De actie is vastgelegd." in page and "Uitval analyseren" in page
    assert "Bo Jansen, teamleider" in page and "Horizon" in page
    listed = client.get("/sturingsgesprekken").get_data(as_text=True)
    assert f'href="{url}"' in listed


@pytest.mark.parametrize("values, message", [
    ({"year": str(today_in_amsterdam().year + 1)}, "De periode ligt in de toekomst"),
    ({"held_on": "31-02-2026"}, "Ongeldige datum"),
    ({"held_on": (today_in_amsterdam() + timedelta(days=1)).isoformat()},
     "en vandaag"),
    ({"participants": ""}, "Dit veld is verplicht."),
    ({"participants": "Ans\x1bBo"}, "niet is toegestaan"),
    ({"agreements": "x" * 2001}, "ten hoogste 2000 tekens"),
    ({"contract": "abc"}, "Dit veld is verplicht."),
    ({"quarter": "9"}, "Kies een jaar"),
])
def test_bad_input_gets_a_dutch_message_and_stores_nothing(client, world, values, message):
    login_as(client, world.users["contract_manager"])
    response = client.post("/sturingsgesprekken/nieuw", data=form(world, **values))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Er is een probleem" in page and message in page, page
    assert count(Conversation) == 0


def test_another_regions_contract_is_not_among_the_choices(client, world):
    north = second_region()
    login_as(client, world.users["contract_manager"])
    page = client.get("/sturingsgesprekken/nieuw").get_data(as_text=True)
    assert north.contracts[0].number not in page
    response = client.post("/sturingsgesprekken/nieuw",
                           data=form(world, contract=str(north.contracts[0].id)))
    assert response.status_code == 200
    assert "Kies een contract van uw regio." in response.get_data(as_text=True)
    assert count(Conversation) == 0


@pytest.mark.parametrize("values, message", [
    ({"owner": ""}, "Dit veld is verplicht."),
    ({"what": ""}, "Dit veld is verplicht."),
    ({"owner_side": "gemeente"}, "bij de regio of bij de aanbieder"),
    ({"due_on": "morgen"}, "Ongeldige datum"),
    ({"due_on": "2020-01-01"}, "op of na de datum van het gesprek"),
    ({"what": "a\u202eb"}, "niet is toegestaan"),
])
def test_a_bad_action_gets_a_dutch_message(client, world, recorded, values, message):
    data = {"owner": "Bo", "owner_side": "provider", "what": "Analyseren",
            "due_on": (today_in_amsterdam() + timedelta(days=5)).isoformat()} | values
    response = client.post(f"/sturingsgesprekken/{recorded.id}/acties", data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Er is een probleem" in page and message in page
    assert count(ConversationAction) == 0


def test_the_provider_reads_responds_and_closes_its_action(app, world, recorded):
    mine = action(recorded, world)
    theirs = action(recorded, world, side="region")
    db.session.commit()
    provider = app.test_client()
    login_as(provider, world.users["provider_staff"])
    url = f"/sturingsgesprekken/{recorded.id}"
    page = provider.get(url).get_data(as_text=True)
    assert "Uitval onder 10 procent" in page and "Reactie opslaan" in page
    first, second = recorded.agreements
    response = provider.post(f"{url}/reactie", data={
        "response": "Wij herkennen het beeld.", f"agreement-{first.id}": "Plan volgt in januari",
        f"agreement-{second.id}": ""})
    assert response.status_code == 302
    db.session.refresh(recorded)
    assert recorded.response == "Wij herkennen het beeld."
    assert (first.response, second.response) == ("Plan volgt in januari", None)
    too_long = provider.post(f"{url}/reactie", data={f"agreement-{first.id}": "x" * 2001})
    assert "ten hoogste 2000 tekens" in too_long.get_data(as_text=True)
    db.session.refresh(first)
    assert first.response == "Plan volgt in januari"
    # Its own action it closes; the region's it cannot.
    provider.post(f"/sturingsgesprekken/acties/{theirs.id}/afronden")
    provider.post(f"/sturingsgesprekken/acties/{mine.id}/afronden")
    db.session.refresh(mine)
    db.session.refresh(theirs)
    assert (mine.status, theirs.status) == ("done", "open")
    # The manager sees the response.
    manager = app.test_client()
    login_as(manager, world.users["contract_manager"])
    seen = manager.get(url).get_data(as_text=True)
    assert "Wij herkennen het beeld." in seen and "Plan volgt in januari" in seen


def test_open_actions_on_both_start_pages_overdue_highlighted(app, world, recorded):
    today = today_in_amsterdam()
    action(recorded, world, due_on=today - timedelta(days=1))
    action(recorded, world)
    action(recorded, world, side="region")
    db.session.commit()
    provider = app.test_client()
    login_as(provider, world.users["provider_staff"])
    home = provider.get("/").get_data(as_text=True)
    assert re.search(r'href="/sturingsgesprekken/acties"><span class="portal-card__value">2'
                     r'</span> <span class="portal-card__label">open acties uit het '
                     r'sturingsgesprek', home), home
    assert re.search(r'portal-card--overdue"><a class="utrecht-link" '
                     r'href="/sturingsgesprekken/acties"><span class="portal-card__value">1<',
                     home)
    listed = provider.get("/sturingsgesprekken/acties").get_data(as_text=True)
    assert listed.count("data-overdue") == 1 and listed.count('data-label="Wat"') == 2
    manager = app.test_client()
    login_as(manager, world.users["contract_manager"])
    home = manager.get("/").get_data(as_text=True)
    assert re.search(r'<span class="portal-card__value">1</span> <span class="portal-card__label">'
                     r'open acties uit het sturingsgesprek', home)


@pytest.mark.parametrize("role", ["other_provider_staff", "north_manager", "north_provider"])
def test_another_organisations_conversation_is_a_404(app, world, recorded, role):
    mine = action(recorded, world)
    db.session.commit()
    north = second_region()
    user = (north.users["contract_manager"] if role == "north_manager"
            else north.users["provider_staff"] if role == "north_provider"
            else world.users[role])
    other = app.test_client()
    login_as(other, user)
    url = f"/sturingsgesprekken/{recorded.id}"
    for method, path in (("GET", url), ("GET", f"{url}.pdf"), ("POST", f"{url}/reactie"),
                         ("POST", f"/sturingsgesprekken/acties/{mine.id}/afronden")):
        response = other.open(path, method=method, data={"response": "Ha"})
        # Only the provider responds: a contract manager is refused by role first.
        refused_role = role == "north_manager" and path.endswith("/reactie")
        assert response.status_code == (403 if refused_role else 404), (method, path)
    assert "Uitval" not in other.get("/sturingsgesprekken").get_data(as_text=True)
    assert "Uitval" not in other.get("/sturingsgesprekken/acties").get_data(as_text=True)
    db.session.refresh(mine)
    assert mine.status == "open" and recorded.response is None


def test_recording_and_reading_are_in_the_access_log(app, world, recorded):
    provider = app.test_client()
    login_as(provider, world.users["provider_staff"])
    provider.get(f"/sturingsgesprekken/{recorded.id}")
    actions = db.session.execute(select(AuditEvent.action, AuditEvent.actor_id).where(
        AuditEvent.object_type == "conversation")).all()
    assert ("conversation.recorded", world.users["contract_manager"].id) in actions
    assert ("conversation.viewed", world.users["provider_staff"].id) in actions


def test_the_report_holds_the_figures_of_that_moment_and_verifies(app, client, world,
                                                                    recorded):
    action(recorded, world)
    db.session.commit()
    response = client.get(f"/sturingsgesprekken/{recorded.id}.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    text = pdf_text(response)
    statement = db.session.scalar(select(Statement))
    assert statement.kind.value == "conversation" and statement.pdf is None
    # The snapshot: Horizon's figures of 2026 (5 of 6 according to plan) and the agreements.
    assert statement.content["indicators"]["according_to_plan"] == "83,3%"
    assert statement.content["agreements"][0] == ["Uitval onder 10 procent", None]
    assert "Verslag sturingsgesprek" in text and "Uitval onder 10 procent" in text
    assert "83,3%" in text and "Uitval analyseren" in text
    assert statement.code in text
    info = pdf_info(response.data)
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert b"/Lang (nl)" in pdf_structure(response.data)
    # Checkable at /verify with the code and the declared total printed on it.
    declared = format_cents(statement.content["totals"]["declared"])
    assert declared in text
    anonymous = app.test_client()
    page = anonymous.post("/verify", data={"code": statement.code, "declared": declared})
    html = page.get_data(as_text=True)
    assert "Dit overzicht komt uit het portaal." in html and "Verslag sturingsgesprek" in html
    assert recorded.held_on.strftime("%d-%m-%Y") in html
    assert db.session.scalar(select(AuditEvent.action).where(
        AuditEvent.object_type == "statement")) == "statement.downloaded"


def test_a_later_report_keeps_its_own_snapshot(client, world, recorded):
    client.get(f"/sturingsgesprekken/{recorded.id}.pdf")
    world.trajectory("ended", end_reason=JZ588.EARLY_BY_CLIENT)
    db.session.commit()
    client.get(f"/sturingsgesprekken/{recorded.id}.pdf")
    first, second = db.session.scalars(select(Statement).order_by(Statement.id)).all()
    assert first.content["indicators"]["according_to_plan"] == "83,3%"
    assert second.content["indicators"]["according_to_plan"] == "71,4%"  # 5 of 7
    assert first.code != second.code
    assert date.fromisoformat(first.content["held_on"]) == recorded.held_on


def test_the_lists_take_as_many_queries_for_one_conversation_as_for_three(
        app, world, recorded):
    action(recorded, world)
    db.session.commit()
    provider = app.test_client()
    login_as(provider, world.users["provider_staff"])
    paths = ("/sturingsgesprekken", "/sturingsgesprekken/acties")
    one = [statements_for(provider, path) for path in paths]
    # Two more, one of them with Horizon's contract in a second region.
    north = second_region()
    work_in_region_b(world, north)
    northern = db.session.scalar(select(Contract).where(Contract.number == "N-003"))
    for contract, manager in ((world.contracts[0], world.users["contract_manager"]),
                              (northern, north.users["contract_manager"])):
        conversation = record_conversation(contract, ConversationInput(
            2026, 1, date(2026, 3, 2), "Ans", ["Afspraak"]), manager, date(2026, 3, 2))
        add_action(conversation, ActionInput("Bo", "provider", "Analyseren",
                                             date(2026, 12, 1)), manager, date(2026, 3, 2))
    db.session.commit()
    assert len(open_actions(world.users["provider_staff"])) == 3
    assert [statements_for(provider, path) for path in paths] == one
