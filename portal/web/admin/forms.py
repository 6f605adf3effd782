from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from portal.web.fields import REQUIRED, CleanText, date_field, text_field


class MunicipalityForm(FlaskForm):
    cbs_code = text_field(_l("CBS-gemeentecode"), max_length=10)
    name = text_field(_l("Naam"))


class ProviderForm(FlaskForm):
    agb_code = text_field(_l("AGB-code"), max_length=20)
    kvk_number = text_field(_l("KvK-nummer"), max_length=20)
    name = text_field(_l("Naam"))


class UserForm(FlaskForm):
    email = EmailField(_l("E-mailadres"),
                       validators=[DataRequired(REQUIRED), CleanText(), Length(max=254)])
    name = text_field(_l("Naam"))
    role = SelectField(_l("Rol"))
    organisation = SelectField(_l("Organisatie"))
    password = PasswordField(_l("Eerste wachtwoord"),
                             validators=[DataRequired(REQUIRED), Length(max=200)],
                             render_kw={"autocomplete": "new-password"})


class AccessLogForm(FlaskForm):
    """Searched with POST, so a BSN never ends up in a URL or an access log line."""

    actor_email = StringField(_l("E-mailadres van de gebruiker"),
                              validators=[Optional(), Length(max=254)])
    child = StringField(_l("Kind"), validators=[Optional(), Length(max=80)])
    reads_only = BooleanField(_l("Alleen inzage in dossiers"))
    day_from = date_field(_l("Vanaf"), required=False)
    day_to = date_field(_l("Tot en met"), required=False)
    na = HiddenField()
