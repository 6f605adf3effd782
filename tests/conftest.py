"""Test set-up: one schema per run built by the migrations, one transaction per test."""

import os
import threading
from contextlib import contextmanager
from datetime import date
from functools import partial
from pathlib import Path

import flask_migrate
import pytest
from flask import current_app, g
from jinja2 import StrictUndefined
from sqlalchemy import create_engine, make_url, text
from werkzeug.security import generate_password_hash

import portal.models.users as users_module
from portal import create_app
from portal.config import normalise_database_url
from portal.extensions import db, limiter
from portal.web.auth.sessions import stamp
from tests.layers import (
    SERVED,
    SharedConnection,
    chain,
    check_served,
    layer_key,
    shared_layer,
    swapped_session,
)

POSTGRES_URL = os.environ.get("PORTAL_TEST_DATABASE_URL")
# The sample message of each iJw 3.2 kind (tests/ijw/samples/README.md); the schemas and the
# rules' stylesheet ship with the portal (portal/ijw/xsd, portal/ijw/xslt).
IJW_SAMPLES = Path(__file__).parent / "ijw" / "samples"
# The day `seeded_demo` loads the demo region as of (the demo tests' figures depend on it).
DEMO_DAY = date(2026, 11, 20)

# Every `world` creates nine accounts, and a login with an unknown address checks a hash made
# the same way; scrypt (the production hash) would make that seconds.
users_module.generate_password_hash = partial(generate_password_hash,
                                              method="pbkdf2:sha256:1000")


def config_for(database_url: str) -> dict:
    return {
        "TESTING": True,
        "ENV": "test",
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "WTF_CSRF_ENABLED": False,  # switched on by the `csrf` fixture where it matters
        "SERVER_NAME": "portal.test",
        "THREADS": 8,  # the race tests send this many requests at once (the pool's size)
        "JOBS_URL": "immediate", "JOBS_RETRY_DELAY": 0,  # a job runs inside its request
    }


@pytest.hookimpl(trylast=True)  # after tests/browser marks its tests `committed`
def pytest_collection_modifyitems(items):
    """Tests on the same shared data in a row, committed ones first (tests/layers.py)."""
    items.sort(key=layer_key)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """SQLite: a file per run (and so per pytest-xdist worker). PostgreSQL: the database of
    PORTAL_TEST_DATABASE_URL, or with several workers one per worker beside it."""
    if not POSTGRES_URL:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'portal-test.sqlite'}"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        return POSTGRES_URL
    url = make_url(normalise_database_url(POSTGRES_URL))
    name = f"{url.database}_{worker}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        if connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                             {"name": name}) is None:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def reset_database(app) -> None:
    """An empty database, whatever an earlier run left behind."""
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        else:
            db.drop_all()
            with db.engine.begin() as connection:
                connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture(scope="session")
def app(database_url):
    app = create_app(config_for(database_url))
    app.jinja_env.undefined = StrictUndefined
    # Each test holds one app context for its transaction, and requests reuse it; clear
    # `g` first so nothing cached per request (the user, the CSRF token) leaks into the next.
    app.before_request_funcs.setdefault(None, []).insert(0, lambda: g.__dict__.clear())
    reset_database(app)
    with app.app_context():
        flask_migrate.upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def _shared(app):
    shared = SharedConnection()
    yield shared
    with app.app_context():
        shared.close()


@pytest.fixture(autouse=True)
def _transaction(request, app, _shared):
    """Each test runs inside a SAVEPOINT that is rolled back at its end, on top of the shared
    data layers it asks for (tests/layers.py).

    Commits in the code under test release a SAVEPOINT instead, so they behave as usual.
    Tests marked `committed` manage their own data instead (parallel requests need it).
    """
    with app.app_context():
        if "committed" in request.keywords:
            _shared.close()
            yield _shared
            return
        connection = _shared.prepare(chain(request.fixturenames))
        savepoint = connection.begin_nested()
        _test_connection.append(connection)
        SERVED.clear()
        try:
            with swapped_session(connection):
                yield _shared
            check_served(request.fixturenames)
        finally:
            _test_connection.pop()
            if savepoint.is_active:
                savepoint.rollback()
            else:  # the test ended the transaction itself: start afresh
                _shared.close()


@pytest.fixture(autouse=True)
def _fresh_limiter(app):
    """Failed logins of one test do not count against the next."""
    limiter.reset()


_test_connection: list = []


@contextmanager
def undone():
    """Whatever happens inside, even commits, is undone afterwards (a SAVEPOINT around it)."""
    db.session.remove()
    savepoint = _test_connection[-1].begin_nested()
    try:
        yield
    finally:
        db.session.remove()
        savepoint.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def csrf(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def refresh_figures() -> None:
    """The figures store brought up to date now, as the worker does after a commit (in the
    tests a request does it at once: see portal/jobs/figures.py)."""
    from portal.jobs.figures import COMMITTED, refresh

    refresh()
    db.session.info.pop(COMMITTED, None)


def login_as(client, user) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        stamp(session, two_factor=True)  # as after a full login, second factor included


@shared_layer()
def world():
    """The test region (tests/factories.py), built once and shared by the tests in a row."""
    from tests.factories import build_world

    return build_world()


@shared_layer(on="world")
def region_a(world):
    """The test region with 9 trajectories ended according to plan and 1 drop-out (a
    drop-out rate of 10 %), measured and paid (tests/regions.py): the wall tests' region A."""
    from tests.regions import populate

    populate(world, plan_ends=9, drop_outs=1)
    refresh_figures()  # what a worker does after the commit: part of the layer
    return world


@shared_layer(on="world")
def incentive_population(world):
    """The incentives watch's population worked out by hand (tests/incentive_population.py)."""
    from tests.incentive_population import populate

    return populate(world)


@shared_layer()
def seeded_demo():
    """The demo region as `flask seed-demo` loads it on DEMO_DAY: the command's result."""
    result = current_app.test_cli_runner().invoke(
        args=["seed-demo", "--today", DEMO_DAY.isoformat()])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def count_queries():
    """`with count_queries() as seen:` collects the SQL statements run inside the block.
    The figures store is brought up to date first: its refresh after the set-up's commits is
    a worker's task in production, not the work of what is counted."""
    from tests.queries import statements  # it imports refresh_figures from here

    @contextmanager
    def counting():
        refresh_figures()
        with statements() as seen:
            yield seen

    return counting


@pytest.fixture
def committed_world(world):
    """The world committed, for tests marked `committed`; every table emptied afterwards."""
    db.session.commit()
    yield world
    db.session.remove()
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            tables = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        else:  # SQLite: the append-only triggers step aside for the cleaning only
            triggers = connection.execute(text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
            for name, _sql in triggers:
                connection.execute(text(f'DROP TRIGGER "{name}"'))
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
            for _name, sql in triggers:
                connection.execute(text(sql))


def in_parallel(app, action, count=6) -> list:
    """Run `action(n)` in `count` threads that start together; their results in order."""
    db.session.commit()  # the test's own transaction holds no lock the threads wait for
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(n):
        with app.app_context():
            barrier.wait()
            try:
                results[n] = action(n)
            except Exception as error:  # reported to the test
                results[n] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
