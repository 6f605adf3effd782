"""The small line chart: accessible, every value in its description, gaps where a figure is
too small to judge."""

from decimal import Decimal

from portal.line_charts import LineChart, Point, render_line


def chart(values) -> LineChart:
    return LineChart(
        ident="tijd", title="Binnen de termijn", description="Per kwartaal.",
        points=tuple(Point(f"2026-K{n + 1}", v, "–" if v is None else f"{v}%", 7)
                     for n, v in enumerate(values)),
        maximum=Decimal(100), tick_format=lambda v: f"{v:.0f}%")


def test_title_description_and_every_value():
    svg = str(render_line(chart([Decimal(50), Decimal(75)])))
    assert 'role="img"' in svg and 'aria-labelledby="tijd-title tijd-desc"' in svg
    assert "2026-K1: 50% (n = 7); 2026-K2: 75% (n = 7)" in svg
    assert svg.count("<polyline") == 1 and svg.count("<circle") == 2


def test_a_point_without_a_value_breaks_the_line():
    svg = str(render_line(chart([Decimal(50), Decimal(60), None, Decimal(70), Decimal(80)])))
    assert svg.count("<polyline") == 2 and svg.count("<circle") == 4


def test_a_lonely_point_is_a_dot_and_text_is_escaped():
    svg = str(render_line(LineChart("x", "<b>", "a & b", (Point("Q<1>", Decimal(5), "5"),),
                                    Decimal(10), str)))
    assert "<polyline" not in svg and svg.count("<circle") == 1
    assert "&lt;b&gt;" in svg and "Q&lt;1&gt;" in svg
