"""seed-demo: the demo accounts that need two factors get the published TOTP secrets."""

import re
from pathlib import Path

import pyotp
from sqlalchemy import select

from portal.demo.region import DEMO_PASSWORD, DEMO_TOTP_SECRETS
from portal.extensions import db
from portal.models import User

README = Path(__file__).parents[1] / "README.md"


def test_seed_demo_gives_two_factor_accounts_their_published_secret(client, seeded_demo):
    result = seeded_demo
    users = db.session.scalars(select(User)).all()
    for user in users:
        expected = DEMO_TOTP_SECRETS.get(user.email)
        assert user.totp_secret == expected
        assert (expected is not None) is user.role.needs_two_factors
        line = next(line for line in result.output.splitlines() if f" {user.email} " in line)
        assert line.split()[-1] == (expected or "-")
    assert set(DEMO_TOTP_SECRETS) <= {user.email for user in users}

    email = "beoordelaar@denhaag.example"
    response = client.post("/inloggen", data={"email": email, "password": DEMO_PASSWORD})
    assert response.headers["Location"] == "/inloggen/code"
    code = pyotp.TOTP(DEMO_TOTP_SECRETS[email]).now()
    assert client.post("/inloggen/code", data={"code": code}).headers["Location"] == "/"


def test_the_readme_lists_the_demo_secrets():
    readme = README.read_text()
    for email, secret in DEMO_TOTP_SECRETS.items():
        assert re.search(rf"\| {re.escape(email)} \| `{secret}` \|", readme), email
