"""Every indicator per quarter over the last eight quarters (by end date), read from the
figures store: eight aggregates, whatever the number of trajectories.

A trend is the region's, or one group's (a provider, an arrangement, a municipality) beside
the region's. Each quarter carries the change against the quarter before and against the same
quarter a year earlier, in the indicator's own unit (percentage points, marks, days, ...);
where either figure is too small to judge there is no change."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from portal.domain.figures import Figure, Period
from portal.domain.figures_sums import sums_by
from portal.domain.indicators import Indicators, Sums, indicators_from
from portal.domain.quarters import Quarter
from portal.domain.store_queries import region_sums

YEAR_AGO = 4  # quarters


@dataclass(frozen=True)
class TrendPoint:
    quarter: Quarter
    period: Period  # the quarter's; the last one ends today: it is still running
    figure: Figure
    region: Figure
    since_previous: Decimal | None
    since_year_ago: Decimal | None


def change(now: Figure, then: Figure | None) -> Decimal | None:
    if then is None or now.value is None or then.value is None:
        return None
    return now.value - then.value


@dataclass(frozen=True)
class QuarterFigures:
    quarter: Quarter
    period: Period  # up to today
    group: Indicators  # the region's own when the trend is the region's
    region: Indicators


def quarter_figures(region_id: int, today: date, grouping: str,
                    group_id: int | None) -> list[QuarterFigures]:
    """Each quarter's indicators of the group (or of the region when group_id is None) and
    of the region: one query per quarter, over the eight quarters up to today's."""
    figures = []
    for quarter in Quarter.of(today).last():
        period = quarter.until(today)
        by_group = sums_by(region_id, period, today, grouping)
        region = indicators_from(region_sums(by_group))
        group = region if group_id is None else indicators_from(by_group.get(group_id, Sums()))
        figures.append(QuarterFigures(quarter, period, group, region))
    return figures


def trend(figures: list[QuarterFigures], indicator: str) -> list[TrendPoint]:
    """One indicator's points, with the changes against the quarter before and a year ago."""
    values = [getattr(f.group, indicator) for f in figures]
    return [TrendPoint(f.quarter, f.period, value, getattr(f.region, indicator),
                       change(value, values[n - 1] if n >= 1 else None),
                       change(value, values[n - YEAR_AGO] if n >= YEAR_AGO else None))
            for n, (f, value) in enumerate(zip(figures, values, strict=True))]
