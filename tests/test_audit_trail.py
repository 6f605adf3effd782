"""The audit trail is append-only in the database itself."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from portal.extensions import db


@pytest.mark.parametrize("statement", [
    "UPDATE audit_event SET action = 'forged'",
    "DELETE FROM audit_event",
])
def test_audit_events_cannot_be_changed_or_removed(world, statement):
    world.trajectory("started")  # writes audit events
    db.session.commit()
    with pytest.raises(DatabaseError, match="append-only"), db.session.begin_nested():
        db.session.execute(text(statement))
    assert db.session.execute(text("SELECT count(*) FROM audit_event")).scalar() >= 2
