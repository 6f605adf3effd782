"""Regions are walls: the regions a user's lists, counts and figures are confined to.

A region account and a municipal account belong to one region. A provider can hold contracts
in several regions; it works in each of them and sees each region's figures apart."""

from sqlalchemy import Select, false, literal, or_, select

from portal.extensions import db
from portal.models import Contract, Municipality, Provider, Region, User


def region_ids_of(user: User) -> Select:
    """The ids of the regions the user works in, as a subquery for `.in_()`."""
    if user.region_id is not None:
        return select(literal(user.region_id))
    if user.municipality_id is not None:
        return select(Municipality.region_id).where(Municipality.id == user.municipality_id)
    if user.provider_id is not None:
        return provider_region_ids(user.provider_id)
    return select(Region.id).where(false())


def viewer_region_id(user: User) -> int | None:
    """The one region of a region or municipal account (None for a provider)."""
    if user.region_id is not None:
        return user.region_id
    return user.municipality.region_id if user.municipality is not None else None


def provider_region_ids(provider_id: int) -> Select:
    """The regions in which a provider holds a contract."""
    return select(Contract.region_id).where(Contract.provider_id == provider_id)


def municipality_ids_in(region_ids) -> Select:
    """The municipalities of one region (an id) or of several (a subquery)."""
    if isinstance(region_ids, int):
        return select(Municipality.id).where(Municipality.region_id == region_ids)
    return select(Municipality.id).where(Municipality.region_id.in_(region_ids))


def contracted_provider_ids(region_ids) -> Select:
    """The providers holding a contract in the regions (a subquery of region ids)."""
    return select(Contract.provider_id).where(Contract.region_id.in_(region_ids))


def administered_provider_ids(region_id: int) -> Select:
    """The providers a region's administrator keeps: those contracted in the region, and
    newly added ones that hold no contract anywhere yet."""
    return select(Provider.id).where(or_(
        Provider.id.in_(contracted_provider_ids([region_id])),
        ~select(Contract.id).where(Contract.provider_id == Provider.id).exists()))


def regions_of(user: User) -> list[Region]:
    return list(db.session.scalars(
        select(Region).where(Region.id.in_(region_ids_of(user))).order_by(Region.name)))


def provider_in_region(provider: Provider, region_id: int) -> bool:
    return db.session.scalar(
        select(Contract.id).where(Contract.provider_id == provider.id,
                                  Contract.region_id == region_id).limit(1)) is not None
