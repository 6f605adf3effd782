"""Races on PostgreSQL: two reviewers deciding one line, a double submit. Each thread has
its own app context and so its own session and connection; the data is committed and
removed again afterwards."""

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.domain import DomainError
from portal.domain.accounts import create_user
from portal.domain.declarations import submit_declaration
from portal.domain.lists import DeclarationStatus, LineStatus, Role
from portal.extensions import db
from portal.models import AuditEvent, Declaration, DeclarationLine, User
from tests.conftest import POSTGRES_URL, in_parallel, login_as
from tests.declaring import declare, submit

pytestmark = [
    pytest.mark.committed,
    pytest.mark.postgres_only,
    pytest.mark.skipif(not POSTGRES_URL, reason="needs PostgreSQL: SQLite serialises all "
                       "writes, so there is no race to test (set PORTAL_TEST_DATABASE_URL)"),
]
THREADS = 6


def count(*criteria) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(*criteria))


def test_parallel_decisions_on_one_line_leave_one_decision(app, committed_world):
    world = committed_world
    world.trajectory("started")
    declaration = declare(world, date(2026, 2, 1))
    submit(world, declaration)
    line_id = declaration.lines[0].id
    second = create_user(email="reviewer2@example.test", name="Tweede Beoordelaar",
                         password="correct horse battery", role=Role.REVIEWER,
                         organisation=world.municipalities[0])
    reviewers = [world.users["reviewer"].id, second.id]
    db.session.commit()

    def decide(n):
        client = app.test_client()
        with app.app_context():
            login_as(client, db.session.get(User, reviewers[n % 2]))
        if n % 2:
            prefix = f"r{line_id}-"
            response = client.post(f"/beoordelen/regels/{line_id}/afkeuren",
                                   headers={"HX-Request": "true"},
                                   data={prefix + "return_code": "8187", prefix + "note": "Nee"})
        else:
            response = client.post(f"/beoordelen/regels/{line_id}/goedkeuren",
                                   headers={"HX-Request": "true"})
        return response.status_code, response.get_data(as_text=True)

    results = in_parallel(app, decide)
    assert all(status == 200 for status, _body in results), results
    won = [body for _status, body in results if "is goedgekeurd." in body
           or "is afgekeurd." in body]
    lost = [body for _status, body in results if "is intussen al besloten door" in body]
    assert (len(won), len(lost)) == (1, THREADS - 1)
    db.session.expire_all()
    line = db.session.get(DeclarationLine, line_id)
    assert line.status in (LineStatus.APPROVED, LineStatus.REJECTED)
    assert count(AuditEvent.object_id == line_id, AuditEvent.action.in_(
        ["declaration_line.approved", "declaration_line.rejected"])) == 1
    assert db.session.get(Declaration, declaration.id).status == DeclarationStatus.ANSWERED
    assert count(AuditEvent.action == "declaration.answered") == 1


def test_parallel_submits_of_one_declaration_leave_one_submission(app, committed_world):
    world = committed_world
    for _ in range(3):
        world.trajectory("started")
    declaration_id = declare(world, date(2026, 2, 1)).id
    actor_id = world.users["provider_staff"].id
    db.session.commit()

    def submit_once(_n):
        declaration = db.session.get(Declaration, declaration_id)
        submitted = submit_declaration(declaration, db.session.get(User, actor_id),
                                       date(2026, 11, 23))
        db.session.commit()
        return submitted

    results = in_parallel(app, submit_once)
    assert not [r for r in results if isinstance(r, (Exception, DomainError))], results
    assert sorted(results) == [False] * (THREADS - 1) + [True]
    db.session.expire_all()
    declaration = db.session.get(Declaration, declaration_id)
    assert declaration.status == DeclarationStatus.SUBMITTED
    assert {line.status for line in declaration.lines} == {LineStatus.SUBMITTED}
    assert count(AuditEvent.action == "declaration.submitted") == 1
    assert count(AuditEvent.action == "declaration_line.submitted") == 3
