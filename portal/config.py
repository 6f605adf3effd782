"""Configuration: defaults, then instance/config.py, then PORTAL_* environment variables."""

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask

ENV_PREFIX = "PORTAL_"
_DEVELOPMENT_SECRET_KEY = "development-only-secret-key"  # noqa: S105 - dev/test only  # nosec B105


class Defaults:
    ENV = "production"
    SECRET_KEY = None
    SQLALCHEMY_DATABASE_URI = None  # set in load_config: SQLite in the instance folder
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}  # set in load_config unless given (engine_options)
    # Requests one gunicorn worker serves at once (gunicorn.conf.py reads the same variable):
    # each worker process has its own connection pool of this size.
    THREADS = 1
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    LANGUAGES = ("nl", "en")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SECURE = True
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    PAGE_SIZE = 25
    # The iJw 3.2 XSDs that ship with the portal (portal/ijw/xsd/README.md); PORTAL_IJW_XSD_DIR
    # points elsewhere, e.g. at a newer patch of the schemas.
    IJW_XSD_DIR = str(Path(__file__).parent / "ijw" / "xsd")
    # Enforced on the server from timestamps in the signed session (portal/web/auth/sessions.py).
    SESSION_IDLE_MINUTES = 15
    SESSION_MAX_HOURS = 12
    # Failed logins (passwords and codes) per account and per client address in a window.
    LOGIN_MAX_FAILURES = 10
    LOGIN_WINDOW_MINUTES = 15
    RATELIMIT_STORAGE_URI = "memory://"  # one process only; use redis://... in production
    RATELIMIT_STRATEGY = "moving-window"
    RATELIMIT_KEY_PREFIX = "portal"
    # Calls of the machine door per API token (portal/web/door/views.py).
    DOOR_RATE_LIMIT = "60 per minute"
    # All calls of the machine door from one client address, whatever token they carry.
    DOOR_ADDRESS_RATE_LIMIT = "600 per minute"
    # Redis down: the limits are counted per process meanwhile (docs/deployment.md), and a
    # Redis that does not answer costs a request at most half a second.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    # Wrong second-factor codes since the last right one before an administrator must unlock it.
    SECOND_FACTOR_MAX_FAILURES = 10
    # Notices by e-mail (portal/notices.py): SMTP in production, the console in development.
    MAIL_BACKEND = "smtp"
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_DEFAULT_SENDER = "noreply@resultaatportaal.example"
    MAIL_TIMEOUT = 10
    # Background jobs (docs/jobs.md): redis://host:6379/1 in production; unset, a SQLite
    # queue file in the instance folder (the embedded default); `immediate` runs a job at
    # once inside the request that asks for it (tests).
    JOBS_URL = None
    JOBS_NAME = "portal"  # the queue's name (key prefix in Redis)
    JOBS_RETRIES = 2  # further attempts after an unexpected error
    JOBS_RETRY_DELAY = 10  # seconds
    JOBS_LOST_AFTER = 1800  # seconds without progress before a running job counts as lost
    # Imports (CSV, iJw) up to this size run inside the request; larger ones become a job.
    JOBS_SYNC_IMPORT_BYTES = 100_000
    # Reverse proxies in front of the portal whose X-Forwarded-For/-Proto headers are trusted.
    PROXY_COUNT = 0


# Settings that may come from the environment and how to read them.
_ENV_SETTINGS: dict[str, Callable[[str], Any]] = {
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "ENV": str,
    "PAGE_SIZE": int,
    "SESSION_COOKIE_SECURE": json.loads,
    "IJW_XSD_DIR": str,
    "RATELIMIT_STORAGE_URI": str,
    "DOOR_RATE_LIMIT": str,
    "DOOR_ADDRESS_RATE_LIMIT": str,
    "SESSION_IDLE_MINUTES": int,
    "SESSION_MAX_HOURS": int,
    "PROXY_COUNT": int,
    "THREADS": int,
    "MAIL_SERVER": str,
    "MAIL_PORT": int,
    "MAIL_USE_TLS": json.loads,
    "MAIL_USERNAME": str,
    "MAIL_PASSWORD": str,
    "MAIL_DEFAULT_SENDER": str,
    "BASE_URL": str,
    "JOBS_URL": str,
    "JOBS_NAME": str,
    "JOBS_SYNC_IMPORT_BYTES": int,
}


def _from_environment() -> dict:
    values: dict[str, Any] = {}
    for name, parse in _ENV_SETTINGS.items():
        raw = os.environ.get(ENV_PREFIX + name)
        if raw is not None:
            values[name] = parse(raw)
    if "DATABASE_URL" in values:
        values["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(values.pop("DATABASE_URL"))
    return values


def normalise_database_url(url: str) -> str:
    """Accept plain postgres:// URLs and use the psycopg 3 driver for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def engine_options(database_url: str, threads: int) -> dict:
    """Test each pooled connection before use (pool_pre_ping): after a restart of PostgreSQL
    the stale connections are replaced silently instead of failing a request. One connection
    per thread of the worker, and a few more for a moment (the pool waits at most 10 s)."""
    options: dict[str, object] = {"pool_pre_ping": True}
    if not database_url.startswith("sqlite"):
        options.update(pool_size=threads, max_overflow=2, pool_timeout=10)
    return options


def load_config(app: Flask, test_config: dict | None) -> None:
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(_from_environment())
    if test_config:
        app.config.update(test_config)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        os.makedirs(app.instance_path, exist_ok=True)
        path = os.path.join(app.instance_path, "portal.sqlite")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    if not app.config["SQLALCHEMY_ENGINE_OPTIONS"]:
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
            app.config["SQLALCHEMY_DATABASE_URI"], app.config["THREADS"])
    if not app.config["JOBS_URL"]:
        os.makedirs(app.instance_path, exist_ok=True)
        app.config["JOBS_URL"] = f"sqlite:///{os.path.join(app.instance_path, 'jobs.sqlite')}"
    development = app.config["ENV"] in ("development", "test")
    if development and "SESSION_COOKIE_SECURE" not in (test_config or {}):
        # Plain http on 127.0.0.1 in development; production keeps Secure cookies.
        app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = False
    if development and "MAIL_BACKEND" not in (test_config or {}):
        # Notices show on the console; tests (TESTING) keep them in an outbox instead.
        app.config["MAIL_BACKEND"] = "locmem" if app.config.get("TESTING") else "console"
    if not app.config["SECRET_KEY"]:
        if not development:
            raise RuntimeError(
                "PORTAL_SECRET_KEY is not set: the portal refuses to start without a secret key "
                "outside development and tests."
            )
        app.config["SECRET_KEY"] = _DEVELOPMENT_SECRET_KEY
