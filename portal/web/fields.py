"""Form fields with Dutch messages, shared by the forms of every blueprint."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

REQUIRED = _l("Dit veld is verplicht.")
CHOOSE = _l("Kies…")


def optional_int(value):
    return int(value) if value not in (None, "", "None") else None


def date_field(label, required: bool = True) -> DateField:
    validators = [InputRequired(REQUIRED)] if required else [Optional()]
    return DateField(label, validators=validators,
                     render_kw={"autocomplete": "off"})


def code_field(label, codes, required: bool = True, empty=CHOOSE) -> SelectField:
    """A select of code list members: '<code> <label>'; the value is the code."""
    return SelectField(label, choices=[("", empty), *((c.value, f"{c.value} – {c.label}")
                                                      for c in codes)],
                       validators=[DataRequired(REQUIRED)] if required else [Optional()])


def id_field(label, required: bool = True) -> SelectField:
    """A select of database objects by id; choices are set by the view per user."""
    return SelectField(label, coerce=optional_int,
                       validators=[DataRequired(REQUIRED)] if required else [Optional()])


def text_field(label, max_length: int = 120, required: bool = True) -> StringField:
    validators = [DataRequired(REQUIRED)] if required else [Optional()]
    return StringField(label, validators=[*validators, Length(max=max_length)])


def long_text_field(label, required: bool = True, max_length: int = 4000) -> TextAreaField:
    validators = [DataRequired(REQUIRED)] if required else [Optional()]
    return TextAreaField(label, validators=[*validators, Length(max=max_length)])
