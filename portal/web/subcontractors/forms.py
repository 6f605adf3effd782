from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from portal.web.fields import id_field, text_field


class SubcontractorForm(FlaskForm):
    contract = id_field(_l("Contract"))
    agb_code = text_field(_l("AGB-code"), max_length=20)
    name = text_field(_l("Naam"), max_length=200)
