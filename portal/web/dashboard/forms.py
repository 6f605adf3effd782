from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, ValidationError

from portal.web.fields import date_field

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

    def validate_tot(self, field):
        if field.data and self.van.data and field.data < self.van.data:
            raise ValidationError(_l("Deze datum ligt vóór de begindatum."))


class RegionForm(PeriodForm):
    per = SelectField(_l("Vergelijk per"), default="aanbieder",
                      choices=[(value, label) for value, _key, label in GROUPING_CHOICES])
