"""Login throttling: ten failures per account and per client address, then 429; the log."""

import logging
import socket
import threading
import time
from datetime import timedelta

import pyotp
import pytest
from werkzeug.exceptions import TooManyRequests

from portal import create_app
from portal.domain import two_factor
from portal.extensions import db, limiter
from portal.models.types import utcnow
from portal.web.auth import throttle
from tests.conftest import config_for, login_as
from tests.factories import PASSWORD

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
WRONG = "wrong password!"


def attempt(client, email, password=WRONG, address="192.0.2.1", headers=None):
    return client.post("/inloggen", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address}, headers=headers)


def assert_refused(response):
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "Te veel mislukte pogingen" in page
    assert "Wacht 15 minuten en probeer het dan opnieuw." in page


@pytest.fixture
def other_app(app):
    """An app with extra settings on the test database (it holds no data for these tests).

    The limiter is one object: afterwards it goes back to the suite's own storage.
    """
    made = []

    def build(**settings):
        made.append(create_app({**config_for(app.config["SQLALCHEMY_DATABASE_URI"]),
                                **settings}))
        return made[-1]

    yield build
    limiter.reset()
    limiter.init_app(app)
    for other in made:
        with other.app_context():
            db.engine.dispose()


def test_an_account_is_locked_after_ten_failures_from_any_addresses(client, world):
    for n in range(10):
        response = attempt(client, "provider_staff@example.test", address=f"192.0.2.{n}")
        assert response.status_code == 200
    assert_refused(attempt(client, "provider_staff@example.test", PASSWORD, "198.51.100.7"))
    # Another account from a fresh address is not affected.
    assert attempt(client, "reviewer@example.test", PASSWORD, "198.51.100.8").status_code == 302


def test_an_address_is_locked_after_ten_failures_on_any_accounts(client, world):
    for n in range(10):
        assert attempt(client, f"nobody{n}@example.test").status_code == 200
    assert_refused(attempt(client, "provider_staff@example.test", PASSWORD))
    assert attempt(client, "provider_staff@example.test", PASSWORD, "192.0.2.99").status_code == 302


def test_successful_logins_and_empty_forms_do_not_count(app, world):
    for _ in range(12):
        login = attempt(app.test_client(), "provider_staff@example.test", PASSWORD)
        assert login.status_code == 302
        assert attempt(app.test_client(), "", "").status_code == 200


def test_wrong_second_factor_codes_count_towards_the_lockout(client, world):
    user = world.users["reviewer"]
    earlier = utcnow() - timedelta(minutes=10)
    two_factor.enrol(user, SECRET, pyotp.TOTP(SECRET).at(earlier), earlier)
    assert attempt(client, "reviewer@example.test", PASSWORD).status_code == 302
    environ = {"REMOTE_ADDR": "192.0.2.1"}
    for n in range(10):
        response = client.post("/inloggen/code", data={"code": "12345"}, environ_base=environ)
        # The tenth wrong code also locks the second factor (test_two_factor_lockout.py).
        expected = "Deze code is niet juist" if n < 9 else "Uw tweede stap is geblokkeerd"
        assert expected in response.get_data(as_text=True)
    assert_refused(client.post("/inloggen/code", data={"code": pyotp.TOTP(SECRET).now()},
                               environ_base=environ))


def test_wrong_current_passwords_on_the_password_page_count_too(client, world):
    login_as(client, world.users["provider_staff"])
    data = {"current_password": "not my password", "new_password": "a long new passphrase",
            "repeat_password": "a long new passphrase"}
    for _ in range(10):
        assert client.post("/account/wachtwoord", data=data).status_code == 200
    assert_refused(client.post("/account/wachtwoord", data=data))
    assert_refused(attempt(client, "provider_staff@example.test", PASSWORD, "198.51.100.9"))


def test_wrong_passwords_when_turning_two_factors_on_count_too(client, world):
    login_as(client, world.users["provider_staff"])
    data = {"code": "123456", "current_password": "not my password"}
    for _ in range(10):
        response = client.post("/tweestapsverificatie", data=data)
        assert "Het huidige wachtwoord is niet juist." in response.get_data(as_text=True)
    assert_refused(client.post("/tweestapsverificatie", data=data))


def test_failed_logins_are_logged_without_password_or_line_breaks(client, world, caplog):
    forged = "x@example.test\r\n2026-01-01 INFO portal.security login ok for admin"
    with caplog.at_level(logging.WARNING, logger="portal.security"):
        attempt(client, forged, "Geheim-wachtwoord-123")
    [record] = [r for r in caplog.records if r.name == "portal.security"]
    line = record.getMessage()
    assert "\n" not in line and "\r" not in line
    assert "x@example.test\\x0d\\x0a2026-01-01" in line
    assert "Geheim-wachtwoord-123" not in line
    assert "192.0.2.1" in line


def test_a_lockout_is_logged(client, world, caplog):
    for _ in range(10):
        attempt(client, "provider_staff@example.test")
    with caplog.at_level(logging.WARNING, logger="portal.security"):
        attempt(client, "provider_staff@example.test")
    assert any("login refused after too many failures" in r.getMessage()
               and "provider_staff@example.test" in r.getMessage() for r in caplog.records)


def test_behind_a_proxy_the_forwarded_client_address_counts(other_app):
    client = other_app(PROXY_COUNT=1).test_client()
    behind = {"X-Forwarded-For": "203.0.113.5"}
    for n in range(10):
        assert attempt(client, f"nobody{n}@example.test", headers=behind).status_code == 200
    assert_refused(attempt(client, "nobody@example.test", headers=behind))
    other = attempt(client, "nobody@example.test", headers={"X-Forwarded-For": "203.0.113.6"})
    assert other.status_code == 200


def _redis_is_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


def test_the_lockout_works_with_redis_as_storage(other_app, monkeypatch):
    if not _redis_is_up():
        pytest.skip("no Redis on 127.0.0.1:6379")
    monkeypatch.setenv("PORTAL_RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/15")
    redis_app = other_app()
    assert type(limiter.storage).__name__ == "RedisStorage"
    limiter.reset()
    client = redis_app.test_client()
    for _ in range(10):
        assert attempt(client, "nobody@example.test").status_code == 200
    assert_refused(attempt(client, "nobody@example.test", address="198.51.100.7"))


def _parallel_wrong_passwords(app, attempts: int) -> tuple[int, int]:
    """`attempts` wrong passwords for one account at the same moment, each on its own thread.

    Returns how many reached the password check and how many were refused with 429.
    """
    checked, refused = [], []
    start = threading.Barrier(attempts)

    def wrong_password():
        checked.append(1)
        time.sleep(0.05)  # the time a password hash takes, so the attempts overlap
        throttle.failed("password", "parallel@example.test")
        return "wrong"

    view = throttle.guard(account_key=lambda: "parallel@example.test")(wrong_password)

    def attempt_once(n):
        with app.test_request_context("/inloggen", method="POST",
                                      environ_base={"REMOTE_ADDR": f"192.0.2.{n}"}):
            start.wait()
            try:
                view()
            except TooManyRequests:
                refused.append(1)

    threads = [threading.Thread(target=attempt_once, args=(n,)) for n in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(checked), len(refused)


def test_thirty_parallel_wrong_passwords_check_at_most_ten(app):
    assert _parallel_wrong_passwords(app, 30) == (10, 20)


def test_thirty_parallel_wrong_passwords_check_at_most_ten_with_redis(other_app, monkeypatch):
    if not _redis_is_up():
        pytest.skip("no Redis on 127.0.0.1:6379")
    monkeypatch.setenv("PORTAL_RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/15")
    redis_app = other_app()
    limiter.reset()
    assert _parallel_wrong_passwords(redis_app, 30) == (10, 20)


@pytest.fixture
def redis_down(app, other_app, monkeypatch):
    """The portal configured for a Redis that is not there (a closed port)."""
    monkeypatch.setenv("PORTAL_RATELIMIT_STORAGE_URI", "redis://127.0.0.1:1/0")
    throttle.reset_local()
    yield other_app()
    throttle.reset_local()
    limiter.init_app(app)  # before other_app resets the limiter's (unreachable) storage


def test_with_redis_down_logins_go_on_and_are_throttled_per_process(redis_down, world, caplog):
    client = redis_down.test_client()
    with caplog.at_level(logging.WARNING, logger="portal.security"):
        assert attempt(client, "provider_staff@example.test", PASSWORD).status_code == 302
    assert any("storage unreachable, counting in this process" in r.getMessage()
               for r in caplog.records)
    for n in range(10):
        assert attempt(redis_down.test_client(), "reviewer@example.test",
                       address=f"192.0.2.{n}").status_code == 200
    assert_refused(attempt(redis_down.test_client(), "reviewer@example.test", PASSWORD,
                           "198.51.100.7"))


def test_with_redis_down_verify_answers(redis_down, world):
    client = redis_down.test_client()
    for _ in range(3):
        response = client.post("/verify", data={"code": "ABCD-EFGH-JKMN", "declared": "1,00"})
        assert response.status_code == 200
        assert "Server Error" not in response.get_data(as_text=True)
