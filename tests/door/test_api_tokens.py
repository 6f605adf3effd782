"""API tokens: made by the organisation's administrator, shown once, stored hashed."""

import hashlib

import pytest
from sqlalchemy import func, select

from portal.domain import DomainError
from portal.domain.api_tokens import authenticate, create_token, revoke_token, token_scope
from portal.extensions import db
from portal.models import ApiToken, AuditEvent


def test_a_token_is_shown_once_and_kept_only_as_its_hash(world):
    api_token, token = create_token(world.providers[0], "ECD", world.users["provider_admin"])
    db.session.flush()
    assert token.startswith("rpj_") and len(token) > 40
    assert api_token.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {api_token.name, api_token.token_hash}
    assert (api_token.provider, api_token.municipality, api_token.created_by) == (
        world.providers[0], None, world.users["provider_admin"])
    assert authenticate(token) == api_token
    assert api_token.last_used_at is not None
    assert db.session.scalar(select(func.count()).where(
        AuditEvent.action == "api_token.created")) == 1


def test_a_revoked_or_unknown_token_opens_nothing(world):
    api_token, token = create_token(world.providers[0], "ECD", world.users["provider_admin"])
    assert authenticate(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert authenticate("") is None and authenticate(None) is None
    revoke_token(api_token, world.users["provider_admin"])
    assert (api_token.revoked_by, authenticate(token)) == (world.users["provider_admin"], None)
    with pytest.raises(DomainError):
        revoke_token(api_token, world.users["provider_admin"])


def test_each_administrator_makes_tokens_for_their_own_organisations(world):
    provider_admin, administrator = world.users["provider_admin"], world.users["administrator"]
    create_token(world.municipalities[1], "Zaaksysteem Delft", administrator)
    for organisation, actor in ((world.providers[1], provider_admin),
                                (world.municipalities[0], provider_admin),
                                (world.providers[0], administrator),
                                (world.municipalities[0], world.users["access_staff"])):
        with pytest.raises(DomainError):
            create_token(organisation, "x", actor)
    with pytest.raises(DomainError):
        create_token(world.providers[0], "  ", provider_admin)
    listed = db.session.scalars(select(ApiToken).where(token_scope(administrator))).all()
    assert [t.municipality for t in listed] == [world.municipalities[1]]
    assert db.session.scalars(select(ApiToken).where(token_scope(provider_admin))).all() == []
