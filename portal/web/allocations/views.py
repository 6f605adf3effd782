"""Allocations by municipal access staff: one by one, or a CSV file at once."""

from dataclasses import replace

from flask import Blueprint, Response, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from portal.domain.allocation_import import COLUMNS, OPTIONAL_COLUMNS, import_allocations
from portal.domain.catalogue import all_arrangements, all_providers, choices
from portal.domain.family_choice import FamilyChoiceAnswer
from portal.domain.import_help import example_csv
from portal.domain.lists import FamilyChoice, NotChosenReason, Role
from portal.domain.regions import region_ids_of
from portal.domain.trajectories import ChildDetails, allocate
from portal.domain.working_days import today_in_amsterdam
from portal.extensions import db
from portal.models.jobs import JobKind
from portal.web.access import apply_domain, roles_required
from portal.web.allocations.forms import AllocationForm, ImportForm
from portal.web.jobs.views import run_as_job, too_large_for_request
from portal.web.responses import done

bp = Blueprint("allocations", __name__, url_prefix="/toewijzingen")


def child_details(form) -> ChildDetails:
    return ChildDetails(form.bsn.data, form.birth_date.data, form.given_name.data,
                        form.family_name.data)


def family_choice_of(form) -> FamilyChoiceAnswer:
    reason = form.not_chosen_reason.data
    return FamilyChoiceAnswer(FamilyChoice(form.family_choice.data),
                              NotChosenReason(reason) if reason else None,
                              form.not_chosen_text.data or "")


@bp.route("/nieuw", methods=["GET", "POST"])
@roles_required(Role.ACCESS_STAFF)
def new():
    form = AllocationForm()
    regions = region_ids_of(current_user)
    providers, arrangements = all_providers(regions), all_arrangements(regions)
    form.provider.choices = [(None, _("Kies…")), *choices(providers)]
    form.arrangement.choices = [(None, _("Kies…")), *choices(arrangements)]
    if form.validate_on_submit():
        trajectory, ok = apply_domain(
            form, allocate, municipality=current_user.municipality,
            child=replace(child_details(form), contact=form.contact()),
            provider=next(p for p in providers if p.id == form.provider.data),
            arrangement=next(a for a in arrangements if a.id == form.arrangement.data),
            start=form.start_date.data, end=form.end_date.data,
            extended=form.extended_youth_care.data, family_choice=family_choice_of(form),
            actor=current_user)
        if ok:
            return done(_("Toewijzing %(number)s is afgegeven aan %(provider)s.",
                          number=trajectory.current_allocation.number,
                          provider=trajectory.provider.name),
                        "trajectories.show", trajectory_id=trajectory.id)
    return render_template(
        "_form_page.html", form=form, heading=_("Nieuwe toewijzing"),
        intro=_("Wijs één arrangement toe aan één hoofdaanbieder. Het toewijzingsnummer en het "
                "bedrag (het tarief op de ingangsdatum) bepaalt het portaal."),
        submit_label=_("Toewijzing afgeven"), cancel_url=url_for("trajectories.index"),
        descriptions={"bsn": _("9 cijfers; het BSN wordt gecontroleerd met de elfproef."),
                      "street": _("Adres of telefoonnummer: het toewijzingsbericht (JW301) "
                                  "noemt minstens een van beide."),
                      "not_chosen_text": _("Verplicht bij de reden 'anders'."),
                      "extended_youth_care": _("Alleen voor een jongere van 18 tot 23 jaar op "
                                               "de ingangsdatum.")})


@bp.route("/importeren", methods=["GET", "POST"])
@roles_required(Role.ACCESS_STAFF)
def import_csv():
    form = ImportForm()
    result = None
    if form.validate_on_submit():
        data = form.file.data.read()
        if too_large_for_request(data):
            return run_as_job(JobKind.ALLOCATION_IMPORT, {}, data)
        result, ok = apply_domain(form, import_allocations, data, current_user.municipality,
                                  current_user)
        if ok and not result.errors:
            return done(ngettext("%(num)s toewijzing is geïmporteerd.",
                                 "%(num)s toewijzingen zijn geïmporteerd.", len(result.created)),
                        "trajectories.index")
        db.session.rollback()
    return render_template("allocations/import.html", form=form, result=result,
                           columns=";".join(COLUMNS), optional_columns=";".join(OPTIONAL_COLUMNS),
                           reasons=", ".join(r.value for r in NotChosenReason))


@bp.route("/importeren/voorbeeld.csv")
@roles_required(Role.ACCESS_STAFF)
def import_example():
    response = Response(example_csv(region_ids_of(current_user), today_in_amsterdam()),
                        mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="voorbeeld-toewijzingen.csv"'
    return response


@bp.route("/codes")
@roles_required(Role.ACCESS_STAFF)
def codes():
    """The codes a CSV file needs, of the region's own catalogue and contracted providers."""
    regions = region_ids_of(current_user)
    return render_template("allocations/codes.html", arrangements=all_arrangements(regions),
                           providers=all_providers(regions))
