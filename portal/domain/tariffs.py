"""Which tariff applies, and the contract that allows an arrangement."""

from datetime import date

from sqlalchemy import select

from portal.extensions import db
from portal.models import Arrangement, Contract, Provider, Tariff


def tariff_on(arrangement: Arrangement, day: date) -> Tariff | None:
    """The tariff version of the arrangement valid on `day`, if any."""
    return db.session.scalar(
        select(Tariff)
        .where(Tariff.arrangement_id == arrangement.id, Tariff.valid_from <= day)
        .where((Tariff.valid_to.is_(None)) | (Tariff.valid_to >= day))
        .order_by(Tariff.valid_from.desc())
        .limit(1)
    )


def contract_on(provider: Provider, day: date) -> Contract | None:
    """The provider's contract running on `day`, if any."""
    return db.session.scalar(
        select(Contract)
        .where(Contract.provider_id == provider.id)
        .where(Contract.starts_on <= day, Contract.ends_on >= day)
        .order_by(Contract.starts_on.desc())
        .limit(1)
    )
