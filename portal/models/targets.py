"""Agreed values per indicator and period on a contract (the steering dialogue)."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import Model
from portal.models.contracts import Contract
from portal.models.types import UTCDateTime, utcnow
from portal.models.users import User


class ContractTarget(Model):
    """`indicator` is a key of portal.domain.indicators.SPECS; the period is a year
    (quarter 0) or one of its quarters; the value is kept in tenths, so 7,5 is 75."""

    __table_args__ = (
        UniqueConstraint("contract_id", "indicator", "year", "quarter"),
        CheckConstraint("quarter BETWEEN 0 AND 4", name="quarter_of_year"),
        CheckConstraint("comparison IN ('ge', 'le')", name="comparison_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"),
                                             index=True)
    indicator: Mapped[str] = mapped_column(String(40))
    year: Mapped[int]
    quarter: Mapped[int] = mapped_column(default=0)
    comparison: Mapped[str] = mapped_column(String(2))
    value_tenths: Mapped[int]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    contract: Mapped[Contract] = relationship()
    created_by: Mapped[User] = relationship()
