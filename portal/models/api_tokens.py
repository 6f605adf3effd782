"""API tokens: how an organisation's own system signs in at the machine door."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import Model
from portal.models.organisations import Municipality, Provider
from portal.models.types import UTCDateTime, utcnow
from portal.models.users import User


class ApiToken(Model):
    """One token of one provider or municipality. Only the SHA-256 of the token is kept: the
    token itself is shown once, when it is created."""

    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN provider_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN municipality_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_organisation",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id"), index=True)
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"),
                                                        index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    provider: Mapped[Provider | None] = relationship()
    municipality: Mapped[Municipality | None] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    @property
    def organisation(self) -> Provider | Municipality:
        organisation = self.provider or self.municipality
        if organisation is None:  # the check constraint rules it out
            raise LookupError(f"API token {self.id} has no organisation")
        return organisation

    @property
    def sender_code(self) -> str:
        """The code the organisation's messages carry as Afzender: AGB or CBS code."""
        organisation = self.organisation
        return organisation.agb_code if isinstance(organisation, Provider) else (
            organisation.cbs_code)

    @property
    def active(self) -> bool:
        return self.revoked_at is None
