"""The child (cliënt) and the municipality responsible for it."""

from datetime import date

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain.identifiers import mask_bsn
from portal.extensions import db
from portal.models.organisations import Municipality


class Client(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    bsn: Mapped[str] = mapped_column(String(9), unique=True)
    birth_date: Mapped[date]
    given_name: Mapped[str] = mapped_column(String(80))
    family_name: Mapped[str] = mapped_column(String(120))
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)

    municipality: Mapped[Municipality] = relationship()

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def masked_bsn(self) -> str:
        return mask_bsn(self.bsn)
