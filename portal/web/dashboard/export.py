"""The dashboard's figures as a CSV file for spreadsheets set to Dutch (`;` and `62,5`)."""

import io

from flask import Response
from flask_babel import gettext as _

from portal.domain.figures import Figure, Period, Unit
from portal.domain.indicators import SPECS
from portal.domain.text_hygiene import NumberText, SpreadsheetWriter
from portal.formatting import figure_number, format_date
from portal.web.dashboard.report import Column

UNIT_SUFFIX = {Unit.PERCENT: " (%)", Unit.CENTS: " (€)"}


def _value(figure: Figure) -> str:
    if figure.too_small:
        return _("te klein om te beoordelen")
    if figure.value is None:
        return ""
    return NumberText(figure_number(figure))


def _header(group_heading: str, sample: Column) -> list[str]:
    header = [group_heading, _("Van"), _("Tot en met"), _("Beëindigde trajecten"),
              _("Overgedragen (36-39)")]
    for spec in SPECS:
        label = str(spec.label) + UNIT_SUFFIX.get(getattr(sample.indicators, spec.name).unit, "")
        header += [label, _("%(indicator)s: aantal trajecten", indicator=spec.label)]
    return header


def csv_response(columns: list[Column], period: Period, group_heading: str,
                 filename: str) -> Response:
    out = io.StringIO()
    writer = SpreadsheetWriter(out)  # a provider named "=1+1" stays text
    writer.writerow(_header(group_heading, columns[0]))
    for column in columns:
        row = [column.label, format_date(period.start), format_date(period.end),
               column.indicators.ended, column.indicators.handed_on]
        for spec in SPECS:
            figure = getattr(column.indicators, spec.name)
            row += [_value(figure), figure.base]
        writer.writerow(row)
    # The byte order mark makes spreadsheet programs read the file as UTF-8.
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
