"""Running one job: mark it running, do its kind's work, and keep the outcome.

A kind's work and the job's `done` are committed together, so a job that fails (or whose
worker dies) leaves nothing half-written. A DomainError or JobFailed is the user's to fix
and is not retried; any other exception is retried by Huey while retries are left (every
kind is safe to run again: nothing of a failed attempt was kept)."""

import logging

from flask_babel import gettext as _

from portal.domain import DomainError
from portal.extensions import db
from portal.jobs.kinds import WORK, JobFailed
from portal.jobs.records import finish, progress
from portal.models.jobs import Job, JobStatus
from portal.models.types import utcnow

logger = logging.getLogger(__name__)


def execute(job_id: int, final: bool) -> None:
    job = db.session.get(Job, job_id)
    if job is None or job.finished:  # done by an earlier delivery, or given up as lost
        return
    job.status, job.attempts = JobStatus.RUNNING, job.attempts + 1
    job.started_at = job.started_at or utcnow()
    progress(job, 5)
    try:
        WORK[job.kind](job)
    except (DomainError, JobFailed) as error:
        if not getattr(error, "keep", False):
            db.session.rollback()
        finish(job, JobStatus.FAILED, str(error))
        job.result = getattr(error, "result", None)
    except Exception:
        db.session.rollback()
        logger.exception("job %s (%s), attempt %s", job.id, job.kind.value, job.attempts)
        if not final:
            job.status, job.progress = JobStatus.QUEUED, 0
            db.session.commit()
            raise  # Huey queues it again
        finish(job, JobStatus.FAILED,
               _("Er ging iets mis bij het uitvoeren, ook na %(count)s pogingen. Er is niets "
                 "opgeslagen. Probeer het later opnieuw; blijft het misgaan, neem dan contact "
                 "op met functioneel beheer.", count=job.attempts))
    else:
        finish(job, JobStatus.DONE)
    db.session.commit()
