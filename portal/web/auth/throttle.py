"""Login throttling: failed attempts per account and per client address, and the security log.

Each guarded POST first takes a place with an atomic increment (Redis INCRBY, or a locked
counter in memory) and gives it back when its password or code was right, so parallel
requests cannot all pass the check before the first failure is counted: at most
LOGIN_MAX_FAILURES passwords are checked per account and per address in a window. The window
is fixed: it starts at the first failure and lasts LOGIN_WINDOW_MINUTES.

The counters live in the limiter's storage (RATELIMIT_STORAGE_URI). When that storage does not
answer (Redis down), they are counted in this process for a while, with a logged warning:
logins go on, throttled per worker instead of per installation.
"""

import functools
import logging
import time
from collections.abc import Callable

from flask import abort, current_app, g, request
from flask_limiter.util import get_remote_address
from limits.storage import MemoryStorage, Storage

from portal.extensions import limiter
from portal.web.safety import log_safe

security_log = logging.getLogger("portal.security")

# How long the shared storage is left alone after it failed, before it is tried again.
RETRY_SECONDS = 30
_local = MemoryStorage()
_shared_down_until = 0.0


def guard(account_key: Callable[[], str]):
    """Decorate a view where a password or code is checked.

    Its POSTs are refused with 429 while the account, or the client address, has had the
    configured number of failed attempts in the window, counted over every guarded view.
    """
    def decorate(view):
        @functools.wraps(view)
        def guarded(*args, **kwargs):
            if request.method != "POST":
                return view(*args, **kwargs)
            keys = [f"login-failures/account/{account_key()}",
                    f"login-failures/address/{get_remote_address()}"]
            taken = []
            try:
                for key in keys:
                    taken.append(key)
                    if _add(key, 1) > current_app.config["LOGIN_MAX_FAILURES"]:
                        security_log.warning("login refused after too many failures: %s from %s",
                                             log_safe(key, 300), log_safe(request.remote_addr))
                        abort(429)
                response = view(*args, **kwargs)
            except BaseException:
                _give_back(taken)
                raise
            if not g.get("login_failed", False):
                _give_back(taken)
            return response
        return guarded
    return decorate


def failed(what: str, account: str) -> None:
    """Count this request as a failed attempt and log it (never the password or the code)."""
    g.login_failed = True
    security_log.warning("failed %s for %s from %s", what, log_safe(account),
                         log_safe(request.remote_addr))


def _give_back(keys: list[str]) -> None:
    for key in keys:
        _add(key, -1)


def _add(key: str, amount: int) -> int:
    """Add to a counter atomically; the new value. Falls back to this process's memory."""
    global _shared_down_until
    expiry = current_app.config["LOGIN_WINDOW_MINUTES"] * 60
    key = f"{current_app.config['RATELIMIT_KEY_PREFIX']}/{key}"
    storage = _storage()
    try:
        return storage.incr(key, expiry, amount)
    except Exception as error:  # any storage failure: Redis, network, timeout
        if storage is _local:
            raise
        _shared_down_until = time.monotonic() + RETRY_SECONDS
        security_log.warning("login throttle storage unreachable, counting in this process "
                             "for %s s: %s", RETRY_SECONDS, log_safe(repr(error), 300))
        return _local.incr(key, expiry, amount)


def _storage() -> Storage:
    return _local if time.monotonic() < _shared_down_until else limiter.storage


def reset_local() -> None:
    """Forget the in-process counters and try the shared storage again (tests)."""
    global _shared_down_until
    _local.reset()
    _shared_down_until = 0.0
