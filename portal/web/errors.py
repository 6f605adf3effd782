"""Error pages that need no database.

A failed statement leaves the session's transaction aborted (PostgreSQL refuses every further
statement), and the database may be gone altogether. So a 500 first rolls the session back;
every error page loads what its header shows of the user before rendering (after a rollback
if that fails) and is rendered for an anonymous visitor when the user cannot be loaded: the
template itself queries nothing. A 4xx keeps the transaction as it is: nothing failed in the
database, and what the request did is discarded at its end anyway. An unreachable database
answers 503 with a Dutch page; an HTMX request gets the notice retargeted to the page's
notice area (base.html lets htmx swap a 503). A transaction PostgreSQL broke off because it
collided with another (a deadlock, a serialization failure) is no outage: the database is
there and nothing was stored, so the answer is a 409 saying so, in the same two forms."""

from flask import current_app, g, render_template
from flask_login import current_user
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError, SQLAlchemyError

from portal.extensions import db, login_manager
from portal.web.access import wants_fragment

# What the driver raises when the server is down, restarting or the connection broke; an
# OperationalError may also be a collision with another transaction (below).
DATABASE_UNREACHABLE = (OperationalError, InterfaceError, DisconnectionError)
# SQLSTATEs of a transaction rolled back for colliding with a concurrent one: a deadlock
# (40P01, psycopg's DeadlockDetected) and a serialization failure (40001). The request cannot
# be retried generically (its form or file is gone by then); the user sends it again.
COLLISION_SQLSTATES = frozenset({"40P01", "40001"})
RETRY_AFTER_SECONDS = 10
NOTICE_AREA = "#portal-notice"


def register_error_pages(app) -> None:
    for status in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(status, error_page)
    for error in DATABASE_UNREACHABLE:
        app.register_error_handler(error, database_error)


def error_page(error):
    original = getattr(error, "original_exception", None)
    if isinstance(original, DATABASE_UNREACHABLE):  # e.g. raised while finishing a response
        return database_error(original)
    status = getattr(error, "code", 500) or 500
    if status >= 500:
        discard_transaction()
    _user_or_anonymous()
    return render_template("errors/error.html", status=status), status


def database_error(error):
    """A collision with another transaction (409), else the database is unreachable (503)."""
    sqlstate = getattr(getattr(error, "orig", None), "sqlstate", None)
    if sqlstate in COLLISION_SQLSTATES:
        return concurrent_change(error, sqlstate)
    return database_unavailable(error)


def concurrent_change(error, sqlstate: str):
    # The type and SQLSTATE only: the statement and its parameters may hold a BSN.
    current_app.logger.warning("transaction collided with another (SQLSTATE %s): %s",
                               sqlstate, type(error.orig).__name__)
    discard_transaction()
    _user_or_anonymous()  # the database is there: the page header shows the user
    return _page_or_notice("errors/conflict.html", "errors/_conflict.html", 409,
                           {"Cache-Control": "no-store"})


def database_unavailable(error):
    current_app.logger.error("database unreachable: %s", type(error).__name__)
    discard_transaction()
    g._login_user = login_manager.anonymous_user()  # loading the user would need the database
    return _page_or_notice("errors/unavailable.html", "errors/_unavailable.html", 503,
                           {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"})


def _page_or_notice(page: str, notice: str, status: int, headers: dict[str, str]):
    """The error page, or for an HTMX request its notice, retargeted to the page's notice
    area (base.html lets htmx swap these statuses)."""
    if wants_fragment():
        headers = headers | {"HX-Retarget": NOTICE_AREA, "HX-Reswap": "innerHTML"}
        return render_template(notice), status, headers
    return render_template(page), status, headers


def discard_transaction() -> None:
    """Whatever the failed request did is undone; a transaction PostgreSQL aborted is over."""
    try:
        db.session.rollback()
    except SQLAlchemyError:  # the connection is gone; the pool replaces it
        current_app.logger.warning("rollback after an error failed", exc_info=True)


def _user_or_anonymous() -> None:
    """Load what the page header shows of the user now, so that rendering cannot query: in
    the transaction as it is, else in a fresh one, else the page is for an anonymous visitor."""
    for attempt in (1, 2):
        try:
            user = current_user._get_current_object()
            if user.is_authenticated:
                (user.name, user.role, user.organisation.name)  # noqa: B018 - loads them now
            return
        except SQLAlchemyError:
            discard_transaction()
            if attempt == 2:
                g._login_user = login_manager.anonymous_user()
