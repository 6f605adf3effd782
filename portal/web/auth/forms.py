from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mailadres"),
        validators=[DataRequired(_l("Vul uw e-mailadres in.")), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Wachtwoord"),
        validators=[DataRequired(_l("Vul uw wachtwoord in.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )


_CODE_TOO_LONG = _l("Een code is nooit zo lang. Controleer wat u invulde.")


class SecondFactorForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(_l("Vul de code uit uw app of een herstelcode in.")),
                    Length(max=40, message=_CODE_TOO_LONG)],
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false"},
    )


class EnrolForm(FlaskForm):
    code = StringField(
        _l("Code uit uw app"),
        validators=[DataRequired(_l("Vul de code uit uw app in.")),
                    Length(max=40, message=_CODE_TOO_LONG)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


def _current_password():
    return PasswordField(
        _l("Huidig wachtwoord"),
        validators=[DataRequired(_l("Vul uw huidige wachtwoord in.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )


class AccountEnrolForm(EnrolForm):
    """Turning two factors on from the account page asks for the password again."""

    current_password = _current_password()


class PasswordChangeForm(FlaskForm):
    current_password = _current_password()
    new_password = PasswordField(
        _l("Nieuw wachtwoord"),
        validators=[DataRequired(_l("Vul een nieuw wachtwoord in.")),
                    Length(max=200, message=_l("Een wachtwoord heeft hoogstens 200 tekens."))],
        render_kw={"autocomplete": "new-password"},
    )
    repeat_password = PasswordField(
        _l("Herhaal het nieuwe wachtwoord"),
        validators=[DataRequired(_l("Vul het nieuwe wachtwoord nog een keer in.")),
                    EqualTo("new_password", _l("De twee nieuwe wachtwoorden zijn niet gelijk."))],
        render_kw={"autocomplete": "new-password"},
    )
