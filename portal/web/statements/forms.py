from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import DataRequired

from portal.domain.figures import Period
from portal.models import Contract
from portal.web.fields import REQUIRED, date_field, euros_field, text_field

OTHER = "anders"
MAX_YEARS = 5  # a statement covers at most this many years (a contract's longest term)


def period_choices(contract: Contract, today: date) -> list[tuple[str, str]]:
    """Whole years and quarters of the contract's term up to today, newest first, and a
    period of one's own."""
    choices = []
    for year in range(min(contract.ends_on, today).year, contract.starts_on.year - 1, -1):
        choices.append((str(year), _l("Jaar %(year)s", year=year)))
        choices.extend((f"{year}-K{q}", _l("%(quarter)se kwartaal %(year)s", quarter=q,
                                           year=year))
                       for q in range(4, 0, -1) if Period.quarter(year, q).start <= today)
    return [*choices, (OTHER, _l("Andere periode (van en tot en met hieronder)"))]


def _years_later(day: date) -> date:
    try:
        return day.replace(year=day.year + MAX_YEARS)
    except ValueError:  # 29 February
        return day.replace(year=day.year + MAX_YEARS, day=28)


class StatementPeriodForm(FlaskForm):
    """A GET form: the period of a contract statement."""

    class Meta:
        csrf = False

    periode = SelectField(_l("Periode"), validators=[DataRequired(REQUIRED)])
    van = date_field(_l("Van"), required=False)
    tot = date_field(_l("Tot en met"), required=False)

    def validate(self, extra_validators=None) -> bool:
        # The dates are optional fields (Optional() ends their own checks when empty), so
        # what "another period" needs is checked here.
        valid = super().validate(extra_validators)
        if not valid or self.periode.data != OTHER:
            return valid
        for field, message in ((self.van, _l("Vul de eerste dag van de periode in.")),
                               (self.tot, _l("Vul de laatste dag van de periode in."))):
            if not field.data:
                field.errors = [*field.errors, message]
        if self.van.data and self.tot.data and self.tot.data < self.van.data:
            self.tot.errors = [*self.tot.errors,
                               _l("Deze datum ligt vóór de eerste dag van de periode.")]
        elif self.van.data and self.tot.data and self.tot.data >= _years_later(self.van.data):
            self.tot.errors = [*self.tot.errors,
                               _l("Een overzicht beslaat hoogstens %(years)s jaar; kies een "
                                  "kortere periode.", years=MAX_YEARS)]
        return not (self.van.errors or self.tot.errors)

    @property
    def period(self) -> Period:
        """The chosen period; only after validate()."""
        choice = self.periode.data
        if choice == OTHER:
            if self.van.data is None or self.tot.data is None:
                raise ValueError("the period of a form that did not validate")
            return Period(self.van.data, self.tot.data)
        year, _sep, quarter = choice.partition("-K")
        return Period.quarter(int(year), int(quarter)) if quarter else Period.year(int(year))


MAX_STATEMENT_TOTAL_CENTS = 10**15  # ten thousand billion euros


class VerifyForm(FlaskForm):
    code = text_field(_l("Verificatiecode"), max_length=40)
    # A statement's total adds up many lines: far above what one line's column holds
    # (a 20,000-trajectory statement declares about € 67 million).
    declared = euros_field(_l("Totaal gedeclareerd"), max_cents=MAX_STATEMENT_TOTAL_CENTS)
