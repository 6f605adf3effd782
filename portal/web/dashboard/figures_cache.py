"""The dashboards' figures, computed at most once per DASHBOARD_CACHE_SECONDS in each worker.

Steering information over a year of trajectories reads every row of the period (at national
scale about a million); computing it per request would take seconds. The figures are kept
per period, grouping, day and language for a few minutes; the pages say when they were
computed. DASHBOARD_CACHE_SECONDS = 0 computes on every request (the tests do).
"""

import threading
import time
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import TypeVar, cast

from flask import current_app

from portal.models.types import utcnow

T = TypeVar("T")
_entries: dict[Hashable, tuple[float, datetime, object]] = {}
_lock = threading.Lock()


def remembered(key: Hashable, compute: Callable[[], T]) -> tuple[T, datetime]:
    """compute()'s value for `key` and when it was computed, fresh or kept."""
    seconds = current_app.config["DASHBOARD_CACHE_SECONDS"]
    if seconds <= 0:
        return compute(), utcnow()
    now = time.monotonic()
    with _lock:
        for old in [k for k, (at, _c, _v) in _entries.items() if now - at >= seconds]:
            del _entries[old]
        if key in _entries:
            _at, computed_at, value = _entries[key]
            return cast(T, value), computed_at
    value, computed_at = compute(), utcnow()
    with _lock:
        _entries[key] = (now, computed_at, value)
    return value, computed_at
