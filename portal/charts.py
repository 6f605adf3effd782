"""Horizontal bar charts as inline SVG, drawn on the server.

No JavaScript, no external resources and fonts by family name only, so the same markup
serves the portal's pages and PDFs made with WeasyPrint. Each chart is an image with a title
and a description (role="img", aria-labelledby); pages show a table with its figures too.
Colours are presentation attributes, not style attributes, which the CSP would block.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

FONT_FAMILY = "'Source Sans Pro', 'Segoe UI', Arial, 'Liberation Sans', sans-serif"
SERIES_COLOURS = ("#0b4a7a", "#6b6b6b")  # blue; grey is the region's
HIGHLIGHT_COLOUR = SERIES_COLOURS[1]
TEXT_COLOUR, MUTED_COLOUR, GRID_COLOUR = "#1c1c1c", "#535353", "#d4d4d4"
WIDTH = 720
CHAR_WIDTH = 8  # average width of a character at FONT_SIZE
FONT_SIZE = 14
BAR_HEIGHT, BAR_GAP, ROW_GAP = 20, 3, 12
LEGEND_HEIGHT, AXIS_HEIGHT, TOP = 28, 26, 6
TICKS = 4


@dataclass(frozen=True)
class Bar:
    value: Decimal | None  # None: nothing to draw, only the text
    text: str  # the value as people read it
    base: int | None = None  # the number of trajectories behind it


@dataclass(frozen=True)
class Row:
    label: str
    bars: tuple[Bar, ...]  # one per series
    highlight: bool = False  # drawn in the region's grey


@dataclass(frozen=True)
class BarChart:
    ident: str  # unique on the page; prefixes the ids of title and description
    title: str
    description: str
    rows: tuple[Row, ...]
    maximum: Decimal
    tick_format: Callable[[Decimal], str]
    series: tuple[str, ...] = ()  # legend entries when rows carry more than one bar


def nice_maximum(values: Iterable[Decimal | None]) -> Decimal:
    """The smallest 1, 2 or 5 times a power of ten that is at least the largest value."""
    top = max((v for v in values if v is not None), default=Decimal(0))
    if top <= 0:
        return Decimal(1)
    magnitude = Decimal(10) ** top.adjusted()
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= top)


def _fit(label: str, width: int) -> str:
    room = width // CHAR_WIDTH
    return label if len(label) <= room else label[: room - 1].rstrip() + "…"


def _attributes(**values) -> str:
    return " ".join(f'{name.rstrip("_").replace("_", "-")}="{escape(value)}"'
                    for name, value in values.items())


def _element(tag: str, **values) -> str:
    return f"<{tag} {_attributes(**values)}/>"


def _text(x, y, content, anchor="start", colour=TEXT_COLOUR, **extra) -> str:
    return (f"<text {_attributes(x=x, y=y, text_anchor=anchor, fill=colour, **extra)}>"
            f"{escape(content)}</text>")


def _legend(chart: BarChart, x: int) -> list[str]:
    parts, left = [], x
    for n, name in enumerate(chart.series):
        parts.append(_element("rect", x=left, y=TOP + 4, width=14, height=14,
                              fill=SERIES_COLOURS[n]))
        parts.append(_text(left + 20, TOP + 16, name))
        left += 20 + len(name) * CHAR_WIDTH + 24
    return parts


def _axis(chart: BarChart, x: int, span: int, top: int, bottom: int) -> list[str]:
    parts = []
    for k in range(TICKS + 1):
        tick_x = x + span * k // TICKS
        parts.append(_element("line", x1=tick_x, y1=top, x2=tick_x, y2=bottom,
                              stroke=GRID_COLOUR))
        parts.append(_text(tick_x, bottom + 17, chart.tick_format(chart.maximum * k / TICKS),
                           anchor="middle", colour=MUTED_COLOUR))
    return parts


def _row(chart: BarChart, row: Row, x: int, span: int, y: int, label_width: int) -> list[str]:
    block = len(row.bars) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
    weight = {"font_weight": "bold"} if row.highlight else {}
    parts = [_text(x - 10, y + block / 2 + 4.5, _fit(row.label, label_width), anchor="end",
                   **weight)]
    for n, bar in enumerate(row.bars):
        top = y + n * (BAR_HEIGHT + BAR_GAP)
        if bar.value is None:
            parts.append(_text(x + 4, top + 15, bar.text, colour=MUTED_COLOUR,
                               font_style="italic"))
            continue
        length = int(span * min(bar.value, chart.maximum) / chart.maximum)
        colour = HIGHLIGHT_COLOUR if row.highlight else SERIES_COLOURS[n]
        parts.append(_element("rect", x=x, y=top, width=max(length, 1), height=BAR_HEIGHT,
                              fill=colour))
        parts.append(_text(x + length + 6, top + 15, bar.text, **weight))
    return parts


def describe(chart: BarChart) -> str:
    """The description for screen readers: the chart's sentence and every value."""
    def bars(row: Row) -> str:
        names = chart.series or ("",) * len(row.bars)
        return ", ".join(
            " ".join(p for p in (name, bar.text,
                                 f"(n = {bar.base})" if bar.base is not None else "") if p)
            for name, bar in zip(names, row.bars, strict=True))

    return f"{chart.description} " + "; ".join(f"{row.label}: {bars(row)}" for row in chart.rows)


def render(chart: BarChart) -> Markup:
    label_width = min(280, max(100, CHAR_WIDTH * max((len(r.label) for r in chart.rows),
                                                     default=0)))
    x = label_width + 14
    # Right of the longest bar: room for its value, or for "te klein om te beoordelen".
    longest_text = max((len(bar.text) for row in chart.rows for bar in row.bars), default=0)
    span = WIDTH - x - longest_text * CHAR_WIDTH - 16
    top = TOP + (LEGEND_HEIGHT if len(chart.series) > 1 else 0)
    y = top + ROW_GAP // 2
    body = []
    for row in chart.rows:
        body += _row(chart, row, x, span, y, label_width)
        y += len(row.bars) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP + ROW_GAP
    height = y - ROW_GAP // 2 + AXIS_HEIGHT
    return _svg(chart.ident, chart.title, describe(chart), height, [
        *(_legend(chart, x) if len(chart.series) > 1 else []),
        *_axis(chart, x, span, top, y - ROW_GAP // 2),
        *body,
    ])


def _svg(ident_text: str, title: str, description: str, height: int,
         body: list[str]) -> Markup:
    """A chart's SVG element: an image named by its title and described by every value."""
    ident = escape(ident_text)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="portal-chart" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" '
        f'{_attributes(width=WIDTH, height=height, viewBox=f"0 0 {WIDTH} {height}")} '
        f'{_attributes(font_family=FONT_FAMILY, font_size=FONT_SIZE)}>',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
        *body,
        "</svg>",
    ]
    svg = "\n".join(parts)
    # Every value above is escaped. One call per line: bandit's nosec applies to every call on it.
    return Markup(svg)  # noqa: S704  # nosec B704


# Line charts: one value per period (the trends), a line per series --------------------------

PLOT_HEIGHT, Y_LABEL_WIDTH, POINT_RADIUS = 200, 70, 4


@dataclass(frozen=True)
class Series:
    name: str
    points: tuple[Bar, ...]  # one per label; a value of None breaks the line


@dataclass(frozen=True)
class LineChart:
    ident: str
    title: str
    description: str
    labels: tuple[str, ...]  # along the horizontal axis, oldest first
    series: tuple[Series, ...]
    maximum: Decimal
    tick_format: Callable[[Decimal], str]


def describe_lines(chart: LineChart) -> str:
    def values(n: int) -> str:
        return ", ".join(" ".join(p for p in (s.name, s.points[n].text,
                                              f"(n = {s.points[n].base})"
                                              if s.points[n].base is not None else "") if p)
                         for s in chart.series)

    return f"{chart.description} " + "; ".join(
        f"{label}: {values(n)}" for n, label in enumerate(chart.labels))


def _line(series: Series, colour: str, x_of, y_of) -> list[str]:
    """The series' line, broken where a point has no value, and a dot on each value."""
    parts, run = [], []
    for n, point in enumerate((*series.points, Bar(None, ""))):
        if point.value is not None:
            run.append((x_of(n), y_of(point.value)))
            continue
        if len(run) > 1:
            parts.append(_element("polyline", points=" ".join(f"{x},{y}" for x, y in run),
                                  fill="none", stroke=colour, stroke_width=2))
        parts += [_element("circle", cx=x, cy=y, r=POINT_RADIUS, fill=colour) for x, y in run]
        run = []
    return parts


def render_lines(chart: LineChart) -> Markup:
    left, right = Y_LABEL_WIDTH, WIDTH - 36  # room for half the last label
    top = TOP + (LEGEND_HEIGHT if chart.series else 0) + 8
    bottom = top + PLOT_HEIGHT
    step = (right - left) / max(len(chart.labels) - 1, 1)

    def x_of(n: int) -> int:
        return round(left + n * step)

    def y_of(value: Decimal) -> int:
        shown = min(max(value, Decimal(0)), chart.maximum)
        return round(bottom - PLOT_HEIGHT * shown / chart.maximum)

    grid = []
    for k in range(TICKS + 1):
        y = bottom - PLOT_HEIGHT * k // TICKS
        grid.append(_element("line", x1=left, y1=y, x2=right, y2=y, stroke=GRID_COLOUR))
        grid.append(_text(left - 8, y + 5, chart.tick_format(chart.maximum * k / TICKS),
                          anchor="end", colour=MUTED_COLOUR))
    labels = [_text(x_of(n), bottom + 20, label, anchor="middle", colour=MUTED_COLOUR)
              for n, label in enumerate(chart.labels)]
    lines = [part for n, series in enumerate(chart.series)
             for part in _line(series, SERIES_COLOURS[n % len(SERIES_COLOURS)],
                               x_of, y_of)]
    height = bottom + AXIS_HEIGHT + 6
    legend = BarChart(chart.ident, chart.title, "", (), chart.maximum, chart.tick_format,
                      tuple(s.name for s in chart.series))
    return _svg(chart.ident, chart.title, describe_lines(chart), height,
                [*_legend(legend, left), *grid, *labels, *lines])
