"""Two factors: TOTP codes (RFC 6238) that work once, and one-time recovery codes."""

import hashlib
import hmac
import re
import secrets
from datetime import datetime

import pyotp
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from portal.database import rows_matched
from portal.domain import DomainError
from portal.domain.audit import record
from portal.extensions import db
from portal.models import RecoveryCode, User

ISSUER = "Resultaatportaal jeugdhulp"
RECOVERY_CODE_COUNT = 10
# Crockford's base32 (no i, l, o, u): 5 bits a character, 24 characters = 120 bits. With more
# than 112 bits a plain SHA-256 is a sound way to store them (no salt or slow hash needed).
_RECOVERY_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
_RECOVERY_LENGTH = 24
_RECOVERY_ALIASES = str.maketrans({"i": "1", "l": "1", "o": "0", "-": None, " ": None})
_TOTP_CODE = re.compile(r"\d{6}")

WRONG_CODE = _l("Deze code is niet juist. Vul de code in die uw app nu laat zien.")
REUSED_CODE = _l("Deze code is al gebruikt. Wacht tot uw app een nieuwe code laat zien en "
                 "vul die in.")
LOCKED = _l("Uw tweede stap is geblokkeerd na te veel onjuiste codes. Vraag de beheerder van "
            "uw organisatie om hem te deblokkeren.")


def applies_to(user: User) -> bool:
    """Municipal and region roles must use two factors; provider staff may turn them on."""
    return user.totp_secret is not None or user.role.needs_two_factors


def new_secret() -> str:
    return pyotp.random_base32()


def pending_secret(user: User) -> str:
    """The secret being set up, kept on the account (not in the session cookie) until used.

    Set only where none is pending, so two tabs opened at once show the same secret.
    """
    if user.totp_pending_secret is None:
        db.session.execute(
            update(User).where(User.id == user.id, User.totp_pending_secret.is_(None))
            .values(totp_pending_secret=new_secret())
            .execution_options(synchronize_session=False))
        db.session.refresh(user, ["totp_pending_secret"])
    secret = user.totp_pending_secret
    if secret is None:  # set above, by this request or by the one that beat it
        raise RuntimeError("no pending TOTP secret after setting one")
    return secret


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def enrol(user: User, secret: str, code: str, now: datetime) -> list[str]:
    """Turn two factors on once the user proves the app shows the right code.

    Returns the recovery codes in plain text: the only moment they exist outside the app.
    """
    if user.totp_secret is not None:
        raise DomainError(_l("Tweestapsverificatie staat al aan voor dit account."), field="code")
    step = _matching_step(secret, _without_spaces(code), now)
    if step is None:
        raise DomainError(WRONG_CODE, field="code")
    user.totp_secret = secret
    user.totp_last_step = step
    user.totp_pending_secret = None
    codes = _new_recovery_codes(user)
    record(user, "two_factor_enrolled", user)
    db.session.flush()
    return codes


def verify(user: User, code: str, now: datetime) -> str:
    """Check the second factor at login: a TOTP code or a recovery code, each usable once.

    Returns "totp" or "recovery_code"; raises DomainError when the code is refused, and
    refuses every code while the second factor is locked (see record_failure).
    """
    if is_locked(user):
        raise DomainError(LOCKED, field="code")
    code = _without_spaces(code)
    if _TOTP_CODE.fullmatch(code):
        # Without a secret (not enrolled) no TOTP code matches.
        step = None if user.totp_secret is None else _matching_step(user.totp_secret, code, now)
        if step is None:
            raise DomainError(WRONG_CODE, field="code")
        if not _claim_step(user, step):
            raise DomainError(REUSED_CODE, field="code")
        factor = "totp"
    elif _use_recovery_code(user, code, now):
        record(user, "recovery_code_used", user)
        factor = "recovery_code"
    else:
        raise DomainError(_l("Deze code is niet juist of is al gebruikt."), field="code")
    user.second_factor_failures = 0
    return factor


def is_locked(user: User) -> bool:
    return user.second_factor_locked_at is not None


def record_failure(user: User, now: datetime, limit: int) -> bool:
    """Count a refused code; at `limit` failures since the last right code, lock the factor.

    Both steps are conditional UPDATEs, so parallel requests neither lose a count nor lock
    twice. Returns True for the request whose failure locked it (it sends the notice).
    """
    db.session.execute(
        update(User).where(User.id == user.id)
        .values(second_factor_failures=User.second_factor_failures + 1)
        .execution_options(synchronize_session=False))
    locked = rows_matched(
        update(User)
        .where(User.id == user.id, User.second_factor_failures >= limit,
               User.second_factor_locked_at.is_(None))
        .values(second_factor_locked_at=now)
        .execution_options(synchronize_session=False)) == 1
    db.session.refresh(user, ["second_factor_failures", "second_factor_locked_at"])
    if locked:
        record(user, "two_factor_locked", user)
    return locked


def unlock(user: User, actor: User) -> None:
    """An administrator lets the account use its second factor again."""
    if not is_locked(user):
        raise DomainError(_l("De tweede stap van dit account is niet geblokkeerd."))
    user.second_factor_locked_at = None
    user.second_factor_failures = 0
    db.session.flush()
    record(actor, "two_factor_unlocked", user)


def unused_recovery_codes(user: User) -> int:
    return db.session.scalars(select(func.count(RecoveryCode.id)).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).one()


def _without_spaces(code: str | None) -> str:
    return "".join((code or "").split())


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step (now, or one step either side for clock drift) whose code this is."""
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _claim_step(user: User, step: int) -> bool:
    """Record the step as used, unless it or a later one was used already (even concurrently)."""
    matched = rows_matched(
        update(User)
        .where(User.id == user.id,
               or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if matched != 1:
        return False
    set_committed_value(user, "totp_last_step", step)
    return True


def _new_recovery_codes(user: User) -> list[str]:
    """A fresh set; codes issued before stop working."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
             for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_digest(code)) for code in codes)
    return ["-".join(code[i:i + 4] for i in range(0, _RECOVERY_LENGTH, 4)) for code in codes]


def _use_recovery_code(user: User, code: str, now: datetime) -> bool:
    """Mark the code used; a conditional UPDATE so two requests cannot both spend it."""
    canonical = code.lower().translate(_RECOVERY_ALIASES)
    if len(canonical) != _RECOVERY_LENGTH:
        return False
    matched = rows_matched(
        update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _digest(canonical),
               RecoveryCode.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return matched == 1


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()
