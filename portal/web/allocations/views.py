"""Allocations by municipal access staff: one by one, or a CSV file at once."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.domain.allocation_import import COLUMNS, import_allocations
from portal.domain.catalogue import all_arrangements, all_providers, choices
from portal.domain.lists import Role
from portal.domain.trajectories import ChildDetails, allocate
from portal.extensions import db
from portal.models.jobs import JobKind
from portal.web.access import apply_domain, roles_required
from portal.web.allocations.forms import AllocationForm, ImportForm
from portal.web.jobs.views import run_as_job, too_large_for_request

bp = Blueprint("allocations", __name__, url_prefix="/toewijzingen")


def child_details(form) -> ChildDetails:
    return ChildDetails(form.bsn.data, form.birth_date.data, form.given_name.data,
                        form.family_name.data)


@bp.route("/nieuw", methods=["GET", "POST"])
@roles_required(Role.ACCESS_STAFF)
def new():
    form = AllocationForm()
    providers, arrangements = all_providers(), all_arrangements()
    form.provider.choices = [(None, _("Kies…")), *choices(providers)]
    form.arrangement.choices = [(None, _("Kies…")), *choices(arrangements)]
    if form.validate_on_submit():
        trajectory, ok = apply_domain(
            form, allocate, municipality=current_user.municipality, child=child_details(form),
            provider=next(p for p in providers if p.id == form.provider.data),
            arrangement=next(a for a in arrangements if a.id == form.arrangement.data),
            start=form.start_date.data, end=form.end_date.data, actor=current_user)
        if ok:
            db.session.commit()
            flash(_("Toewijzing %(number)s is afgegeven aan %(provider)s.",
                    number=trajectory.current_allocation.number,
                    provider=trajectory.provider.name), "ok")
            return redirect(url_for("trajectories.show", trajectory_id=trajectory.id))
    return render_template(
        "_form_page.html", form=form, heading=_("Nieuwe toewijzing"),
        intro=_("Wijs één arrangement toe aan één hoofdaanbieder. Het toewijzingsnummer en het "
                "bedrag (het tarief op de ingangsdatum) bepaalt het portaal."),
        submit_label=_("Toewijzing afgeven"), cancel_url=url_for("trajectories.index"),
        descriptions={"bsn": _("9 cijfers; het BSN wordt gecontroleerd met de elfproef.")})


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
            db.session.commit()
            flash(_("%(count)s toewijzingen zijn geïmporteerd.", count=len(result.created)),
                  "ok")
            return redirect(url_for("trajectories.index"))
        db.session.rollback()
    return render_template("allocations/import.html", form=form, result=result,
                           columns=";".join(COLUMNS))
