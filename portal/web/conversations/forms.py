"""The steering conversation's forms. Choices and dates are checked again by the domain, so a
forged value gets its Dutch message there; text hygiene and length here and there."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField
from wtforms.validators import DataRequired, InputRequired

from portal.domain.conversations import MAX_TEXT
from portal.domain.lists import Side
from portal.web.fields import (
    REQUIRED,
    date_field,
    long_text_field,
    optional_int,
    text_field,
)

QUARTERS = [("0", _l("Het hele jaar")),
            *((str(q), _l("Kwartaal %(quarter)s", quarter=q)) for q in range(1, 5))]


class ConversationForm(FlaskForm):
    # Not checked against the choices here: the view answers another region's contract with
    # its own message.
    contract = SelectField(_l("Contract (aanbieder)"), coerce=optional_int,
                           validate_choice=False, validators=[DataRequired(REQUIRED)])
    year = IntegerField(_l("Jaar"), validators=[InputRequired(REQUIRED)],
                        render_kw={"inputmode": "numeric"})
    quarter = SelectField(_l("Periode binnen het jaar"), choices=QUARTERS, validate_choice=False)
    held_on = date_field(_l("Datum van het gesprek"))
    participants = long_text_field(_l("Deelnemers"), max_length=MAX_TEXT)
    # One agreement per line; the domain checks each line's length.
    agreements = long_text_field(_l("Afspraken"), required=False, max_length=30 * MAX_TEXT)


class ActionForm(FlaskForm):
    owner = text_field(_l("Wie (naam of functie)"), max_length=120)
    owner_side = SelectField(_l("Bij wie ligt de actie"), validate_choice=False,
                             choices=lambda: [("", _l("Kies…")),
                                              *((side.value, side.label) for side in Side)])
    what = long_text_field(_l("Wat"), max_length=MAX_TEXT)
    due_on = date_field(_l("Uiterlijk op"))


class ResponseForm(FlaskForm):
    """The overall response; the per-agreement ones come as `agreement-<id>` fields."""

    response = long_text_field(_l("Reactie op het gesprek"), required=False,
                               max_length=MAX_TEXT)
