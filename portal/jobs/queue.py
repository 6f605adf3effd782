"""The queue: Huey on Redis (production), on a SQLite file beside the database (the embedded
default, no extra service), or run at once in the calling process (`immediate`, tests). One
task, `run_job`, in all three; the worker is `huey_consumer portal.jobs.worker.huey`."""

from dataclasses import dataclass

from flask import Flask, has_request_context
from huey import MemoryHuey, RedisHuey, SqliteHuey
from huey.api import TaskWrapper

IMMEDIATE = "immediate"


def make_huey(url: str, name: str) -> MemoryHuey | RedisHuey | SqliteHuey:
    """`name` prefixes the queue's keys: hosts sharing a Redis share a queue by name."""
    if url == IMMEDIATE:
        return MemoryHuey(name, immediate=True)
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(name, url=url)
    if url.startswith("sqlite:///"):
        return SqliteHuey(name, filename=url.removeprefix("sqlite:///"))
    raise RuntimeError(f"PORTAL_JOBS_URL must be redis://..., sqlite:///... or {IMMEDIATE}")


@dataclass(frozen=True)
class Queue:
    huey: MemoryHuey | RedisHuey | SqliteHuey
    run_job: TaskWrapper


def init_app(app: Flask) -> None:
    from portal.jobs.figures import init_app as init_figures
    from portal.jobs.notices import init_app as init_notices
    from portal.jobs.runner import execute

    huey = make_huey(app.config["JOBS_URL"], app.config["JOBS_NAME"])

    @huey.task(retries=app.config["JOBS_RETRIES"], retry_delay=app.config["JOBS_RETRY_DELAY"],
               context=True, name="run_job")
    def run_job(job_id: int, task=None) -> None:
        final = not task.retries  # Huey's retries left for this job
        if has_request_context():  # immediate mode, inside the request that queued it
            execute(job_id, final)
            return
        # Templates need a request context for url_for and the locale.
        with app.test_request_context():
            execute(job_id, final)

    def in_context(work):
        if has_request_context():
            return work()
        # Links in mails sent outside a request point at the portal's public address.
        with app.test_request_context(base_url=app.config.get("BASE_URL")):
            return work()

    init_notices(app, huey, in_context)
    init_figures(app, huey, in_context)
    app.extensions["jobs"] = Queue(huey, run_job)
