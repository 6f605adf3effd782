from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField


class SteeringForm(FlaskForm):
    """The period of a steering page, and for a provider in several regions the region; a
    GET form, so without CSRF. The period is read by portal.domain.quarters."""

    class Meta:
        csrf = False

    periode = StringField(_l("Periode"))
    regio = SelectField(_l("Regio"), coerce=int, validate_choice=False)
