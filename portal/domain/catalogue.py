"""Looking up the catalogue and the organisations for choices on forms, within the regions
a user works in (portal.domain.regions.region_ids_of): another region's names never show."""

from datetime import date

from sqlalchemy import select

from portal.domain.regions import contracted_provider_ids
from portal.extensions import db
from portal.models import (
    Arrangement,
    Contract,
    Intensity,
    Municipality,
    Profile,
    Provider,
    contract_arrangement,
)


def all_arrangements(region_ids) -> list[Arrangement]:
    return list(db.session.scalars(
        select(Arrangement).join(Arrangement.profile).join(Arrangement.intensity)
        .where(Profile.region_id.in_(region_ids)).order_by(Profile.name, Intensity.rank)))


def contracted_arrangements(provider: Provider, day: date, region_ids) -> list[Arrangement]:
    """The arrangements of the provider's contracts running on `day` in the regions."""
    contracted = (
        select(contract_arrangement.c.arrangement_id)
        .join(Contract, Contract.id == contract_arrangement.c.contract_id)
        .where(Contract.provider_id == provider.id, Contract.region_id.in_(region_ids),
               Contract.starts_on <= day, Contract.ends_on >= day))
    return list(db.session.scalars(
        select(Arrangement).join(Arrangement.profile).join(Arrangement.intensity)
        .where(Arrangement.id.in_(contracted)).order_by(Profile.name, Intensity.rank)))


def all_providers(region_ids) -> list[Provider]:
    """The providers holding a contract in the regions."""
    return list(db.session.scalars(
        select(Provider).where(Provider.id.in_(contracted_provider_ids(region_ids)))
        .order_by(Provider.name)))


def contractable_providers() -> list[Provider]:
    """Every registered provider: a region may contract one it has never worked with.
    Providers are national organisations (AGB); only their names are shown here."""
    return list(db.session.scalars(select(Provider).order_by(Provider.name)))


def all_municipalities(region_ids) -> list[Municipality]:
    return list(db.session.scalars(
        select(Municipality).where(Municipality.region_id.in_(region_ids))
        .order_by(Municipality.name)))


def choices(objects, label=str) -> list[tuple[int, str]]:
    return [(o.id, label(o)) for o in objects]
