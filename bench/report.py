"""The bench's results: JSON in bench/results/ and a table on the terminal."""

import json
import platform
import subprocess
from datetime import datetime
from pathlib import Path

from bench.load import LoadResult
from bench.pages import DASHBOARD, LIST

RESULTS = Path(__file__).with_name("results")
LIST_MIN_RATIO = 0.25
LIST_MAX_P95_MS = 100
DASHBOARD_MAX_P95_MS = 300
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


def page_row(name: str, path: str, kind: str, load: LoadResult, ceiling_rps: float,
             statements: int | None, worker_rss_mib: list[float],
             first_request_ms: float | None) -> dict:
    ratio = round(load.rps / ceiling_rps, 3) if ceiling_rps else None
    if load.requests == 0:
        met = False  # not one request finished within the run
    elif kind == LIST:
        met = (ratio is not None and ratio >= LIST_MIN_RATIO and load.p95_ms < LIST_MAX_P95_MS
               and load.errors == 0)
    elif kind == DASHBOARD:
        met = load.p95_ms < DASHBOARD_MAX_P95_MS and load.errors == 0
    else:
        met = None
    return {"page": name, "path": path, "kind": kind, "rps": load.rps,
            "p50_ms": load.p50_ms, "p95_ms": load.p95_ms, "p99_ms": load.p99_ms,
            "non_2xx": load.non_2xx, "socket_errors": load.socket_errors,
            "requests": load.requests, "ratio_to_ceiling": ratio, "sql_statements": statements,
            "worker_rss_mib": worker_rss_mib, "first_request_ms": first_request_ms,
            "aim_met": met}


def format_table(report: dict) -> str:
    header = (f"{'page':<40} {'rps':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
              f"{'errors':>7} {'x ceil':>7} {'SQL':>4} {'RSS MiB':>9} {'1st ms':>8} aim")
    lines = [header, "-" * len(header)]
    for row in report["pages"]:
        ratio = "" if row["ratio_to_ceiling"] is None else f"{row['ratio_to_ceiling']:.2f}"
        statements = "" if row["sql_statements"] is None else str(row["sql_statements"])
        rss = "/".join(f"{size:.0f}" for size in row["worker_rss_mib"])
        aim = {True: "met", False: "MISSED", None: ""}[row["aim_met"]]
        first = "" if row["first_request_ms"] is None else f"{row['first_request_ms']:.0f}"
        lines.append(f"{row['page'][:40]:<40} {row['rps']:>8.1f} {row['p50_ms']:>8.1f} "
                     f"{row['p95_ms']:>8.1f} {row['p99_ms']:>8.1f} "
                     f"{row['non_2xx'] + row['socket_errors']:>7} {ratio:>7} "
                     f"{statements:>4} {rss:>9} {first:>8} {aim}")
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
