"""Agreed values per indicator and period on a contract, and whether a figure meets them.

A target holds a percentage (0-100) or a mark (1-10) for an indicator of that unit, for a
year or a quarter that overlaps the contract's term. The figure it is held against is the
provider's in the contract's region (regions are walls), computed as the dashboard does."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.domain import DomainError
from portal.domain.figures import Figure, Period, Unit
from portal.domain.figures_sums import sums_by
from portal.domain.indicators import SPECS, Spec, Sums, indicators_from
from portal.extensions import db
from portal.formatting import format_date
from portal.models import Contract, ContractTarget, User

AT_LEAST, AT_MOST = "ge", "le"
COMPARISONS = {AT_LEAST: "≥", AT_MOST: "≤"}
BOUNDS = {Unit.PERCENT: (Decimal(0), Decimal(100)), Unit.MARK: (Decimal(1), Decimal(10))}
TENTH = Decimal("0.1")
_EMPTY = indicators_from(Sums())
# The indicators a target can be agreed for: those in percent or as a mark.
UNITS = {s.name: getattr(_EMPTY, s.name).unit for s in SPECS
         if getattr(_EMPTY, s.name).unit in BOUNDS}
SPEC_OF = {s.name: s for s in SPECS}
DUPLICATE = _l("Voor deze indicator en periode is in dit contract al een streefwaarde "
               "afgesproken.")


@dataclass(frozen=True)
class TargetInput:
    indicator: str
    year: int | None
    quarter: int  # 0: the whole year
    comparison: str
    value: str  # as typed: "70" or "7,5"


@dataclass(frozen=True)
class TargetResult:
    """A target beside the figure: met is None when the figure is too small to judge;
    distance is the figure minus the agreed value (percentage points or marks)."""

    target: ContractTarget
    figure: Figure
    met: bool | None
    distance: Decimal | None


def target_period(target: ContractTarget) -> Period:
    return (Period.year(target.year) if not target.quarter
            else Period.quarter(target.year, target.quarter))


def overlaps(one: Period, other: Period) -> bool:
    return one.start <= other.end and other.start <= one.end


def target_value(target: ContractTarget) -> Decimal:
    return Decimal(target.value_tenths) / 10


def target_spec(target: ContractTarget) -> Spec:
    return SPEC_OF[target.indicator]


def target_unit(target: ContractTarget) -> Unit:
    return UNITS[target.indicator]


def _value(text: str, unit: Unit) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", ".").rstrip("%").strip())
    except (InvalidOperation, AttributeError):
        value = None
    if value is None or not value.is_finite() or value != value.quantize(TENTH):
        raise DomainError(_l("Vul een getal in met hoogstens één decimaal, bijvoorbeeld 70 of "
                             "7,5."), field="value")
    low, high = BOUNDS[unit]
    if not low <= value <= high:
        message = (_l("Een percentage ligt tussen 0 en 100.") if unit == Unit.PERCENT
                   else _l("Een rapportcijfer ligt tussen 1 en 10."))
        raise DomainError(message, field="value")
    return value


def _check_period(contract: Contract, year: int | None, quarter: int) -> Period:
    if year is None or not 2000 <= year <= 2100 or quarter not in range(5):
        raise DomainError(_l("Kies een jaar en eventueel een kwartaal."), field="year")
    period = Period.year(year) if not quarter else Period.quarter(year, quarter)
    if not overlaps(period, Period(contract.starts_on, contract.ends_on)):
        raise DomainError(_l("De periode valt buiten de looptijd van het contract "
                             "(%(start)s tot en met %(end)s).",
                             start=format_date(contract.starts_on),
                             end=format_date(contract.ends_on)), field="year")
    return period


def add_target(contract: Contract, given: TargetInput, actor: User) -> ContractTarget:
    if given.indicator not in SPEC_OF:
        raise DomainError(_l("Kies een indicator."), field="indicator")
    if given.indicator not in UNITS:
        raise DomainError(_l("Voor deze indicator kan geen streefwaarde worden afgesproken: "
                             "alleen voor percentages en rapportcijfers."), field="indicator")
    if given.comparison not in COMPARISONS:
        raise DomainError(_l("Kies ten minste of ten hoogste."), field="comparison")
    _check_period(contract, given.year, given.quarter)
    value = _value(given.value, UNITS[given.indicator])
    target = ContractTarget(contract=contract, indicator=given.indicator, year=given.year,
                            quarter=given.quarter, comparison=given.comparison,
                            value_tenths=int(value * 10), created_by=actor)
    try:
        with db.session.begin_nested():  # a lost race meets the same message
            db.session.add(target)
            db.session.flush()
    except IntegrityError:
        raise DomainError(DUPLICATE, field="indicator") from None
    return target


def contract_targets(contract: Contract) -> list[ContractTarget]:
    return list(db.session.scalars(
        select(ContractTarget).where(ContractTarget.contract_id == contract.id)
        .order_by(ContractTarget.year, ContractTarget.quarter, ContractTarget.id)))


def provider_targets(provider_id: int, region_id: int) -> list[ContractTarget]:
    """The targets of a provider's contracts in one region."""
    return list(db.session.scalars(
        select(ContractTarget).join(ContractTarget.contract)
        .where(Contract.provider_id == provider_id, Contract.region_id == region_id)
        .order_by(ContractTarget.year, ContractTarget.quarter, ContractTarget.id)))


def evaluate(target: ContractTarget, figure: Figure) -> TargetResult:
    if figure.value is None:
        return TargetResult(target, figure, None, None)
    distance = figure.value - target_value(target)
    met = distance >= 0 if target.comparison == AT_LEAST else distance <= 0
    return TargetResult(target, figure, met, distance)


def results(targets: list[ContractTarget], today: date) -> list[TargetResult]:
    """Each target against its provider's figure in its contract's region and period: one
    query of the figures store per region and period, whatever the number of targets."""
    by_period: dict[tuple[int, Period], list[ContractTarget]] = defaultdict(list)
    for t in targets:
        by_period[(t.contract.region_id, target_period(t))].append(t)
    figures = {}
    for (region_id, period), group in by_period.items():
        per_provider = sums_by(region_id, period, today, "provider")
        for t in group:
            sums = per_provider.get(t.contract.provider_id)
            indicators = indicators_from(sums) if sums else _EMPTY
            figures[t.id] = getattr(indicators, t.indicator)
    return [evaluate(t, figures[t.id]) for t in targets]
