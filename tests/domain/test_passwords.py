"""New passwords: long enough, not common, not made of the account's own words (ASVS 6.2)."""

import pytest

from portal.domain import DomainError
from portal.domain.passwords import check_new_password

OWNER = {"email": "j.de.vries@horizon-jeugdhulp.example", "name": "Jolanda de Vries",
         "organisation_name": "Horizon Jeugdhulp"}


def refusal(password: str) -> str:
    with pytest.raises(DomainError) as refused:
        check_new_password(password, **OWNER)
    assert refused.value.field == "password"
    return str(refused.value.message)


@pytest.mark.parametrize(("password", "reason"), [
    ("aaaaaaaaaaaa", "te weinig verschillende tekens"),
    ("abababababab", "te weinig verschillende tekens"),
    (" " * 12 + "x", "minstens 12 tekens"),
    ("   short    ", "minstens 12 tekens"),
    ("123456789012", "veelgebruikte of gelekte wachtwoorden"),
    ("wachtwoord12", "veelgebruikte of gelekte wachtwoorden"),
    ("WACHTWOORD12", "veelgebruikte of gelekte wachtwoorden"),
    ("password1234", "veelgebruikte of gelekte wachtwoorden"),
    ("welkom123456", "veelgebruikte of gelekte wachtwoorden"),
    ("j.de.vries@horizon-jeugdhulp.example", "e-mailadres, naam of organisatie"),
    ("J.De.Vries@Horizon-Jeugdhulp.example", "e-mailadres, naam of organisatie"),
    ("j.de.vries2026!", "e-mailadres, naam of organisatie"),
    ("HorizonJeugdhulp", "e-mailadres, naam of organisatie"),
    ("jolanda-devries-1", "e-mailadres, naam of organisatie"),
])
def test_weak_passwords_are_refused_with_the_reason(password, reason):
    assert reason in refusal(password)


@pytest.mark.parametrize("password", [
    "correct horse battery",
    "demo-portaal-2026",
    # An own word inside a long enough rest is no weakness.
    "Jolanda fietst elke dag naar de markt",
])
def test_long_uncommon_passwords_pass(password):
    assert check_new_password(password, **OWNER) is None  # accepted: no DomainError raised


def test_the_error_lands_on_the_field_named():
    with pytest.raises(DomainError) as refused:
        check_new_password("aaaaaaaaaaaa", email="x@example.test", field="new_password")
    assert refused.value.field == "new_password"
