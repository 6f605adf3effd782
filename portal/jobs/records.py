"""Job rows: whose they are, asking for one (reusing a running twin), and progress."""

import hashlib
import json
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import User
from portal.models.jobs import ACTIVE, Job, JobKind, JobStatus
from portal.models.types import utcnow


def organisation_of(user: User) -> str:
    """`provider:3`, `municipality:5` or `region:1`: the organisation a job belongs to."""
    kind = user.role.organisation_kind
    return f"{kind}:{getattr(user, f'{kind}_id')}"


def job_scope(user: User):
    return Job.organisation == organisation_of(user)


def fingerprint(kind: JobKind, params: dict, data: bytes | None) -> str:
    digest = hashlib.sha256(json.dumps([kind.value, params], sort_keys=True).encode())
    digest.update(data or b"")
    return digest.hexdigest()


def give_up_if_lost(job: Job) -> None:
    """A running job that has not moved for JOBS_LOST_AFTER seconds lost its worker (killed
    or restarted): it failed. Its work ran in one transaction, so nothing of it was kept."""
    limit = timedelta(seconds=current_app.config["JOBS_LOST_AFTER"])
    if job.status == JobStatus.RUNNING and job.updated_at < utcnow() - limit:
        finish(job, JobStatus.FAILED,
               _("De verwerking is onderbroken. Er is niets half opgeslagen; "
                 "start de opdracht opnieuw."))
        db.session.commit()


def _active(organisation: str, print_: str) -> Job | None:
    job = db.session.scalar(select(Job).where(
        Job.organisation == organisation, Job.fingerprint == print_,
        Job.status.in_(ACTIVE)))
    if job is not None:
        give_up_if_lost(job)
    return job if job is not None and not job.finished else None


def submit(kind: JobKind, actor: User, params: dict, data: bytes | None = None) -> Job:
    """Queue a job, or return the same organisation's queued or running job with the same
    input (the partial unique index settles two requests at the same moment). Commits."""
    organisation, print_ = organisation_of(actor), fingerprint(kind, params, data)
    running = _active(organisation, print_)
    if running is not None:
        return running
    job = Job(kind=kind, organisation=organisation, created_by=actor, params=params,
              input=data, fingerprint=print_)
    try:
        with db.session.begin_nested():
            db.session.add(job)
            db.session.flush()
    except IntegrityError:
        twin = _active(organisation, print_)
        if twin is None:  # the twin that blocked this one was finished in between
            raise
        return twin
    db.session.commit()
    current_app.extensions["jobs"].run_job(job.id)
    return job


def progress(job: Job, percent: int) -> None:
    """Record a step and commit it: call only where nothing of the job's work is pending."""
    job.progress, job.updated_at = percent, utcnow()
    db.session.commit()


def finish(job: Job, status: JobStatus, error: str | None = None) -> None:
    job.status, job.error, job.finished_at = status, error, utcnow()
    job.updated_at = job.finished_at
    if status == JobStatus.DONE:
        job.progress = 100
