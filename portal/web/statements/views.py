"""Statements as PDF: a contract over a period, one declaration; and /verify for anyone
holding a statement's verification code."""

from collections.abc import Callable
from datetime import datetime

from flask import Blueprint, make_response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from portal.charts import render as render_chart
from portal.domain import permissions as can
from portal.domain.indicators import SPECS
from portal.domain.lists import StatementKind
from portal.domain.statement_records import (
    keep_statement,
    record_download,
    stamped,
    stored_statement,
    verification_code,
    verify,
)
from portal.domain.statements import (
    clip_to_contract,
    contract_period_closed,
    contract_statement,
    declaration_closed,
    declaration_statement,
)
from portal.domain.targets import contract_targets, overlaps, results, target_period
from portal.domain.working_days import today_in_amsterdam
from portal.extensions import db, limiter
from portal.formatting import format_figure
from portal.models import Contract, Declaration, Provider
from portal.models.types import utcnow
from portal.pdf import render_pdf
from portal.web.access import load_scoped, roles_required
from portal.web.dashboard.report import provider_and_region, provider_charts
from portal.web.statements.forms import StatementPeriodForm, VerifyForm, period_choices
from portal.web.targets import target_row

bp = Blueprint("statements", __name__)
READERS = tuple(can.STATEMENT_READERS)


def _pdf_response(pdf: bytes, filename: str):
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _deliver(kind: StatementKind, key: str, content: dict, closed: bool,
             render: Callable[[str, datetime], str], filename: str):
    """The kept PDF of a closed period, or a fresh rendering with its own verification
    code (kept when the period is closed). Every download is an audit event."""
    statement, pdf = (stored_statement(key) if closed else None), None
    rendered = statement is None
    if rendered:
        generated_at = utcnow()
        content = stamped(content, generated_at)
        pdf = render_pdf(render(verification_code(content), generated_at))
        statement = keep_statement(kind, key, content, generated_at, current_user,
                                   pdf if closed else None)
    record_download(statement, current_user, rendered)
    db.session.commit()
    # A closed period's PDF is the kept one, even when another request kept it first.
    return _pdf_response(statement.pdf or pdf, filename)


@bp.route("/overzichten")
@roles_required(*READERS)
def index():
    contracts = db.session.scalars(
        select(Contract).join(Contract.provider).options(contains_eager(Contract.provider))
        .where(can.statement_contract_scope(current_user))
        .order_by(Provider.name, Contract.starts_on)).all()
    return render_template("statements/index.html", contracts=contracts,
                           municipality=can.statement_municipality(current_user))


@bp.route("/overzichten/contracten/<int:contract_id>")
@roles_required(*READERS)
def contract(contract_id: int):
    contract = load_scoped(Contract, contract_id, can.statement_contract_scope(current_user))
    municipality = can.statement_municipality(current_user)
    today = today_in_amsterdam()
    form = StatementPeriodForm(request.args)
    form.periode.choices = period_choices(contract, today)
    if request.args and form.validate():
        period = clip_to_contract(contract, form.period)
        if period is None:
            form.periode.errors.append(_("Deze periode valt buiten de looptijd van het "
                                         "contract."))
        else:
            statement = contract_statement(contract, period, municipality)
            own, region = provider_and_region(contract.provider, contract.region_id, period,
                                               today)
            figures = {spec.name: format_figure(getattr(own.indicators, spec.name))
                       for spec in SPECS}
            targets = [target_row(r) for r in results(
                [t for t in contract_targets(contract) if overlaps(target_period(t), period)],
                today)]
            content = statement.content() | {"indicators": figures,
                                             "targets": [t.content() for t in targets]}

            def render(code: str, generated_at: datetime) -> str:
                return render_template(
                    "statements/contract_pdf.html", statement=statement, own=own,
                    region=region, specs=SPECS, targets=targets,
                    charts=[render_chart(c) for c in provider_charts(own, region)],
                    code=code, generated_at=generated_at)

            return _deliver(StatementKind.CONTRACT, statement.key, content,
                            contract_period_closed(statement, today), render,
                            f"contractoverzicht-{contract.number}-{period.start}-"
                            f"{period.end}.pdf")
    return render_template("statements/contract.html", contract=contract, form=form,
                           municipality=municipality)


@bp.route("/overzichten/declaraties/<int:declaration_id>.pdf")
@roles_required(*READERS)
def declaration(declaration_id: int):
    declaration = load_scoped(Declaration, declaration_id,
                              can.statement_declaration_scope(current_user))
    statement = declaration_statement(declaration)

    def render(code: str, generated_at: datetime) -> str:
        return render_template("statements/declaration_pdf.html", statement=statement,
                               code=code, generated_at=generated_at)

    return _deliver(StatementKind.DECLARATION, statement.key, statement.content(),
                    declaration_closed(statement), render,
                    f"declaratieoverzicht-{declaration.number}.pdf")


@bp.route("/verify", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def check():
    """Public: a code and the declared total as printed confirm a statement is genuine."""
    form = VerifyForm()
    statement, checked = None, False
    if form.validate_on_submit():
        statement, checked = verify(form.code.data, form.declared.data), True
    return render_template("statements/verify.html", form=form, statement=statement,
                           checked=checked)
