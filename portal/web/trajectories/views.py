"""Trajectory lists, the provider's inbox, the trajectory page and its actions."""

from datetime import date

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from portal.domain import permissions as can
from portal.domain.audit import record
from portal.domain.catalogue import (
    all_arrangements,
    all_municipalities,
    all_providers,
    choices,
    contracted_arrangements,
)
from portal.domain.codes import JZ002, JZ588, WJ758
from portal.domain.contact import change_contact
from portal.domain.lists import PROVIDER_ROLES, LifeDomain, Role, TrajectoryStatus
from portal.domain.paging import id_cursor
from portal.domain.plans import GoalText, add_goal, edit_goal
from portal.domain.regions import region_ids_of
from portal.domain.requests import request_change
from portal.domain.subcontractors import delivery_options, set_delivery
from portal.domain.timeline import trajectory_timeline
from portal.domain.trajectories import end_allocation, end_trajectory, register_start
from portal.domain.trajectory_queries import (
    TrajectoryFilter,
    status_counts,
    trajectory_page,
)
from portal.extensions import db
from portal.models import Allocation, ChangeRequest, Goal, Trajectory
from portal.web.access import (
    apply_domain,
    load_scoped,
    render_page_or_fragment,
    roles_required,
)
from portal.web.measurements.views import measurement_panel
from portal.web.responses import done
from portal.web.trajectories.forms import (
    ChangeRequestForm,
    ContactForm,
    DeliveryForm,
    EndAllocationForm,
    EndForm,
    FilterForm,
    GoalForm,
    StartForm,
)

bp = Blueprint("trajectories", __name__, url_prefix="/trajecten")
READERS = tuple(can.TRAJECTORY_READERS)
PROVIDERS = tuple(PROVIDER_ROLES)


def _filter_form() -> FilterForm:
    form = FilterForm(request.args)
    regions = region_ids_of(current_user)
    form.arrangement.choices = [(None, _("Alle")), *choices(all_arrangements(regions))]
    others = (all_municipalities(regions) if current_user.role in PROVIDER_ROLES
              else all_providers(regions))
    form.organisation.label.text = (_("Gemeente") if current_user.role in PROVIDER_ROLES
                                    else _("Aanbieder"))
    form.organisation.choices = [(None, _("Alle")), *choices(others)]
    form.validate()
    return form


def _filters(form: FilterForm) -> TrajectoryFilter:
    def clean(field):
        return None if field.errors else field.data

    organisation = clean(form.organisation)
    status = clean(form.status)
    return TrajectoryFilter(
        status=TrajectoryStatus(status) if status else None,
        arrangement_id=clean(form.arrangement),
        municipality_id=organisation if current_user.role in PROVIDER_ROLES else None,
        provider_id=None if current_user.role in PROVIDER_ROLES else organisation,
        text=clean(form.q) or "",
    )


@bp.route("")
@roles_required(*READERS)
def index():
    form = _filter_form()
    filters = _filters(form)
    page = trajectory_page(current_user, filters, id_cursor(form.na.data),
                           current_app.config["PAGE_SIZE"])
    counts = status_counts(current_user, filters)
    return render_page_or_fragment("trajectories/index.html", "trajectories/_results.html",
                                   form=form, page=page, counts=counts, filters=filters)


@bp.route("/inbox")
@roles_required(*PROVIDERS)
def inbox():
    page = trajectory_page(current_user, TrajectoryFilter(status=TrajectoryStatus.ALLOCATED),
                           id_cursor(request.args.get("na")), current_app.config["PAGE_SIZE"])
    return render_template("trajectories/inbox.html", page=page, today=date.today())


def _load(trajectory_id: int, options=()) -> Trajectory:
    return load_scoped(Trajectory, trajectory_id, can.trajectory_scope(current_user), options)


# What the trajectory page shows, loaded with the trajectory: one statement per collection
# instead of a lazy load per object. Each is a round trip, about 10 ms when PostgreSQL shares
# busy cores with the workers (bench, issue 17).
SHOWN = (
    joinedload(Trajectory.client), joinedload(Trajectory.provider),
    joinedload(Trajectory.municipality),
    selectinload(Trajectory.allocations).options(joinedload(Allocation.arrangement),
                                                 joinedload(Allocation.scheme_version)),
    selectinload(Trajectory.goals),
    selectinload(Trajectory.change_requests).options(
        joinedload(ChangeRequest.arrangement), joinedload(ChangeRequest.requested_by),
        joinedload(ChangeRequest.decided_by)),
)


@bp.route("/<int:trajectory_id>")
@roles_required(*READERS)
def show(trajectory_id: int):
    trajectory = _load(trajectory_id, SHOWN)
    record(current_user, "trajectory.viewed", trajectory, trajectory=trajectory)
    # Rendered before the commit, which would expire everything loaded (a query each).
    html = render_template(
        "trajectories/show.html", trajectory=trajectory,
        timeline=trajectory_timeline(trajectory), panel=measurement_panel(trajectory),
        may={
            "start": can.can_register_start(current_user, trajectory),
            "edit_plan": can.can_edit_plan(current_user, trajectory),
            "request_change": can.can_request_change(current_user, trajectory),
            "end": can.can_end(current_user, trajectory),
            "end_allocation": can.can_end_allocation(current_user, trajectory),
            "contact": can.is_access_staff(current_user),
            "set_delivery": can.can_set_delivery(current_user, trajectory),
        })
    db.session.commit()
    return html


def _form_page(form, trajectory: Trajectory, heading: str, submit_label: str, **context):
    return render_template(
        "trajectories/action.html", form=form, trajectory=trajectory, heading=heading,
        submit_label=submit_label,
        cancel_url=url_for("trajectories.show", trajectory_id=trajectory.id), **context)


@bp.route("/<int:trajectory_id>/uitvoering", methods=["GET", "POST"])
@roles_required(*PROVIDERS)
def delivery(trajectory_id: int):
    """The main provider records who delivers: itself or a subcontractor of its contract."""
    trajectory = _load(trajectory_id)
    if not can.can_set_delivery(current_user, trajectory):
        abort(403)
    options = delivery_options(trajectory)
    form = DeliveryForm(delivered_by=trajectory.delivered_by_id or 0)
    form.delivered_by.choices = [(0, _("%(provider)s zelf (hoofdaanbieder)",
                                       provider=trajectory.provider.name)),
                                 *((s.id, str(s)) for s in options)]
    if form.validate_on_submit():
        chosen = next((s for s in options if s.id == form.delivered_by.data), None)
        _r, ok = apply_domain(form, set_delivery, trajectory, chosen, current_user)
        if ok:
            return done(_("De uitvoerder is vastgelegd."),
                        "trajectories.show", trajectory_id=trajectory.id)
    return _form_page(form, trajectory, _("Uitvoerder vastleggen"), _("Opslaan"),
                      intro=_("De hoofdaanbieder blijft verantwoordelijk en declareert; een "
                              "onderaannemer voert de zorg uit. Onderaannemers staan op het "
                              "contract (menu Onderaannemers)."))


@bp.route("/<int:trajectory_id>/start", methods=["GET", "POST"])
@roles_required(*PROVIDERS)
def start(trajectory_id: int):
    trajectory = _load(trajectory_id)
    form = StartForm()
    if form.validate_on_submit():
        _result, ok = apply_domain(form, register_start, trajectory, form.started_on.data,
                                   current_user)
        if ok:
            return done(_("De start van de zorg is geregistreerd."),
                        "trajectories.show", trajectory_id=trajectory.id)
    return _form_page(form, trajectory, _("Start zorg registreren"), _("Start registreren"),
                      intro=_("De startdatum ligt binnen de periode van de toewijzing."))


@bp.route("/<int:trajectory_id>/doelen/nieuw", methods=["GET", "POST"])
@roles_required(*PROVIDERS)
def new_goal(trajectory_id: int):
    trajectory = _load(trajectory_id)
    form = GoalForm()
    if form.validate_on_submit():
        _goal, ok = apply_domain(form, add_goal, trajectory, _goal_text(form), current_user)
        if ok:
            return done(_("Het doel is toegevoegd aan het plan."),
                        "trajectories.show", trajectory_id=trajectory.id)
    return _form_page(form, trajectory, _("Doel toevoegen"), _("Doel toevoegen"))


@bp.route("/<int:trajectory_id>/doelen/<int:goal_id>", methods=["GET", "POST"])
@roles_required(*PROVIDERS)
def goal(trajectory_id: int, goal_id: int):
    trajectory = _load(trajectory_id)
    goal = db.session.scalar(select(Goal).where(Goal.id == goal_id,
                                                Goal.trajectory_id == trajectory.id))
    if goal is None:
        abort(404)
    form = GoalForm(obj=goal if request.method == "GET" else None)
    if form.validate_on_submit():
        _r, ok = apply_domain(form, edit_goal, goal, _goal_text(form), current_user)
        if ok:
            return done(_("Het doel is bijgewerkt."),
                        "trajectories.show", trajectory_id=trajectory.id)
    return _form_page(form, trajectory, _("Doel wijzigen"), _("Opslaan"))


def _goal_text(form: GoalForm) -> GoalText:
    return GoalText(LifeDomain(form.life_domain.data), form.description.data or "",
                    form.treatment_aim.data or "", form.societal_aim.data or "")


@bp.route("/<int:trajectory_id>/wijzigingsverzoek", methods=["GET", "POST"])
@roles_required(*PROVIDERS)
def change_request(trajectory_id: int):
    trajectory = _load(trajectory_id)
    form = ChangeRequestForm()
    options = contracted_arrangements(trajectory.provider, date.today(),
                                      [trajectory.municipality.region_id]) or [
        trajectory.current_allocation.arrangement]
    form.arrangement.choices = [(None, _("Kies…")), *choices(options)]
    if form.validate_on_submit():
        arrangement = next(a for a in options if a.id == form.arrangement.data)
        _r, ok = apply_domain(form, request_change, trajectory, reason=WJ758(form.reason.data),
                              arrangement=arrangement, end_date=form.end_date.data,
                              motivation=form.motivation.data, actor=current_user)
        if ok:
            return done(_("Het wijzigingsverzoek is naar de gemeente gestuurd."),
                        "trajectories.show", trajectory_id=trajectory.id)
    return _form_page(form, trajectory, _("Wijziging aanvragen"), _("Verzoek versturen"),
                      intro=_("Vraag een andere intensiteit of een latere einddatum aan. De "
                              "gemeente beslist over het verzoek."))


@bp.route("/<int:trajectory_id>/beeindigen", methods=["GET", "POST"])
@roles_required(*PROVIDERS)
def end(trajectory_id: int):
    trajectory = _load(trajectory_id)
    form = EndForm()
    if form.validate_on_submit():
        _r, ok = apply_domain(form, end_trajectory, trajectory, form.ended_on.data,
                              JZ588(form.reason.data), current_user)
        if ok:
            return done(_("Het traject is beëindigd."),
                        "trajectories.show", trajectory_id=trajectory.id)
    return _form_page(form, trajectory, _("Zorg beëindigen"), _("Traject beëindigen"))


@bp.route("/<int:trajectory_id>/contact", methods=["GET", "POST"])
@roles_required(Role.ACCESS_STAFF)
def contact(trajectory_id: int):
    """The child's address and phone, which the JW301 carries (TR061, TR006)."""
    trajectory = _load(trajectory_id)
    form = ContactForm(obj=trajectory.client)
    if form.validate_on_submit():
        _r, ok = apply_domain(form, change_contact, trajectory.client, form.contact(),
                              current_user, trajectory)
        if ok:
            return done(_("Het adres en telefoonnummer van het kind zijn "
                          "vastgelegd."),
                        "trajectories.show", trajectory_id=trajectory.id)
    return _form_page(form, trajectory, _("Adres en telefoon van het kind"), _("Opslaan"),
                      intro=_("Het toewijzingsbericht (JW301) noemt minstens een adres of "
                              "een telefoonnummer van het kind."))


@bp.route("/<int:trajectory_id>/toewijzing-beeindigen", methods=["GET", "POST"])
@roles_required(Role.ACCESS_STAFF)
def end_allocation_view(trajectory_id: int):
    trajectory = _load(trajectory_id)
    form = EndAllocationForm()
    if form.validate_on_submit():
        _r, ok = apply_domain(form, end_allocation, trajectory, form.end_date.data,
                              JZ002(form.reason.data), current_user)
        if ok:
            return done(_("De toewijzing is beëindigd."),
                        "trajectories.show", trajectory_id=trajectory.id)
    return _form_page(form, trajectory, _("Toewijzing beëindigen"),
                      _("Toewijzing beëindigen"),
                      intro=_("Bij reden 13 (verwijderd) wordt de einddatum gelijk aan de "
                              "ingangsdatum; er kan dan niet op worden gedeclareerd."))
