"""iJw messages on the web: the upload page for access staff and the download buttons."""

from dataclasses import dataclass

from flask import Blueprint, Response, flash, redirect, render_template, session, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.domain import DomainError
from portal.domain import permissions as can
from portal.domain.lists import Role
from portal.extensions import db
from portal.ijw.exporting import export
from portal.ijw.parsing import MAX_BYTES, xsd_dir
from portal.ijw.receiving import receive_message
from portal.ijw.registry import EXPORTERS, IMPORTERS
from portal.models import Allocation, IjwMessage
from portal.models.jobs import JobKind
from portal.web.access import load_scoped, roles_required
from portal.web.ijw.forms import UploadForm
from portal.web.jobs.views import run_as_job, too_large_for_request

bp = Blueprint("ijw", __name__)
ANSWER_KEY = "ijw_answer"  # the answer message of the file just read, shown once

# Per message kind: the download endpoint, the object's scope and the page to go back to.
DOWNLOADS = {
    "JW301": ("ijw.allocation_message",
              lambda user: Allocation.trajectory.has(can.trajectory_scope(user)),
              lambda a: url_for("trajectories.show", trajectory_id=a.trajectory_id)),
    "JW305": ("ijw.start_message", can.trajectory_scope,
              lambda t: url_for("trajectories.show", trajectory_id=t.id)),
    "JW307": ("ijw.stop_message", can.trajectory_scope,
              lambda t: url_for("trajectories.show", trajectory_id=t.id)),
    "JW315": ("ijw.allocation_request_message", can.allocation_request_scope,
              lambda r: url_for("requests.allocation", request_id=r.id)),
    "JW317": ("ijw.change_request_message", can.change_request_scope,
              lambda r: url_for("requests.change", request_id=r.id)),
    "JW323": ("ijw.declaration_message", can.declaration_scope,
              lambda d: url_for("declarations.show", declaration_id=d.id)),
    "JW325": ("ijw.declaration_answer_message", can.declaration_scope,
              lambda d: url_for("declarations.show", declaration_id=d.id)),
    "JW319-VOT": ("ijw.allocation_request_answer", can.allocation_request_scope,
                  lambda r: url_for("requests.allocation", request_id=r.id)),
    "JW319-VOW": ("ijw.change_request_answer", can.change_request_scope,
                  lambda r: url_for("requests.change", request_id=r.id)),
}


@dataclass(frozen=True)
class Download:
    label: str
    url: str


@bp.app_template_global("ijw_downloads")
def downloads_for(obj) -> list[Download]:
    """The messages the signed-in user may download for `obj` as it stands."""
    return [Download(str(exporter.label), url_for(DOWNLOADS[kind][0], object_id=obj.id))
            for kind, exporter in EXPORTERS.items()
            if isinstance(obj, exporter.model) and current_user.role in exporter.roles
            and not exporter.refusal(obj)]


def _download(kind: str, object_id: int):
    """Load the object in the user's scope (404 otherwise), produce the message, commit the
    record and audit event once, and send it as an attachment."""
    _endpoint, scope, back = DOWNLOADS[kind]
    exporter = EXPORTERS[kind]
    obj = load_scoped(exporter.model, object_id, scope(current_user))
    try:
        made = export(exporter, obj, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(back(obj))
    db.session.commit()
    response = Response(made.content, mimetype="application/xml")
    response.headers["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/toewijzingen/<int:object_id>/jw301", methods=["POST"])
@roles_required(*EXPORTERS["JW301"].roles)
def allocation_message(object_id: int):
    return _download("JW301", object_id)


@bp.route("/trajecten/<int:object_id>/jw305", methods=["POST"])
@roles_required(*EXPORTERS["JW305"].roles)
def start_message(object_id: int):
    return _download("JW305", object_id)


@bp.route("/trajecten/<int:object_id>/jw307", methods=["POST"])
@roles_required(*EXPORTERS["JW307"].roles)
def stop_message(object_id: int):
    return _download("JW307", object_id)


@bp.route("/verzoeken/toewijzing/<int:object_id>/jw315", methods=["POST"])
@roles_required(*EXPORTERS["JW315"].roles)
def allocation_request_message(object_id: int):
    return _download("JW315", object_id)


@bp.route("/verzoeken/wijziging/<int:object_id>/jw317", methods=["POST"])
@roles_required(*EXPORTERS["JW317"].roles)
def change_request_message(object_id: int):
    return _download("JW317", object_id)


@bp.route("/declaraties/<int:object_id>/jw323", methods=["POST"])
@roles_required(*EXPORTERS["JW323"].roles)
def declaration_message(object_id: int):
    return _download("JW323", object_id)


@bp.route("/declaraties/<int:object_id>/jw325", methods=["POST"])
@roles_required(*EXPORTERS["JW325"].roles)
def declaration_answer_message(object_id: int):
    return _download("JW325", object_id)


@bp.route("/verzoeken/toewijzing/<int:object_id>/jw319", methods=["POST"])
@roles_required(*EXPORTERS["JW319-VOT"].roles)
def allocation_request_answer(object_id: int):
    return _download("JW319-VOT", object_id)


@bp.route("/verzoeken/wijziging/<int:object_id>/jw319", methods=["POST"])
@roles_required(*EXPORTERS["JW319-VOW"].roles)
def change_request_answer(object_id: int):
    return _download("JW319-VOW", object_id)


@bp.route("/toewijzingen/ijw", methods=["GET", "POST"])
@roles_required(Role.ACCESS_STAFF)
def upload():
    form = UploadForm()
    report = answer = None
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.stream.read(MAX_BYTES + 1)
        if too_large_for_request(data):
            return run_as_job(JobKind.IJW_IMPORT, {"source": upload.filename or ""}, data)
        received = receive_message(data, actor=current_user,
                                   municipality=current_user.municipality,
                                   source=upload.filename or "")
        report = received.report
        answer = received.answer.record if received.answer else None
        db.session.commit()
        if report.ok:
            flash(report.summary(), "ok")
            for warning in report.warnings:
                flash(f"{warning.rule}: {warning.message}", "warning")
            if answer is not None:
                session[ANSWER_KEY] = answer.id
            return redirect(url_for("ijw.upload"))
    elif ANSWER_KEY in session:  # the answer to the file just read
        answer = db.session.scalar(select(IjwMessage).where(
            IjwMessage.id == session.pop(ANSWER_KEY), IjwMessage.actor_id == current_user.id))
    return render_template("ijw/upload.html", form=form, report=report, answer=answer,
                           enabled=xsd_dir() is not None, kinds=", ".join(sorted(IMPORTERS)))
