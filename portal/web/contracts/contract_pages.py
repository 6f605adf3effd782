"""The contract manager's contracts (provider, term, arrangements) and the new contract year."""

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from portal.domain import permissions as can
from portal.domain.catalogue import choices, contractable_providers
from portal.domain.contract_admin import ContractTerms, save_contract
from portal.domain.contract_year import copy_year, parse_percent, plan_year_copy
from portal.domain.lists import Role
from portal.domain.object_history import history
from portal.domain.targets import SPEC_OF, UNITS, TargetInput, add_target, contract_targets, results
from portal.domain.tariffs import tariff_table
from portal.domain.working_days import today_in_amsterdam
from portal.models import Contract
from portal.web.access import apply_domain, load_scoped, roles_required
from portal.web.contracts.forms import ContractForm, TargetForm, YearCopyForm
from portal.web.contracts.views import bp
from portal.web.fields import CHOOSE, given
from portal.web.responses import done
from portal.web.targets import target_row


@bp.route("/nieuw", methods=["GET", "POST"], defaults={"contract_id": None})
@bp.route("/<int:contract_id>", methods=["GET", "POST"])
@roles_required(Role.CONTRACT_MANAGER)
def contract(contract_id: int | None):
    obj = (None if contract_id is None
           else load_scoped(Contract, contract_id, can.contract_scope(current_user)))
    form = ContractForm(obj=obj if request.method == "GET" else None)
    if request.method == "GET" and obj is not None:
        form.provider.data = obj.provider_id
        form.arrangements.data = [a.id for a in obj.arrangements]
    arrangements = tariff_table(current_user.region_id)
    providers = contractable_providers()
    form.provider.choices = [("", CHOOSE), *choices(providers)]
    form.arrangements.choices = choices(arrangements)
    if form.validate_on_submit():
        chosen = set(form.arrangements.data or [])
        # The choice was validated against `providers`: it is one of them.
        provider = next(p for p in providers if p.id == form.provider.data)
        terms = ContractTerms(form.number.data or "", provider,
                              given(form.starts_on), given(form.ends_on),
                              [a for a in arrangements if a.id in chosen])
        saved, ok = apply_domain(form, save_contract, obj, current_user.region_id, terms,
                                 current_user)
        if ok:
            return done(_("Contract %(number)s is opgeslagen.", number=saved.number),
                        "contracts.contract", contract_id=saved.id)
    return render_template(
        "contracts/contract.html", form=form, contract=obj,
        entries=history(obj) if obj is not None else [],
        heading=(_("Contract %(number)s", number=obj.number) if obj is not None
                 else _("Nieuw contract")))


@bp.route("/nieuw-jaar", methods=["GET", "POST"])
@roles_required(Role.CONTRACT_MANAGER)
def year_copy():
    """Step 1: the year and the indexation; then the plan per arrangement to confirm."""
    form = YearCopyForm()
    if request.method == "GET":
        form.year.data = today_in_amsterdam().year
    plan = None
    if form.validate_on_submit():
        plan, _ok = apply_domain(form, lambda: plan_year_copy(
            current_user.region_id, given(form.year), parse_percent(form.percent.data or "")))
    return render_template("contracts/year_copy.html", form=form, plan=plan)


@bp.route("/nieuw-jaar/bevestigen", methods=["POST"])
@roles_required(Role.CONTRACT_MANAGER)
def year_copy_confirm():
    """Step 2: everything in one transaction, or nothing."""
    form = YearCopyForm()
    if form.validate_on_submit():
        plan, ok = apply_domain(form, lambda: copy_year(
            current_user.region_id, given(form.year), parse_percent(form.percent.data or ""),
            current_user))
        if ok:
            return done(_("De contracten en tarieven voor %(year)s zijn vastgelegd: "
                          "%(contracts)s contracten en %(tariffs)s nieuwe tariefversies. Pas "
                          "ze hieronder zo nodig aan.", year=plan.next_year,
                          contracts=len(plan.contracts),
                          tariffs=sum(1 for s in plan.tariffs if s.new_cents is not None)),
                        "contracts.index")
    return render_template("contracts/year_copy.html", form=form, plan=None)


@bp.route("/<int:contract_id>/streefwaarden", methods=["GET", "POST"])
@roles_required(Role.CONTRACT_MANAGER)
def targets(contract_id: int):
    """The values agreed per indicator and period, each beside the provider's figure."""
    contract = load_scoped(Contract, contract_id, can.contract_scope(current_user))
    form = TargetForm()
    form.indicator.choices = [("", CHOOSE), *((name, SPEC_OF[name].label) for name in UNITS)]
    if request.method == "GET":
        form.year.data = today_in_amsterdam().year
    if form.validate_on_submit():
        quarter = form.quarter.data or ""
        given = TargetInput(form.indicator.data or "", form.year.data,
                            int(quarter) if quarter.isdigit() else -1,
                            form.comparison.data or "", form.value.data or "")
        _t, ok = apply_domain(form, add_target, contract, given, current_user)
        if ok:
            return done(_("De streefwaarde is vastgelegd."),
                        "contracts.targets", contract_id=contract.id)
    rows = [target_row(r) for r in results(contract_targets(contract), today_in_amsterdam())]
    return render_template(
        "contracts/targets.html", form=form, contract=contract, rows=rows,
        heading=_("Streefwaarden %(number)s – %(provider)s", number=contract.number,
                  provider=contract.provider.name))
