"""Declarations of tariff tranches, their lines, and payment exports."""

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    case,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain.codes import COD043, JZ020, WJ001
from portal.domain.lists import DeclarationStatus, LineStatus, Tranche
from portal.extensions import Model
from portal.models.organisations import Municipality, Provider
from portal.models.trajectories import Allocation
from portal.models.types import CodeColumn, UTCDateTime, utcnow
from portal.models.users import User


class Declaration(Model):
    """One provider's declaration to one municipality for one calendar month."""

    __table_args__ = (
        UniqueConstraint("provider_id", "number"),
        # One declaration per provider, municipality and month; besides it any number of
        # marked correction declarations (docs/declarations.md).
        Index("uq_declaration_month", "provider_id", "municipality_id", "period", unique=True,
              sqlite_where=text("NOT is_correction"), postgresql_where=text("NOT is_correction")),
        # One open concept per provider, municipality and month, whichever kind: parallel
        # credits meet in it (docs/races.md).
        Index("uq_declaration_open_concept", "provider_id", "municipality_id", "period",
              unique=True, sqlite_where=text("status = 'concept'"),
              postgresql_where=text("status = 'concept'")),
        Index("ix_declaration_municipality_status", "municipality_id", "status"),
        # Concepts and their lines can be removed; on SQLite too, an id is never reused,
        # so audit events keep pointing at the object they were about.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"), index=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"))
    number: Mapped[str] = mapped_column(String(12))
    period: Mapped[date]  # the first day of the declared month
    # A correction declaration: credits (and re-debits) after the month's declaration was
    # submitted.
    is_correction: Mapped[bool] = mapped_column(default=False)
    status: Mapped[DeclarationStatus] = mapped_column(
        CodeColumn(DeclarationStatus), default=DeclarationStatus.CONCEPT
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    due_on: Mapped[date | None]

    provider: Mapped[Provider] = relationship()
    municipality: Mapped[Municipality] = relationship()
    created_by: Mapped[User] = relationship()
    lines: Mapped[list["DeclarationLine"]] = relationship(
        back_populates="declaration", order_by="DeclarationLine.id"
    )


class PaymentExport(Model):
    """A batch of approved lines handed to the payment system; each line only once."""

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    period_from: Mapped[date]
    period_to: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))

    municipality: Mapped[Municipality] = relationship()
    created_by: Mapped[User] = relationship()


class DeclarationLine(Model):
    """A prestatie: one tranche of one allocation, approved or rejected in full."""

    __table_args__ = (
        # A reference is used once as debit and at most once as its credit.
        UniqueConstraint("provider_id", "reference", "debit_credit"),
        CheckConstraint("amount_cents >= 0", name="amount_not_negative"),
        CheckConstraint("period_end >= period_start", name="period_ordered"),
        Index("ix_declaration_line_queue", "municipality_id", "status", "due_on", "id"),
        Index("ix_declaration_line_queue_amount", "municipality_id", "status", "amount_cents",
              "id"),
        # The queue filtered on one provider (migration 0006_performance).
        Index("ix_declaration_line_queue_provider", "municipality_id", "provider_id", "status",
              "due_on", "id"),
        Index("ix_declaration_line_due_on", "due_on"),  # the timeliness quarters
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declaration.id"), index=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"))
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"))
    allocation_id: Mapped[int] = mapped_column(ForeignKey("allocation.id"), index=True)
    reference: Mapped[str] = mapped_column(String(20))
    tranche: Mapped[Tranche] = mapped_column(CodeColumn(Tranche))
    # The product as declared; checked against the allocation (9339, 9340).
    product_category: Mapped[JZ020] = mapped_column(CodeColumn(JZ020, 2))
    product_code: Mapped[str] = mapped_column(String(5))
    period_start: Mapped[date]
    period_end: Mapped[date]
    amount_cents: Mapped[int]
    debit_credit: Mapped[COD043] = mapped_column(CodeColumn(COD043, 1), default=COD043.DEBIT)
    status: Mapped[LineStatus] = mapped_column(CodeColumn(LineStatus), default=LineStatus.CONCEPT)
    due_on: Mapped[date | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Working days from submission to the decision (portal/domain/timeliness.py).
    answered_working_days: Mapped[int | None]
    return_code: Mapped[WJ001 | None] = mapped_column(CodeColumn(WJ001, 4))
    decision_note: Mapped[str | None] = mapped_column(Text)
    payment_export_id: Mapped[int | None] = mapped_column(
        ForeignKey("payment_export.id"), index=True
    )

    declaration: Mapped[Declaration] = relationship(back_populates="lines")
    provider: Mapped[Provider] = relationship()
    allocation: Mapped[Allocation] = relationship()
    decided_by: Mapped[User | None] = relationship()
    payment_export: Mapped[PaymentExport | None] = relationship()

    @hybrid_property
    def signed_amount_cents(self) -> int:
        return -self.amount_cents if self.debit_credit == COD043.CREDIT else self.amount_cents

    @signed_amount_cents.inplace.expression
    @classmethod
    def _signed_amount_cents_expression(cls):
        return case((cls.debit_credit == COD043.CREDIT, -cls.amount_cents),
                    else_=cls.amount_cents)
