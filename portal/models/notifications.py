"""E-mail notifications: who wants which kind how, and the notices waiting to be mailed."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import Model
from portal.models.types import UTCDateTime, utcnow
from portal.models.users import User

KINDS = ("new_allocation", "request_answered", "line_rejected", "answer_overdue",
         "measurement_due", "action_due")
MODES = ("immediate", "digest", "off")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class NotificationPreference(Model):
    """A user's choice for one kind; without a row the kind's default holds."""

    __table_args__ = (
        UniqueConstraint("user_id", "kind"),
        CheckConstraint(_one_of("kind", KINDS), name="kind_known"),
        CheckConstraint(_one_of("mode", MODES), name="mode_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    mode: Mapped[str] = mapped_column(String(10))


class Notice(Model):
    """One thing to tell one user, recorded in the transaction of what happened; mailed
    alone (immediate) or counted in the daily digest. Once per user, kind and object."""

    __table_args__ = (
        UniqueConstraint("user_id", "kind", "object_ref"),
        CheckConstraint(_one_of("kind", KINDS), name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    object_ref: Mapped[str] = mapped_column(String(40))
    digest: Mapped[bool]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)

    user: Mapped[User] = relationship()
