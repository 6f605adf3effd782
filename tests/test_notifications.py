"""E-mail notifications: every kind under every preference, what a mail says, and that it
says nothing personal."""

from datetime import date

import pytest

from portal.domain.codes import WJ001, WJ758, WJ759
from portal.domain.conversations import (
    ActionInput,
    ConversationInput,
    add_action,
    notify_due_actions,
    record_conversation,
)
from portal.domain.notifications import KIND_LABELS, notify_due, preferences, set_preferences
from portal.domain.requests import reject_change, request_change
from portal.domain.review import reject_line
from portal.extensions import db
from portal.jobs.notices import SUBJECTS, send_digests, send_immediate
from portal.models import Arrangement, Client
from portal.models.notifications import Notice
from tests.conftest import login_as
from tests.declaring import declare, submit

LATER = date(2027, 1, 4)  # long after the test declarations' answer was due


def outbox(app, user) -> list:
    return [m for m in app.extensions["mailman"].outbox if m.to == [user.email]]


def new_allocation(world):
    world.trajectory()


def request_answered(world):
    trajectory = world.trajectory("started")
    change = request_change(trajectory, reason=WJ758.CARE_PLAN,
        arrangement=world.arrangements["ontw_zwaar"], end_date=date(2026, 7, 31),
        motivation="Zwaarder", actor=world.users["provider_staff"])
    reject_change(change, next(iter(WJ759)), "Niet nodig", world.users["access_staff"])


def submitted_line(world):
    world.trajectory("started")
    declaration = declare(world)
    submit(world, declaration)
    return declaration.lines[0]


def line_rejected(world):
    reject_line(submitted_line(world), WJ001.NOT_THIS_CLIENT, "Onbekend kind",
                world.users["reviewer"])


def answer_overdue(world):
    submitted_line(world)
    notify_due(LATER)


def measurement_due(world):
    world.trajectory("started")
    notify_due(LATER)


def action_due(world, side="provider"):
    """An action of the steering conversation, due before LATER."""
    world.trajectory()  # a child whose details no mail may hold
    manager = world.users["contract_manager"]
    conversation = record_conversation(world.contracts[0], ConversationInput(
        2026, 1, date(2026, 3, 2), "Ans, Bo", ["Minder uitval"]), manager, date(2026, 3, 2))
    add_action(conversation, ActionInput("Bo", side, "Uitval analyseren", date(2026, 12, 1)),
               manager, date(2026, 3, 2))
    notify_due_actions(LATER)


# The action, who hears of it, and where the mail's link goes.
ACTIONS = {"new_allocation": (new_allocation, "provider_staff", "/trajecten/"),
           "request_answered": (request_answered, "provider_staff", "/verzoeken/wijziging/"),
           "line_rejected": (line_rejected, "provider_staff", "/declaraties/"),
           "answer_overdue": (answer_overdue, "reviewer", "/beoordelen"),
           "measurement_due": (measurement_due, "provider_staff", "/trajecten/"),
           "action_due": (action_due, "provider_staff", "/sturingsgesprekken/acties")}


def personal_details() -> list[str]:
    clients = db.session.query(Client).all()
    assert clients  # the check below must have something to look for
    return ([c.bsn for c in clients] + [c.given_name for c in clients]
            + [c.family_name for c in clients]
            + [a.name for a in db.session.query(Arrangement)])


@pytest.mark.parametrize("kind", ACTIONS)
@pytest.mark.parametrize("mode", ["immediate", "digest", "off"])
def test_every_kind_under_every_preference(app, world, kind, mode):
    action, role, path = ACTIONS[kind]
    user = world.users[role]
    set_preferences(user, {**dict.fromkeys(preferences(user), "off"), kind: mode})
    db.session.commit()
    app.extensions["mailman"].outbox = []
    action(world)
    db.session.commit()
    send_immediate()
    mails = outbox(app, user)
    if mode == "immediate":
        [mail] = mails
        assert mail.subject == str(SUBJECTS[kind])
        assert mail.body.startswith(f"{mail.subject}. Bekijk het in het resultaatportaal: ")
        assert f"resultaatportaal: http://portal.test{path}" in mail.body
    else:
        assert mails == []
    send_digests()
    mails = outbox(app, user)
    if mode == "digest":
        [mail] = mails
        assert mail.subject == "Dagelijks overzicht van het resultaatportaal"
        assert "Er is 1 melding voor u" in mail.body
        assert f"{KIND_LABELS[kind]}: 1" in mail.body
    elif mode == "off":
        assert mails == []
    for mail in mails:
        for detail in personal_details():
            assert detail not in mail.body and detail not in mail.subject


def test_the_defaults(world):
    assert preferences(world.users["provider_staff"]) == {
        "new_allocation": "immediate", "request_answered": "immediate",
        "line_rejected": "immediate", "measurement_due": "digest", "action_due": "digest"}
    assert preferences(world.users["reviewer"]) == {"answer_overdue": "digest"}
    assert preferences(world.users["contract_manager"]) == {"action_due": "digest"}
    assert preferences(world.users["access_staff"]) == {}


@pytest.mark.parametrize("mode", ["immediate", "digest", "off"])
def test_the_region_hears_of_its_own_actions(app, world, mode):
    manager = world.users["contract_manager"]
    set_preferences(manager, {"action_due": mode})
    db.session.commit()
    app.extensions["mailman"].outbox = []
    action_due(world, side="region")
    db.session.commit()
    send_immediate()
    send_digests()
    mails = outbox(app, manager)
    # Not the provider's action (its staff hear only of the new allocation).
    assert all("sturingsgesprek" not in m.body for m in outbox(app, world.users["provider_staff"]))
    if mode == "off":
        assert mails == []
        return
    [mail] = mails
    expected = ("Een actie uit het sturingsgesprek verloopt" if mode == "immediate"
                else "Actie uit sturingsgesprek verloopt: 1")
    assert expected in mail.body
    assert "Uitval" not in mail.body and "Bo" not in mail.body


def test_a_rolled_back_action_tells_nobody(app, world):
    line = submitted_line(world)
    db.session.commit()
    assert send_immediate() == 2  # the new allocation: provider staff and provider admin
    reject_line(line, WJ001.NOT_THIS_CLIENT, "Onbekend kind", world.users["reviewer"])
    db.session.rollback()
    assert send_immediate() == 0


def test_a_rejected_line_on_the_web_is_mailed_after_the_commit(app, world, client):
    line = submitted_line(world)
    db.session.commit()
    send_immediate()  # the new allocation
    app.extensions["mailman"].outbox = []
    login_as(client, world.users["reviewer"])
    response = client.post(f"/beoordelen/regels/{line.id}/afkeuren",
                           data={f"r{line.id}-return_code": WJ001.NOT_THIS_CLIENT.value,
                                 f"r{line.id}-note": "Onbekend kind"})
    assert response.status_code in (200, 302, 303)
    [mail] = outbox(app, world.users["provider_staff"])
    assert mail.subject == "Een declaratieregel van uw organisatie is afgekeurd"
    assert f"/declaraties/{line.declaration_id}" in mail.body
    assert db.session.query(Notice).filter(Notice.sent_at.is_(None)).count() == 0


def test_the_preferences_page(app, world, client):
    user = world.users["provider_staff"]
    login_as(client, user)
    page = client.get("/account/meldingen")
    assert "Dagelijks overzicht" in page.text and "Nieuwe toewijzing" in page.text
    client.post("/account/meldingen", data={"new_allocation": "off",
                                            "request_answered": "digest",
                                            "line_rejected": "immediate",
                                            "measurement_due": "off",
                                            "action_due": "digest"})
    assert preferences(user)["new_allocation"] == "off"
    assert preferences(user)["request_answered"] == "digest"
    bad = client.post("/account/meldingen", data={"new_allocation": "nooit"})
    assert bad.status_code == 200 and preferences(user)["new_allocation"] == "off"
