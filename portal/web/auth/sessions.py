"""Session rules: whose session it is, how long it lives, and the step between the password
and the second factor. Everything is kept in Flask's signed session cookie and checked on
every request."""

import hmac
import time

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from portal.domain import two_factor
from portal.extensions import db, htmx, login_manager
from portal.models import User
from portal.web.auth.throttle import security_log

STARTED = "started_at"  # when the password was accepted (epoch seconds)
SEEN = "seen_at"  # the latest request (epoch seconds)
TWO_FACTOR = "two_factor"  # this login was confirmed with a second factor
PENDING = "pending_login"  # "user id:session token" between the password and the second factor
PENDING_NEXT = "pending_next"  # where to go once the login is complete

# Reachable whatever the session holds; halfway through a login, only _HALFWAY besides.
# The machine door signs in with its API token only, never with a session.
_OPEN = frozenset({"static", "main.healthz", "door.receive"})
_HALFWAY = frozenset({"auth.login", "auth.logout", "auth.second_factor", "auth.enrol",
                      "main.set_language"})


def user_for(session_id: str | None) -> User | None:
    """The active account that a "user id:session token" value still belongs to."""
    user_id, _sep, token = (session_id or "").partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or not hmac.compare_digest(user.session_token, token):
        return None
    return user


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    return user_for(session_id)


def stamp(store, *, two_factor: bool, now: float | None = None) -> None:
    """Start the clocks of a new session (the tests' login_as uses this too)."""
    store[STARTED] = store[SEEN] = int(time.time() if now is None else now)
    store[TWO_FACTOR] = two_factor


def pending_user() -> User | None:
    return user_for(session.get(PENDING))


def after_password(user: User, next_url: str | None):
    """The password was right: log in, or go on to the second factor (or to setting it up)."""
    if not two_factor.applies_to(user):
        return redirect(complete_login(user, two_factor=False, next_url=next_url))
    session.clear()  # a fresh session: nothing from before the login survives
    session[PENDING] = user.get_id()
    if next_url:
        session[PENDING_NEXT] = next_url
    stamp(session, two_factor=False)
    return redirect(url_for("auth.second_factor" if user.totp_secret else "auth.enrol"))


def complete_login(user: User, *, two_factor: bool, next_url: str | None = None) -> str:
    """A fresh, logged-in session; returns where to go next."""
    next_url = next_url or session.get(PENDING_NEXT)
    session.clear()
    login_user(user)
    stamp(session, two_factor=two_factor)
    security_log.info("login of user %s (%s, %s)", user.id, user.role.value,
                      "two factors" if two_factor else "password only")
    return next_url or url_for("main.home")


def to_login(message: str, category: str = "info"):
    """To the login page; an HTMX request gets 401 with HX-Redirect instead of a page swap."""
    login_url = url_for("auth.login", next=request.full_path if request.method == "GET" else None)
    if htmx:
        return "", 401, {"HX-Redirect": login_url}
    flash(message, category)
    return redirect(login_url)


def enforce_session_rules():
    """Before every request: end expired sessions; keep a half-done login on its next step."""
    if request.endpoint in _OPEN or not (session.get("_user_id") or session.get(PENDING)):
        return None
    now = int(time.time())
    if _expired(now):
        session.clear()
        return to_login(_("Uw sessie is verlopen. Log opnieuw in."), "warning")
    session[SEEN] = now
    if session.get(PENDING):
        if request.endpoint in _HALFWAY:
            return None
        step = url_for("auth.second_factor")
        return ("", 401, {"HX-Redirect": step}) if htmx else redirect(step)
    if (current_user.is_authenticated and two_factor.applies_to(current_user)
            and not session.get(TWO_FACTOR)):
        session.clear()
        return to_login(_("Log opnieuw in: voor uw account is een tweede stap nodig."), "warning")
    return None


def _expired(now: int) -> bool:
    started, seen = session.get(STARTED), session.get(SEEN)
    if started is None or seen is None:
        return True
    config = current_app.config
    return (now - seen > config["SESSION_IDLE_MINUTES"] * 60
            or now - started > config["SESSION_MAX_HOURS"] * 3600)

