from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import Optional

from portal.domain.lists import LineStatus
from portal.domain.review import REJECTION_CODES
from portal.web.fields import (
    euros_field,
    filter_select,
    long_text_field,
    month_field,
    optional_int,
    shared_code_field,
    stripped,
)

ALL = "all"


class QueueFilterForm(FlaskForm):
    """The queue's filters and order; a GET form, so without CSRF."""

    class Meta:
        csrf = False

    status = filter_select(_l("Status"), filters=[stripped], default=LineStatus.SUBMITTED,
                           choices=[*((s.value, s.label) for s in (
                               LineStatus.SUBMITTED, LineStatus.APPROVED, LineStatus.REJECTED)),
                                    (ALL, _l("Alle"))])
    provider = filter_select(_l("Aanbieder"), coerce=optional_int)
    arrangement = filter_select(_l("Arrangement"), coerce=optional_int)
    overdue = BooleanField(_l("Alleen te laat"))
    min_amount = euros_field(_l("Bedrag vanaf (€)"), required=False)
    max_amount = euros_field(_l("Bedrag tot en met (€)"), required=False)
    first_month = month_field(_l("Productperiode vanaf"), required=False)
    last_month = month_field(_l("Productperiode tot en met"), required=False)
    sort = filter_select(_l("Sorteren op"), filters=[stripped], choices=[
        ("termijn", _l("Termijn, te laat eerst")),
        ("bedrag_hoog", _l("Bedrag, hoog naar laag")),
        ("bedrag_laag", _l("Bedrag, laag naar hoog")),
        ("nieuwste", _l("Nieuwste eerst")),
    ])
    na = StringField(validators=[Optional()])


class RejectForm(FlaskForm):
    return_code = shared_code_field(_l("Retourcode"), REJECTION_CODES)
    note = long_text_field(_l("Toelichting voor de aanbieder"), max_length=2000)


class ExportForm(FlaskForm):
    first_month = month_field(_l("Declaratiemaand vanaf"))
    last_month = month_field(_l("Declaratiemaand tot en met"))
