"""The child (cliënt) and the municipality responsible for it."""

from datetime import date

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain.identifiers import mask_bsn
from portal.extensions import Model
from portal.models.organisations import Municipality


def full_name(given_name: str, family_name: str) -> str:
    return f"{given_name} {family_name}"


class Client(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    bsn: Mapped[str] = mapped_column(String(9), unique=True)
    birth_date: Mapped[date]
    given_name: Mapped[str] = mapped_column(String(80))
    family_name: Mapped[str] = mapped_column(String(120))
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    # How to reach the child (JW301 Contact, TR061/TR006): a Dutch address, a phone, or both.
    street: Mapped[str | None] = mapped_column(String(24))
    house_number: Mapped[int | None]
    house_number_addition: Mapped[str | None] = mapped_column(String(4))
    postcode: Mapped[str | None] = mapped_column(String(6))
    city: Mapped[str | None] = mapped_column(String(80))
    phone: Mapped[str | None] = mapped_column(String(15))

    municipality: Mapped[Municipality] = relationship()

    @property
    def has_address(self) -> bool:
        return self.house_number is not None and bool(self.postcode)

    @property
    def name(self) -> str:
        return full_name(self.given_name, self.family_name)

    @property
    def masked_bsn(self) -> str:
        return mask_bsn(self.bsn)
