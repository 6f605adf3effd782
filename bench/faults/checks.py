"""The data after a drill: nothing partial, nothing half done, nothing twice."""

import psycopg

# Children with two current allocations of one arrangement at one provider whose periods
# overlap, in trajectories still running: each could be declared, the provider paid twice.
TWO_RUNNING = """
SELECT count(DISTINCT t1.client_id)
FROM allocation a1
JOIN trajectory t1 ON t1.id = a1.trajectory_id AND t1.status <> 'ended'
JOIN allocation a2 ON a2.id > a1.id AND a2.is_current AND a2.arrangement_id = a1.arrangement_id
JOIN trajectory t2 ON t2.id = a2.trajectory_id AND t2.client_id = t1.client_id
                  AND t2.provider_id = t1.provider_id AND t2.status <> 'ended'
WHERE a1.is_current AND a1.start_date <= a2.end_date AND a2.start_date <= a1.end_date
"""
# A declaration whose status and whose lines disagree: submitted with a concept line, or a
# concept with a line already submitted or decided.
HALF_SUBMITTED = """
SELECT count(DISTINCT d.id)
FROM declaration d JOIN declaration_line l ON l.declaration_id = d.id
WHERE (d.status = 'concept') <> (l.status = 'concept')
"""
# Trajectories without any allocation: what an import stopped halfway would leave.
ORPHANS = """
SELECT count(*) FROM trajectory t
WHERE NOT EXISTS (SELECT 1 FROM allocation a WHERE a.trajectory_id = t.id)
"""


def consistency(url: str, imported_bsns: tuple[str, str] | None = None,
                expected_rows: int | None = None) -> dict:
    with psycopg.connect(url) as connection:
        return consistency_of(connection, imported_bsns, expected_rows)


def consistency_of(connection, imported_bsns: tuple[str, str] | None = None,
                   expected_rows: int | None = None) -> dict:
    """The checks; with a BSN range, also how many of an import's children exist."""
    found = {"children_with_two_running_allocations": _one(connection, TWO_RUNNING),
             "half_submitted_declarations": _one(connection, HALF_SUBMITTED),
             "trajectories_without_allocation": _one(connection, ORPHANS)}
    if imported_bsns:
        rows = _one(connection, "SELECT count(*) FROM client WHERE bsn BETWEEN %s AND %s",
                    imported_bsns)
        found["import_rows_stored"] = rows
        found["import_all_or_nothing"] = rows in (0, expected_rows)
    found["consistent"] = (found["children_with_two_running_allocations"] == 0
                           and found["half_submitted_declarations"] == 0
                           and found["trajectories_without_allocation"] == 0
                           and found.get("import_all_or_nothing", True))
    return found


def _one(connection, sql: str, params=None) -> int:
    return connection.execute(sql, params).fetchone()[0]


def table_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]
        return {table: _one(connection, f'SELECT count(*) FROM "{table}"') for table in tables}


# The audit trail in order, as one digest: any lost, changed or reordered row changes it.
AUDIT_DIGEST = """
SELECT count(*), coalesce(max(id), 0),
       md5(coalesce(string_agg(concat_ws('|', id, at, actor_id, role, action, object_type,
                                         object_id, client_id, trajectory_id, before::text,
                                         after::text, origin), E'\\n' ORDER BY id), ''))
FROM audit_event
"""


def audit_chain(url: str) -> dict:
    with psycopg.connect(url) as connection:
        count, last_id, digest = connection.execute(AUDIT_DIGEST).fetchone()
        guarded = connection.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'audit_event'::regclass "
            "AND NOT tgisinternal").fetchone()[0]
    return {"rows": count, "last_id": last_id, "digest": digest, "triggers": guarded}
