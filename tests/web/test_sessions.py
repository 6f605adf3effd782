"""Sessions: idle timeout and absolute lifetime on the server, cookies, password change."""

import time

import pytest

from portal import create_app
from portal.extensions import db
from portal.web.auth.sessions import SEEN, STARTED
from tests.conftest import config_for, login_as
from tests.factories import PASSWORD

NEW = "a much longer passphrase"


def text(response) -> str:
    return response.get_data(as_text=True)


def shift_clocks(client, *, started: int = 0, seen: int = 0) -> None:
    """Pretend the session started / was last used this many seconds ago."""
    now = int(time.time())
    with client.session_transaction() as session:
        session[STARTED] = now - started
        session[SEEN] = now - seen


@pytest.fixture
def reviewer_client(client, world):
    login_as(client, world.users["reviewer"])
    return client


def test_an_idle_session_expires_with_a_dutch_message(app, reviewer_client):
    shift_clocks(reviewer_client, seen=app.config["SESSION_IDLE_MINUTES"] * 60 + 1)
    response = reviewer_client.get("/account")
    assert response.headers["Location"] == "/inloggen?next=/account?"
    assert "Uw sessie is verlopen. Log opnieuw in." in text(reviewer_client.get("/inloggen"))
    with reviewer_client.session_transaction() as session:
        assert "_user_id" not in session


def test_activity_keeps_a_session_alive(app, reviewer_client):
    shift_clocks(reviewer_client, seen=app.config["SESSION_IDLE_MINUTES"] * 60 - 30)
    assert reviewer_client.get("/").status_code == 200
    with reviewer_client.session_transaction() as session:
        assert session[SEEN] >= int(time.time()) - 1
    assert reviewer_client.get("/").status_code == 200


def test_a_session_ends_after_its_absolute_lifetime_even_when_active(app, reviewer_client):
    shift_clocks(reviewer_client, started=app.config["SESSION_MAX_HOURS"] * 3600 + 1)
    assert reviewer_client.get("/").headers["Location"].startswith("/inloggen")


def test_an_expired_htmx_request_gets_401_and_hx_redirect(app, reviewer_client):
    shift_clocks(reviewer_client, seen=app.config["SESSION_IDLE_MINUTES"] * 60 + 1)
    response = reviewer_client.get("/", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/inloggen")


def test_a_session_without_timestamps_is_not_accepted(client, world):
    with client.session_transaction() as session:
        session["_user_id"] = world.users["provider_staff"].get_id()
    assert client.get("/").headers["Location"].startswith("/inloggen")


def test_the_timeouts_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("PORTAL_SESSION_IDLE_MINUTES", "5")
    monkeypatch.setenv("PORTAL_SESSION_MAX_HOURS", "2")
    config = create_app(config_for("sqlite://")).config
    assert (config["SESSION_IDLE_MINUTES"], config["SESSION_MAX_HOURS"]) == (5, 2)


def test_the_configured_idle_timeout_is_the_one_enforced(app, monkeypatch, reviewer_client):
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 5)
    shift_clocks(reviewer_client, seen=5 * 60 + 1)
    assert reviewer_client.get("/").headers["Location"].startswith("/inloggen")


@pytest.mark.parametrize(("env", "secure"), [("production", True), ("test", False)])
def test_session_cookie_flags(env, secure, tmp_path):
    settings = config_for(f"sqlite:///{tmp_path}/cookies.sqlite") | {"ENV": env}
    response = create_app(settings).test_client().get("/")  # the login message sets the cookie
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert ("Secure" in cookie) is secure


def test_a_disabled_account_loses_its_open_session(reviewer_client, world):
    assert reviewer_client.get("/").status_code == 200
    world.users["reviewer"].active = False
    db.session.flush()
    assert reviewer_client.get("/").headers["Location"].startswith("/inloggen")


def test_changing_the_password_keeps_this_browser_and_ends_the_others(app, world):
    user = world.users["reviewer"]
    here, elsewhere = app.test_client(), app.test_client()
    login_as(here, user)
    login_as(elsewhere, user)
    response = here.post("/account/wachtwoord", data={
        "current_password": PASSWORD, "new_password": NEW, "repeat_password": NEW})
    assert response.headers["Location"] == "/account"
    assert "Uw wachtwoord is gewijzigd." in text(here.get("/account"))
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").headers["Location"].startswith("/inloggen")
    assert user.check_password(NEW)


@pytest.mark.parametrize(("data", "message"), [
    ({"current_password": "not my password", "new_password": NEW, "repeat_password": NEW},
     "Het huidige wachtwoord is niet juist."),
    ({"current_password": PASSWORD, "new_password": "te kort", "repeat_password": "te kort"},
     "Een wachtwoord heeft minstens 12 tekens."),
    ({"current_password": PASSWORD, "new_password": NEW, "repeat_password": NEW + "!"},
     "De twee nieuwe wachtwoorden zijn niet gelijk."),
    ({}, "Vul uw huidige wachtwoord in."),
    ({"current_password": PASSWORD, "new_password": "x" * 201, "repeat_password": "x" * 201},
     "Een wachtwoord heeft hoogstens 200 tekens."),
])
def test_password_change_errors_are_dutch_and_change_nothing(reviewer_client, world, data,
                                                             message):
    token = world.users["reviewer"].session_token
    response = reviewer_client.post("/account/wachtwoord", data=data)
    assert response.status_code == 200
    assert message in text(response)
    assert world.users["reviewer"].check_password(PASSWORD)
    assert world.users["reviewer"].session_token == token


def test_the_password_form_works_with_csrf_protection(reviewer_client, world, csrf):
    page = text(reviewer_client.get("/account/wachtwoord"))
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    response = reviewer_client.post("/account/wachtwoord", data={
        "csrf_token": token, "current_password": PASSWORD, "new_password": NEW,
        "repeat_password": NEW})
    assert response.status_code == 302
    assert reviewer_client.post("/account/wachtwoord", data={
        "current_password": NEW, "new_password": PASSWORD + "!",
        "repeat_password": PASSWORD + "!"}).status_code == 400


def test_every_role_reaches_its_account_page(client, world):
    for key, user in world.users.items():
        login_as(client, user)
        page = text(client.get("/account"))
        assert user.email in page, key
        assert "Wachtwoord wijzigen" in page
