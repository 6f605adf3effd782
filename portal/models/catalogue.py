"""The arrangement catalogue: profiles x intensities, and their tariffs over time."""

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from portal.domain.codes import JZ020
from portal.extensions import Model
from portal.models.organisations import Region
from portal.models.types import CodeColumn


class Profile(Model):
    """The kind of support need; labels are the region's configuration."""

    __table_args__ = (UniqueConstraint("region_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"))
    code: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(120))

    region: Mapped[Region] = relationship()

    def __str__(self) -> str:
        return self.name


class Intensity(Model):
    """Mate van ernst; `rank` orders them so upscaling can be recognised."""

    __table_args__ = (
        UniqueConstraint("region_id", "code"),
        # One intensity per rank: the ranks define what counts as upscaling.
        UniqueConstraint("region_id", "rank"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"))
    code: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(60))
    rank: Mapped[int]
    # Long-term support (duurzaam): no end in sight, ranked by the region like the others.
    long_term: Mapped[bool] = mapped_column(default=False, server_default=false())

    region: Mapped[Region] = relationship()

    def __str__(self) -> str:
        return self.name


def arrangement_name(profile_name: str, intensity_name: str) -> str:
    """An arrangement as people name it: `Ambulant, licht`."""
    return f"{profile_name}, {intensity_name.lower()}"


class Arrangement(Model):
    __table_args__ = (
        UniqueConstraint("profile_id", "intensity_id"),
        UniqueConstraint("region_id", "product_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The profile's region, kept here so the database holds the product code unique in it.
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profile.id"))
    intensity_id: Mapped[int] = mapped_column(ForeignKey("intensity.id"))
    product_category: Mapped[JZ020] = mapped_column(CodeColumn(JZ020, 2))
    product_code: Mapped[str] = mapped_column(String(5))

    region: Mapped[Region] = relationship()
    profile: Mapped[Profile] = relationship(lazy="joined")
    intensity: Mapped[Intensity] = relationship(lazy="joined")
    tariffs: Mapped[list["Tariff"]] = relationship(
        back_populates="arrangement", order_by="Tariff.valid_from"
    )

    @validates("profile")
    def _region_of_profile(self, _key, profile: Profile) -> Profile:
        self.region = profile.region
        return profile

    @property
    def name(self) -> str:
        return arrangement_name(self.profile.name, self.intensity.name)

    def __str__(self) -> str:
        return self.name


class Tariff(Model):
    """One version of an arrangement's fixed tariff; a used version is never edited."""

    __table_args__ = (
        CheckConstraint("amount_cents >= 0", name="amount_not_negative"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="period_ordered"),
        Index("ix_tariff_arrangement_valid_from", "arrangement_id", "valid_from", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    arrangement_id: Mapped[int] = mapped_column(ForeignKey("arrangement.id"))
    valid_from: Mapped[date]
    valid_to: Mapped[date | None]
    amount_cents: Mapped[int]

    arrangement: Mapped[Arrangement] = relationship(back_populates="tariffs")

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)
