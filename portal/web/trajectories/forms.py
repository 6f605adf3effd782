from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from portal.domain.codes import WJ758
from portal.domain.lists import LifeDomain, TrajectoryStatus
from portal.domain.trajectories import MUNICIPAL_END_REASONS, PROVIDER_END_REASONS
from portal.web.allocations.forms import ContactFields
from portal.web.fields import (
    code_field,
    date_field,
    filter_select,
    id_field,
    long_text_field,
    optional_int,
    stripped,
)


class FilterForm(FlaskForm):
    """The list filters; a GET form, so without CSRF."""

    class Meta:
        csrf = False

    status = filter_select(_l("Status"), filters=[stripped], choices=[
        ("", _l("Alle")), *((s.value, s.label) for s in TrajectoryStatus)])
    arrangement = filter_select(_l("Arrangement"), coerce=optional_int)
    organisation = filter_select(_l("Organisatie"), coerce=optional_int)
    q = StringField(_l("Zoek op toewijzingsnummer of naam"),
                    validators=[Optional(), Length(max=80)])
    na = StringField(validators=[Optional()])


class ContactForm(ContactFields):
    pass


class DeliveryForm(FlaskForm):
    """Who delivers: 0 is the main provider itself; choices set by the view."""

    delivered_by = SelectField(_l("Uitvoerder"), coerce=int)


class StartForm(FlaskForm):
    started_on = date_field(_l("Startdatum zorg"))


class GoalForm(FlaskForm):
    life_domain = SelectField(_l("Leefgebied"), choices=[(d.value, d.label) for d in LifeDomain])
    description = long_text_field(_l("Doel"))
    treatment_aim = long_text_field(_l("Beoogd behandelresultaat"))
    societal_aim = long_text_field(_l("Beoogd maatschappelijk resultaat"))


class ChangeRequestForm(FlaskForm):
    reason = code_field(_l("Reden van het verzoek"), WJ758)
    arrangement = id_field(_l("Gewenst arrangement"))
    end_date = date_field(_l("Gewenste einddatum"))
    motivation = long_text_field(_l("Motivering"))


class EndForm(FlaskForm):
    ended_on = date_field(_l("Einddatum zorg"))
    reason = code_field(_l("Reden beëindiging"), PROVIDER_END_REASONS)


class EndAllocationForm(FlaskForm):
    end_date = date_field(_l("Einddatum toewijzing"))
    reason = code_field(_l("Reden wijziging toewijzing"), MUNICIPAL_END_REASONS)
