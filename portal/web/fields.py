"""Form fields with Dutch messages, shared by the forms of every blueprint."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, MonthField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.formatting import format_euros, parse_euros

REQUIRED = _l("Dit veld is verplicht.")
CHOOSE = _l("Kies…")


def optional_int(value):
    return int(value) if value not in (None, "", "None") else None


def date_field(label, required: bool = True) -> DateField:
    validators = [InputRequired(REQUIRED)] if required else [Optional()]
    return DateField(label, validators=validators,
                     render_kw={"autocomplete": "off"})


def code_field(label, codes, required: bool = True, empty=CHOOSE) -> SelectField:
    """A select of code list members: '<code> <label>'; the value is the code. The labels
    are made when the form is, so they come in the user's language (a list made here, at
    import, would stay in the default language)."""
    def labelled():
        return [("", empty), *((c.value, f"{c.value} – {c.label}") for c in codes)]

    return SelectField(label, choices=labelled,
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


class EurosField(StringField):
    """An amount in euros as typed in the Netherlands (8.400,00); `data` holds cents."""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if text:
            try:
                self.data = parse_euros(text)
            except ValueError:
                raise ValueError(_l("Vul een bedrag in euro's in, bijvoorbeeld 8.400,00.")) \
                    from None

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return ("-" if self.data < 0 else "") + format_euros(self.data)


def euros_field(label, required: bool = True) -> EurosField:
    validators = [InputRequired(REQUIRED)] if required else [Optional()]
    return EurosField(label, validators=validators,
                      render_kw={"inputmode": "decimal", "autocomplete": "off"})


def month_field(label, required: bool = True) -> MonthField:
    """A calendar month (an <input type=month>); `data` is its first day."""
    validators = [InputRequired(REQUIRED)] if required else [Optional()]
    return MonthField(label, validators=validators, render_kw={"placeholder": "jjjj-mm"})
