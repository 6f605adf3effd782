"""The review of measurements: the list, accepting, asking for and giving an explanation.

The actions answer HTMX with the review part of the card (status 200, also when a form is
invalid or another reviewer was first); without JS they redirect back, or show the
measurement's page with the form's errors.
"""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.domain.catalogue import all_providers, choices
from portal.domain.lists import PROVIDER_ROLES, MeasurementMoment, MeasurementStatus, Role
from portal.domain.measurement_queries import (
    MeasurementFilter,
    measurement_page,
    status_counts,
)
from portal.domain.measurements import accept, explain, request_explanation
from portal.domain.paging import id_cursor
from portal.domain.regions import region_ids_of
from portal.extensions import db
from portal.models import Measurement
from portal.web.access import (
    apply_domain,
    render_page_or_fragment,
    roles_required,
    wants_fragment,
)
from portal.web.measurements.forms import CommentForm, FilterForm
from portal.web.measurements.views import (
    bp,
    comment_form,
    load_measurement,
    render_measurement,
    review_part,
)
from portal.web.safety import safe_next_url

PARTIES = (Role.REVIEWER, *PROVIDER_ROLES)


def _filters(form: FilterForm) -> MeasurementFilter:
    default = (MeasurementStatus.SUBMITTED if current_user.role == Role.REVIEWER
               else MeasurementStatus.EXPLANATION_REQUESTED)
    status = form.status.data if not form.status.errors else None
    if not status:
        form.status.data, status = default.value, default
    else:
        status = MeasurementStatus(status) if status != "alle" else None
    moment = form.moment.data if not form.moment.errors else None
    provider = form.provider.data if current_user.role == Role.REVIEWER else None
    return MeasurementFilter(status=status, moment=MeasurementMoment(moment) if moment else None,
                             provider_id=None if form.provider.errors else provider)


@bp.route("/metingen")
@roles_required(*PARTIES)
def index():
    form = FilterForm(request.args)
    form.provider.choices = [(None, _("Alle")),
                             *choices(all_providers(region_ids_of(current_user)))]
    form.validate()
    filters = _filters(form)
    page = measurement_page(current_user, filters, id_cursor(form.na.data),
                            current_app.config["PAGE_SIZE"])
    return render_page_or_fragment(
        "measurements/index.html", "measurements/_results.html", form=form, page=page,
        parts={m.id: review_part(m) for m in page.rows},
        counts=status_counts(current_user, filters), next_url=request.full_path)


def _answer(measurement: Measurement, form: CommentForm, action, done: str):
    """Validate, call the domain, commit once, answer the way the request asked."""
    ok = False
    if form.validate_on_submit():
        _result, ok = apply_domain(form, action)
        if ok:
            db.session.commit()
    comment = form if not ok else comment_form(measurement)
    next_url = safe_next_url(request.form.get("next"))
    if wants_fragment():
        return render_template("measurements/_review.html", m=measurement,
                               part=review_part(measurement, comment),
                               errors=form.form_errors, message=done if ok else None,
                               next_url=next_url)
    if ok:
        flash(done, "ok")
        return redirect(next_url or url_for("measurements.show", measurement_id=measurement.id,
                                            trajectory_id=measurement.trajectory_id))
    return render_measurement(measurement, comment, form.form_errors)


@bp.post("/metingen/<int:measurement_id>/accepteren")
@roles_required(Role.REVIEWER)
def accept_view(measurement_id: int):
    measurement = load_measurement(measurement_id)
    form = comment_form(measurement, request.form)
    return _answer(measurement, form,
                   lambda: accept(measurement, current_user, form.text.data or ""),
                   _("De meting is geaccepteerd."))


@bp.post("/metingen/<int:measurement_id>/toelichting-vragen")
@roles_required(Role.REVIEWER)
def ask_view(measurement_id: int):
    measurement = load_measurement(measurement_id)
    form = comment_form(measurement, request.form)
    return _answer(measurement, form,
                   lambda: request_explanation(measurement, form.text.data or "", current_user),
                   _("De vraag om toelichting is naar de aanbieder gestuurd."))


@bp.post("/metingen/<int:measurement_id>/toelichting")
@roles_required(*PROVIDER_ROLES)
def explain_view(measurement_id: int):
    measurement = load_measurement(measurement_id)
    form = comment_form(measurement, request.form)
    return _answer(measurement, form,
                   lambda: explain(measurement, form.text.data or "", current_user),
                   _("Uw toelichting is naar de gemeente gestuurd."))
