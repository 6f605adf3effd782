from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, ValidationError
from wtforms.validators import Optional
from wtforms.widgets import HiddenInput

from portal.web.fields import date_field

FIRST_DAY, LAST_DAY = date(2015, 1, 1), date(2099, 12, 31)
# The groupings of the region page: (value in the URL, key in indicators.GROUPINGS, label).
GROUPING_CHOICES = [
    ("aanbieder", "provider", _l("Aanbieder")),
    ("arrangement", "arrangement", _l("Arrangement")),
    ("gemeente", "municipality", _l("Gemeente")),
]


class PeriodForm(FlaskForm):
    """The period of ended trajectories; a GET form, so without CSRF."""

    class Meta:
        csrf = False

    van = date_field(_l("Beëindigd vanaf"), required=False)
    tot = date_field(_l("tot en met"), required=False)

    def validate_van(self, field):
        _check_range(field)

    def validate_tot(self, field):
        _check_range(field)
        if field.data and self.van.data and field.data < self.van.data:
            raise ValidationError(_l("Deze datum ligt vóór de begindatum."))


def _check_range(field) -> None:
    if field.data and not FIRST_DAY <= field.data <= LAST_DAY:
        raise ValidationError(_l("Kies een datum van 01-01-2015 (de Jeugdwet) tot en met "
                                 "31-12-2099."))


class RegionForm(PeriodForm):
    per = SelectField(_l("Vergelijk per"), default="aanbieder",
                      choices=[(value, label) for value, _key, label in GROUPING_CHOICES])


class ProviderPeriodForm(PeriodForm):
    """A provider working in several regions picks the region to compare with; the field
    is removed when there is only one."""

    regio = SelectField(_l("Regio"), coerce=int, validate_choice=False)


class TrendForm(FlaskForm):
    """Which indicator's trend, and whose: the region's (no `per`) or one group's. A GET
    form; an unknown indicator or grouping falls back to the first."""

    class Meta:
        csrf = False

    indicator = SelectField(_l("Indicator"), validate_choice=False)
    per = StringField(widget=HiddenInput(), default="")  # a value of GROUPING_CHOICES
    id = IntegerField(widget=HiddenInput(), validators=[Optional()])
    regio = SelectField(_l("Regio"), coerce=int, validate_choice=False)
