"""Before wrk: each gunicorn worker answers the page once, so the first computations (and a
dashboard's cache filling) are timed apart from the load."""

import time
from concurrent.futures import ThreadPoolExecutor

from bench.sessions import Browser

WARM_MS = 1000


def _timed_get(browser: Browser, path: str) -> float:
    began = time.perf_counter()
    browser.get(path)
    return (time.perf_counter() - began) * 1000


def warm_up(browser: Browser, path: str, workers: int, rounds: int = 5) -> float:
    """As many requests at once as there are workers, until all answer within WARM_MS;
    returns the slowest answer of the first round (the cold one), in ms."""
    cold = None
    with ThreadPoolExecutor(workers) as pool:
        for _round in range(rounds):
            times = list(pool.map(lambda _n: _timed_get(browser, path), range(workers)))
            cold = max(times) if cold is None else cold
            if max(times) < WARM_MS:
                break
    return round(cold, 1)
