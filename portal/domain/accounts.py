"""Accounts: creating them, checking and changing passwords, ending sessions."""

import secrets
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash

from portal.domain import DomainError
from portal.domain.audit import record
from portal.domain.lists import Role
from portal.domain.paging import Page, fetch_page
from portal.domain.passwords import check_new_password
from portal.domain.permissions import user_scope
from portal.domain.unique import insert_unique
from portal.extensions import db
from portal.models import Municipality, Provider, Region, User
from portal.models.users import hash_password


@cache
def _dummy_hash() -> str:
    """Compared against when the account does not exist, so both cases take as long: made as
    an account's hash is made, on the first failed login rather than at every start."""
    return hash_password("not-a-password")


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def authenticate(email: str, password: str) -> User | None:
    user = db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


def end_sessions(user: User) -> None:
    """Every session cookie issued so far stops working (logout, password change, disable)."""
    user.session_token = secrets.token_hex(16)


def confirm_password(user: User, password: str) -> None:
    """Asked again before changing how the account logs in."""
    if not user.check_password(password or ""):
        raise DomainError(_l("Het huidige wachtwoord is niet juist."), field="current_password")


def change_password(user: User, current: str, new: str) -> None:
    """A new password for the account; every other session of it ends."""
    confirm_password(user, current)
    if new == current:
        raise DomainError(_l("Kies een ander wachtwoord dan uw huidige."), field="new_password")
    check_new_password(new, email=user.email, name=user.name,
                       organisation_name=user.organisation.name, field="new_password")
    user.set_password(new)
    end_sessions(user)
    record(user, "password_changed", user)


def email_taken(email: str) -> bool:
    return db.session.scalar(select(User.id).where(func.lower(User.email) == email)) is not None


def create_user(*, email: str, name: str, password: str, role: Role,
                organisation: Provider | Municipality | Region, actor: User | None = None) -> User:
    email = normalise_email(email)
    if "@" not in email:
        raise DomainError(_l("Vul een geldig e-mailadres in."), field="email")
    check_new_password(password, email=email, name=name, organisation_name=organisation.name)
    taken = DomainError(_l("Er bestaat al een account met dit e-mailadres."), field="email")
    if email_taken(email):
        raise taken
    expected = {"provider": Provider, "municipality": Municipality, "region": Region}
    if not isinstance(organisation, expected[role.organisation_kind]):
        raise DomainError(_l("Deze rol past niet bij deze organisatie."), field="role")
    user = User(email=email, name=name, role=role, session_token=secrets.token_hex(16))
    setattr(user, role.organisation_kind, organisation)
    user.set_password(password)
    insert_unique(user, taken)  # the same address added at the same moment
    if actor is not None:
        record(actor, "user.created", user, after={"role": role.value})
    return user


def set_active(user: User, active: bool, actor: User) -> None:
    """Disabling an account also ends every session it has."""
    if user.id == actor.id:
        raise DomainError(_l("U kunt uw eigen account niet uitschakelen."))
    user.active = active
    if not active:
        end_sessions(user)
    db.session.flush()
    record(actor, "user.enabled" if active else "user.disabled", user)


def account_page(manager: User, after: str | None, size: int) -> Page[User]:
    """The accounts `manager` manages, by e-mail address (keyset pagination, no OFFSET)."""
    query = (select(User)
             .options(joinedload(User.provider), joinedload(User.municipality),
                      joinedload(User.region))
             .where(user_scope(manager)))
    if after:
        query = query.where(User.email > after)
    return fetch_page(query.order_by(User.email), size, lambda user: user.email)
