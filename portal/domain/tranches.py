"""Tranche amounts (trajectfinanciering, domain.md section 9). Plain computation, no queries.

The tariff valid on the allocation's start date (`Allocation.amount_cents`) is paid in two
tranches under the payment scheme version valid on that date (`Allocation.scheme_version`):
the start share when care has started, and the rest when the allocation ends. The rest is
the tariff minus the start tranche actually declared, so a trajectory ending according to
plan is paid its tariff exactly. An end according to plan (JZ588 31) earns the rest in full;
an early end (02, 32-35) and an administrative end (36-39) earn it as the scheme's rule says,
by default pro rata over the planned period. Amounts are rounded down to the cent.
"""

import calendar
from dataclasses import dataclass
from datetime import date

from portal.domain.codes import END_REASON_FOR_CHANGE, JZ588
from portal.domain.lists import EarlyEndRule, TrajectoryStatus, Tranche
from portal.models import Allocation, PaymentSchemeVersion, Trajectory

EARLY_END_REASONS = frozenset({JZ588.DECEASED, JZ588.EARLY_BY_CLIENT, JZ588.EARLY_BY_PROVIDER,
                               JZ588.EARLY_BY_AGREEMENT, JZ588.EARLY_EXTERNAL})
ADMINISTRATIVE_END_REASONS = frozenset({JZ588.BY_MUNICIPALITY, JZ588.CHANGE_REQUEST,
                                        JZ588.OTHER_PROVIDER, JZ588.OTHER_DOMAIN})


@dataclass(frozen=True)
class PaymentScheme:
    start_share_percent: int
    early_end_rule: EarlyEndRule
    administrative_end_rule: EarlyEndRule

    @classmethod
    def of(cls, version: PaymentSchemeVersion) -> "PaymentScheme":
        return cls(version.start_share_percent, version.early_end_rule,
                   version.administrative_end_rule)

    @classmethod
    def of_allocation(cls, allocation: Allocation) -> "PaymentScheme":
        return cls.of(allocation.scheme_version)


@dataclass(frozen=True)
class AllocationEnd:
    on: date
    reason: JZ588


@dataclass(frozen=True)
class TrancheDue:
    """One tranche the portal computes for an allocation: what may be declared."""

    tranche: Tranche
    period_start: date
    period_end: date
    amount_cents: int


def inclusive_days(first: date, last: date) -> int:
    return (last - first).days + 1


def month_bounds(day: date) -> tuple[date, date]:
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def start_tranche_cents(tariff_cents: int, scheme: PaymentScheme) -> int:
    return tariff_cents * scheme.start_share_percent // 100


def end_tranche_cents(tariff_cents: int, scheme: PaymentScheme, reason: JZ588,
                      served_days: int, planned_days: int,
                      declared_start_cents: int | None = None) -> int:
    """The rest after the start tranche, as the end reason earns it. The start tranche is
    the one declared for the allocation, or while none is, the scheme's."""
    if declared_start_cents is None:
        declared_start_cents = start_tranche_cents(tariff_cents, scheme)
    end_share = max(tariff_cents - declared_start_cents, 0)
    if reason == JZ588.ACCORDING_TO_PLAN:
        return end_share
    if reason in EARLY_END_REASONS:
        rule = scheme.early_end_rule
    elif reason in ADMINISTRATIVE_END_REASONS:
        rule = scheme.administrative_end_rule
    else:
        raise ValueError(f"JZ588 {reason.value} is not an end")
    if rule == EarlyEndRule.FULL:
        return end_share
    if rule == EarlyEndRule.NONE:
        return 0
    return end_share * min(served_days, planned_days) // planned_days


def product_period(day: date, allocation: Allocation) -> tuple[date, date]:
    """The calendar month of `day`, clipped to the allocation period."""
    first, last = month_bounds(day)
    return max(first, allocation.start_date), min(last, allocation.end_date)


def allocation_end(allocation: Allocation, trajectory: Trajectory) -> AllocationEnd | None:
    """When and why the allocation ended: replaced or ended by the municipality (its change
    reason says why), or the trajectory it carries ended; None while it runs."""
    if not allocation.is_current and allocation.change_reason in END_REASON_FOR_CHANGE:
        return AllocationEnd(allocation.end_date, END_REASON_FOR_CHANGE[allocation.change_reason])
    if (allocation.is_current and trajectory.status == TrajectoryStatus.ENDED
            and trajectory.ended_on is not None and trajectory.end_reason is not None):
        return AllocationEnd(trajectory.ended_on, trajectory.end_reason)
    return None


def end_amount(allocation: Allocation, end: AllocationEnd, scheme: PaymentScheme,
               tariff_cents: int, declared_start_cents: int | None = None) -> int:
    """The end tranche; days are counted from the allocation's start, both ends inclusive,
    so the amount does not depend on when the start was registered."""
    return end_tranche_cents(
        tariff_cents, scheme, end.reason,
        served_days=inclusive_days(allocation.start_date, end.on),
        planned_days=inclusive_days(allocation.start_date, allocation.planned_end_date),
        declared_start_cents=declared_start_cents)


def care_start(allocation: Allocation, trajectory: Trajectory) -> date | None:
    """The first day of care under this allocation, once the start is registered."""
    if trajectory.started_on is None or trajectory.started_on > allocation.end_date:
        return None
    return max(allocation.start_date, trajectory.started_on)


def tranches_due(allocation: Allocation, trajectory: Trajectory, scheme: PaymentScheme,
                 declared_start_cents: int | None = None) -> list[TrancheDue]:
    """The tranches this allocation has earned so far (zero amounts left out)."""
    started = care_start(allocation, trajectory)
    if started is None:
        return []
    tariff = allocation.amount_cents
    due = [TrancheDue(Tranche.START, *product_period(started, allocation),
                      start_tranche_cents(tariff, scheme))]
    end = allocation_end(allocation, trajectory)
    if end is not None:
        period = product_period(end.on, allocation)
        if period == (due[0].period_start, due[0].period_end):
            # Care started and ended in one month: two debits for one product and period
            # break TR416, so the end tranche is for the last day of care (docs/ijw.md).
            period = (end.on, end.on)
        due.append(TrancheDue(Tranche.END, *period,
                              end_amount(allocation, end, scheme, tariff,
                                         declared_start_cents)))
    return [d for d in due if d.amount_cents > 0]
