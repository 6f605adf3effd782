"""The contract manager's tariff table and payment schemes."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.domain import permissions as can
from portal.domain.contracts import region_contracts, set_payment_scheme
from portal.domain.lists import EarlyEndRule, Role
from portal.domain.tariffs import (
    add_tariff_version,
    edit_tariff,
    tariff_in_use,
    tariff_table,
    tariffs_in_use,
)
from portal.domain.tranches import PaymentScheme
from portal.extensions import db
from portal.models import Arrangement, Contract, Tariff
from portal.web.access import apply_domain, load_scoped, roles_required
from portal.web.contracts.forms import PaymentSchemeForm, TariffEditForm, TariffVersionForm

bp = Blueprint("contracts", __name__, url_prefix="/contracten")
AMOUNT_HINT = {"amount": _l("Het tarief voor het hele arrangement, bijvoorbeeld 8.400,00.")}


def _done(message: str, endpoint: str):
    db.session.commit()
    flash(message, "ok")
    return redirect(url_for(endpoint))


@bp.route("/tarieven")
@roles_required(Role.CONTRACT_MANAGER)
def tariffs():
    arrangements = tariff_table(current_user.region_id)
    used = tariffs_in_use([t.id for a in arrangements for t in a.tariffs])
    return render_template("contracts/tariffs.html", arrangements=arrangements, used=used)


@bp.route("/tarieven/nieuw/<int:arrangement_id>", methods=["GET", "POST"])
@roles_required(Role.CONTRACT_MANAGER)
def new_tariff(arrangement_id: int):
    arrangement = load_scoped(Arrangement, arrangement_id, can.arrangement_scope(current_user))
    form = TariffVersionForm()
    if form.validate_on_submit():
        _t, ok = apply_domain(form, add_tariff_version, arrangement, form.valid_from.data,
                              form.amount.data, current_user)
        if ok:
            return _done(_("De nieuwe tariefversie voor %(name)s is vastgelegd.",
                           name=arrangement.name), "contracts.tariffs")
    return render_template(
        "contracts/tariff_form.html", form=form, arrangement=arrangement,
        heading=_("Nieuwe tariefversie"), submit_label=_("Tariefversie vastleggen"),
        cancel_url=url_for("contracts.tariffs"), descriptions=AMOUNT_HINT,
        intro=_("De huidige versie loopt tot de dag vóór de nieuwe ingangsdatum. Toewijzingen "
                "houden het tarief dat gold op hun ingangsdatum."))


@bp.route("/tarieven/<int:tariff_id>", methods=["GET", "POST"])
@roles_required(Role.CONTRACT_MANAGER)
def edit(tariff_id: int):
    tariff = load_scoped(Tariff, tariff_id, can.tariff_scope(current_user))
    form = TariffEditForm(obj=tariff if request.method == "GET" else None)
    if request.method == "GET":
        form.amount.data = tariff.amount_cents
    if form.validate_on_submit():
        _r, ok = apply_domain(form, edit_tariff, tariff, form.valid_from.data,
                              form.valid_to.data, form.amount.data, current_user)
        if ok:
            return _done(_("De tariefversie is gecorrigeerd."), "contracts.tariffs")
    in_use = tariff_in_use(tariff)
    return render_template(
        "contracts/tariff_form.html", form=form, arrangement=tariff.arrangement,
        heading=_("Tariefversie corrigeren"), submit_label=_("Opslaan"),
        cancel_url=url_for("contracts.tariffs"), locked=in_use, descriptions=AMOUNT_HINT,
        intro=_("Alleen een versie die nog in geen enkele toewijzing is gebruikt, kan worden "
                "gecorrigeerd."))


@bp.route("")
@roles_required(Role.CONTRACT_MANAGER)
def index():
    return render_template("contracts/index.html",
                           contracts=region_contracts(current_user.region_id))


@bp.route("/<int:contract_id>/betaalschema", methods=["GET", "POST"])
@roles_required(Role.CONTRACT_MANAGER)
def payment_scheme(contract_id: int):
    contract = load_scoped(Contract, contract_id, can.contract_scope(current_user))
    form = PaymentSchemeForm(obj=contract if request.method == "GET" else None)
    if request.method == "GET":
        form.early_end_rule.data = contract.early_end_rule.value
        form.administrative_end_rule.data = contract.administrative_end_rule.value
    if form.validate_on_submit():
        scheme = PaymentScheme(form.start_share_percent.data,
                               EarlyEndRule(form.early_end_rule.data),
                               EarlyEndRule(form.administrative_end_rule.data))
        _r, ok = apply_domain(form, set_payment_scheme, contract, scheme, current_user)
        if ok:
            return _done(_("Het betaalschema van contract %(number)s is opgeslagen.",
                           number=contract.number), "contracts.index")
    return render_template(
        "_form_page.html", form=form,
        heading=_("Betaalschema %(number)s – %(provider)s", number=contract.number,
                  provider=contract.provider.name),
        intro=_("De starttranche is het aandeel bij de start, de eindtranche de rest. Bij een "
                "einde volgens plan (JZ588 31) wordt de eindtranche altijd volledig betaald. "
                "Een wijziging geldt voor alle regels die nog niet zijn goedgekeurd; een "
                "ingediende regel met een ander bedrag krijgt bij de beoordeling retourcode "
                "0611."),
        submit_label=_("Betaalschema opslaan"), cancel_url=url_for("contracts.index"))
