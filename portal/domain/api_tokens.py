"""API tokens for the machine door: created and revoked by an organisation's administrator.

A token is 32 random bytes; only its SHA-256 is stored, so a leaked database holds no usable
token. A provider's administrator manages its provider's tokens, the region's administrator
those of the region's municipalities (municipalities have no administrator of their own).
"""

import hashlib
import hmac
import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import false, select

from portal.domain import DomainError
from portal.domain.audit import record
from portal.domain.lists import Role
from portal.extensions import db
from portal.models import ApiToken, Municipality, Provider, User
from portal.models.types import utcnow

PREFIX = "rpj_"  # recognisable in a config file or a leaked log


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_scope(user: User):
    """The tokens `user` manages."""
    if user.role == Role.PROVIDER_ADMIN:
        return ApiToken.provider_id == user.provider_id
    if user.role == Role.ADMINISTRATOR:
        return ApiToken.municipality.has(Municipality.region_id == user.region_id)
    return false()


def token_organisations(user: User) -> list[Provider | Municipality]:
    """The organisations `user` may make tokens for."""
    if user.role == Role.PROVIDER_ADMIN:
        return [user.own_provider]
    if user.role == Role.ADMINISTRATOR:
        return list(user.own_region.municipalities)
    return []


def create_token(organisation: Provider | Municipality, name: str,
                 actor: User) -> tuple[ApiToken, str]:
    """A new token; the token itself is returned once and never stored."""
    if organisation not in token_organisations(actor):
        raise DomainError(_l("U beheert geen API-sleutels van deze organisatie."))
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise DomainError(_l("Geef de sleutel een naam van hoogstens 80 tekens."), field="name")
    token = PREFIX + secrets.token_urlsafe(32)
    owner = ({"provider": organisation} if isinstance(organisation, Provider)
             else {"municipality": organisation})
    api_token = ApiToken(name=name, token_hash=token_hash(token), created_by=actor, **owner)
    db.session.add(api_token)
    db.session.flush()
    record(actor, "api_token.created", api_token,
           after={"name": name, "organisation": organisation.name})
    return api_token, token


def revoke_token(api_token: ApiToken, actor: User) -> None:
    if api_token.revoked_at is not None:
        raise DomainError(_l("Deze sleutel is al ingetrokken."))
    api_token.revoked_at, api_token.revoked_by = utcnow(), actor
    record(actor, "api_token.revoked", api_token, after={"name": api_token.name})


def authenticate(token: str | None, now: datetime | None = None) -> ApiToken | None:
    """The active token `token` is, or None; its last use is noted."""
    if not token or not token.startswith(PREFIX) or len(token) > 200:
        return None
    wanted = token_hash(token)
    found = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == wanted))
    # The lookup is by hash; the comparison is constant-time all the same.
    if found is None or not hmac.compare_digest(found.token_hash, wanted) or not found.active:
        return None
    found.last_used_at = now or utcnow()
    return found
