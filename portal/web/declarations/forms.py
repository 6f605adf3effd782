from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField
from wtforms.validators import DataRequired, InputRequired, NumberRange

from portal.domain.lists import Tranche
from portal.web.fields import REQUIRED, id_field, month_field


class NewDeclarationForm(FlaskForm):
    municipality = id_field(_l("Gemeente"))
    period = month_field(_l("Declaratiemaand"))


class AddLineForm(FlaskForm):
    allocation_number = IntegerField(
        _l("Toewijzingsnummer"),
        validators=[InputRequired(REQUIRED),
                    NumberRange(1, 999999999, _l("Een toewijzingsnummer heeft 1 tot 9 cijfers."))],
        render_kw={"inputmode": "numeric", "autocomplete": "off"})
    tranche = SelectField(_l("Tranche"), choices=[(t.value, t.label) for t in Tranche],
                          validators=[DataRequired(REQUIRED)])


class ActionForm(FlaskForm):
    """Only the CSRF token: a button that posts (propose, submit, remove, credit)."""
