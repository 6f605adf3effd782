"""The contract manager's tariff table and payment schemes."""

from datetime import date

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.domain import permissions as can
from portal.domain.contracts import add_scheme_version, region_contracts, schemes_in_use
from portal.domain.lists import EarlyEndRule, Role
from portal.domain.tariffs import (
    add_tariff_version,
    edit_tariff,
    tariff_in_use,
    tariff_table,
    tariffs_in_use,
)
from portal.models import Arrangement, Contract, Tariff
from portal.web.access import apply_domain, load_scoped, roles_required
from portal.web.contracts.forms import PaymentSchemeForm, TariffEditForm, TariffVersionForm
from portal.web.responses import done

bp = Blueprint("contracts", __name__, url_prefix="/contracten")
AMOUNT_HINT = {"amount": _l("Het tarief voor het hele arrangement, bijvoorbeeld 8.400,00.")}


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
            return done(_("De nieuwe tariefversie voor %(name)s is vastgelegd.",
                          name=arrangement.name),
                        "contracts.tariffs")
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
            return done(_("De tariefversie is gecorrigeerd."), "contracts.tariffs")
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
    """The contract's scheme versions and a form for the next one; a version is never
    edited, since allocations keep the one valid on their start date."""
    contract = load_scoped(Contract, contract_id, can.contract_scope(current_user))
    form = PaymentSchemeForm()
    latest = contract.latest_scheme
    if request.method == "GET" and latest is not None:
        form.start_share_percent.data = latest.start_share_percent
        form.end_share_percent.data = latest.end_share_percent
        form.early_end_rule.data = latest.early_end_rule.value
        form.administrative_end_rule.data = latest.administrative_end_rule.value
    if form.validate_on_submit():
        _v, ok = apply_domain(form, add_scheme_version, contract, form.valid_from.data,
                              form.start_share_percent.data,
                              EarlyEndRule(form.early_end_rule.data),
                              EarlyEndRule(form.administrative_end_rule.data), current_user,
                              date.today(), end_share_percent=form.end_share_percent.data)
        if ok:
            return done(_("Het nieuwe betaalschema van contract %(number)s is vastgelegd.",
                          number=contract.number),
                        "contracts.index")
    return render_template(
        "contracts/scheme.html", form=form, contract=contract,
        used=schemes_in_use([v.id for v in contract.scheme_versions]),
        heading=_("Betaalschema %(number)s – %(provider)s", number=contract.number,
                  provider=contract.provider.name),
        intro=_("Een nieuw betaalschema geldt voor toewijzingen die op of na de "
                "ingangsdatum ingaan. Lopende toewijzingen houden het schema dat gold op hun "
                "ingangsdatum; hun eindtranche is het tarief min de gedeclareerde "
                "starttranche. Bij een einde volgens plan (JZ588 31) wordt die altijd "
                "volledig betaald."),
        submit_label=_("Nieuw betaalschema vastleggen"), cancel_url=url_for("contracts.index"))
