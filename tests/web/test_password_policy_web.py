"""Weak passwords are refused on the forms where a password is chosen, in Dutch, nothing saved."""

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import User
from tests.conftest import login_as
from tests.factories import PASSWORD


@pytest.mark.parametrize(("password", "message"), [
    ("aaaaaaaaaaaa", "te weinig verschillende tekens"),
    ("123456789012", "veelgebruikte of gelekte wachtwoorden"),
    ("wachtwoord12", "veelgebruikte of gelekte wachtwoorden"),
    ("nieuw.account@example.test", "lijkt te veel op uw e-mailadres, naam of organisatie"),
    (" " * 12 + "x", "minstens 12 tekens"),
])
def test_an_administrator_cannot_give_a_weak_first_password(client, world, password, message):
    login_as(client, world.users["administrator"])
    before = db.session.scalar(select(func.count(User.id)))
    page = client.post("/beheer/gebruikers/nieuw", data={
        "email": "nieuw.account@example.test", "name": "Nieuw Account", "role": "reviewer",
        "organisation": f"municipality-{world.municipalities[0].id}",
        "password": password}).get_data(as_text=True)
    assert message in page
    assert db.session.scalar(select(func.count(User.id))) == before


@pytest.mark.parametrize(("password", "message"), [
    ("provider_staff@example.test", "lijkt te veel op uw e-mailadres, naam of organisatie"),
    ("wachtwoord12", "veelgebruikte of gelekte wachtwoorden"),
])
def test_a_user_cannot_change_to_a_weak_password(client, world, password, message):
    user = world.users["provider_staff"]
    login_as(client, user)
    page = client.post("/account/wachtwoord", data={
        "current_password": PASSWORD, "new_password": password,
        "repeat_password": password}).get_data(as_text=True)
    assert message in page
    assert user.check_password(PASSWORD)
