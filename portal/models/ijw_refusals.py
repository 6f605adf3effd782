"""What a receiver refused of a message the portal sent, read from its answer message."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import Model
from portal.models.ijw import IjwMessage
from portal.models.types import UTCDateTime, utcnow


class IjwRefusal(Model):
    """One return code of an answer (JW302 ... JW325) on the object it concerns; `message` is
    the portal's message the answer is for; one of the object columns is set."""

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("ijw_message.id"), index=True)
    code: Mapped[str] = mapped_column(String(4))
    allocation_id: Mapped[int | None] = mapped_column(ForeignKey("allocation.id"), index=True)
    allocation_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("allocation_request.id"), index=True)
    change_request_id: Mapped[int | None] = mapped_column(ForeignKey("change_request.id"),
                                                          index=True)
    # A concept's line may go (a concept can travel as a JW323), and its notes with it.
    declaration_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("declaration_line.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    message: Mapped[IjwMessage] = relationship()
