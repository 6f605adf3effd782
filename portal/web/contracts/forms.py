from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired

from portal.domain.lists import EarlyEndRule
from portal.web.fields import REQUIRED, date_field, euros_field, id_field, text_field

RULES = [(rule.value, rule.label) for rule in EarlyEndRule]


class TariffVersionForm(FlaskForm):
    valid_from = date_field(_l("Geldig vanaf"))
    amount = euros_field(_l("Tarief in euro's"))


class TariffEditForm(FlaskForm):
    valid_from = date_field(_l("Geldig vanaf"))
    valid_to = date_field(_l("Geldig tot en met"), required=False)
    amount = euros_field(_l("Tarief in euro's"))


class PaymentSchemeForm(FlaskForm):
    valid_from = date_field(_l("Geldig vanaf"))
    start_share_percent = IntegerField(_l("Aandeel bij de start (procent)"),
                                       validators=[InputRequired(REQUIRED)],
                                       render_kw={"inputmode": "numeric"})
    end_share_percent = IntegerField(_l("Aandeel bij het einde (procent)"),
                                     validators=[InputRequired(REQUIRED)],
                                     render_kw={"inputmode": "numeric"})
    early_end_rule = SelectField(_l("Eindtranche bij een voortijdig einde (JZ588 02, 32–35)"),
                                 choices=RULES, validators=[DataRequired(REQUIRED)])
    administrative_end_rule = SelectField(
        _l("Eindtranche bij een administratief einde (JZ588 36–39)"), choices=RULES,
        validators=[DataRequired(REQUIRED)])


class ContractForm(FlaskForm):
    number = text_field(_l("Contractnummer"), max_length=30)
    provider = id_field(_l("Aanbieder"))
    starts_on = date_field(_l("Ingangsdatum"))
    ends_on = date_field(_l("Einddatum"))
    arrangements = SelectMultipleField(_l("Arrangementen"), coerce=int,
                                       validators=[DataRequired(_l("Kies ten minste één "
                                                                   "arrangement."))])


class YearCopyForm(FlaskForm):
    year = IntegerField(_l("Jaar dat wordt overgenomen"), validators=[InputRequired(REQUIRED)],
                        render_kw={"inputmode": "numeric"})
    percent = StringField(_l("Indexatie (procent)"), validators=[InputRequired(REQUIRED)],
                          render_kw={"inputmode": "decimal", "autocomplete": "off"})


class TargetForm(FlaskForm):
    """Choices are checked by the domain, so a forged value gets its Dutch message."""

    indicator = SelectField(_l("Indicator"), validate_choice=False)
    comparison = SelectField(_l("Afspraak"), choices=[("ge", _l("ten minste (≥)")),
                                                       ("le", _l("ten hoogste (≤)"))],
                             validate_choice=False)
    value = StringField(_l("Waarde (percentage of rapportcijfer)"),
                        validators=[InputRequired(REQUIRED)],
                        render_kw={"inputmode": "decimal", "autocomplete": "off"})
    year = IntegerField(_l("Jaar"), validators=[InputRequired(REQUIRED)],
                        render_kw={"inputmode": "numeric"})
    quarter = SelectField(_l("Periode binnen het jaar"), validate_choice=False,
                          choices=[("0", _l("Het hele jaar")),
                                   *((str(q), _l("Kwartaal %(quarter)s", quarter=q))
                                     for q in range(1, 5))])
