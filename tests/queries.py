"""Counting the SQL statements a request issues: a page costs the same whatever it shows."""

from contextlib import contextmanager

from sqlalchemy import event

from portal.extensions import db
from tests.conftest import refresh_figures


@contextmanager
def statements():
    """Every statement sent to the database inside the block."""
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def page_statements(client, url: str, status: int = 200) -> list[str]:
    """The page's own statements, the tests' savepoints left out. The session is expired
    first, as after a commit: the request loads whatever it shows."""
    db.session.expire_all()
    with statements() as seen:
        assert client.get(url).status_code == status
    return [s for s in seen if not s.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


def statements_for(client, url: str, status: int = 200) -> int:
    """How many statements the page issues; the figures' refresh after the set-up's commits
    (a worker's task in production) left out."""
    refresh_figures()
    return len(page_statements(client, url, status))
