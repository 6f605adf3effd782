"""A real worker (`huey_consumer`, a separate process) runs a statement job queued by the
portal: once on Redis (127.0.0.1:6379, database 15, a queue name of its own, removed
afterwards) and once on the embedded SQLite queue. Both use a scratch SQLite database the
two processes share, with committed data."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import flask_migrate
import pytest
import redis
from sqlalchemy import select

from portal import create_app
from portal.extensions import db
from portal.jobs.records import submit
from portal.models import Statement
from portal.models.jobs import JobKind, JobStatus
from tests.conftest import config_for
from tests.factories import build_world

pytestmark = pytest.mark.committed
REDIS_URL = "redis://127.0.0.1:6379/15"
ROOT = Path(__file__).parents[2]


def redis_is_there() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        return False


@pytest.fixture(params=["redis", "embedded"])
def queue_url(request, tmp_path):
    if request.param == "redis" and not redis_is_there():
        if os.environ.get("CI") == "true":
            pytest.fail("Redis is not running on 127.0.0.1:6379; .ci/run must start it")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    return REDIS_URL if request.param == "redis" else f"sqlite:///{tmp_path}/jobs.sqlite"


@pytest.fixture
def portal(queue_url, tmp_path):
    """The portal with a real queue, and a worker process on the same queue and database."""
    database_url = f"sqlite:///{tmp_path}/portal.sqlite"
    name = f"portal-test-{uuid.uuid4().hex[:8]}"
    app = create_app(config_for(database_url) | {"JOBS_URL": queue_url, "JOBS_NAME": name})
    env = os.environ | {"PORTAL_ENV": "test", "PORTAL_SECRET_KEY": "test-secret",
                        "PORTAL_DATABASE_URL": database_url, "PORTAL_JOBS_URL": queue_url,
                        "PORTAL_JOBS_NAME": name}
    with app.app_context():
        flask_migrate.upgrade()
        worker = subprocess.Popen(
            [sys.executable, "-m", "huey.bin.huey_consumer", "portal.jobs.worker.huey",
             "--workers", "1", "--delay", "0.1"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            yield app
        finally:
            worker.terminate()
            _out, errors = worker.communicate(timeout=30)
            app.extensions["jobs"].huey.storage.flush_all()  # this queue's keys only
            db.session.remove()
            db.engine.dispose()
        assert b"Traceback" not in errors, errors.decode()[-2000:]


def test_a_worker_runs_a_statement_job(portal):
    world = build_world()
    world.trajectory("started")
    db.session.commit()
    job = submit(JobKind.CONTRACT_STATEMENT, world.users["contract_manager"],
                 {"contract": world.contracts[0].id, "start": "2026-01-01",
                  "end": "2026-12-31"})
    assert job.status == JobStatus.QUEUED  # queued, not run here
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        finished = job.finished
        db.session.rollback()  # no read transaction left open: SQLite would lock the worker out
        if finished:
            break
        time.sleep(0.2)
    assert (job.status, job.error, job.progress) == (JobStatus.DONE, None, 100)
    assert job.output.startswith(b"%PDF-")
    statement = db.session.scalar(select(Statement))
    assert job.result == {"code": statement.code, "rendered": True}
