"""Organisations: the region, its municipalities (CBS code) and providers (AGB code)."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import Model


class Region(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)

    municipalities: Mapped[list["Municipality"]] = relationship(
        back_populates="region", order_by="Municipality.name"
    )


class Municipality(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    cbs_code: Mapped[str] = mapped_column(String(4), unique=True)
    name: Mapped[str] = mapped_column(String(120))

    region: Mapped[Region] = relationship(back_populates="municipalities")

    def __str__(self) -> str:
        return self.name


class Provider(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    agb_code: Mapped[str] = mapped_column(String(8), unique=True)
    kvk_number: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(120))

    def __str__(self) -> str:
        return self.name
