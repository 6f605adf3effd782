"""Form fields with Dutch messages, shared by the forms of every blueprint."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, MonthField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, StopValidation

from portal.domain.identifiers import MAX_INTEGER
from portal.domain.text_hygiene import text_problem
from portal.formatting import format_cents, format_euros, parse_euros

REQUIRED = _l("Dit veld is verplicht.")
CHOOSE = _l("Kies…")


def stripped(value):
    """A filter for choices in a query string: " " is no choice (Optional() would let it
    through as a value that is not among the choices)."""
    return value.strip() if isinstance(value, str) else value


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


class CleanText:
    """No control characters or reading-direction overrides (portal/domain/text_hygiene.py);
    a multi-line text keeps its tabs and line breaks."""

    def __init__(self, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, _form, field) -> None:
        problem = text_problem(field.data or "", None, self.multiline)
        if problem is not None:
            raise StopValidation(str(problem))


def text_field(label, max_length: int = 120, required: bool = True) -> StringField:
    validators = [DataRequired(REQUIRED)] if required else [Optional()]
    return StringField(label, validators=[*validators, CleanText(), Length(max=max_length)])


def long_text_field(label, required: bool = True, max_length: int = 4000) -> TextAreaField:
    validators = [DataRequired(REQUIRED)] if required else [Optional()]
    return TextAreaField(label, validators=[*validators, CleanText(multiline=True),
                                            Length(max=max_length)])


class EurosField(StringField):
    """An amount in euros as typed in the Netherlands (8.400,00); `data` holds cents."""

    data: int | None  # type: ignore[assignment]  # cents, not the text StringField holds

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if text:
            try:
                self.data = parse_euros(text)
            except ValueError:
                raise ValueError(_l("Vul een bedrag in euro's in, bijvoorbeeld 8.400,00.")) \
                    from None
            if abs(self.data) > MAX_INTEGER:  # amounts are integer cents in the database
                self.data = None
                raise ValueError(_l("Vul een bedrag in van ten hoogste %(amount)s.",
                                    amount=format_cents(MAX_INTEGER)))

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
