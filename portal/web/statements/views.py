"""Statements as PDF: a contract over a period, one declaration; and /verify for anyone
holding a statement's verification code."""

from collections.abc import Callable
from datetime import datetime

from flask import Blueprint, make_response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from portal.domain import permissions as can
from portal.domain.lists import StatementKind
from portal.domain.statement_records import (
    keep_statement,
    record_download,
    stamped,
    stored_statement,
    verification_code,
    verify,
)
from portal.domain.statements import clip_to_contract, declaration_closed, declaration_statement
from portal.domain.working_days import today_in_amsterdam
from portal.extensions import db, limiter
from portal.models import Contract, Declaration, Provider
from portal.models.jobs import JobKind
from portal.models.types import utcnow
from portal.pdf import render_pdf
from portal.web.access import load_scoped, roles_required
from portal.web.jobs.views import run_as_job
from portal.web.statements.forms import StatementPeriodForm, VerifyForm, period_choices

bp = Blueprint("statements", __name__)
READERS = tuple(can.STATEMENT_READERS)


def _pdf_response(pdf: bytes, filename: str):
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def deliver_pdf(kind: StatementKind, key: str, content: dict, closed: bool,
             render: Callable[[str, datetime], str], filename: str):
    """The kept PDF of a closed period, or a fresh rendering with its own verification
    code (kept when the period is closed). Every download is an audit event. Also the
    steering conversation's report (portal/web/conversations)."""
    kept = stored_statement(key) if closed else None
    if kept is None:
        generated_at = utcnow()
        content = stamped(content, generated_at)
        pdf = render_pdf(render(verification_code(content), generated_at))
        statement = keep_statement(kind, key, content, generated_at, current_user,
                                   pdf if closed else None)
        # A closed period's PDF is the kept one, even when another request kept it first.
        pdf = statement.pdf or pdf
    else:
        statement, pdf = kept
    record_download(statement, current_user, kept is None)
    db.session.commit()
    return _pdf_response(pdf, filename)


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
            form.periode.errors = [*form.periode.errors, _(
                "Deze periode valt buiten de looptijd van het contract.")]
        else:  # figures computed when the job runs (docs/jobs.md)
            return run_as_job(JobKind.CONTRACT_STATEMENT, {
                "contract": contract.id, "start": period.start.isoformat(),
                "end": period.end.isoformat()})
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

    return deliver_pdf(StatementKind.DECLARATION, statement.key, statement.content(),
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
