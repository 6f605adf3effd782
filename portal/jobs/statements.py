"""A contract statement as a job makes it: figures computed when the job runs (not when it
was asked for), rendered once, and kept like a download's (portal/domain/statement_records).

WeasyPrint holds a whole document's layout in memory (about 200 MB per 1,000 appendix rows),
so a long appendix is rendered in parts of APPENDIX_PART_ROWS rows and the PDFs are joined:
a first pass counts each part's pages, the second numbers them "pagina X van Y" across the
whole statement. Each part is written to a temporary file and the files are joined into one
tagged PDF (portal/pdf_join.py). Peak memory then stays about that of one part, whatever the
statement's size."""

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

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
from portal.domain.targets import contract_targets, overlaps, results, target_period
from portal.domain.working_days import today_in_amsterdam
from portal.formatting import format_figure
from portal.models import Contract, Statement, User
from portal.models.types import utcnow
from portal.pdf import page_count, render_pdf, write_pdf
from portal.pdf_join import join_tagged
from portal.web.dashboard.report import Column, provider_and_region, provider_charts
from portal.web.targets import TargetRow, target_row

APPENDIX_PART_ROWS = 1000


def _numbered(html: str, first_page: int, pages: int) -> str:
    """A part's HTML whose pages count on from `first_page` out of `pages` in all."""
    style = ("<style>@page { @bottom-right { content: string(page-word) ' ' counter(page) ' ' "
             f"string(page-of) ' {pages}' }} }} @page :first {{ counter-reset: page {first_page} }}"
             "</style>")
    return html.replace("</head>", style + "</head>", 1)


def render_in_parts(parts: list[str], step: Callable[[int], None]) -> bytes:
    """One PDF of the parts' HTML, laid out one part at a time; progress 50 → 95."""
    if len(parts) == 1:
        return render_pdf(parts[0])
    counts = []
    for n, part in enumerate(parts, start=1):
        counts.append(page_count(part))
        step(50 + 20 * n // len(parts))
    with tempfile.TemporaryDirectory(prefix="statement-") as folder:
        files, first_page = [], 1
        for n, (part, count) in enumerate(zip(parts, counts, strict=True), start=1):
            files.append(Path(folder) / f"part-{n}.pdf")
            write_pdf(_numbered(part, first_page, sum(counts)), files[-1])
            first_page += count
            step(70 + 25 * n // len(parts))
        joined = Path(folder) / "statement.pdf"
        join_tagged(files, joined)
        return joined.read_bytes()


def statement_filename(contract: Contract, period: Period) -> str:
    return f"contractoverzicht-{contract.number}-{period.start}-{period.end}.pdf"


@dataclass(frozen=True)
class ContractFigures:
    """A contract's provider beside its region over a period, as the dashboard computes
    them now, and its targets for the period: what a statement prints and keeps."""

    own: Column
    region: Column
    targets: list[TargetRow]

    def content(self) -> dict:
        return {"indicators": {spec.name: format_figure(getattr(self.own.indicators, spec.name))
                               for spec in SPECS},
                "targets": [t.content() for t in self.targets]}


def contract_figures(contract: Contract, period: Period, today: date) -> ContractFigures:
    own, region = provider_and_region(contract.provider, contract.region_id, period, today)
    targets = [target_row(r) for r in results(
        [t for t in contract_targets(contract) if overlaps(target_period(t), period)], today)]
    return ContractFigures(own, region, targets)


def make_contract_statement(contract: Contract, period: Period, actor: User,
                            step: Callable[[int], None]) -> tuple[Statement, bytes, bool]:
    """The statement row, its PDF and whether it was rendered now (a closed period's kept
    PDF is not rendered again). `step` records progress between the stages."""
    today: date = today_in_amsterdam()
    statement = contract_statement(contract, period, can.statement_municipality(actor))
    closed = contract_period_closed(statement, today)
    kept = stored_statement(statement.key) if closed else None
    if kept is not None:
        return *kept, False
    figures = contract_figures(contract, period, today)
    own, region, targets = figures.own, figures.region, figures.targets
    generated_at = utcnow()
    content = stamped(statement.content() | figures.content(), generated_at)
    step(30)
    rows, code = statement.trajectories, verification_code(content)
    charts = [render_chart(c) for c in provider_charts(own, region)]
    parts = [render_template(
        "statements/contract_pdf.html" if start == 0 else "statements/contract_pdf_more.html",
        statement=statement, own=own, region=region, specs=SPECS, charts=charts,
        targets=targets,
        appendix_rows=rows[start:start + APPENDIX_PART_ROWS],
        code=code, generated_at=generated_at)
        for start in range(0, max(len(rows), 1), APPENDIX_PART_ROWS)]
    key = statement.key
    del statement, own, region, rows  # the HTML holds it all now
    step(50)
    pdf = render_in_parts(parts, step)
    del parts
    row = keep_statement(StatementKind.CONTRACT, key, content, generated_at, actor,
                         pdf if closed else None)
    # A closed period's PDF is the kept one, even when another job kept it first.
    return row, row.pdf or pdf, True
