"""Append-only audit trail: changes and (NEN 7513) reads of a child's record."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain.lists import Role
from portal.extensions import Model
from portal.models.types import CodeColumn, UTCDateTime, utcnow
from portal.models.users import User


class AuditEvent(Model):
    __table_args__ = (
        Index("ix_audit_event_object", "object_type", "object_id", "id"),
        Index("ix_audit_event_client", "client_id", "id"),
        Index("ix_audit_event_trajectory", "trajectory_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    role: Mapped[Role | None] = mapped_column(CodeColumn(Role))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None]
    # The child concerned, by internal id: the BSN itself never goes into the log.
    client_id: Mapped[int | None] = mapped_column(ForeignKey("client.id"))
    # The trajectory the object belongs to, so its page can show one timeline.
    trajectory_id: Mapped[int | None] = mapped_column(ForeignKey("trajectory.id"))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    origin: Mapped[str | None] = mapped_column(String(64))

    actor: Mapped[User | None] = relationship()
