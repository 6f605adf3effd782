"""Which tariff applies, the contract that allows an arrangement, and tariff versions."""

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.domain import DomainError
from portal.domain.audit import record, snapshot
from portal.extensions import db
from portal.formatting import format_date
from portal.models import (
    Allocation,
    Arrangement,
    Contract,
    Intensity,
    Profile,
    Provider,
    Tariff,
    User,
)


def tariff_on(arrangement: Arrangement, day: date) -> Tariff | None:
    """The tariff version of the arrangement valid on `day`, if any."""
    return db.session.scalar(
        select(Tariff)
        .where(Tariff.arrangement_id == arrangement.id, Tariff.valid_from <= day)
        .where((Tariff.valid_to.is_(None)) | (Tariff.valid_to >= day))
        .order_by(Tariff.valid_from.desc())
        .limit(1)
    )


def contract_on(provider: Provider, day: date, region_id: int,
                arrangement: Arrangement | None = None) -> Contract | None:
    """The provider's contract with the region running on `day`, if any; given an
    arrangement, the one that holds it (a provider may hold other arrangements in a
    concurrent contract)."""
    return contract_among(running_contracts(provider, day, region_id), day, arrangement)


def running_contracts(provider: Provider, day: date, region_id: int) -> list[Contract]:
    return list(db.session.scalars(
        select(Contract)
        .where(Contract.provider_id == provider.id, Contract.region_id == region_id)
        .where(Contract.starts_on <= day, Contract.ends_on >= day)))


def contract_among(contracts: list[Contract], day: date,
                   arrangement: Arrangement | None = None) -> Contract | None:
    """contract_on's choice among contracts already loaded (bulk imports): one holding the
    arrangement first, then the latest to start."""
    return max((c for c in contracts if c.covers(day)),
               key=lambda c: (arrangement is not None and arrangement in c.arrangements,
                              c.starts_on), default=None)


def tariff_among(tariffs: list[Tariff], day: date) -> Tariff | None:
    """tariff_on's choice among tariff versions already loaded (bulk imports)."""
    return max((t for t in tariffs if t.covers(day)), key=lambda t: t.valid_from, default=None)


# Maintaining the tariff table (contract manager) ------------------------------------------

TARIFF_FIELDS = ("valid_from", "valid_to", "amount_cents")


def tariff_in_use(tariff: Tariff) -> bool:
    """Used by an allocation: then the version is never edited in place."""
    return tariff.id in tariffs_in_use([tariff.id])


def tariffs_in_use(tariff_ids) -> set[int]:
    return set(db.session.scalars(
        select(Allocation.tariff_id).where(Allocation.tariff_id.in_(tariff_ids)).distinct()))


def tariff_table(region_id: int) -> list[Arrangement]:
    """The region's arrangements with their tariff versions, in catalogue order."""
    return list(db.session.scalars(
        select(Arrangement).join(Arrangement.profile).join(Arrangement.intensity)
        .options(selectinload(Arrangement.tariffs))
        .where(Profile.region_id == region_id)
        .order_by(Profile.name, Intensity.rank)))


def _check_amount(amount_cents: int) -> None:
    if amount_cents < 0:
        raise DomainError(_l("Een tarief kan niet negatief zijn."), field="amount")


def _check_no_overlap(valid_from: date, valid_to: date | None, others: list[Tariff]) -> None:
    for other in others:
        starts_before_other_ends = other.valid_to is None or valid_from <= other.valid_to
        ends_after_other_starts = valid_to is None or valid_to >= other.valid_from
        if starts_before_other_ends and ends_after_other_starts:
            raise DomainError(
                _l("Deze periode overlapt met de tariefversie vanaf %(day)s.",
                   day=format_date(other.valid_from)), field="valid_from")


def add_tariff_version(arrangement: Arrangement, valid_from: date, amount_cents: int,
                       actor: User) -> Tariff:
    """A new version from `valid_from`; the open version before it closes the day before."""
    _check_amount(amount_cents)
    versions = list(arrangement.tariffs)
    latest = versions[-1] if versions else None
    if latest is not None and valid_from <= latest.valid_from:
        raise DomainError(
            _l("Een nieuwe tariefversie gaat in na de laatste versie (vanaf %(day)s).",
               day=format_date(latest.valid_from)), field="valid_from")
    if latest is not None and latest.valid_to is None:
        first_later_use = db.session.scalar(
            select(func.min(Allocation.start_date))
            .where(Allocation.tariff_id == latest.id, Allocation.start_date >= valid_from))
        if first_later_use is not None:
            raise DomainError(
                _l("Er zijn al toewijzingen met het huidige tarief die op %(day)s of later "
                   "ingaan. Kies een ingangsdatum na %(day)s.",
                   day=format_date(first_later_use)), field="valid_from")
        before = snapshot(latest, *TARIFF_FIELDS)
        latest.valid_to = valid_from - timedelta(days=1)
        record(actor, "tariff.closed", latest, before=before,
               after=snapshot(latest, *TARIFF_FIELDS))
    _check_no_overlap(valid_from, None, versions)
    tariff = Tariff(arrangement=arrangement, valid_from=valid_from, amount_cents=amount_cents)
    db.session.add(tariff)
    db.session.flush()
    record(actor, "tariff.added", tariff, after=snapshot(tariff, *TARIFF_FIELDS))
    return tariff


def edit_tariff(tariff: Tariff, valid_from: date, valid_to: date | None, amount_cents: int,
                actor: User) -> None:
    """Correct a version that no allocation has used yet."""
    if tariff_in_use(tariff):
        raise DomainError(_l("Dit tarief is al gebruikt in een toewijzing en wordt daarom niet "
                             "gewijzigd. Voeg een nieuwe tariefversie toe."))
    _check_amount(amount_cents)
    if valid_to is not None and valid_to < valid_from:
        raise DomainError(_l("De einddatum ligt vóór de ingangsdatum."), field="valid_to")
    before = snapshot(tariff, *TARIFF_FIELDS)
    _check_no_overlap(valid_from, valid_to,
                      [t for t in tariff.arrangement.tariffs if t is not tariff])
    tariff.valid_from, tariff.valid_to, tariff.amount_cents = valid_from, valid_to, amount_cents
    db.session.flush()
    record(actor, "tariff.edited", tariff, before=before,
           after=snapshot(tariff, *TARIFF_FIELDS))


def delete_tariff(tariff: Tariff, actor: User) -> None:
    """Remove a version that no allocation has used; the version it closed opens again."""
    if tariff_in_use(tariff):
        raise DomainError(_l("Dit tarief is al gebruikt in een toewijzing en wordt daarom niet "
                             "verwijderd. Voeg zo nodig een nieuwe tariefversie toe."))
    arrangement = tariff.arrangement
    earlier = [t for t in arrangement.tariffs if t.valid_from < tariff.valid_from]
    previous = earlier[-1] if earlier else None
    # Kept on the arrangement: the history of a version outlives the version.
    record(actor, "tariff.deleted", arrangement,
           before={"tariff_id": tariff.id, **snapshot(tariff, *TARIFF_FIELDS)})
    if (tariff.valid_to is None and previous is not None
            and previous.valid_to == tariff.valid_from - timedelta(days=1)):
        before = snapshot(previous, *TARIFF_FIELDS)
        previous.valid_to = None
        record(actor, "tariff.reopened", previous, before=before,
               after=snapshot(previous, *TARIFF_FIELDS))
    arrangement.tariffs.remove(tariff)
    db.session.delete(tariff)
    db.session.flush()
