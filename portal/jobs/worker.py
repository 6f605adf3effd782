"""What the worker loads: `huey_consumer portal.jobs.worker.huey` (see docs/jobs.md)."""

from portal import create_app

app = create_app()
huey = app.extensions["jobs"].huey
