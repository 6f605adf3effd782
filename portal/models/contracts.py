"""Contracts between the region and a provider, with the payment scheme."""

from datetime import date

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain.lists import EarlyEndRule
from portal.extensions import db
from portal.models.catalogue import Arrangement
from portal.models.organisations import Provider, Region
from portal.models.types import CodeColumn

contract_arrangement = Table(
    "contract_arrangement",
    db.metadata,
    Column("contract_id", ForeignKey("contract.id", ondelete="CASCADE"), primary_key=True),
    Column("arrangement_id", ForeignKey("arrangement.id"), primary_key=True),
)


class Contract(db.Model):
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="period_ordered"),
        CheckConstraint("start_share_percent BETWEEN 0 AND 100", name="share_is_percentage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"), index=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    # Payment scheme (trajectfinanciering): the start share; the end tranche is the rest.
    start_share_percent: Mapped[int] = mapped_column(default=40)
    early_end_rule: Mapped[EarlyEndRule] = mapped_column(
        CodeColumn(EarlyEndRule), default=EarlyEndRule.PRO_RATA
    )
    administrative_end_rule: Mapped[EarlyEndRule] = mapped_column(
        CodeColumn(EarlyEndRule), default=EarlyEndRule.PRO_RATA
    )

    region: Mapped[Region] = relationship()
    provider: Mapped[Provider] = relationship()
    arrangements: Mapped[list[Arrangement]] = relationship(secondary=contract_arrangement)

    @property
    def end_share_percent(self) -> int:
        return 100 - self.start_share_percent

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on
