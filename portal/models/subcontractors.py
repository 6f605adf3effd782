"""Subcontractors (onderaannemers) a main provider registers on its contract."""

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import Model
from portal.models.contracts import Contract


class Subcontractor(Model):
    """The main provider stays responsible and declares; a subcontractor delivers."""

    __table_args__ = (UniqueConstraint("contract_id", "agb_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"),
                                             index=True)
    agb_code: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(120))

    contract: Mapped[Contract] = relationship()

    def __str__(self) -> str:
        return f"{self.name} (AGB {self.agb_code})"
