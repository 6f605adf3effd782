"""Accounts: one person, one role, one organisation."""

from datetime import datetime
from typing import TypeVar

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from portal.domain.lists import Role
from portal.extensions import Model
from portal.models.organisations import Municipality, Provider, Region
from portal.models.types import CodeColumn, UTCDateTime, utcnow

Present = TypeVar("Present")


def hash_password(password: str) -> str:
    """A password as stored: werkzeug's default method and cost."""
    return generate_password_hash(password)


class User(UserMixin, Model):
    __table_args__ = (
        # Exactly the organisation that the role belongs to is set.
        CheckConstraint(
            "(CASE WHEN provider_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN municipality_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN region_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_organisation",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(CodeColumn(Role))
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id"), index=True)
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"), index=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    # The TOTP time step of the last code accepted: a code works once (portal/domain/two_factor).
    totp_last_step: Mapped[int | None]
    # The secret shown while two factors are being set up: on the server, never in the cookie.
    totp_pending_secret: Mapped[str | None] = mapped_column(String(64))
    # Wrong codes since the last right one; at the limit the second factor is locked until an
    # administrator unlocks it (portal/domain/two_factor.py).
    second_factor_failures: Mapped[int] = mapped_column(default=0, server_default="0")
    second_factor_locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Changes on logout, password change and disabling: older session cookies stop working.
    session_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    provider: Mapped[Provider | None] = relationship()
    municipality: Mapped[Municipality | None] = relationship()
    region: Mapped[Region | None] = relationship()

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        # Flask-Login keeps this in the session; it names the account and its session token.
        return f"{self.id}:{self.session_token}"

    @property
    def organisation(self):
        return self.provider or self.municipality or self.region

    # The role says which organisation an account has (the check constraint only that it has
    # one): these are for code that the role has already let through, and fail loudly if not.
    @property
    def own_provider(self) -> Provider:
        return _present(self.provider, "provider", self)

    @property
    def own_municipality(self) -> Municipality:
        return _present(self.municipality, "municipality", self)

    @property
    def own_region(self) -> Region:
        return _present(self.region, "region", self)

    @property
    def own_region_id(self) -> int:
        return _present(self.region_id, "region", self)

    @property
    def is_provider(self) -> bool:
        return self.provider_id is not None

    @property
    def is_municipal(self) -> bool:
        return self.municipality_id is not None


def _present(value: Present | None, kind: str, user: User) -> Present:
    if value is None:
        raise LookupError(f"user {user.id} ({user.role.value}) has no {kind}")
    return value


class RecoveryCode(Model):
    """A one-time code for when the authenticator app is not at hand; only its hash is kept."""

    __table_args__ = (UniqueConstraint("user_id", "code_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
