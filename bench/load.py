"""Load with wrk from a second process; the Lua script reports in one JSON line."""

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

LUA = Path(__file__).with_name("wrk_report.lua")
MARKER = "WRK_JSON "


@dataclass(frozen=True)
class LoadResult:
    requests: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    non_2xx: int
    socket_errors: int

    @property
    def errors(self) -> int:
        return self.non_2xx + self.socket_errors


def parse_wrk_output(output: str) -> LoadResult:
    """The figures from the JSON line of wrk_report.lua's done()."""
    line = next(line for line in output.splitlines() if line.startswith(MARKER))
    raw = json.loads(line[len(MARKER):])
    seconds = raw["duration_us"] / 1_000_000
    return LoadResult(
        requests=raw["requests"], rps=round(raw["requests"] / seconds, 1),
        p50_ms=raw["p50_us"] / 1000, p95_ms=raw["p95_us"] / 1000, p99_ms=raw["p99_us"] / 1000,
        max_ms=raw["max_us"] / 1000, non_2xx=raw["non_2xx"],
        socket_errors=raw["socket_errors"])


def wrk_command(url: str, seconds: int, connections: int, threads: int = 2,
                cookie: str | None = None) -> list[str]:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
               "-s", str(LUA), url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    return command


def run_wrk(url: str, seconds: int, connections: int, threads: int = 2,
            cookie: str | None = None) -> LoadResult:
    command = wrk_command(url, seconds, connections, threads, cookie)
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return parse_wrk_output(done.stdout)
