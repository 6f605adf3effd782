"""Measurements on a trajectory: the provider's forms, the measurement's page, the panel on
the trajectory page."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.domain import permissions as can
from portal.domain.audit import record
from portal.domain.lists import PROVIDER_ROLES, MeasurementMoment, Role
from portal.domain.measurements import (
    COMMENT_ACTIONS,
    MEASUREMENT_NAMES,
    NOT_OPEN,
    SOCIETAL_ITEMS,
    addable_moments,
    goal_field,
    may_measure,
    record_measurement,
    trajectory_measurements,
)
from portal.extensions import db
from portal.formatting import format_date, format_datetime
from portal.models import Measurement, Trajectory
from portal.web.access import apply_domain, load_scoped, roles_required
from portal.web.measurements.forms import CommentForm, measurement_form

bp = Blueprint("measurements", __name__)
READERS = tuple(can.TRAJECTORY_READERS)
MOMENTS = {"begin": MeasurementMoment.START, "tussentijds": MeasurementMoment.INTERIM,
           "einde": MeasurementMoment.END}
SLUGS = {moment: slug for slug, moment in MOMENTS.items()}
HEADINGS = {
    MeasurementMoment.START: _l("Beginmeting vastleggen"),
    MeasurementMoment.INTERIM: _l("Tussentijdse meting vastleggen"),
    MeasurementMoment.END: _l("Eindmeting vastleggen"),
}
INTROS = {
    MeasurementMoment.START: _l("Leg vast hoe het kind er bij de start van de hulp voor staat. "
                                "Per informant is er één beginmeting."),
    MeasurementMoment.INTERIM: _l("Leg tussentijds vast hoe het gaat met de doelen en het "
                                  "behandelresultaat."),
    MeasurementMoment.END: _l("Leg aan het einde van de hulp het resultaat vast. Per informant "
                              "is er één eindmeting; die is nodig voor de eindtranche."),
}


@dataclass(frozen=True)
class Panel:
    """The measurements section of a trajectory page."""

    measurements: list[Measurement]
    new: list[tuple[str, str]]  # (url, label) of the measurements the user may add now


def _trajectory(trajectory_id: int) -> Trajectory:
    return load_scoped(Trajectory, trajectory_id, can.trajectory_scope(current_user))


@bp.record_once
def _template_names(state: BlueprintSetupState) -> None:
    """Names the measurement templates share (tables, not functions: hence not
    add_app_template_global, which Flask types for callables)."""
    state.app.jinja_env.globals.update(societal_items=SOCIETAL_ITEMS,
                                       measurement_names=MEASUREMENT_NAMES,
                                       comment_actions=COMMENT_ACTIONS)


@bp.app_template_global("answers_of")
def answers_of(m: Measurement) -> list[tuple[str, str]]:
    """The answers as (question, answer) for the measurement's page."""
    unanswered = _("niet beantwoord")
    items = [
        (_("Meetdatum"), format_date(m.measured_on)),
        (_("Informant"), m.informant.label),
        (_("Behandelresultaat"), m.treatment_result.label if m.treatment_result
         else _("niet gevraagd bij de beginmeting")),
        *((label, getattr(m, name).label) for name, label in SOCIETAL_ITEMS.items()),
    ]
    if m.moment == MeasurementMoment.END:
        items += [(_("Hoe bruikbaar was deze hulp?"), m.satisfaction or unanswered),
                  (_("Zonder hulp verder"), f"{m.without_help.value} – {m.without_help.label}"
                   if m.without_help else unanswered)]
    return [*items, (_("Vastgelegd"),
                     f"{format_datetime(m.submitted_at)}, {m.submitted_by.name}")]


def measurement_panel(trajectory: Trajectory) -> Panel:
    """What the trajectory page shows of its measurements (built by the view)."""
    measurements = trajectory_measurements(trajectory)
    addable = addable_moments(trajectory, measurements) if can.is_provider(current_user) else []
    return Panel(measurements, [
        (url_for("measurements.new", trajectory_id=trajectory.id, moment=SLUGS[m]),
         HEADINGS[m]) for m in addable])


@bp.route("/trajecten/<int:trajectory_id>/metingen/nieuw/<moment>", methods=["GET", "POST"])
@roles_required(*PROVIDER_ROLES)
def new(trajectory_id: int, moment: str):
    trajectory = _trajectory(trajectory_id)
    if moment not in MOMENTS:
        abort(404)
    moment = MOMENTS[moment]
    back = url_for("trajectories.show", trajectory_id=trajectory.id, _anchor="metingen")
    if not may_measure(trajectory, moment):
        flash(str(NOT_OPEN[moment]), "warning")
        return redirect(back)
    form = measurement_form(moment, trajectory.goals)
    if request.method == "GET":
        form.measured_on.data = date.today()
    if form.validate_on_submit():
        _m, ok = apply_domain(form, record_measurement, trajectory,
                              form.answers(moment, trajectory.goals), current_user, date.today())
        if ok:
            db.session.commit()
            flash(_("De meting is opgeslagen en naar de gemeente gestuurd."), "ok")
            return redirect(back)
    return render_template(
        "measurements/new.html", form=form, trajectory=trajectory, heading=HEADINGS[moment],
        intro=INTROS[moment], cancel_url=back, societal=list(SOCIETAL_ITEMS),
        goals=[(goal, form[goal_field(goal.id)]) for goal in trajectory.goals
               if goal_field(goal.id) in form])


@dataclass(frozen=True)
class ReviewPart:
    """What the review part of a measurement offers this user, built by the view."""

    may_review: bool
    may_explain: bool
    form: CommentForm


def comment_form(measurement: Measurement, formdata=None) -> CommentForm:
    """One form per card, with ids of its own."""
    form = CommentForm(formdata=formdata, prefix=f"meting-{measurement.id}")
    form.text.label.text = (_("Opmerking of vraag aan de aanbieder")
                            if current_user.role == Role.REVIEWER else _("Uw toelichting"))
    return form


def review_part(measurement: Measurement, form: CommentForm | None = None) -> ReviewPart:
    return ReviewPart(can.can_review_measurement(current_user, measurement),
                      can.can_explain_measurement(current_user, measurement),
                      form or comment_form(measurement))


def load_measurement(measurement_id: int) -> Measurement:
    return load_scoped(Measurement, measurement_id, can.measurement_scope(current_user))


def render_measurement(measurement: Measurement, form: CommentForm | None = None,
                       errors: Sequence[str] = ()):
    """The measurement's page; without JS a form with errors comes back on it."""
    posted = request.method == "POST"
    return render_template("measurements/show.html", m=measurement,
                           trajectory=measurement.trajectory,
                           part=review_part(measurement, form), errors=errors,
                           next_url=request.form.get("next") if posted else request.full_path)


@bp.route("/trajecten/<int:trajectory_id>/metingen/<int:measurement_id>")
@roles_required(*READERS)
def show(trajectory_id: int, measurement_id: int):
    measurement = load_measurement(measurement_id)
    if measurement.trajectory_id != trajectory_id:
        abort(404)
    record(current_user, "measurement.viewed", measurement, trajectory=measurement.trajectory)
    html = render_measurement(measurement)  # before the commit, which expires what it shows
    db.session.commit()
    return html
