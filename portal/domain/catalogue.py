"""Looking up the catalogue and the organisations for choices on forms."""

from datetime import date

from sqlalchemy import select

from portal.domain.tariffs import running_contracts
from portal.extensions import db
from portal.models import Arrangement, Intensity, Municipality, Profile, Provider


def all_arrangements() -> list[Arrangement]:
    return list(db.session.scalars(
        select(Arrangement).join(Arrangement.profile).join(Arrangement.intensity)
        .order_by(Profile.name, Intensity.rank)))


def contracted_arrangements(provider: Provider, day: date) -> list[Arrangement]:
    """The arrangements of every contract of the provider running on `day`."""
    held = {a for contract in running_contracts(provider, day) for a in contract.arrangements}
    return sorted(held, key=lambda a: (a.profile.name, a.intensity.rank))


def all_providers() -> list[Provider]:
    return list(db.session.scalars(select(Provider).order_by(Provider.name)))


def all_municipalities() -> list[Municipality]:
    return list(db.session.scalars(select(Municipality).order_by(Municipality.name)))


def choices(objects, label=str) -> list[tuple[int, str]]:
    return [(o.id, label(o)) for o in objects]
