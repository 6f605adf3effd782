"""The steering conversation between a region and a provider about one contract's period:
what was agreed, the actions that follow from it, and the provider's response."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain.lists import ActionStatus, Side
from portal.extensions import Model
from portal.models.contracts import Contract
from portal.models.types import CodeColumn, UTCDateTime, utcnow
from portal.models.users import User


class Conversation(Model):
    """Recorded by the region's contract manager; the contract ties it to one provider in
    one region (the walls). The period is a year (quarter 0) or one of its quarters."""

    __table_args__ = (CheckConstraint("quarter BETWEEN 0 AND 4", name="quarter_of_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"), index=True)
    year: Mapped[int]
    quarter: Mapped[int] = mapped_column(default=0)
    held_on: Mapped[date]
    participants: Mapped[str] = mapped_column(Text)
    response: Mapped[str | None] = mapped_column(Text)  # the provider's, on the whole
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    contract: Mapped[Contract] = relationship()
    created_by: Mapped[User] = relationship()
    agreements: Mapped[list["Agreement"]] = relationship(
        back_populates="conversation", order_by="Agreement.position",
        cascade="all, delete-orphan")
    actions: Mapped[list["ConversationAction"]] = relationship(
        back_populates="conversation", order_by="ConversationAction.id",
        cascade="all, delete-orphan")


class Agreement(Model):
    """One agreement as the region wrote it, and the provider's response to it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversation.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    response: Mapped[str | None] = mapped_column(Text)

    conversation: Mapped[Conversation] = relationship(back_populates="agreements")


class ConversationAction(Model):
    """Who (a person or role on the region's or the provider's side) does what by when."""

    __table_args__ = (
        CheckConstraint("owner_side IN ('region', 'provider')", name="side_known"),
        CheckConstraint("status IN ('open', 'done')", name="status_known"),
        # The to-dos and the daily scan look for open actions by due date.
        Index("ix_conversation_action_status_due_on", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversation.id", ondelete="CASCADE"), index=True)
    owner: Mapped[str] = mapped_column(String(120))
    owner_side: Mapped[Side] = mapped_column(CodeColumn(Side, 10))
    what: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date]
    status: Mapped[ActionStatus] = mapped_column(CodeColumn(ActionStatus, 10),
                                                 default=ActionStatus.OPEN)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    conversation: Mapped[Conversation] = relationship(back_populates="actions")
    done_by: Mapped[User | None] = relationship()
