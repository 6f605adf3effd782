"""The reviewer's queue of declaration lines, decisions in place, and payment exports."""

from dataclasses import replace
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from portal.domain import permissions as can
from portal.domain.catalogue import all_arrangements, all_providers, choices
from portal.domain.codes import WJ001
from portal.domain.declaration_checks import Stage, run_checks
from portal.domain.identifiers import parse_id
from portal.domain.lists import LineStatus, Role
from portal.domain.paging import id_cursor
from portal.domain.payment_exports import export_csv, export_page
from portal.domain.regions import region_ids_of
from portal.domain.review import (
    approve_correction,
    approve_line,
    approve_lines,
    correction_partner,
    is_overdue,
    reject_line,
)
from portal.domain.review_queue import DEFAULT_SORT, QueueFilter, queue_counts, queue_page
from portal.domain.working_days import today_in_amsterdam
from portal.extensions import db
from portal.models import DeclarationLine, PaymentExport
from portal.models.jobs import JobKind
from portal.web.access import (
    apply_domain,
    load_scoped,
    render_page_or_fragment,
    roles_required,
    wants_fragment,
)
from portal.web.declarations.forms import ActionForm
from portal.web.fields import given
from portal.web.jobs.views import run_as_job
from portal.web.review.forms import ALL, ExportForm, QueueFilterForm, RejectForm
from portal.web.safety import safe_next_url

bp = Blueprint("review", __name__, url_prefix="/beoordelen")


# The queue --------------------------------------------------------------------------------


def _filter_form(args: MultiDict | None = None) -> QueueFilterForm:
    form = QueueFilterForm(request.args if args is None else args)
    regions = region_ids_of(current_user)
    form.provider.choices = [(None, _("Alle")), *choices(all_providers(regions))]
    form.arrangement.choices = [(None, _("Alle")), *choices(all_arrangements(regions))]
    form.validate()
    return form


def _filters(form: QueueFilterForm) -> QueueFilter:
    def clean(field):
        return None if field.errors else field.data

    status = clean(form.status) or LineStatus.SUBMITTED.value
    return QueueFilter(
        status=None if status == ALL else LineStatus(status),
        provider_id=clean(form.provider), arrangement_id=clean(form.arrangement),
        overdue=bool(clean(form.overdue)), min_cents=clean(form.min_amount),
        max_cents=clean(form.max_amount), first_month=clean(form.first_month),
        last_month=clean(form.last_month), sort=clean(form.sort) or DEFAULT_SORT)


def _counts(filters: QueueFilter, today) -> dict:
    """The queue's counts, and whether a filter narrows them (the page then says so)."""
    narrowed = replace(filters, status=QueueFilter.status, sort=DEFAULT_SORT) != QueueFilter()
    return {**queue_counts(current_user, filters, today), "filtered": narrowed}


def _reject_form(line: DeclarationLine, findings, formdata=None) -> RejectForm:
    form = RejectForm(formdata=formdata, prefix=f"r{line.id}")
    if formdata is None and findings:
        form.return_code.data = findings[0].code.value
    return form


def _queue_context(notice=None) -> dict:
    form = _filter_form()
    today = today_in_amsterdam()
    filters = _filters(form)
    page = queue_page(current_user, filters, form.na.data or None,
                      current_app.config["PAGE_SIZE"], today)
    return {"form": form, "filters": filters, "page": page, "today": today, "notice": notice,
            "is_overdue": is_overdue,
            "counts": _counts(filters, today),
            "reject_forms": {line.id: _reject_form(line, page.findings.get(line.id))
                             for line in page.rows},
            "back": request.full_path if request.method == "GET" else
            _queue_url()}


@bp.route("")
@roles_required(Role.REVIEWER)
def queue():
    return render_page_or_fragment("review/queue.html", "review/_queue.html",
                                   **_queue_context())


def _load(line_id: int) -> DeclarationLine:
    return load_scoped(DeclarationLine, line_id, can.review_scope(current_user))


def _back_url() -> str:
    return safe_next_url(request.form.get("next")) or url_for("review.queue")


def _line_page(line: DeclarationLine, reject_form: RejectForm | None = None):
    findings = run_checks([line], Stage.REVIEW)[line.id] if can.can_review(
        current_user, line) else []
    partner = correction_partner(line) if line.status == LineStatus.SUBMITTED else None
    return render_template("review/line.html", line=line, findings=findings,
                           partners={line.id: partner} if partner else {},
                           reject_form=reject_form or _reject_form(line, findings),
                           may_review=can.can_review(current_user, line),
                           today=today_in_amsterdam(), back=_back_url())


def _queue_args() -> MultiDict:
    """The filters of the queue a decision was taken in: the query of its `next` URL."""
    return MultiDict(parse_qsl(urlsplit(_back_url()).query))


def _answer(line: DeclarationLine, ok: bool, message: str, reject_form=None):
    """The decided (or refused) line: its row for HTMX, else back to the queue."""
    if ok:
        db.session.commit()
    if wants_fragment():
        findings = run_checks([line], Stage.REVIEW)[line.id] if can.can_review(
            current_user, line) else []
        today = today_in_amsterdam()
        return render_template(
            "review/_decided.html", line=line, findings=findings, today=today,
            is_overdue=is_overdue,
            reject_form=reject_form or _reject_form(line, findings), back=_back_url(),
            row_message=(message, "ok" if ok else "error"),
            counts=_counts(_filters(_filter_form(_queue_args())), today))
    if reject_form is not None and not ok:
        return _line_page(line, reject_form)
    flash(message, "ok" if ok else "error")
    return redirect(_back_url())


@bp.route("/regels/<int:line_id>")
@roles_required(Role.REVIEWER)
def line(line_id: int):
    return _line_page(_load(line_id))


@bp.route("/regels/<int:line_id>/goedkeuren", methods=["POST"])
@roles_required(Role.REVIEWER)
def approve(line_id: int):
    line = _load(line_id)
    form = ActionForm()
    _r, ok = apply_domain(form, approve_line, line, current_user)
    message = (_("Regel %(reference)s is goedgekeurd.", reference=line.reference) if ok
               else " ".join(form.form_errors))
    return _answer(line, ok, message)


@bp.route("/regels/<int:line_id>/correctie-goedkeuren", methods=["POST"])
@roles_required(Role.REVIEWER)
def approve_pair(line_id: int):
    """One click for a correction: the credit and its new debit, both or neither."""
    credit = _load(line_id)
    form = ActionForm()
    debit, ok = apply_domain(form, approve_correction, credit, current_user)
    if ok:
        db.session.commit()
        flash(_("Creditregel %(credit)s en de nieuwe debetregel %(debit)s zijn goedgekeurd.",
                credit=credit.reference, debit=debit.reference), "ok")
    else:
        flash(" ".join(form.form_errors), "error")
    return redirect(_back_url())


@bp.route("/regels/<int:line_id>/afkeuren", methods=["POST"])
@roles_required(Role.REVIEWER)
def reject(line_id: int):
    line = _load(line_id)
    form = RejectForm(prefix=f"r{line.id}")
    ok = False
    if form.validate_on_submit():
        _r, ok = apply_domain(form, reject_line, line, WJ001(form.return_code.data),
                              form.note.data, current_user)
    if ok:
        return _answer(line, True, _("Regel %(reference)s is afgekeurd.",
                                     reference=line.reference))
    message = " ".join(form.form_errors) or _("Kies een retourcode en geef een toelichting.")
    return _answer(line, False, message, reject_form=form)


def _queue_url() -> str:
    """The queue with this request's filters, sort and page."""
    args: dict[str, Any] = request.args.to_dict()  # url_for's keywords are typed Any
    return url_for("review.queue", **args)


@bp.route("/goedkeuren", methods=["POST"])
@roles_required(Role.REVIEWER)
def approve_selected():
    ids = [line_id for line_id in map(parse_id, request.form.getlist("line")) if line_id]
    lines = list(db.session.scalars(select(DeclarationLine).where(
        DeclarationLine.id.in_(ids), can.review_scope(current_user))))
    notice: tuple[str, str, list[str]]
    if not lines:
        notice = (_("Selecteer eerst een of meer regels om goed te keuren."), "warning", [])
    else:
        result = approve_lines(lines, current_user)
        db.session.commit()
        notice = (ngettext("%(num)s regel goedgekeurd.", "%(num)s regels goedgekeurd.",
                           len(result.approved)),
                  "ok" if not result.refused else "warning",
                  [message for _line, message in result.refused])
    if wants_fragment():
        return render_template("review/_queue.html", **_queue_context(notice))
    flash(" ".join([notice[0], *notice[2]]), notice[1])
    return redirect(_queue_url())


# Payment exports --------------------------------------------------------------------------


@bp.route("/betaalbestanden", methods=["GET", "POST"])
@roles_required(Role.REVIEWER)
def exports():
    form = ExportForm()
    if request.method == "GET":
        last_month = (today_in_amsterdam().replace(day=1) - timedelta(days=1)).replace(day=1)
        form.first_month.data = form.last_month.data = last_month
    if form.validate_on_submit():
        return run_as_job(JobKind.PAYMENT_EXPORT, {
            "first_month": given(form.first_month).isoformat(),
            "last_month": given(form.last_month).isoformat()})
    page = export_page(current_user.municipality, id_cursor(request.args.get("na")),
                       current_app.config["PAGE_SIZE"])
    return render_template("review/exports.html", form=form, page=page)


@bp.route("/betaalbestanden/<int:export_id>.csv")
@roles_required(Role.REVIEWER)
def download(export_id: int):
    export = load_scoped(PaymentExport, export_id, can.export_scope(current_user))
    response = Response(export_csv(export), mimetype="text/csv")
    filename = f"betaalbestand-{export.municipality.cbs_code}-{export.id:05d}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
