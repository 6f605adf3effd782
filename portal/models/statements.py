"""Rendered statements (PDF): the record behind each verification code."""

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain.lists import StatementKind
from portal.extensions import Model
from portal.models.types import CodeColumn, UTCDateTime, utcnow
from portal.models.users import User


class Statement(Model):
    """One rendering of a contract or declaration statement.

    Every download leaves a row, so every printed verification code can be checked; the PDF
    itself is kept only for a closed period, which is then never rendered again."""

    __table_args__ = (
        Index("uq_statement_stored_key", "key", unique=True,
              sqlite_where=text("pdf IS NOT NULL"), postgresql_where=text("pdf IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[StatementKind] = mapped_column(CodeColumn(StatementKind))
    # What the statement is about, e.g. "contract:3:2026-01-01:2026-12-31:all".
    key: Mapped[str] = mapped_column(String(120), index=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)
    # The statement's figures as printed: what the verification code is a hash of.
    content: Mapped[dict] = mapped_column(JSON)
    generated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    generated_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)

    generated_by: Mapped[User] = relationship()

    @property
    def period(self) -> tuple[date, date] | None:
        period = self.content.get("period")
        return (date.fromisoformat(period[0]), date.fromisoformat(period[1])) if period else None

    @property
    def held_on(self) -> date | None:
        """The day of a steering conversation's report; None for other statements."""
        held_on = self.content.get("held_on")
        return date.fromisoformat(held_on) if held_on else None
