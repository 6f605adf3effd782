"""Contracts and their payment scheme versions (trajectfinanciering, domain.md section 9).

A scheme changes by a new version from a date on; an allocation keeps the version valid on
its start date (`Allocation.scheme_version`), so a new version never re-prices a running
trajectory, and a version once in force is never edited.
"""

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, selectinload

from portal.domain import DomainError
from portal.domain.audit import record, snapshot
from portal.domain.lists import EarlyEndRule
from portal.extensions import db
from portal.formatting import format_date
from portal.models import Allocation, Contract, PaymentSchemeVersion, Provider, User

SCHEME_FIELDS = ("valid_from", "start_share_percent", "early_end_rule",
                 "administrative_end_rule")


def _check_shares(start_share_percent: int, end_share_percent: int | None) -> None:
    if not 0 <= start_share_percent <= 100:
        raise DomainError(_l("Het aandeel bij de start ligt tussen 0 en 100 procent."),
                          field="start_share_percent")
    if end_share_percent is not None and start_share_percent + end_share_percent != 100:
        raise DomainError(_l("Het aandeel bij de start en het aandeel bij het einde moeten "
                             "samen 100 procent zijn (nu %(total)s procent).",
                             total=start_share_percent + end_share_percent),
                          field="end_share_percent")


def _same_day(valid_from: date) -> DomainError:
    return DomainError(_l("Er is al een betaalschema dat ingaat op %(day)s.",
                          day=format_date(valid_from)), field="valid_from")


def _check_valid_from(contract: Contract, valid_from: date, today: date) -> None:
    """The first version starts with the contract; a later one after the latest version,
    not in the past, within the term, and after every allocation that already took the
    latest version."""
    latest = contract.latest_scheme
    if latest is None:
        if valid_from != contract.starts_on:
            raise DomainError(_l("Het eerste betaalschema geldt vanaf de start van het "
                                 "contract (%(day)s).", day=format_date(contract.starts_on)),
                              field="valid_from")
        return
    if any(v.valid_from == valid_from for v in contract.scheme_versions):
        raise _same_day(valid_from)
    if valid_from <= latest.valid_from or valid_from < today:
        raise DomainError(_l("Een nieuw betaalschema gaat in na %(latest)s en niet vóór "
                             "vandaag (%(today)s).", latest=format_date(latest.valid_from),
                             today=format_date(today)), field="valid_from")
    if valid_from > contract.ends_on:
        raise DomainError(_l("De ingangsdatum ligt na het einde van het contract (%(day)s).",
                             day=format_date(contract.ends_on)), field="valid_from")
    first_later_use = db.session.scalar(
        select(func.min(Allocation.start_date))
        .where(Allocation.scheme_version_id == latest.id, Allocation.start_date >= valid_from))
    if first_later_use is not None:
        raise DomainError(_l("Er zijn al toewijzingen met het huidige betaalschema die op "
                             "%(day)s of later ingaan. Kies een ingangsdatum na %(day)s.",
                             day=format_date(first_later_use)), field="valid_from")


def _unused_version_of(contract: Contract, valid_from: date,
                       today: date) -> PaymentSchemeVersion | None:
    """The version from `valid_from` when it is still to come and no allocation keeps it."""
    version = next((v for v in contract.scheme_versions if v.valid_from == valid_from), None)
    if version is None or valid_from < today or schemes_in_use([version.id]):
        return None
    return version


def add_scheme_version(contract: Contract, valid_from: date, start_share_percent: int,
                       early_end_rule: EarlyEndRule, administrative_end_rule: EarlyEndRule,
                       actor: User | None, today: date, *,
                       end_share_percent: int | None = None) -> PaymentSchemeVersion:
    """A new payment scheme for allocations starting from `valid_from`: the start share in
    percent (the end tranche is the rest; `end_share_percent`, when given, must complete it
    to 100) and the rules for early and administrative ends. An end according to plan
    always earns the full rest."""
    _check_shares(start_share_percent, end_share_percent)
    planned = _unused_version_of(contract, valid_from, today)
    if planned is not None:  # not in force yet and kept by no allocation: set it anew
        before = snapshot(planned, *SCHEME_FIELDS)
        planned.start_share_percent = start_share_percent
        planned.early_end_rule = EarlyEndRule(early_end_rule)
        planned.administrative_end_rule = EarlyEndRule(administrative_end_rule)
        record(actor, "contract.payment_scheme_changed", contract, before=before,
               after=snapshot(planned, *SCHEME_FIELDS))
        return planned
    _check_valid_from(contract, valid_from, today)
    version = PaymentSchemeVersion(
        contract=contract, valid_from=valid_from, start_share_percent=start_share_percent,
        early_end_rule=EarlyEndRule(early_end_rule),
        administrative_end_rule=EarlyEndRule(administrative_end_rule))
    db.session.add(version)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # a version from the same day was added at the same moment
        db.session.expire(contract, ["scheme_versions"])
        raise _same_day(valid_from) from None
    record(actor, "contract.payment_scheme_added", contract,
           after=snapshot(version, *SCHEME_FIELDS))
    return version


def schemes_in_use(version_ids) -> set[int]:
    """The versions an allocation keeps: shown as in use, never to be changed."""
    return set(db.session.scalars(
        select(Allocation.scheme_version_id)
        .where(Allocation.scheme_version_id.in_(version_ids)).distinct()))


def scheme_version_of(contract: Contract, day: date) -> PaymentSchemeVersion:
    """The version an allocation starting on `day` under this contract keeps."""
    version = contract.scheme_on(day)
    if version is None:
        raise DomainError(_l("Contract %(number)s heeft op %(day)s geen betaalschema.",
                             number=contract.number, day=format_date(day)),
                          field="start_date")
    return version


def region_contracts(region_id: int) -> list[Contract]:
    return list(db.session.scalars(
        select(Contract).join(Contract.provider)
        .options(contains_eager(Contract.provider), selectinload(Contract.arrangements),
                 selectinload(Contract.scheme_versions))
        .where(Contract.region_id == region_id)
        .order_by(Provider.name, Contract.starts_on)))
