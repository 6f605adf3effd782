"""Before wrk: each gunicorn worker answers the page once, so the first computations (and a
dashboard's figures) are timed apart from the load."""

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.client import HTTPException

from bench.sessions import Browser

WARM_MS = 1000


@dataclass(frozen=True)
class FirstAnswers:
    slowest_ms: float  # of the first round: the cold requests
    failed: int  # of the first round: no answer, such as a worker killed at its timeout


def _timed_get(browser: Browser, path: str) -> tuple[float, bool]:
    began = time.perf_counter()
    try:
        browser.get(path)
        ok = True
    except (OSError, HTTPException):  # urllib's errors, a dropped connection
        ok = False
    return (time.perf_counter() - began) * 1000, ok


def warm_up(browser: Browser, path: str, workers: int, rounds: int = 5) -> FirstAnswers:
    """As many requests at once as there are workers, until all answer within WARM_MS."""
    first = None
    with ThreadPoolExecutor(workers) as pool:
        for _round in range(rounds):
            answers = list(pool.map(lambda _n: _timed_get(browser, path), range(workers)))
            slowest = max(ms for ms, _ok in answers)
            if first is None:
                first = FirstAnswers(round(slowest, 1), sum(not ok for _ms, ok in answers))
            if slowest < WARM_MS and all(ok for _ms, ok in answers):
                break
    return first
