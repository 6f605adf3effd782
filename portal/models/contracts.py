"""Contracts between the region and a provider, with their payment scheme versions."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain.lists import EarlyEndRule
from portal.extensions import Model, db
from portal.models.catalogue import Arrangement
from portal.models.organisations import Provider, Region
from portal.models.types import CodeColumn, UTCDateTime, utcnow

contract_arrangement = Table(
    "contract_arrangement",
    db.metadata,
    Column("contract_id", ForeignKey("contract.id", ondelete="CASCADE"), primary_key=True),
    Column("arrangement_id", ForeignKey("arrangement.id"), primary_key=True),
)


class Contract(Model):
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="period_ordered"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"), index=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]

    region: Mapped[Region] = relationship()
    provider: Mapped[Provider] = relationship()
    arrangements: Mapped[list[Arrangement]] = relationship(secondary=contract_arrangement)
    scheme_versions: Mapped[list["PaymentSchemeVersion"]] = relationship(
        back_populates="contract", order_by="PaymentSchemeVersion.valid_from")

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def scheme_on(self, day: date) -> "PaymentSchemeVersion | None":
        """The payment scheme version valid on `day`: the latest that started by then."""
        return max((v for v in self.scheme_versions if v.valid_from <= day),
                   key=lambda v: v.valid_from, default=None)

    @property
    def latest_scheme(self) -> "PaymentSchemeVersion | None":
        return self.scheme_versions[-1] if self.scheme_versions else None


class PaymentSchemeVersion(Model):
    """The payment scheme (trajectfinanciering) of a contract from `valid_from` on, until the
    next version. An allocation keeps the version valid on its start date, so a later
    version never re-prices a running trajectory; a version in use is never edited."""

    __table_args__ = (
        UniqueConstraint("contract_id", "valid_from"),
        CheckConstraint("start_share_percent BETWEEN 0 AND 100", name="share_is_percentage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"), index=True)
    valid_from: Mapped[date]
    # The start share; the end tranche is the rest of the tariff.
    start_share_percent: Mapped[int] = mapped_column(default=40)
    early_end_rule: Mapped[EarlyEndRule] = mapped_column(
        CodeColumn(EarlyEndRule), default=EarlyEndRule.PRO_RATA
    )
    administrative_end_rule: Mapped[EarlyEndRule] = mapped_column(
        CodeColumn(EarlyEndRule), default=EarlyEndRule.PRO_RATA
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    contract: Mapped[Contract] = relationship(back_populates="scheme_versions")

    @property
    def end_share_percent(self) -> int:
        return 100 - self.start_share_percent
