"""The audit trail of a child's record: who did what, by internal id, never the BSN."""

import json

from sqlalchemy import select

from portal.domain.lists import Role
from portal.extensions import db
from portal.models import AuditEvent


def test_changes_to_a_trajectory_are_audited_without_the_bsn(world):
    trajectory = world.trajectory("started")
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.client_id == trajectory.client_id).order_by(AuditEvent.id)).all()
    assert [event.action for event in events] == ["allocation.created", "trajectory.started"]
    assert {(event.actor_id, event.role) for event in events} == {
        (world.users["provider_staff"].id, Role.PROVIDER_STAFF)}
    assert all(event.at is not None for event in events)
    logged = json.dumps([[event.before, event.after] for event in events])
    assert trajectory.client.bsn not in logged
