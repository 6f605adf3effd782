from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField

from portal.web.fields import text_field


class TokenForm(FlaskForm):
    name = text_field(_l("Naam van de sleutel"), max_length=80)
    organisation = SelectField(_l("Organisatie"))
