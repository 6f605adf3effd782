"""The bench's pure parts: reading wrk's JSON line and the report table."""

from bench.load import LoadResult, parse_wrk_output
from bench.pages import DASHBOARD, LIST
from bench.report import format_table, page_row

WRK_OUTPUT = """Running 15s test @ http://127.0.0.1:8100/trajecten
  2 threads and 16 connections
WRK_JSON {"requests": 3000, "duration_us": 15000000, "p50_us": 40000, "p95_us": 90000, \
"p99_us": 120000, "max_us": 300000, "non_2xx": 2, "socket_errors": 1}
"""


def test_wrk_json_line_is_read():
    result = parse_wrk_output(WRK_OUTPUT)
    assert result == LoadResult(requests=3000, rps=200.0, p50_ms=40.0, p95_ms=90.0,
                                p99_ms=120.0, max_ms=300.0, non_2xx=2, socket_errors=1)
    assert result.errors == 3


def load(rps, p95_ms, errors=0, requests=1000):
    return LoadResult(requests=requests, rps=rps, p50_ms=p95_ms / 2, p95_ms=p95_ms,
                      p99_ms=p95_ms * 2, max_ms=p95_ms * 3, non_2xx=errors, socket_errors=0)


def test_aims_are_judged_per_kind_of_page():
    ceiling = 1000.0
    fast = page_row("list", "/a", LIST, load(300, 80), ceiling, 4, [90.0, 91.0], 50.0)
    slow = page_row("list", "/b", LIST, load(200, 80), ceiling, 4, [90.0], 50.0)
    failing = page_row("list", "/c", LIST, load(300, 80, errors=1), ceiling, 4, [], None)
    dashboard = page_row("dash", "/d", DASHBOARD, load(20, 250), ceiling, 7, [], 9000.0)
    idle = page_row("dash", "/e", DASHBOARD, load(0, 0, requests=0), ceiling, 7, [], None)
    assert fast["ratio_to_ceiling"] == 0.3 and fast["aim_met"] is True
    assert slow["aim_met"] is False and failing["aim_met"] is False
    assert dashboard["aim_met"] is True and idle["aim_met"] is False


def test_table_has_a_line_per_page_and_import():
    report = {"pages": [page_row("trajectory list", "/trajecten", LIST, load(300, 80), 1000.0,
                                 4, [90.0, 91.0], 50.0)],
              "imports": [{"via": "web form", "rows": 100000, "seconds": 10.0,
                           "rows_per_second": 10000.0, "outcome": "imported", "aim": True}],
              "other": {"seed-demo on SQLite (s)": 20.0}}
    lines = format_table(report).splitlines()
    assert lines[2].split()[:4] == ["trajectory", "list", "300.0", "40.0"]
    assert lines[2].endswith("met") and "90/91" in lines[2]
    assert lines[3] == ("import web form: 100000 rows in 10.0 s = 10000.0 rows/s (imported) "
                        "met")
    assert lines[4] == "seed-demo on SQLite (s): 20.0"
