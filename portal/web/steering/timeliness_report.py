"""The municipal timeliness pages' content: per kind the trend of the viewer's scope over
eight quarters (with its line chart) and the chosen quarter per municipality."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import or_, select

from portal.domain.quarters import Quarter
from portal.domain.timeliness import Kind, Tally, Timeliness, timeliness, total
from portal.domain.timeliness_queries import Scope, overdue_now, quarter_tallies
from portal.extensions import db
from portal.formatting import format_figure
from portal.line_charts import LineChart, Point, render_line
from portal.models import Municipality


@dataclass(frozen=True)
class Row:
    name: str
    figures: Timeliness  # in the chosen quarter
    overdue_now: int


@dataclass(frozen=True)
class KindReport:
    kind: Kind
    trend: list[tuple[Quarter, Timeliness]]  # the scope's total, oldest quarter first
    rows: list[Row]
    total: Row
    chart: LineChart
    svg: Markup


def _names(scope: Scope, ids: set[int]) -> dict[int, str]:
    """The municipalities to show: those with figures, and all of the scope's own (every
    one of the region's for the region, the own one for a municipality)."""
    if scope.municipality_id is not None:
        own = Municipality.id == scope.municipality_id
    elif scope.provider_id is None:
        own = Municipality.region_id == scope.region_id
    else:
        own = Municipality.id.in_(ids)
    return {m.id: m.name for m in db.session.scalars(
        select(Municipality).where(or_(own, Municipality.id.in_(ids)))
        .order_by(Municipality.name))}


def _chart(kind: Kind, trend: list[tuple[Quarter, Timeliness]]) -> LineChart:
    return LineChart(
        ident=f"tijdigheid-{kind.value}",
        title=_("%(kind)s binnen 10 werkdagen beantwoord", kind=kind.label),
        description=_("Lijngrafiek van het aandeel dat binnen 10 werkdagen is beantwoord, "
                      "per kwartaal van de uiterste antwoorddatum."),
        points=tuple(Point(q.label, t.within_term.value, format_figure(t.within_term),
                           t.within_term.base) for q, t in trend),
        maximum=Decimal(100), tick_format=lambda v: f"{v:.0f}%")


def kind_reports(scope: Scope, quarters: list[Quarter], today: date) -> list[KindReport]:
    loaded = {kind: (quarter_tallies(kind, scope, quarters, today),
                     overdue_now(kind, scope, today)) for kind in Kind}
    names = _names(scope, {m for tallies, overdue in loaded.values()
                           for m in {*(key[1] for key in tallies), *overdue}})
    chosen, reports = quarters[-1], []
    for kind, (tallies, overdue) in loaded.items():
        trend = [(q, timeliness(total(t for key, t in tallies.items() if key[0] == q)))
                 for q in quarters]
        rows = [Row(name, timeliness(tallies.get((chosen, m), Tally())), overdue.get(m, 0))
                for m, name in names.items()]
        chart = _chart(kind, trend)
        reports.append(KindReport(
            kind, trend, rows,
            Row(_("Totaal"), trend[-1][1], sum(overdue.values())), chart, render_line(chart)))
    return reports
