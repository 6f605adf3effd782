"""iJw messages the portal imported or produced."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.domain.lists import MessageDirection
from portal.extensions import Model
from portal.models.types import CodeColumn, UTCDateTime, utcnow


class IjwMessage(Model):
    """One message in or out: recognises a message imported twice (by its hash) and keeps
    the BerichtIdentificatie of each sender unique (iJw TR056)."""

    __table_args__ = (UniqueConstraint("direction", "sender", "identification"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    direction: Mapped[MessageDirection] = mapped_column(CodeColumn(MessageDirection, 3))
    kind: Mapped[str] = mapped_column(String(5))
    # AGB code of a provider or CBS code of a municipality, as in the header.
    sender: Mapped[str] = mapped_column(String(8))
    receiver: Mapped[str] = mapped_column(String(8))
    # Set right after the row is flushed for messages the portal produces (from its id).
    identification: Mapped[str | None] = mapped_column(String(12))
    sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # The header's Dagtekening, and the declaration a JW323 carried: a JW325 names the JW323
    # it answers by identification and Dagtekening (IV087).
    dagtekening: Mapped[date | None]
    declaration_id: Mapped[int | None] = mapped_column(
        ForeignKey("declaration.id", ondelete="SET NULL"), index=True)  # a concept may go
    # An answer message the portal wrote (JW302 ...): kept so it can be downloaded again.
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
