"""The drills' data checks find what a fault could leave behind (PostgreSQL: they are its SQL)."""

import pytest
from sqlalchemy import text

from bench.faults.checks import consistency_of
from portal.extensions import db
from tests.conftest import POSTGRES_URL
from tests.declaring import declare

pytestmark = [pytest.mark.postgres_only,
              pytest.mark.skipif(not POSTGRES_URL, reason="the drills' checks are PostgreSQL "
                                 "SQL (set PORTAL_TEST_DATABASE_URL)")]


def checks(**kwargs) -> dict:
    # The test's own connection: it sees the rows this test made in its transaction.
    return consistency_of(db.session.connection().connection.driver_connection, **kwargs)


def test_a_healthy_database_is_consistent(world):
    world.trajectory("started")
    assert checks() == {"children_with_two_running_allocations": 0,
                        "half_submitted_declarations": 0,
                        "trajectories_without_allocation": 0, "consistent": True}


def test_a_second_running_allocation_for_the_same_child_is_found(world):
    first = world.trajectory("started")
    db.session.execute(text(
        "INSERT INTO trajectory (client_id, provider_id, municipality_id, status, created_at) "
        "SELECT client_id, provider_id, municipality_id, 'allocated', created_at "
        "FROM trajectory WHERE id = :id"), {"id": first.id})
    db.session.execute(text(
        "INSERT INTO allocation (trajectory_id, municipality_id, number, arrangement_id, "
        "tariff_id, scheme_version_id, start_date, end_date, planned_end_date, amount_cents, "
        "is_current, created_at, allocated_at) SELECT (SELECT max(id) FROM trajectory), "
        "municipality_id, "
        "number + 1, arrangement_id, tariff_id, scheme_version_id, start_date + 30, "
        "end_date + 30, planned_end_date + 30, amount_cents, true, created_at, allocated_at "
        "FROM allocation WHERE trajectory_id = :id"),
        {"id": first.id})
    found = checks()
    assert found["children_with_two_running_allocations"] == 1 and not found["consistent"]


def test_a_trajectory_left_without_allocation_is_found(world):
    trajectory = world.trajectory()
    db.session.execute(text("DELETE FROM allocation WHERE trajectory_id = :id"),
                       {"id": trajectory.id})
    assert checks()["trajectories_without_allocation"] == 1


def test_a_declaration_whose_lines_disagree_with_it_is_found(world):
    world.trajectory("started")
    declaration = declare(world)
    db.session.flush()
    lines = db.session.execute(text("SELECT count(*) FROM declaration_line "
                                    "WHERE declaration_id = :id"), {"id": declaration.id})
    assert lines.scalar() > 0
    db.session.execute(text("UPDATE declaration_line SET status = 'submitted' "
                            "WHERE declaration_id = :id"), {"id": declaration.id})
    assert checks()["half_submitted_declarations"] == 1


def test_an_import_is_all_or_nothing(world):
    trajectory = world.trajectory()
    bsn = trajectory.client.bsn
    assert checks(imported_bsns=(bsn, bsn), expected_rows=1)["import_all_or_nothing"]
    partial = checks(imported_bsns=(bsn, bsn), expected_rows=2)
    assert partial["import_rows_stored"] == 1 and not partial["consistent"]
