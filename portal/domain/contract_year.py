"""The new contract year: a year's contracts and tariffs carried to the next year, indexed.

The plan is shown per arrangement before anything is saved; carrying it out is all or
nothing (the caller commits once, and any DomainError leaves the transaction to roll back).
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.domain import DomainError
from portal.domain.audit import record
from portal.domain.contract_admin import NUMBER_LENGTH, ContractTerms, save_contract
from portal.domain.contracts import scheme_version_of
from portal.domain.tariffs import add_tariff_version, tariff_among, tariff_table
from portal.domain.tranches import PaymentScheme
from portal.extensions import db
from portal.models import Arrangement, Contract, Provider, Tariff, User

# A sane indexation: tariffs are indexed with wage and price developments, not rebuilt.
LOWEST_PERCENT, HIGHEST_PERCENT = Decimal(-10), Decimal(25)
_PERCENT = re.compile(r"^-?\d+([.,]\d{1,2})?$")


def parse_percent(text: str) -> Decimal:
    """'2,5' (the Dutch decimal comma) or '2.5', at most two decimals, within the sane range."""
    cleaned = (text or "").strip().removesuffix("%").strip().replace("−", "-")
    if not _PERCENT.match(cleaned):
        raise DomainError(_l("Vul de indexatie in als percentage met hoogstens twee decimalen, "
                             "bijvoorbeeld 2,5."), field="percent")
    percent = Decimal(cleaned.replace(",", "."))
    if not LOWEST_PERCENT <= percent <= HIGHEST_PERCENT:
        raise DomainError(_l("Een indexatie ligt tussen −10 en 25 procent."), field="percent")
    return percent


def indexed(cents: int, percent: Decimal) -> int:
    """The tariff raised by `percent`, rounded to the cent, half a cent up."""
    return int((Decimal(cents) * (100 + percent) / 100).quantize(Decimal(1), ROUND_HALF_UP))


@dataclass(frozen=True)
class TariffStep:
    arrangement: Arrangement
    old: Tariff
    new_cents: int | None  # None: the next year already has a version of its own, kept


@dataclass(frozen=True)
class ContractCopy:
    old: Contract
    number: str


@dataclass(frozen=True)
class YearCopy:
    year: int
    percent: Decimal
    contracts: list[ContractCopy]
    tariffs: list[TariffStep]

    @property
    def next_year(self) -> int:
        return self.year + 1


def _next_number(contract: Contract, next_year: int) -> str:
    """The number with its first year replaced by the new year, else the year appended."""
    year = str(contract.starts_on.year)
    pattern = rf"(?<!\d){year}(?!\d)"
    if re.search(pattern, contract.number):
        return re.sub(pattern, str(next_year), contract.number, count=1)
    return f"{contract.number}-{next_year}"[:NUMBER_LENGTH]


def _contracts_to_copy(region_id: int, year: int) -> list[Contract]:
    last_day = date(year, 12, 31)
    return list(db.session.scalars(
        select(Contract).join(Contract.provider)
        .options(selectinload(Contract.arrangements))
        .where(Contract.region_id == region_id, Contract.starts_on <= last_day,
               Contract.ends_on >= last_day)
        .order_by(Provider.name)))


def _check_next_year_free(region_id: int, contracts: list[Contract], next_year: int) -> None:
    taken = db.session.execute(
        select(Provider.name, Contract.number).join(Contract.provider)
        .where(Contract.region_id == region_id,
               Contract.provider_id.in_([c.provider_id for c in contracts]),
               Contract.starts_on <= date(next_year, 12, 31),
               Contract.ends_on >= date(next_year, 1, 1))
        .order_by(Provider.name)).all()
    if taken:
        raise DomainError(_l(
            "In %(year)s is er al een contract voor %(providers)s. Een jaar wordt alleen "
            "overgenomen voor aanbieders die in dat jaar nog geen contract hebben.",
            year=next_year,
            providers=", ".join(f"{name} ({number})" for name, number in taken)), field="year")


def plan_year_copy(region_id: int, year: int, percent: Decimal) -> YearCopy:
    """What copying `year` to the next year would do; nothing is changed."""
    if not 2000 <= year <= 2099:
        raise DomainError(_l("Vul een jaar in, bijvoorbeeld 2026."), field="year")
    contracts = _contracts_to_copy(region_id, year)
    if not contracts:
        raise DomainError(_l("Er lopen op 31-12-%(year)s geen contracten om over te nemen.",
                             year=year), field="year")
    next_year = year + 1
    _check_next_year_free(region_id, contracts, next_year)
    steps = []
    for arrangement in tariff_table(region_id):
        old = tariff_among(arrangement.tariffs, date(year, 12, 31))
        if old is None:
            continue
        has_own = any(t.valid_from.year > year for t in arrangement.tariffs)
        steps.append(TariffStep(arrangement, old,
                                None if has_own else indexed(old.amount_cents, percent)))
    return YearCopy(year, percent,
                    [ContractCopy(c, _next_number(c, next_year)) for c in contracts], steps)


def copy_year(region_id: int, year: int, percent: Decimal, actor: User) -> YearCopy:
    """Carry out the plan: new contracts for the next calendar year and indexed tariff
    versions from its first day. Raises DomainError on the first problem."""
    plan = plan_year_copy(region_id, year, percent)
    first, last = date(plan.next_year, 1, 1), date(plan.next_year, 12, 31)
    year_end = date(year, 12, 31)
    for copy in plan.contracts:
        # The new contract pays as the old one did at the end of its year (its latest scheme
        # when every version starts later); one without any is refused as an allocation is.
        scheme = (copy.old.scheme_on(year_end) or copy.old.latest_scheme
                  or scheme_version_of(copy.old, year_end))
        new = save_contract(None, region_id, ContractTerms(
            copy.number, copy.old.provider, first, last, list(copy.old.arrangements)), actor,
            PaymentScheme.of(scheme))
        record(actor, "contract.copied", new,
               after={"copied_from": copy.old.number, "indexation_percent": str(percent)})
    for step in plan.tariffs:
        if step.new_cents is not None:
            add_tariff_version(step.arrangement, first, step.new_cents, actor)
    db.session.flush()
    return plan
