"""Server-rendered SVG bar charts."""

import re
from decimal import Decimal

import pytest

from portal.charts import (
    PLOT_HEIGHT,
    Bar,
    BarChart,
    LineChart,
    Row,
    Series,
    nice_maximum,
    render,
    render_lines,
)


def chart(*rows, series=()) -> BarChart:
    return BarChart(ident="grafiek-test", title="Volgens plan beëindigd",
                    description="Staafdiagram per aanbieder.", rows=rows,
                    maximum=Decimal(100), tick_format=lambda v: f"{v:.0f}%", series=series)


def test_chart_is_an_accessible_image_with_title_and_description():
    svg = render(chart(Row("Horizon", (Bar(Decimal("62.5"), "62,5%", 8),))))
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert 'role="img"' in svg
    assert 'aria-labelledby="grafiek-test-title grafiek-test-desc"' in svg
    assert '<title id="grafiek-test-title">Volgens plan beëindigd</title>' in svg
    assert ("<desc id=\"grafiek-test-desc\">Staafdiagram per aanbieder. "
            "Horizon: 62,5% (n = 8)</desc>") in svg


def test_bars_are_proportional_and_small_groups_get_text_not_a_bar():
    svg = render(chart(Row("A", (Bar(Decimal(100), "100%"),)),
                       Row("B", (Bar(Decimal(25), "25%"),)),
                       Row("C", (Bar(None, "te klein om te beoordelen"),))))
    widths = [int(w) for w in re.findall(r'<rect x="\d+" y="[\d.]+" width="(\d+)"', svg)]
    assert len(widths) == 2 and abs(widths[0] - 4 * widths[1]) <= 2  # whole pixels
    assert 'font-style="italic">te klein om te beoordelen</text>' in svg


def test_nothing_external_and_everything_escaped():
    svg = render(chart(Row('<script>alert("x")</script>', (Bar(Decimal(1), "1%"),))))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "href" not in svg and "url(" not in svg and "style=" not in svg
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_two_series_get_a_legend_and_colours():
    svg = render(chart(Row("Uitval", (Bar(Decimal(10), "10%"), Bar(Decimal(20), "20%"))),
                       series=("Horizon", "Hele regio")))
    assert ">Horizon</text>" in svg and ">Hele regio</text>" in svg
    assert svg.count('fill="#0b4a7a"') == 2 and svg.count('fill="#6b6b6b"') == 2


@pytest.mark.parametrize("values, expected", [
    ([Decimal("3.3"), Decimal("7.9")], Decimal(10)),
    ([Decimal(120)], Decimal(200)),
    ([Decimal(450001)], Decimal(500000)),
    ([Decimal("0.4")], Decimal("0.5")),
    ([None], Decimal(1)),
])
def test_nice_maximum(values, expected):
    assert nice_maximum(values) == expected


def test_a_line_breaks_where_a_quarter_is_too_small_and_the_description_lists_every_value():
    points = (Bar(Decimal(50), "50,0%", 5), Bar(Decimal(60), "60,0%", 6),
              Bar(None, "te klein om te beoordelen", 2), Bar(Decimal(100), "100,0%", 7))
    svg = render_lines(LineChart(
        ident="trend-test", title="Volgens plan", description="Lijndiagram per kwartaal.",
        labels=("2026 K1", "2026 K2", "2026 K3", "2026 K4"),
        series=(Series("Horizon", points),), maximum=Decimal(100),
        tick_format=lambda v: f"{v:.0f}%"))
    assert 'role="img"' in svg and '<title id="trend-test-title">Volgens plan</title>' in svg
    # one line over the first two quarters; the last stands alone as a dot
    assert len(re.findall(r"<polyline ", svg)) == 1
    assert len(re.findall(r"<circle ", svg)) == 3
    assert ("2026 K3: Horizon te klein om te beoordelen (n = 2); "
            "2026 K4: Horizon 100,0% (n = 7)</desc>") in svg
    # 100% sits on the top grid line, 50% halfway down the plot
    ys = [int(y) for y in re.findall(r'<circle cx="\d+" cy="(\d+)"', svg)]
    assert ys[0] - ys[2] == PLOT_HEIGHT // 2
