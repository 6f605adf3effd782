"""Two factors: enrolment, TOTP codes that work once, recovery codes that work once."""

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import select

from portal.domain import DomainError, two_factor
from portal.extensions import db
from portal.models import AuditEvent, RecoveryCode, User

NOW = datetime(2026, 3, 2, 9, 30, 10, tzinfo=UTC)
STEP = timedelta(seconds=30)
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
RECOVERY_FORMAT = re.compile(r"([0-9a-hjkmnp-tv-z]{4}-){5}[0-9a-hjkmnp-tv-z]{4}")


def code_at(moment: datetime, secret: str = SECRET) -> str:
    return pyotp.TOTP(secret).at(moment)


def stored_last_step(user: User) -> int | None:
    return db.session.scalar(select(User.totp_last_step).where(User.id == user.id))


def actions(user: User) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "user", AuditEvent.object_id == user.id)))


@pytest.fixture
def enrolled(world):
    user = world.users["reviewer"]
    codes = two_factor.enrol(user, SECRET, code_at(NOW), NOW)
    return user, codes


@pytest.mark.parametrize(("key", "required"), [
    ("provider_staff", False), ("provider_admin", False), ("access_staff", True),
    ("reviewer", True), ("contract_manager", True), ("administrator", True),
])
def test_two_factors_are_required_for_municipal_and_region_roles(world, key, required):
    assert two_factor.applies_to(world.users[key]) is required


def test_a_provider_who_turned_two_factors_on_needs_them_too(world):
    user = world.users["provider_staff"]
    two_factor.enrol(user, SECRET, code_at(NOW), NOW)
    assert two_factor.applies_to(user)


def test_the_provisioning_uri_names_the_portal_the_account_and_the_secret(world):
    uri = two_factor.provisioning_uri(world.users["reviewer"], SECRET)
    assert uri.startswith("otpauth://totp/Resultaatportaal%20jeugdhulp:reviewer%40example.test?")
    assert f"secret={SECRET}" in uri


def test_new_secrets_are_random_base32_of_160_bits():
    first, second = two_factor.new_secret(), two_factor.new_secret()
    assert first != second
    assert re.fullmatch(r"[A-Z2-7]{32}", first)


def test_enrolment_with_a_wrong_code_changes_nothing(world):
    user = world.users["reviewer"]
    wrong = code_at(NOW + 10 * STEP)
    with pytest.raises(DomainError) as refused:
        two_factor.enrol(user, SECRET, wrong, NOW)
    assert refused.value.message == two_factor.WRONG_CODE
    assert user.totp_secret is None
    assert db.session.scalar(select(RecoveryCode.id).where(RecoveryCode.user_id == user.id)) is None


def test_enrolment_keeps_the_secret_and_only_hashes_of_ten_recovery_codes(enrolled):
    user, codes = enrolled
    assert user.totp_secret == SECRET
    assert len(set(codes)) == two_factor.RECOVERY_CODE_COUNT == 10
    assert all(RECOVERY_FORMAT.fullmatch(code) for code in codes)
    stored = set(db.session.scalars(select(RecoveryCode.code_hash)
                                    .where(RecoveryCode.user_id == user.id)))
    assert stored == {hashlib.sha256(code.replace("-", "").encode()).hexdigest()
                      for code in codes}
    assert not stored & {code.replace("-", "") for code in codes}
    assert "two_factor_enrolled" in actions(user)


def test_enrolling_twice_is_refused(enrolled):
    user, _codes = enrolled
    with pytest.raises(DomainError):
        two_factor.enrol(user, two_factor.new_secret(), code_at(NOW + STEP), NOW + STEP)
    assert user.totp_secret == SECRET


def test_the_enrolment_code_cannot_log_in_again(enrolled):
    user, _codes = enrolled
    with pytest.raises(DomainError) as refused:
        two_factor.verify(user, code_at(NOW), NOW)
    assert refused.value.message == two_factor.REUSED_CODE


def test_a_totp_code_works_once(enrolled):
    user, _codes = enrolled
    later = NOW + 4 * STEP
    assert two_factor.verify(user, code_at(later), later) == "totp"
    step = stored_last_step(user)
    with pytest.raises(DomainError) as replay:
        two_factor.verify(user, code_at(later), later + timedelta(seconds=5))
    assert replay.value.message == two_factor.REUSED_CODE
    assert stored_last_step(user) == step


def test_spaces_in_a_code_are_ignored(enrolled):
    user, _codes = enrolled
    later = NOW + 4 * STEP
    code = code_at(later)
    assert two_factor.verify(user, f" {code[:3]} {code[3:]} ", later) == "totp"


def test_one_step_of_clock_drift_is_allowed_two_are_not(enrolled):
    user, _codes = enrolled
    later = NOW + 10 * STEP
    with pytest.raises(DomainError) as too_old:
        two_factor.verify(user, code_at(later - 2 * STEP), later)
    assert too_old.value.message == two_factor.WRONG_CODE
    assert two_factor.verify(user, code_at(later - STEP), later) == "totp"


def test_an_older_code_is_refused_once_a_newer_one_was_used(enrolled):
    user, _codes = enrolled
    later = NOW + 10 * STEP
    two_factor.verify(user, code_at(later + STEP), later)
    with pytest.raises(DomainError) as older:
        two_factor.verify(user, code_at(later), later)
    assert older.value.message == two_factor.REUSED_CODE


def test_a_wrong_code_is_refused_and_changes_nothing(enrolled):
    user, _codes = enrolled
    later = NOW + 10 * STEP
    valid = {code_at(later + n * STEP) for n in (-1, 0, 1)}
    wrong = next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)
    step = stored_last_step(user)
    with pytest.raises(DomainError) as refused:
        two_factor.verify(user, wrong, later)
    assert refused.value.message == two_factor.WRONG_CODE
    assert stored_last_step(user) == step


def test_a_recovery_code_works_once_and_forgives_case_dashes_and_lookalikes(enrolled):
    user, codes = enrolled
    code = next(c for c in codes if "0" in c or "1" in c)
    typed = code.upper().replace("-", " ").replace("0", "O").replace("1", "I")
    assert two_factor.verify(user, typed, NOW) == "recovery_code"
    assert two_factor.unused_recovery_codes(user) == 9
    assert "recovery_code_used" in actions(user)
    with pytest.raises(DomainError):
        two_factor.verify(user, code, NOW)
    assert two_factor.unused_recovery_codes(user) == 9


def test_recovery_codes_belong_to_one_account(enrolled, world):
    _reviewer, codes = enrolled
    other = world.users["access_staff"]
    two_factor.enrol(other, SECRET, code_at(NOW), NOW)
    with pytest.raises(DomainError):
        two_factor.verify(other, codes[0], NOW)
    assert two_factor.unused_recovery_codes(other) == 10


def test_enrolling_again_after_a_reset_replaces_the_recovery_codes(enrolled):
    user, old_codes = enrolled
    user.totp_secret = None  # as an administrator's reset would leave it
    new_codes = two_factor.enrol(user, SECRET, code_at(NOW + 5 * STEP), NOW + 5 * STEP)
    assert two_factor.unused_recovery_codes(user) == 10
    with pytest.raises(DomainError):
        two_factor.verify(user, old_codes[0], NOW)
    assert two_factor.verify(user, new_codes[0], NOW) == "recovery_code"


def test_enrolment_accepts_the_code_with_spaces_as_apps_show_it(world):
    user = world.users["access_staff"]
    code = code_at(NOW)
    two_factor.enrol(user, SECRET, f"{code[:3]} {code[3:]}", NOW)
    assert user.totp_secret == SECRET
