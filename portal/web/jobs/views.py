"""A job's page: its progress (an htmx fragment polled every second) and then its result.
A job is its organisation's only: another organisation's job is a 404."""

from flask import Blueprint, Response, abort, current_app, redirect, render_template, url_for
from flask_login import current_user, login_required

from portal.domain.statement_records import record_download
from portal.extensions import db
from portal.jobs.records import give_up_if_lost, job_scope, submit
from portal.models import Statement
from portal.models.jobs import Job, JobKind
from portal.web.access import load_scoped, wants_fragment

bp = Blueprint("jobs", __name__, url_prefix="/taken")


def run_as_job(kind: JobKind, params: dict, data: bytes | None = None):
    """Queue the work (or find the same work already queued) and show its page."""
    job = submit(kind, current_user, params, data)
    return redirect(url_for("jobs.show", job_id=job.id))


def too_large_for_request(data: bytes) -> bool:
    return len(data) > current_app.config["JOBS_SYNC_IMPORT_BYTES"]


def _load(job_id: int) -> Job:
    job = load_scoped(Job, job_id, job_scope(current_user))
    give_up_if_lost(job)
    return job


@bp.route("/<int:job_id>")
@login_required
def show(job_id: int):
    return render_template("jobs/show.html", job=_load(job_id))


@bp.route("/<int:job_id>/voortgang")
@login_required
def status(job_id: int):
    job = _load(job_id)
    if wants_fragment():
        return render_template("jobs/_status.html", job=job)
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.route("/<int:job_id>/bestand")
@login_required
def download(job_id: int):
    job = _load(job_id)
    if job.output is None:
        abort(404)
    kind, _sep, key = (job.result_ref or "").partition(":")
    if kind == "statement":  # every statement download is an audit event
        # A statement job that has output has its row and its result.
        record_download(db.session.get_one(Statement, int(key)), current_user,
                        bool(job.result and job.result["rendered"]))
        db.session.commit()
    response = Response(job.output, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{job.output_name}"'
    response.headers["Cache-Control"] = "no-store"
    return response
