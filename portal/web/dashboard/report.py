"""Indicators arranged for the dashboards: the columns to compare and their charts."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.charts import Bar, BarChart, LineChart, Row, Series, nice_maximum
from portal.domain.figures import Figure, Period, Unit
from portal.domain.figures_sums import sums_by
from portal.domain.indicator_queries import group_names
from portal.domain.indicators import SPECS, Indicators, Spec, Sums, indicators_from
from portal.domain.store_queries import region_sums
from portal.domain.trends import TrendPoint
from portal.formatting import format_figure, format_number
from portal.models import Provider

# The region page's two overview tables; every figure is on the provider page and in the CSV.
OVERVIEW = [
    (_l("Uitkomsten"), ("according_to_plan", "drop_out", "ended_by_provider", "satisfaction",
                        "without_help", "goals_achieved", "societal_improved",
                        "treatment_achieved", "no_new_start")),
    (_l("Duur, opschaling en kosten"), ("duration", "upscaling", "cost_per_trajectory",
                                        "cost_per_plan_end")),
]
# The figures on the cards above the tables.
KEY_FIGURES = ("according_to_plan", "drop_out", "satisfaction", "without_help")
SCALE = {Unit.PERCENT: Decimal(100), Unit.MARK: Decimal(10)}


@dataclass(frozen=True)
class Column:
    """One group's figures: the region, a provider, an arrangement or a municipality."""

    label: str
    indicators: Indicators
    provider_id: int | None = None  # the provider page to link to
    is_region: bool = False
    group_id: int | None = None  # the group's trend to link to

    def figures(self, specs: list[Spec]) -> list[Figure]:
        return [getattr(self.indicators, spec.name) for spec in specs]


def region_column(by_group: dict[int, Sums]) -> Column:
    return Column(_("Hele regio"), indicators_from(region_sums(by_group)), is_region=True)


def provider_column(columns: list[Column], provider: Provider) -> Column:
    """A provider's column of the comparison per provider; an empty one when it has no
    trajectories in the period."""
    return next((c for c in columns if c.provider_id == provider.id), None) or Column(
        provider.name, indicators_from(Sums()), provider.id)


def provider_and_region(provider: Provider, region_id: int, period: Period,
                        today: date) -> tuple[Column, Column]:
    """A provider's figures beside the whole region's, from the figures store."""
    columns = comparison(region_id, period, today, "provider")
    return provider_column(columns, provider), columns[0]


def comparison(region_id: int, period: Period, today: date, grouping: str) -> list[Column]:
    """The region first, then each group that has trajectories in the period: one query
    over the figures store, one for the groups' names."""
    by_group = sums_by(region_id, period, today, grouping)
    return [region_column(by_group),
            *(Column(name, indicators_from(by_group[key]),
                     key if grouping == "provider" else None, group_id=key)
              for key, name in group_names(grouping, by_group).items())]


def overview_tables() -> list[tuple[str, list[Spec]]]:
    by_name = {spec.name: spec for spec in SPECS}
    return [(heading, [by_name[name] for name in names]) for heading, names in OVERVIEW]


def key_figures_of(indicators: Indicators,
                   region: Indicators | None = None) -> list[tuple[Spec, Figure, Figure | None]]:
    """The figures for the cards, with the region's beside them on a provider's page."""
    return [(spec, getattr(indicators, spec.name), getattr(region, spec.name, None))
            for spec in SPECS if spec.name in KEY_FIGURES]


def _tick_format(unit: Unit):
    def tick(value: Decimal) -> str:
        if unit == Unit.CENTS:
            return "€ " + format_number(value / 100)
        text = format_number(value, 0 if value == value.to_integral() else 1)
        return f"{text}%" if unit == Unit.PERCENT else text

    return tick


def _bar(figure: Figure) -> Bar:
    return Bar(figure.value, format_figure(figure), figure.base)


def _chart(ident: str, title: str, description: str, rows: list[Row],
           figures: list[Figure], series: tuple[str, ...] = ()) -> BarChart:
    unit = figures[0].unit
    return BarChart(ident=ident, title=title, description=description, rows=tuple(rows),
                    maximum=SCALE.get(unit) or nice_maximum(f.value for f in figures),
                    tick_format=_tick_format(unit), series=series)


def comparison_charts(columns: list[Column], group_label: str) -> list[BarChart]:
    charts = []
    for spec in SPECS:
        if not spec.chart:
            continue
        figures = [getattr(c.indicators, spec.name) for c in columns]
        rows = [Row(c.label, (_bar(f),), c.is_region)
                for c, f in zip(columns, figures, strict=True)]
        charts.append(_chart(
            f"grafiek-{spec.name}", str(spec.label),
            _("Staafdiagram per %(group)s; de grijze staaf is de hele regio.",
              group=group_label.lower()), rows, figures))
    return charts


def provider_charts(own: Column, region: Column) -> list[BarChart]:
    """Two series, the provider's and the region's: the percentages, then the marks."""
    charts = []
    for unit, title in ((Unit.PERCENT, _("Uitkomsten in procenten")),
                        (Unit.MARK, _("Tevredenheid (rapportcijfer 1 tot en met 10)"))):
        specs = [s for s in SPECS if getattr(region.indicators, s.name).unit == unit
                 and (s.chart or unit == Unit.MARK)]
        pairs = [(getattr(own.indicators, s.name), getattr(region.indicators, s.name))
                 for s in specs]
        rows = [Row(str(s.short), (_bar(mine), _bar(theirs)))
                for s, (mine, theirs) in zip(specs, pairs, strict=True)]
        charts.append(_chart(
            f"grafiek-{unit.value}", title,
            _("Staafdiagram: per indicator %(provider)s (blauw) en de hele regio (grijs).",
              provider=own.label), rows, [f for pair in pairs for f in pair],
            series=(own.label, region.label)))
    return charts


def trend_chart(points: list[TrendPoint], spec: Spec, group_label: str | None) -> LineChart:
    """The group's line beside the region's grey one (only the region's for its own trend);
    a quarter too small to judge breaks the line."""
    region = Series(_("Hele regio"), tuple(_bar(p.region) for p in points))
    series = (region,) if group_label is None else (
        Series(group_label, tuple(_bar(p.figure) for p in points)), region)
    figures = [p.figure for p in points] + [p.region for p in points]
    unit = figures[0].unit
    return LineChart(
        ident=f"trend-{spec.name}", title=str(spec.label),
        description=_("Lijndiagram per kwartaal over de laatste acht kwartalen."),
        labels=tuple(p.quarter.label for p in points), series=series,
        maximum=SCALE.get(unit) or nice_maximum(f.value for f in figures),
        tick_format=_tick_format(unit))
