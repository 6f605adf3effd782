"""Small line charts of a figure over time, as inline SVG drawn on the server.

The drawing rules of portal/charts.py hold here too (no JavaScript, fonts by family name,
presentation attributes, role="img" with a title and a description that reads every value),
and its drawing helpers are reused. A point without a value (too small to judge) breaks the
line; the table beside the chart says why.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

from portal.charts import (
    FONT_FAMILY,
    FONT_SIZE,
    GRID_COLOUR,
    MUTED_COLOUR,
    SERIES_COLOURS,
    TICKS,
    _attributes,
    _element,
    _text,
)

WIDTH, HEIGHT = 560, 220
LEFT, RIGHT, TOP, BOTTOM = 56, 24, 16, 34  # room for the axes' labels


@dataclass(frozen=True)
class Point:
    label: str  # on the time axis, e.g. 2026-K3
    value: Decimal | None  # None: too small to judge, not drawn
    text: str  # the value as people read it
    base: int | None = None  # the number of lines, requests or trajectories behind it


@dataclass(frozen=True)
class LineChart:
    ident: str  # unique on the page; prefixes the ids of title and description
    title: str
    description: str
    points: tuple[Point, ...]
    maximum: Decimal
    tick_format: Callable[[Decimal], str]


def describe(chart: LineChart) -> str:
    """The description for screen readers: the chart's sentence and every value."""
    return f"{chart.description} " + "; ".join(
        f"{p.label}: {p.text}" + (f" (n = {p.base})" if p.base is not None else "")
        for p in chart.points)


def _position(chart: LineChart, n: int, value: Decimal) -> tuple[int, int]:
    span_x, span_y = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = span_x // max(len(chart.points) - 1, 1)
    return LEFT + n * step, TOP + span_y - int(span_y * min(value, chart.maximum) / chart.maximum)


def _axes(chart: LineChart) -> list[str]:
    parts, bottom = [], HEIGHT - BOTTOM
    for k in range(TICKS + 1):
        y = bottom - (HEIGHT - TOP - BOTTOM) * k // TICKS
        parts.append(_element("line", x1=LEFT, y1=y, x2=WIDTH - RIGHT, y2=y, stroke=GRID_COLOUR))
        parts.append(_text(LEFT - 6, y + 5, chart.tick_format(chart.maximum * k / TICKS),
                           anchor="end", colour=MUTED_COLOUR))
    for n, point in enumerate(chart.points):
        x, _y = _position(chart, n, Decimal(0))
        parts.append(_text(x, HEIGHT - 10, point.label, anchor="middle", colour=MUTED_COLOUR,
                           font_size=FONT_SIZE - 2))
    return parts


def _lines(chart: LineChart) -> list[str]:
    """A polyline for every run of points with a value, and a dot on each."""
    parts, run = [], []
    for n, point in enumerate((*chart.points, Point("", None, ""))):
        if point.value is not None:
            run.append(_position(chart, n, point.value))
            continue
        if len(run) > 1:
            parts.append(_element("polyline", points=" ".join(f"{x},{y}" for x, y in run),
                                  fill="none", stroke=SERIES_COLOURS[0], stroke_width=2))
        parts += [_element("circle", cx=x, cy=y, r=4, fill=SERIES_COLOURS[0]) for x, y in run]
        run = []
    return parts


def render_line(chart: LineChart) -> Markup:
    ident = escape(chart.ident)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="portal-chart" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" '
        f'{_attributes(width=WIDTH, height=HEIGHT, viewBox=f"0 0 {WIDTH} {HEIGHT}")} '
        f'{_attributes(font_family=FONT_FAMILY, font_size=FONT_SIZE)}>',
        f'<title id="{ident}-title">{escape(chart.title)}</title>',
        f'<desc id="{ident}-desc">{escape(describe(chart))}</desc>',
        *_axes(chart),
        *_lines(chart),
        "</svg>",
    ]
    # every value above is escaped
    return Markup("\n".join(parts))  # noqa: S704  # nosec B704
