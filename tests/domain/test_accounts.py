"""Changing a password: the rules, and every other session ending."""

import pytest
from sqlalchemy import select

from portal.domain import DomainError
from portal.domain.accounts import change_password
from portal.extensions import db
from portal.models import AuditEvent
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
