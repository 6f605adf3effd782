"""The two-step login, setting up two factors, and the rules around a half-done login."""

import logging
import re
import time
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from portal.domain import two_factor
from portal.extensions import db
from portal.models import User
from portal.models.types import utcnow
from portal.web.auth.sessions import PENDING, SEEN, STARTED, stamp
from tests.conftest import login_as
from tests.factories import PASSWORD

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
TOTP = pyotp.TOTP(SECRET)


def password_step(client, email: str, query: str = ""):
    return client.post(f"/inloggen{query}", data={"email": email, "password": PASSWORD})


def text(response) -> str:
    return response.get_data(as_text=True)


def wrong_code() -> str:
    valid = {TOTP.at(time.time() + n * 30) for n in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


@pytest.fixture
def recovery_codes(world) -> list[str]:
    """The municipal reviewer set up two factors ten minutes ago."""
    earlier = utcnow() - timedelta(minutes=10)
    codes = two_factor.enrol(world.users["reviewer"], SECRET, TOTP.at(earlier), earlier)
    db.session.flush()
    return codes


@pytest.fixture
def reviewer(world, recovery_codes) -> User:
    return world.users["reviewer"]


def test_municipal_login_asks_for_the_code_before_anything_else(client, reviewer):
    response = password_step(client, "reviewer@example.test")
    assert response.headers["Location"] == "/inloggen/code"
    with client.session_transaction() as session:
        assert "_user_id" not in session  # not logged in yet
    assert client.get("/").headers["Location"] == "/inloggen/code"
    htmx = client.get("/", headers={"HX-Request": "true"})
    assert (htmx.status_code, htmx.headers["HX-Redirect"]) == (401, "/inloggen/code")
    assert "Open de authenticator-app" in text(client.get("/inloggen/code"))
    done = client.post("/inloggen/code", data={"code": TOTP.now()})
    assert done.headers["Location"] == "/"
    assert "Welkom, reviewer" in text(client.get("/"))


def test_the_page_asked_for_before_login_is_shown_after_the_second_step(client, reviewer):
    password_step(client, "reviewer@example.test", "?next=/account")
    done = client.post("/inloggen/code", data={"code": TOTP.now()})
    assert done.headers["Location"] == "/account"


def test_a_reused_code_is_refused_in_dutch_and_changes_nothing(app, reviewer):
    first, second = app.test_client(), app.test_client()
    code = TOTP.now()
    password_step(first, "reviewer@example.test")
    assert first.post("/inloggen/code", data={"code": code}).status_code == 302
    step = db.session.scalar(select(User.totp_last_step).where(User.id == reviewer.id))
    password_step(second, "reviewer@example.test")
    replay = second.post("/inloggen/code", data={"code": code})
    assert replay.status_code == 200
    assert "Deze code is al gebruikt." in text(replay)
    assert db.session.scalar(select(User.totp_last_step).where(User.id == reviewer.id)) == step
    assert second.get("/").headers["Location"] == "/inloggen/code"


def test_a_wrong_code_is_refused_in_dutch(client, reviewer):
    password_step(client, "reviewer@example.test")
    response = client.post("/inloggen/code", data={"code": wrong_code()})
    assert "Deze code is niet juist." in text(response)
    assert 'aria-invalid="true"' in text(response)
    assert client.get("/").headers["Location"] == "/inloggen/code"


def test_an_empty_or_overlong_code_gets_a_dutch_message(client, reviewer):
    password_step(client, "reviewer@example.test")
    assert "Vul de code uit uw app of een herstelcode in." in text(
        client.post("/inloggen/code", data={"code": ""}))
    overlong = client.post("/inloggen/code", data={"code": "9" * 41})
    assert "Een code is nooit zo lang." in text(overlong)


def test_a_recovery_code_logs_in_once_and_says_how_many_are_left(app, reviewer, recovery_codes):
    first, second = app.test_client(), app.test_client()
    code = recovery_codes[0]
    password_step(first, "reviewer@example.test")
    assert first.post("/inloggen/code", data={"code": code}).headers["Location"] == "/"
    assert "Er zijn nog 9 over." in text(first.get("/"))
    password_step(second, "reviewer@example.test")
    assert "Deze code is niet juist of is al gebruikt." in text(
        second.post("/inloggen/code", data={"code": code}))


def test_cancelling_a_half_done_login(client, reviewer):
    password_step(client, "reviewer@example.test")
    assert client.post("/uitloggen").headers["Location"] == "/inloggen"
    assert client.get("/inloggen/code").headers["Location"] == "/inloggen"
    assert client.get("/").headers["Location"].startswith("/inloggen?next=")


def test_a_half_done_login_expires_like_a_session(app, client, reviewer):
    password_step(client, "reviewer@example.test")
    idle = app.config["SESSION_IDLE_MINUTES"] * 60
    with client.session_transaction() as session:
        session[STARTED] = session[SEEN] = int(time.time()) - idle - 1
    response = client.post("/inloggen/code", data={"code": TOTP.now()})
    assert response.headers["Location"] == "/inloggen"
    assert "Uw sessie is verlopen." in text(client.get("/inloggen"))


def test_a_password_change_elsewhere_ends_a_half_done_login(client, reviewer):
    password_step(client, "reviewer@example.test")
    reviewer.session_token = "rotated"
    db.session.flush()
    assert client.post("/inloggen/code", data={"code": TOTP.now()}).headers["Location"] == (
        "/inloggen")


def test_a_municipal_user_without_two_factors_must_set_them_up_first(client, world):
    assert password_step(client, "access_staff@example.test").headers["Location"] == (
        "/tweestapsverificatie")
    for blocked in ("/", "/account"):
        assert client.get(blocked).headers["Location"] == "/inloggen/code"
    assert client.get("/inloggen/code").headers["Location"] == "/tweestapsverificatie"
    page = text(client.get("/tweestapsverificatie"))
    assert "Voor uw rol is inloggen in twee stappen verplicht" in page
    assert re.search(r'<svg [^>]*class="portal-qr"', page)
    secret = re.search(r'class="utrecht-code portal-secret">([A-Z2-7]{32})<', page).group(1)
    assert secret in text(client.get("/tweestapsverificatie"))  # the same secret on reload

    refused = client.post("/tweestapsverificatie", data={"code": "12345"})
    assert "Deze code is niet juist." in text(refused)
    assert world.users["access_staff"].totp_secret is None

    done = client.post("/tweestapsverificatie", data={"code": pyotp.TOTP(secret).now()})
    codes = re.findall(r'<code class="utrecht-code">([0-9a-z-]{29})</code>', text(done))
    assert len(codes) == 10
    assert done.headers["Cache-Control"] == "no-store"
    assert world.users["access_staff"].totp_secret == secret
    assert "Welkom, access_staff" in text(client.get("/"))
    with client.session_transaction() as session:
        assert PENDING not in session and "new_totp" not in session


def test_a_provider_logs_in_with_a_password_and_may_turn_two_factors_on(client, world):
    user = world.users["provider_staff"]
    assert password_step(client, "provider_staff@example.test").headers["Location"] == "/"
    assert "Staat uit." in text(client.get("/account"))
    page = text(client.get("/tweestapsverificatie"))
    assert "verplicht" not in page
    secret = re.search(r'portal-secret">([A-Z2-7]{32})<', page).group(1)
    code = pyotp.TOTP(secret).now()
    # From the account page the password is asked again before two factors go on.
    assert "Vul uw huidige wachtwoord in." in text(
        client.post("/tweestapsverificatie", data={"code": code}))
    wrong = client.post("/tweestapsverificatie",
                        data={"code": code, "current_password": "not my password"})
    assert "Het huidige wachtwoord is niet juist." in text(wrong)
    assert user.totp_secret is None
    done = client.post("/tweestapsverificatie",
                       data={"code": code, "current_password": PASSWORD})
    assert len(re.findall(r'<code class="utrecht-code">', text(done))) == 10
    assert user.totp_secret == secret
    account = text(client.get("/account"))  # still logged in, now with two factors
    assert "Staat aan." in account and "Ongebruikte herstelcodes: 10" in account
    assert client.get("/tweestapsverificatie").headers["Location"] == "/account"

    client.post("/uitloggen")
    assert password_step(client, "provider_staff@example.test").headers["Location"] == (
        "/inloggen/code")


def test_a_session_without_the_second_factor_is_ended_for_roles_that_need_it(client, world):
    with client.session_transaction() as session:
        session["_user_id"] = world.users["reviewer"].get_id()
        stamp(session, two_factor=False)
    response = client.get("/")
    assert response.headers["Location"].startswith("/inloggen")
    assert "voor uw account is een tweede stap nodig" in text(client.get("/inloggen"))
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_setting_up_needs_a_login(client, world):
    assert client.get("/tweestapsverificatie").headers["Location"].startswith("/inloggen")
    login_as(client, world.users["reviewer"])
    assert client.get("/inloggen/code").headers["Location"] == "/inloggen"


def test_logins_are_logged_with_the_factors_used(client, reviewer, world, caplog):
    with caplog.at_level(logging.INFO, logger="portal.security"):
        password_step(client, "reviewer@example.test")
        client.post("/inloggen/code", data={"code": TOTP.now()})
        client.post("/uitloggen")
        password_step(client, "provider_staff@example.test")
    lines = [r.getMessage() for r in caplog.records if r.name == "portal.security"]
    assert lines == [
        f"login of user {reviewer.id} (reviewer, two factors)",
        f"login of user {world.users['provider_staff'].id} (provider_staff, password only)",
    ]


def test_real_forms_two_step_login_with_csrf(client, reviewer, csrf):
    def token(html: str) -> str:
        return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)

    page = text(client.get("/inloggen"))
    step = client.post("/inloggen", data={"email": "reviewer@example.test", "password": PASSWORD,
                                          "csrf_token": token(page)})
    code_page = text(client.get(step.headers["Location"]))
    assert client.post("/inloggen/code", data={"code": TOTP.now()}).status_code == 400
    done = client.post("/inloggen/code", data={"code": TOTP.now(),
                                               "csrf_token": token(code_page)})
    assert done.headers["Location"] == "/"


def test_nothing_from_before_the_login_survives_in_the_session(client, reviewer):
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    password_step(client, "reviewer@example.test")
    with client.session_transaction() as session:
        assert "planted" not in session
        session["planted_halfway"] = "again"
    client.post("/inloggen/code", data={"code": TOTP.now()})
    with client.session_transaction() as session:
        assert "planted_halfway" not in session and "_user_id" in session
