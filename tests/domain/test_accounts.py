"""Changing a password: the rules, and every other session ending."""

import pytest
from sqlalchemy import func, select

from portal.domain import DomainError
from portal.domain.accounts import change_password, create_user
from portal.extensions import db
from portal.models import AuditEvent, User
from tests.factories import PASSWORD

NEW = "a much longer passphrase"


@pytest.mark.parametrize(("current", "new", "field", "message"), [
    ("not my password", NEW, "current_password", "Het huidige wachtwoord is niet juist."),
    (PASSWORD, "short one", "new_password", "Een wachtwoord heeft minstens 12 tekens."),
    (PASSWORD, PASSWORD, "new_password", "Kies een ander wachtwoord dan uw huidige."),
])
def test_refused_changes_leave_password_and_sessions_alone(world, current, new, field, message):
    user = world.users["reviewer"]
    token = user.session_token
    with pytest.raises(DomainError) as refused:
        change_password(user, current, new)
    assert (refused.value.field, str(refused.value.message)) == (field, message)
    assert user.check_password(PASSWORD)
    assert user.session_token == token


def test_a_change_sets_the_password_ends_sessions_and_is_audited(world):
    user = world.users["reviewer"]
    token = user.session_token
    change_password(user, PASSWORD, NEW)
    db.session.flush()
    assert user.check_password(NEW) and not user.check_password(PASSWORD)
    assert user.session_token != token
    assert db.session.scalar(select(AuditEvent.action).where(
        AuditEvent.object_id == user.id, AuditEvent.object_type == "user")) == "password_changed"


@pytest.mark.parametrize("lost_race", [False, True])
def test_a_second_account_for_one_address_is_refused_even_in_a_race(world, monkeypatch,
                                                                     lost_race):
    reviewer = world.users["reviewer"]
    if lost_race:  # the other account is in, but the check in Python did not see it yet
        monkeypatch.setattr("portal.domain.accounts.email_taken", lambda _email: False)
    with pytest.raises(DomainError, match="Er bestaat al een account met dit e-mailadres"):
        create_user(email=reviewer.email.upper(), name="Tweede", password=NEW,
                    role=reviewer.role, organisation=reviewer.municipality)
    db.session.rollback()  # as a view does after a refusal
    assert db.session.scalar(select(func.count()).select_from(User).where(
        func.lower(User.email) == reviewer.email.lower())) == 1
