"""The contract manager's catalogue: profiles, intensities and arrangements, with history."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.domain import DomainError
from portal.domain import permissions as can
from portal.domain.catalogue import choices
from portal.domain.catalogue_admin import (
    arrangement_in_use,
    region_intensities,
    region_profiles,
    save_arrangement,
    save_intensity,
    save_profile,
)
from portal.domain.codes import JZ020
from portal.domain.lists import Role
from portal.domain.object_history import arrangement_history, history
from portal.domain.tariffs import delete_tariff, tariff_among, tariff_table, tariffs_in_use
from portal.domain.working_days import today_in_amsterdam
from portal.extensions import db
from portal.models import Arrangement, Intensity, Profile, Tariff
from portal.web.access import apply_domain, load_scoped, roles_required
from portal.web.catalogue.forms import ArrangementForm, IntensityForm, ProfileForm
from portal.web.responses import done

bp = Blueprint("catalogue", __name__, url_prefix="/catalogus")


@bp.route("")
@roles_required(Role.CONTRACT_MANAGER)
def index():
    arrangements = tariff_table(current_user.region_id)
    today = today_in_amsterdam()
    return render_template(
        "catalogue/index.html", profiles=region_profiles(current_user.region_id),
        intensities=region_intensities(current_user.region_id), arrangements=arrangements,
        current={a.id: tariff_among(a.tariffs, today) for a in arrangements})


def _edit_page(form, obj, entries, **context):
    return render_template("catalogue/edit.html", form=form, obj=obj, entries=entries,
                           cancel_url=url_for("catalogue.index"), **context)


@bp.route("/profielen/nieuw", methods=["GET", "POST"], defaults={"object_id": None})
@bp.route("/profielen/<int:object_id>", methods=["GET", "POST"])
@roles_required(Role.CONTRACT_MANAGER)
def profile(object_id: int | None):
    obj = (Profile() if object_id is None
           else load_scoped(Profile, object_id, can.profile_scope(current_user)))
    form = ProfileForm(obj=obj if request.method == "GET" else None)
    if form.validate_on_submit():
        saved, ok = apply_domain(form, save_profile, obj, current_user.region_id,
                                 form.code.data, form.name.data, current_user)
        if ok:
            return done(_("Het profiel %(name)s is opgeslagen.", name=saved.name),
                        "catalogue.profile", object_id=saved.id)
    return _edit_page(form, obj, history(obj) if object_id else [],
                      heading=obj.name if object_id else _("Nieuw profiel"),
                      submit_label=_("Profiel opslaan"),
                      intro=_("Een profiel beschrijft de soort ondersteuningsvraag. Code en "
                              "naam zijn de eigen keuze van de regio."))


@bp.route("/intensiteiten/nieuw", methods=["GET", "POST"], defaults={"object_id": None})
@bp.route("/intensiteiten/<int:object_id>", methods=["GET", "POST"])
@roles_required(Role.CONTRACT_MANAGER)
def intensity(object_id: int | None):
    obj = (Intensity() if object_id is None
           else load_scoped(Intensity, object_id, can.intensity_scope(current_user)))
    form = IntensityForm(obj=obj if request.method == "GET" else None)
    if form.validate_on_submit():
        saved, ok = apply_domain(form, save_intensity, obj, current_user.region_id,
                                 form.code.data, form.name.data, form.rank.data,
                                 form.long_term.data, current_user)
        if ok:
            return done(_("De intensiteit %(name)s is opgeslagen.", name=saved.name),
                        "catalogue.intensity", object_id=saved.id)
    return _edit_page(
        form, obj, history(obj) if object_id else [],
        heading=obj.name if object_id else _("Nieuwe intensiteit"),
        submit_label=_("Intensiteit opslaan"),
        descriptions={"rank": _("De volgorde van licht naar zwaar: een wijziging naar een "
                                "hogere rang telt als opschalen. Elke rang komt één keer voor.")},
        intro=_("De mate van ernst. De rang bepaalt wat als opschalen telt."))


@bp.route("/arrangementen/nieuw", methods=["GET", "POST"], defaults={"object_id": None})
@bp.route("/arrangementen/<int:object_id>", methods=["GET", "POST"])
@roles_required(Role.CONTRACT_MANAGER)
def arrangement(object_id: int | None):
    obj = (Arrangement() if object_id is None
           else load_scoped(Arrangement, object_id, can.arrangement_scope(current_user)))
    form = ArrangementForm()
    if request.method == "GET" and object_id:
        form.profile.data, form.intensity.data = obj.profile_id, obj.intensity_id
        form.product_category.data = obj.product_category.value
        form.product_code.data = obj.product_code
    form.profile.choices = choices(region_profiles(current_user.region_id))
    form.intensity.choices = choices(region_intensities(current_user.region_id))
    if form.validate_on_submit():
        profile = load_scoped(Profile, form.profile.data, can.profile_scope(current_user))
        intensity = load_scoped(Intensity, form.intensity.data,
                                can.intensity_scope(current_user))
        saved, ok = apply_domain(form, save_arrangement, obj, profile, intensity,
                                 JZ020(form.product_category.data), form.product_code.data,
                                 current_user)
        if ok:
            return done(_("Het arrangement %(name)s is opgeslagen.", name=saved.name),
                        "catalogue.arrangement", object_id=saved.id)
    if not object_id:
        return _edit_page(form, obj, [], heading=_("Nieuw arrangement"),
                          submit_label=_("Arrangement opslaan"),
                          intro=_("Een arrangement is een profiel met een intensiteit. Na het "
                                  "opslaan legt u het tarief vast."))
    return render_template(
        "catalogue/arrangement.html", form=form, obj=obj, entries=arrangement_history(obj),
        used=tariffs_in_use([t.id for t in obj.tariffs]), in_use=arrangement_in_use(obj),
        heading=obj.name, submit_label=_("Arrangement opslaan"),
        cancel_url=url_for("catalogue.index"))


@bp.route("/tarieven/<int:tariff_id>/verwijderen", methods=["POST"])
@roles_required(Role.CONTRACT_MANAGER)
def delete_tariff_version(tariff_id: int):
    tariff = load_scoped(Tariff, tariff_id, can.tariff_scope(current_user))
    arrangement_id = tariff.arrangement_id
    try:
        delete_tariff(tariff, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("catalogue.arrangement", object_id=arrangement_id))
    return done(_("De tariefversie is verwijderd."), "catalogue.arrangement",
                object_id=arrangement_id)
