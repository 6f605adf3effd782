from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField
from wtforms.validators import DataRequired, Length

from portal.web.fields import REQUIRED, text_field


class MunicipalityForm(FlaskForm):
    cbs_code = text_field(_l("CBS-gemeentecode"), max_length=10)
    name = text_field(_l("Naam"))


class ProviderForm(FlaskForm):
    agb_code = text_field(_l("AGB-code"), max_length=20)
    kvk_number = text_field(_l("KvK-nummer"), max_length=20)
    name = text_field(_l("Naam"))


class UserForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(REQUIRED), Length(max=254)])
    name = text_field(_l("Naam"))
    role = SelectField(_l("Rol"))
    organisation = SelectField(_l("Organisatie"))
    password = PasswordField(_l("Eerste wachtwoord"),
                             validators=[DataRequired(REQUIRED), Length(max=200)],
                             render_kw={"autocomplete": "new-password"})
