"""Login throttling: failed attempts per account and per client address, and the security log."""

import logging
from collections.abc import Callable

from flask import current_app, g, request
from flask_limiter import RequestLimit
from flask_limiter.util import get_remote_address

from portal.extensions import limiter
from portal.web.safety import log_safe

security_log = logging.getLogger("portal.security")


def _limit() -> str:
    config = current_app.config
    return f"{config['LOGIN_MAX_FAILURES']} per {config['LOGIN_WINDOW_MINUTES']} minutes"


def _attempt_failed(_response) -> bool:
    return g.get("login_failed", False)


def _refused(request_limit: RequestLimit) -> None:
    security_log.warning("login refused after too many failures: %s from %s",
                         log_safe(request_limit.key, 300), log_safe(request.remote_addr))


def guard(account_key: Callable[[], str]):
    """Decorate a view where a password or code is checked.

    Its POSTs are refused with 429 while the account, or the client address, has had the
    configured number of failed attempts in the window, counted over every guarded view.
    """
    def decorate(view):
        for scope, key in (("login-account", account_key), ("login-address", get_remote_address)):
            view = limiter.shared_limit(_limit, scope=scope, key_func=key, methods=["POST"],
                                        deduct_when=_attempt_failed, on_breach=_refused)(view)
        return view
    return decorate


def failed(what: str, account: str) -> None:
    """Count this request as a failed attempt and log it (never the password or the code)."""
    g.login_failed = True
    security_log.warning("failed %s for %s from %s", what, log_safe(account),
                         log_safe(request.remote_addr))
