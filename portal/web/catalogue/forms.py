from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField
from wtforms.validators import InputRequired

from portal.domain.codes import JZ020
from portal.web.fields import REQUIRED, code_field, id_field, text_field


class ProfileForm(FlaskForm):
    code = text_field(_l("Code"), max_length=10)
    name = text_field(_l("Naam"), max_length=120)


class IntensityForm(FlaskForm):
    code = text_field(_l("Code"), max_length=10)
    name = text_field(_l("Naam"), max_length=60)
    # The range (1-99) is the domain's rule and message.
    rank = IntegerField(_l("Rang"), validators=[InputRequired(REQUIRED)],
                        render_kw={"inputmode": "numeric"})
    long_term = BooleanField(_l("Duurzaam (langdurige ondersteuning)"))


class ArrangementForm(FlaskForm):
    profile = id_field(_l("Profiel"))
    intensity = id_field(_l("Intensiteit"))
    product_category = code_field(_l("Productcategorie (JZ020)"), JZ020)
    product_code = text_field(_l("Productcode"), max_length=5)
