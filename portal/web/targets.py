"""Targets as shown on the contract page, the provider's dashboard page and the statement."""

from dataclasses import dataclass

from flask_babel import gettext as _

from portal.domain.figures import Figure, Unit
from portal.domain.targets import (
    COMPARISONS,
    TargetResult,
    target_spec,
    target_unit,
    target_value,
)
from portal.formatting import format_figure, format_number


@dataclass(frozen=True)
class TargetRow:
    indicator: str
    period: str
    agreed: str  # "≥ 70,0%"
    figure: str
    base: int
    status: str  # "met", "not_met" or "too_small": the badge
    verdict: str
    distance: str  # "+13,3 procentpunt", or "–"

    def content(self) -> list:
        """What a statement keeps of it (and so what its verification code covers)."""
        return [self.indicator, self.period, self.agreed, self.figure, self.base, self.verdict,
                self.distance]


def period_label(year: int, quarter: int) -> str:
    return str(year) if not quarter else _("%(year)s kwartaal %(quarter)s", year=year,
                                           quarter=quarter)


def _distance(result: TargetResult) -> str:
    if result.distance is None:
        return "–"
    sign = "+" if result.distance > 0 else ("−" if result.distance < 0 else "")
    text = sign + format_number(abs(result.distance), 1)
    return (_("%(value)s procentpunt", value=text) if target_unit(result.target) == Unit.PERCENT
            else text)


def target_row(result: TargetResult) -> TargetRow:
    t = result.target
    agreed = format_figure(Figure(target_unit(t), 5, target_value(t)))
    if result.met is None:
        status, verdict = "too_small", _("te klein om te beoordelen")
    elif result.met:
        status, verdict = "met", _("gehaald")
    else:
        status, verdict = "not_met", _("niet gehaald")
    return TargetRow(str(target_spec(t).label), period_label(t.year, t.quarter),
                     f"{COMPARISONS[t.comparison]} {agreed}", format_figure(result.figure),
                     result.figure.base, status, verdict, _distance(result))
