"""The bench's pure parts: reading wrk's JSON line and the report table."""

from bench.load import LoadResult, parse_wrk_output
from bench.pages import DASHBOARD, LIST, Page
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


def page(kind=LIST, min_ratio=None, max_p95_ms=None, path="/a"):
    return Page("page", path, "someone@example.org", kind, min_ratio, max_p95_ms)


def test_aims_are_judged_per_page():
    ceiling = 1000.0
    listed = page(min_ratio=0.25, max_p95_ms=100)
    fast = page_row(listed, load(300, 80), ceiling, 4, [90.0, 91.0], 50.0)
    slow = page_row(listed, load(200, 80), ceiling, 4, [90.0], 50.0)
    late = page_row(listed, load(300, 120), ceiling, 4, [90.0], 50.0)
    failing = page_row(listed, load(300, 80, errors=1), ceiling, 4, [], None)
    p95_only = page_row(page(max_p95_ms=150), load(10, 140), ceiling, 15, [], None)
    no_aim = page_row(page(), load(10, 140), ceiling, 15, [], None)
    assert fast["ratio_to_ceiling"] == 0.3 and fast["aim_met"] is True
    assert slow["aim_met"] is False and late["aim_met"] is False
    assert failing["aim_met"] is False
    assert p95_only["aim_met"] is True and no_aim["aim_met"] is None


def test_a_dashboard_meets_its_aim_only_when_no_request_took_300_ms():
    ceiling = 1000.0
    quick = page_row(page(DASHBOARD), load(200, 90), ceiling, 7, [], 120.0)  # max 270 ms
    one_slow = page_row(page(DASHBOARD), load(200, 110), ceiling, 7, [], 120.0)  # max 330
    cold = page_row(page(DASHBOARD), load(200, 90), ceiling, 7, [], 9000.0)
    idle = page_row(page(DASHBOARD), load(0, 0, requests=0), ceiling, 7, [], None)
    killed = page_row(page(DASHBOARD), load(200, 90), ceiling, 7, [], 60000.0, None, 1)
    assert quick["aim_met"] is True and quick["max_ms"] == 270.0
    assert killed["aim_met"] is False and killed["first_requests_failed"] == 1
    assert one_slow["aim_met"] is False and cold["aim_met"] is False
    assert idle["aim_met"] is False


def test_table_has_a_line_per_page_and_import():
    report = {"pages": [page_row(page(path="/trajecten"), load(300, 80), 1000.0, 4,
                                 [90.0, 91.0], 50.0),
                        page_row(Page("region dashboard", "/s", "cm@example.org", DASHBOARD),
                                 load(200, 90), 1000.0, 0, [100.0], 60000.0, 12.5, 1)],
              "imports": [{"via": "web form", "rows": 100000, "seconds": 10.0,
                           "rows_per_second": 10000.0, "outcome": "imported", "aim": True}],
              "other": {"seed-demo on SQLite (s)": 20.0}}
    lines = format_table(report).splitlines()
    assert lines[2].split()[:6] == ["page", "300.0", "40.0", "80.0", "160.0", "240.0"]
    assert "90/91" in lines[2] and not lines[2].endswith("MISSED")
    assert lines[3].startswith("region dashboard") and lines[3].endswith("MISSED")
    assert lines[4] == ("region dashboard, first request after a worker start: 60000 ms, "
                        "1 without an answer (aim ≤ 300) MISSED")
    assert lines[5] == ("import web form: 100000 rows in 10.0 s = 10000.0 rows/s (imported) "
                        "met")
    assert lines[6] == "seed-demo on SQLite (s): 20.0"
