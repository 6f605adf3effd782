"""SQL statements per request: the same request through the app's test client against the
bench database, counted with a SQLAlchemy event."""

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from bench.pages import Page
from portal.extensions import db
from portal.models import User
from portal.web.auth.sessions import stamp


def signed_in_client(app: Flask, email: str) -> FlaskClient:
    """A test client whose session is that of `email`, two factors done."""
    client = app.test_client()
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
            stamp(session, two_factor=True)
    return client


def statements_per_request(app: Flask, page: Page) -> int:
    client = signed_in_client(app, page.email)
    with app.app_context():
        client.get(page.path)  # warm: the first request of a process loads more
        seen = []

        def count(*_args):
            seen.append(1)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            response = client.get(page.path)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    if response.status_code != 200:
        raise RuntimeError(f"{page.path} answered {response.status_code} in the test client")
    return len(seen)
