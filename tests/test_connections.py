"""Database connections: tested before use, pooled per worker thread, and a restart of
PostgreSQL (every connection dropped) costs no request."""

import pytest
from sqlalchemy import create_engine, text

from portal import create_app
from portal.config import engine_options
from portal.extensions import db
from tests.conftest import POSTGRES_URL, config_for


def test_the_pool_tests_connections_and_is_sized_from_the_worker_threads(monkeypatch):
    monkeypatch.setenv("PORTAL_THREADS", "4")
    settings = config_for("postgresql://postgres@127.0.0.1:9/portal")
    del settings["THREADS"]  # as gunicorn.conf.py: from the environment
    app = create_app(settings)
    with app.app_context():
        pool = db.engine.pool
        assert pool._pre_ping and pool.size() == 4 and pool._max_overflow == 2
        assert pool._timeout == 10
        db.engine.dispose()


def test_sqlite_gets_pre_ping_without_a_pool_size():
    assert engine_options("sqlite:///x.sqlite", 4) == {"pool_pre_ping": True}


def test_explicit_engine_options_win():
    settings = config_for("postgresql://postgres@127.0.0.1:9/portal")
    app = create_app(settings | {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 7}})
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_size": 7}


@pytest.mark.committed
@pytest.mark.postgres_only
@pytest.mark.skipif(not POSTGRES_URL, reason="needs PostgreSQL to drop its connections")
def test_connections_dropped_by_a_restart_cost_no_request():
    """pg_terminate_backend does to the pooled connections what a restart does. A fresh app:
    each of its requests has its own app context, so connections go back to the pool."""
    fresh = create_app(config_for(POSTGRES_URL))
    client = fresh.test_client()
    for _ in range(3):
        assert client.get("/healthz").status_code == 200  # the pool now holds a connection
    with create_engine(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://"),
                       poolclass=None).connect() as admin:
        dropped = admin.execute(text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar()
    assert dropped >= 1
    assert [client.get("/healthz").status_code for _ in range(3)] == [200, 200, 200]
    with fresh.app_context():
        db.engine.dispose()
