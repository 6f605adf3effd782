"""The second factor locks after ten wrong codes in total, tells its owner by e-mail, and an
administrator unlocks it; the secret being set up stays on the server."""

import re
import time
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from portal.domain import two_factor
from portal.extensions import db, limiter
from portal.models import AuditEvent
from portal.models.types import utcnow
from tests.conftest import login_as
from tests.factories import PASSWORD

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
TOTP = pyotp.TOTP(SECRET)
LOCKED = "Uw tweede stap is geblokkeerd"


@pytest.fixture
def outbox(app):
    app.extensions["mailman"].outbox = []
    return app.extensions["mailman"].outbox


@pytest.fixture
def reviewer(world):
    user = world.users["reviewer"]
    earlier = utcnow() - timedelta(minutes=10)
    two_factor.enrol(user, SECRET, TOTP.at(earlier), earlier)
    db.session.flush()
    return user


def wrong_code() -> str:
    valid = {TOTP.at(time.time() + n * 30) for n in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222") if c not in valid)


def codes_from(app, n: int, address: str) -> list[str]:
    """Wrong codes spread over time: the 15-minute throttle's window passes between them."""
    pages = []
    for i in range(n):
        limiter.reset()
        client = app.test_client()
        client.post("/inloggen", data={"email": "reviewer@example.test", "password": PASSWORD},
                    environ_base={"REMOTE_ADDR": f"{address}.{i}"})
        pages.append(client.post("/inloggen/code", data={"code": wrong_code()},
                                 environ_base={"REMOTE_ADDR": f"{address}.{i}"})
                     .get_data(as_text=True))
    return pages


def test_ten_wrong_codes_lock_the_second_factor_and_mail_its_owner(app, reviewer, outbox):
    pages = codes_from(app, 10, "192.0.2")
    assert all("Deze code is niet juist" in page for page in pages[:9])
    assert LOCKED in pages[9]
    assert reviewer.second_factor_locked_at is not None
    [notice] = outbox
    assert notice.to == ["reviewer@example.test"]
    assert notice.subject == "Tweede stap geblokkeerd"
    assert "te vaak een onjuiste code" in notice.body
    # No personal data in the text: not the address, not the name, not the organisation.
    for personal in ("reviewer@example.test", reviewer.name, reviewer.organisation.name):
        assert personal not in notice.body
    # Even the right code is refused now, also once the throttle's window has passed.
    limiter.reset()
    client = app.test_client()
    client.post("/inloggen", data={"email": "reviewer@example.test", "password": PASSWORD},
                environ_base={"REMOTE_ADDR": "198.51.100.1"})
    assert LOCKED in client.get("/inloggen/code").get_data(as_text=True)
    refused = client.post("/inloggen/code", data={"code": TOTP.now()},
                          environ_base={"REMOTE_ADDR": "198.51.100.1"})
    assert LOCKED in refused.get_data(as_text=True)
    assert client.get("/").headers["Location"] == "/inloggen/code"
    assert len(outbox) == 1
    assert db.session.scalar(select(AuditEvent.action).where(
        AuditEvent.action == "two_factor_locked")) == "two_factor_locked"


def test_a_right_code_starts_the_count_again(app, reviewer, outbox):
    codes_from(app, 9, "192.0.2")
    assert reviewer.second_factor_failures == 9
    limiter.reset()
    client = app.test_client()
    client.post("/inloggen", data={"email": "reviewer@example.test", "password": PASSWORD})
    assert client.post("/inloggen/code", data={"code": TOTP.now()}).headers["Location"] == "/"
    db.session.refresh(reviewer)
    assert reviewer.second_factor_failures == 0
    pages = codes_from(app, 9, "198.51.100")
    assert not any(LOCKED in page for page in pages) and outbox == []


def test_an_administrator_unlocks_it_from_the_account_list(app, client, world, reviewer):
    codes_from(app, 10, "192.0.2")
    login_as(client, world.users["administrator"])
    page = client.get("/beheer").get_data(as_text=True)
    assert "Tweede stap geblokkeerd" in page
    assert f"/beheer/gebruikers/{reviewer.id}/deblokkeren" in page
    done = client.post(f"/beheer/gebruikers/{reviewer.id}/deblokkeren", follow_redirects=True)
    assert "De tweede stap van reviewer@example.test is gedeblokkeerd." in done.get_data(
        as_text=True)
    db.session.refresh(reviewer)
    assert (reviewer.second_factor_locked_at, reviewer.second_factor_failures) == (None, 0)
    again = client.post(f"/beheer/gebruikers/{reviewer.id}/deblokkeren", follow_redirects=True)
    assert "is niet geblokkeerd" in again.get_data(as_text=True)
    limiter.reset()
    user = app.test_client()
    user.post("/inloggen", data={"email": "reviewer@example.test", "password": PASSWORD})
    assert user.post("/inloggen/code", data={"code": TOTP.now()}).headers["Location"] == "/"


def test_a_provider_admin_cannot_unlock_another_organisations_account(client, world, reviewer):
    reviewer.second_factor_locked_at = utcnow()
    db.session.flush()
    login_as(client, world.users["provider_admin"])
    assert client.post(f"/beheer/gebruikers/{reviewer.id}/deblokkeren").status_code == 404
    assert reviewer.second_factor_locked_at is not None


def test_the_secret_being_set_up_is_kept_on_the_server_not_in_the_cookie(client, world):
    user = world.users["provider_staff"]
    login_as(client, user)
    page = client.get("/tweestapsverificatie").get_data(as_text=True)
    secret = re.search(r'portal-secret">([A-Z2-7]{32})<', page).group(1)
    assert user.totp_pending_secret == secret
    with client.session_transaction() as session:
        assert secret not in repr(dict(session))
    cookie = client.get_cookie("session", domain="portal.test")
    assert secret not in cookie.value
    client.post("/tweestapsverificatie", data={"code": pyotp.TOTP(secret).now(),
                                                "current_password": PASSWORD})
    db.session.refresh(user)
    assert (user.totp_secret, user.totp_pending_secret) == (secret, None)
