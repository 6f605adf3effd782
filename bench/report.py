"""The bench's results: JSON in bench/results/ and a table on the terminal."""

import json
import platform
import subprocess
from datetime import datetime
from pathlib import Path

from bench.load import LoadResult
from bench.pages import DASHBOARD, DASHBOARD_MAX_MS, Page

RESULTS = Path(__file__).with_name("results")
IMPORT_MIN_ROWS_PER_SECOND = 5000


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem_kib = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text()
                       .splitlines() if line.startswith("MemTotal")))
    postgres = subprocess.run(["psql", "--version"], capture_output=True,
                              text=True).stdout.strip()
    return {"cpu": cpu, "cores": len([line for line in Path("/proc/cpuinfo").read_text()
                                      .splitlines() if line.startswith("processor")]),
            "ram_gib": round(mem_kib / 1024 / 1024, 1), "postgresql": postgres,
            "python": platform.python_version()}


def _aim_met(page: Page, load: LoadResult, ratio: float | None,
             first_request_ms: float | None, first_failed: int) -> bool | None:
    if load.requests == 0:
        return False  # not one request finished within the run
    if page.kind == DASHBOARD:
        # Every request, the first after a worker start included (its own line).
        return (load.errors == 0 and first_failed == 0 and load.max_ms <= DASHBOARD_MAX_MS
                and (first_request_ms is None or first_request_ms <= DASHBOARD_MAX_MS))
    if page.min_ratio is None and page.max_p95_ms is None:
        return None
    return (load.errors == 0
            and (page.min_ratio is None or (ratio is not None and ratio >= page.min_ratio))
            and (page.max_p95_ms is None or load.p95_ms < page.max_p95_ms))


def page_row(page: Page, load: LoadResult, ceiling_rps: float, statements: int | None,
             worker_rss_mib: list[float], first_request_ms: float | None,
             cpu_ms_per_request: float | None = None, first_failed: int = 0) -> dict:
    ratio = round(load.rps / ceiling_rps, 3) if ceiling_rps else None
    return {"page": page.name, "path": page.path, "kind": page.kind, "rps": load.rps,
            "p50_ms": load.p50_ms, "p95_ms": load.p95_ms, "p99_ms": load.p99_ms,
            "max_ms": load.max_ms, "non_2xx": load.non_2xx,
            "socket_errors": load.socket_errors, "requests": load.requests,
            "ratio_to_ceiling": ratio, "aims": {"min_ratio": page.min_ratio,
                                               "max_p95_ms": page.max_p95_ms},
            "sql_statements": statements, "worker_rss_mib": worker_rss_mib,
            "worker_cpu_ms_per_request": cpu_ms_per_request,
            "first_request_ms": first_request_ms, "first_requests_failed": first_failed,
            "aim_met": _aim_met(page, load, ratio, first_request_ms, first_failed)}


def format_table(report: dict) -> str:
    header = (f"{'page':<40} {'rps':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
              f"{'max ms':>8} {'errors':>7} {'x ceil':>7} {'SQL':>4} {'RSS MiB':>9} "
              f"{'1st ms':>8} {'CPU ms':>7} aim")
    lines = [header, "-" * len(header)]
    for row in report["pages"]:
        ratio = "" if row["ratio_to_ceiling"] is None else f"{row['ratio_to_ceiling']:.2f}"
        statements = "" if row["sql_statements"] is None else str(row["sql_statements"])
        rss = "/".join(f"{size:.0f}" for size in row["worker_rss_mib"])
        aim = {True: "met", False: "MISSED", None: ""}[row["aim_met"]]
        first = "" if row["first_request_ms"] is None else f"{row['first_request_ms']:.0f}"
        cpu = row.get("worker_cpu_ms_per_request")
        cpu = "" if cpu is None else f"{cpu:.1f}"
        lines.append(f"{row['page'][:40]:<40} {row['rps']:>8.1f} {row['p50_ms']:>8.1f} "
                     f"{row['p95_ms']:>8.1f} {row['p99_ms']:>8.1f} {row['max_ms']:>8.1f} "
                     f"{row['non_2xx'] + row['socket_errors']:>7} {ratio:>7} "
                     f"{statements:>4} {rss:>9} {first:>8} {cpu:>7} {aim}")
    for row in report["pages"]:
        if row["kind"] == DASHBOARD and row["first_request_ms"] is not None:
            failed = row.get("first_requests_failed", 0)
            aim = ("met" if row["first_request_ms"] <= DASHBOARD_MAX_MS and not failed
                   else "MISSED")
            lines.append(f"{row['page']}, first request after a worker start: "
                         f"{row['first_request_ms']:.0f} ms"
                         f"{f', {failed} without an answer' if failed else ''} "
                         f"(aim ≤ {DASHBOARD_MAX_MS}) {aim}")
    for row in report.get("imports", []):
        rate = row["rows_per_second"]
        aim = "met" if rate >= IMPORT_MIN_ROWS_PER_SECOND else "MISSED"
        lines.append(f"import {row['via']}: {row['rows']} rows in {row['seconds']} s = "
                     f"{rate} rows/s ({row['outcome']}) {aim if row['aim'] else ''}".rstrip())
    for name, value in report.get("other", {}).items():
        lines.append(f"{name}: {value}")
    return "\n".join(lines)


def write(report: dict) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"bench-{datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(report, indent=2, default=str))
    return path
