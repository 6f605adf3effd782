"""The steering conversation's rules: recording, actions, the provider's response, the walls,
the to-do counts and the daily scan for actions that fall due."""

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.domain import DomainError
from portal.domain.audit_labels import ACTION_LABELS
from portal.domain.conversations import (
    ActionInput,
    ConversationInput,
    action_counts,
    add_action,
    conversation_period,
    conversation_scope,
    finish_action,
    notify_due_actions,
    open_actions,
    record_conversation,
    respond,
)
from portal.domain.figures import Period
from portal.domain.todos import todo_counts
from portal.extensions import db
from portal.models import AuditEvent, Conversation, ConversationAction
from portal.models.notifications import Notice
from tests.regions import second_region

TODAY = date(2026, 11, 20)


def talk(year=2026, quarter=3, held_on=date(2026, 11, 2), participants="Ans (regio), Bo",
         agreements=("Minder uitval", "", "  Eindmeting bij elk einde  ")):
    return ConversationInput(year, quarter, held_on, participants, list(agreements))


def todo(owner="Bo, teamleider", side="provider", what="Uitval analyseren",
         due_on=date(2026, 12, 1)):
    return ActionInput(owner, side, what, due_on)


@pytest.fixture
def conversation(world):
    return record_conversation(world.contracts[0], talk(), world.users["contract_manager"],
                               TODAY)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_conversation_keeps_its_agreements_without_blank_lines(world, conversation):
    assert [a.text for a in conversation.agreements] == ["Minder uitval",
                                                         "Eindmeting bij elk einde"]
    assert conversation_period(conversation) == Period(date(2026, 7, 1), date(2026, 9, 30))
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "conversation.recorded"))
    assert event.object_id == conversation.id and event.after["agreements"] == 2


def test_the_period_is_clipped_to_the_contract(world):
    contract = world.contracts[0]
    contract.ends_on = date(2026, 8, 15)
    conversation = record_conversation(contract, talk(), world.users["contract_manager"],
                                       TODAY)
    assert conversation_period(conversation) == Period(date(2026, 7, 1), date(2026, 8, 15))


@pytest.mark.parametrize("values, field, message", [
    ({"year": 2027, "quarter": 0}, "year", "in de toekomst"),
    ({"quarter": 4, "year": 2027}, "year", "in de toekomst"),
    ({"year": 2024, "quarter": 0}, "year", "buiten de looptijd"),
    ({"year": None}, "year", "Kies een jaar"),
    ({"quarter": 7}, "year", "Kies een jaar"),
    ({"held_on": None}, "held_on", "datum van het gesprek"),
    ({"held_on": date(2026, 11, 21)}, "held_on", "en vandaag"),
    ({"held_on": date(2026, 6, 30)}, "held_on", "tussen het begin van de periode (01-07-2026)"),
    ({"participants": "   "}, "participants", "verplicht"),
    ({"participants": "Ans\x00"}, "participants", "niet is toegestaan"),
    ({"participants": "x" * 2001}, "participants", "ten hoogste 2000 tekens"),
    ({"agreements": ["Goed\u202eplan"]}, "agreements", "leesrichting"),
    ({"agreements": ["x" * 2001]}, "agreements", "ten hoogste 2000 tekens"),
    ({"agreements": ["a"] * 31}, "agreements", "ten hoogste 30 afspraken"),
])
def test_bad_input_is_refused_and_nothing_is_kept(world, values, field, message):
    with pytest.raises(DomainError) as refused:
        record_conversation(world.contracts[0], talk(**values),
                            world.users["contract_manager"], TODAY)
    assert refused.value.field == field and message in str(refused.value)
    assert count(Conversation) == 0


def test_another_regions_contract_or_a_provider_cannot_record(world):
    north = second_region()
    for contract, actor in ((north.contracts[0], world.users["contract_manager"]),
                            (world.contracts[0], world.users["provider_admin"])):
        with pytest.raises(DomainError, match="contract van uw regio"):
            record_conversation(contract, talk(), actor, TODAY)
    assert count(Conversation) == 0


def test_an_action_is_added(world, conversation):
    action = add_action(conversation, todo(), world.users["contract_manager"], TODAY)
    assert (action.status, action.owner_side, action.due_on) == ("open", "provider",
                                                                 date(2026, 12, 1))
    assert conversation.actions == [action]


@pytest.mark.parametrize("values, field, message", [
    ({"owner": ""}, "owner", "verplicht"),
    ({"owner": "Bo\nen Ans"}, "owner", "één regel"),
    ({"owner": "x" * 121}, "owner", "ten hoogste 120 tekens"),
    ({"side": "gemeente"}, "owner_side", "regio of bij de aanbieder"),
    ({"side": ""}, "owner_side", "regio of bij de aanbieder"),
    ({"what": " "}, "what", "verplicht"),
    ({"what": "a\x07b"}, "what", "niet is toegestaan"),
    ({"due_on": None}, "due_on", "geldige uiterste datum"),
    ({"due_on": date(2026, 10, 1)}, "due_on", "op of na de datum van het gesprek"),
    ({"due_on": date(2040, 1, 1)}, "due_on", "binnen vijf jaar"),
])
def test_a_bad_action_is_refused(world, conversation, values, field, message):
    with pytest.raises(DomainError) as refused:
        add_action(conversation, todo(**values), world.users["contract_manager"], TODAY)
    assert refused.value.field == field and message in str(refused.value)
    assert count(ConversationAction) == 0


def test_only_the_contract_manager_adds_actions(world, conversation):
    with pytest.raises(DomainError, match="Alleen de contractbeheerder"):
        add_action(conversation, todo(), world.users["provider_staff"], TODAY)


def test_the_provider_responds_per_agreement_and_on_the_whole(world, conversation):
    first, second = conversation.agreements
    respond(conversation, " Eens ", {first.id: "Plan volgt", second.id: ""},
            world.users["provider_staff"])
    assert (conversation.response, first.response, second.response) == ("Eens", "Plan volgt",
                                                                         None)
    assert conversation.responded_at is not None
    with pytest.raises(DomainError, match="Reactie op afspraak 2"):
        respond(conversation, "", {second.id: "x" * 2001}, world.users["provider_staff"])
    with pytest.raises(DomainError, match="Alleen de aanbieder"):
        respond(conversation, "Eens", {}, world.users["contract_manager"])


def test_each_side_closes_what_it_may(world, conversation):
    manager, staff = world.users["contract_manager"], world.users["provider_staff"]
    region_action = add_action(conversation, todo(side="region"), manager, TODAY)
    provider_action = add_action(conversation, todo(), manager, TODAY)
    with pytest.raises(DomainError, match="ligt bij de regio"):
        finish_action(region_action, staff)
    finish_action(provider_action, staff)
    assert (provider_action.status, provider_action.done_by_id) == ("done", staff.id)
    with pytest.raises(DomainError, match="al afgerond"):
        finish_action(provider_action, manager)
    finish_action(region_action, manager)
    assert region_action.status == "done"


def test_walls_to_dos_and_open_actions(world, conversation):
    manager, staff = world.users["contract_manager"], world.users["provider_staff"]
    add_action(conversation, todo(due_on=date(2026, 11, 19)), manager, TODAY)  # overdue
    add_action(conversation, todo(due_on=date(2026, 12, 24)), manager, TODAY)
    add_action(conversation, todo(side="region"), manager, TODAY)
    assert action_counts(staff, TODAY) == {"open_actions": 2, "overdue_actions": 1}
    assert action_counts(manager, TODAY) == {"open_actions": 1, "overdue_actions": 0}
    assert [a.due_on for a in open_actions(staff)] == [date(2026, 11, 19), date(2026, 12, 24)]
    assert todo_counts(staff, TODAY)["overdue_actions"] == 1
    assert todo_counts(manager, TODAY)["open_actions"] == 1
    # Kiem (another provider), the other region's manager and a reviewer see none of it.
    north = second_region()
    for outsider in (world.users["other_provider_staff"], north.users["contract_manager"]):
        assert action_counts(outsider, TODAY) == {"open_actions": 0, "overdue_actions": 0}
        assert db.session.scalars(select(Conversation).where(
            conversation_scope(outsider))).all() == []
    assert action_counts(world.users["reviewer"], TODAY) == {}


def test_the_daily_scan_tells_the_owner_side_once(world, conversation):
    manager = world.users["contract_manager"]
    soon = add_action(conversation, todo(due_on=date(2026, 11, 27)), manager, TODAY)
    later = add_action(conversation, todo(due_on=date(2026, 11, 28)), manager, TODAY)
    ours = add_action(conversation, todo(side="region", due_on=date(2026, 11, 22)), manager,
                      TODAY)
    done = add_action(conversation, todo(due_on=date(2026, 11, 21)), manager, TODAY)
    finish_action(done, manager)
    notify_due_actions(TODAY)  # within 7 days: up to and including 27-11
    notify_due_actions(TODAY)
    told = sorted((n.user.email.split("@")[0], n.object_ref)
                  for n in db.session.scalars(select(Notice)))
    assert told == sorted([("provider_staff", f"action:{soon.id}"),
                           ("provider_admin", f"action:{soon.id}"),
                           ("contract_manager", f"action:{ours.id}")])
    assert f"action:{later.id}" not in {ref for _user, ref in told}


def test_every_action_has_its_dutch_label():
    for action in ("conversation.recorded", "conversation.viewed", "conversation.responded",
                   "conversation.action_added", "conversation.action_done"):
        assert action in ACTION_LABELS
