"""Functional administration: organisations and accounts."""

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.domain import DomainError, two_factor
from portal.domain.access_log import LogFilter, access_log_scope, search_access_log
from portal.domain.accounts import account_page, create_user, set_active
from portal.domain.audit import record
from portal.domain.audit_labels import action_label
from portal.domain.catalogue import all_municipalities
from portal.domain.lists import Role
from portal.domain.organisations import add_municipality, add_provider
from portal.domain.paging import id_cursor, text_cursor
from portal.domain.permissions import manageable_roles, user_scope
from portal.domain.regions import administered_provider_ids
from portal.extensions import db
from portal.models import Municipality, Provider, Region, User
from portal.web.access import apply_domain, load_scoped, roles_required
from portal.web.admin.forms import AccessLogForm, MunicipalityForm, ProviderForm, UserForm
from portal.web.responses import done

bp = Blueprint("admin", __name__, url_prefix="/beheer")
ADMINS = (Role.ADMINISTRATOR, Role.PROVIDER_ADMIN)


def _region() -> Region:
    return current_user.region


def _municipalities() -> list[Municipality]:
    return all_municipalities([current_user.region_id])


def _providers() -> list[Provider]:
    return list(db.session.scalars(
        select(Provider).where(Provider.id.in_(administered_provider_ids(current_user.region_id)))
        .order_by(Provider.name)))


@bp.route("")
@roles_required(*ADMINS)
def index():
    page = account_page(current_user, text_cursor(request.args.get("na"), User.email.type.length),
                        current_app.config["PAGE_SIZE"])
    is_admin = current_user.role == Role.ADMINISTRATOR
    return render_template(
        "admin/index.html", page=page,
        municipalities=_municipalities() if is_admin else [],
        providers=_providers() if is_admin else [])


def _organisation_choices() -> list[tuple[str, str]]:
    if current_user.role == Role.PROVIDER_ADMIN:
        return [(f"provider-{current_user.provider_id}", current_user.provider.name)]
    region = _region()
    return [(f"region-{region.id}", region.name),
            *((f"municipality-{m.id}", m.name) for m in _municipalities()),
            *((f"provider-{p.id}", p.name) for p in _providers())]


def _organisation(key: str):
    kind, _sep, number = key.partition("-")
    if current_user.role == Role.PROVIDER_ADMIN:
        return current_user.provider  # its only choice
    options: dict[str, list[Any]] = {"region": [_region()], "municipality": _municipalities(),
               "provider": _providers()}
    return next(o for o in options[kind] if str(o.id) == number)


@bp.route("/gebruikers/nieuw", methods=["GET", "POST"])
@roles_required(*ADMINS)
def new_user():
    form = UserForm()
    form.role.choices = [(r.value, r.label) for r in manageable_roles(current_user)]
    form.organisation.choices = _organisation_choices()
    if form.validate_on_submit():
        user, ok = apply_domain(form, create_user, email=form.email.data, name=form.name.data,
                                password=form.password.data, role=Role(form.role.data),
                                organisation=_organisation(form.organisation.data),
                                actor=current_user)
        if ok:
            return done(_("Het account %(email)s is aangemaakt.", email=user.email), "admin.index")
    return render_template("_form_page.html", form=form, heading=_("Nieuw account"),
                           submit_label=_("Account aanmaken"),
                           cancel_url=url_for("admin.index"),
                           descriptions={"password": _("Minstens 12 tekens. De gebruiker "
                                                       "wijzigt het na de eerste keer.")})


@bp.route("/gebruikers/<int:user_id>/actief", methods=["POST"])
@roles_required(*ADMINS)
def toggle_user(user_id: int):
    user = load_scoped(User, user_id, user_scope(current_user))
    active = request.form.get("actief") == "1"
    try:
        set_active(user, active, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("Het account is ingeschakeld.") if active else
              _("Het account is uitgeschakeld; de sessies ervan zijn beëindigd."), "ok")
    return redirect(url_for("admin.index"))


@bp.route("/gebruikers/<int:user_id>/deblokkeren", methods=["POST"])
@roles_required(*ADMINS)
def unlock_second_factor(user_id: int):
    user = load_scoped(User, user_id, user_scope(current_user))
    try:
        two_factor.unlock(user, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("De tweede stap van %(email)s is gedeblokkeerd.", email=user.email), "ok")
    return redirect(url_for("admin.index"))


def _organisation_page(form, action, heading: str, submit: str, *fields):
    if form.validate_on_submit():
        _r, ok = apply_domain(form, action, *[getattr(form, f).data for f in fields],
                              actor=current_user)
        if ok:
            return done(_("%(name)s is toegevoegd.", name=form.name.data), "admin.index")
    return render_template("_form_page.html", form=form, heading=heading, submit_label=submit,
                           cancel_url=url_for("admin.index"))


@bp.route("/gemeenten/nieuw", methods=["GET", "POST"])
@roles_required(Role.ADMINISTRATOR)
def new_municipality():
    form = MunicipalityForm()
    return _organisation_page(form, lambda cbs, name, actor: add_municipality(
        _region(), cbs, name, actor), _("Nieuwe gemeente"), _("Gemeente toevoegen"),
        "cbs_code", "name")


@bp.route("/aanbieders/nieuw", methods=["GET", "POST"])
@roles_required(Role.ADMINISTRATOR)
def new_provider():
    return _organisation_page(ProviderForm(), add_provider, _("Nieuwe aanbieder"),
                              _("Aanbieder toevoegen"), "agb_code", "kvk_number", "name")


# Where an administrator sees an object of the log (the other objects are other roles' work).
OBJECT_LINKS = {"user": "admin.index", "municipality": "admin.index",
                "provider": "admin.index", "apitoken": "door.tokens"}


@bp.route("/toegangslog", methods=["GET", "POST"])
@roles_required(Role.ADMINISTRATOR)
def access_log():
    form = AccessLogForm()
    filters = LogFilter()
    if form.validate_on_submit():
        filters = LogFilter(form.actor_email.data or "", form.child.data or "",
                            form.reads_only.data, form.day_from.data, form.day_to.data)
    after = id_cursor(form.na.data)
    page = search_access_log(filters, after, current_app.config["PAGE_SIZE"],
                             access_log_scope(current_user))
    record(current_user, "access_log.searched", current_user)
    # Rendered before the commit, which would expire every row shown (one query each).
    html = render_template("admin/access_log.html", form=form, page=page, links=OBJECT_LINKS,
                           action_label=action_label)
    db.session.commit()
    return html
