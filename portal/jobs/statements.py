"""A contract statement as a job makes it: figures computed when the job runs (not when it
was asked for), rendered once, and kept like a download's (portal/domain/statement_records)."""

from collections.abc import Callable
from datetime import date

from flask import render_template

from portal.charts import render as render_chart
from portal.domain import permissions as can
from portal.domain.figures import Period
from portal.domain.indicators import SPECS
from portal.domain.lists import StatementKind
from portal.domain.statement_records import (
    keep_statement,
    stamped,
    stored_statement,
    verification_code,
)
from portal.domain.statements import contract_period_closed, contract_statement
from portal.domain.working_days import today_in_amsterdam
from portal.formatting import format_figure
from portal.models import Contract, Statement, User
from portal.models.types import utcnow
from portal.pdf import render_pdf
from portal.web.dashboard.report import provider_and_region, provider_charts


def statement_filename(contract: Contract, period: Period) -> str:
    return f"contractoverzicht-{contract.number}-{period.start}-{period.end}.pdf"


def make_contract_statement(contract: Contract, period: Period, actor: User,
                            step: Callable[[int], None]) -> tuple[Statement, bytes, bool]:
    """The statement row, its PDF and whether it was rendered now (a closed period's kept
    PDF is not rendered again). `step` records progress between the stages."""
    today: date = today_in_amsterdam()
    statement = contract_statement(contract, period, can.statement_municipality(actor))
    closed = contract_period_closed(statement, today)
    kept = stored_statement(statement.key) if closed else None
    if kept is not None:
        return kept, kept.pdf, False
    own, region = provider_and_region(contract.provider, period, today)
    figures = {spec.name: format_figure(getattr(own.indicators, spec.name)) for spec in SPECS}
    generated_at = utcnow()
    content = stamped(statement.content() | {"indicators": figures}, generated_at)
    step(30)
    html = render_template(
        "statements/contract_pdf.html", statement=statement, own=own, region=region,
        specs=SPECS, charts=[render_chart(c) for c in provider_charts(own, region)],
        code=verification_code(content), generated_at=generated_at)
    key = statement.key
    del statement, own, region  # the HTML holds it all now; free the rows before layout
    step(50)
    pdf = render_pdf(html)
    del html
    row = keep_statement(StatementKind.CONTRACT, key, content, generated_at, actor,
                         pdf if closed else None)
    # A closed period's PDF is the kept one, even when another job kept it first.
    return row, row.pdf or pdf, True
