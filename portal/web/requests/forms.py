from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from portal.domain.codes import WJ759
from portal.domain.requests import REFERRERS
from portal.web.allocations.forms import ChildFields
from portal.web.fields import code_field, date_field, id_field, long_text_field, text_field


class AllocationRequestForm(ChildFields):
    municipality = id_field(_l("Gemeente van het kind"))
    referrer = code_field(_l("Verwijzer"), REFERRERS)
    referrer_code = text_field(_l("AGB-code van de verwijzer"), max_length=8, required=False)
    referrer_name = text_field(_l("Naam van de verwijzer (zonder AGB-code)"), max_length=64,
                               required=False)
    arrangement = id_field(_l("Arrangement"))
    start_date = date_field(_l("Gewenste ingangsdatum"))
    end_date = date_field(_l("Gewenste einddatum"))
    motivation = long_text_field(_l("Motivering"))


class RejectForm(FlaskForm):
    rejection_reason = code_field(_l("Reden van afwijzing"), WJ759)
    decision_note = long_text_field(_l("Toelichting voor de aanbieder"), required=False)


class ApproveChangeForm(FlaskForm):
    effective = date_field(_l("Ingangsdatum nieuwe toewijzing"))


class ApproveForm(FlaskForm):
    """Only the CSRF token: the request itself holds everything to allocate."""
