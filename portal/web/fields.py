"""Form fields with Dutch messages, shared by the forms of every blueprint."""

from typing import Protocol, TypeVar

from flask import g
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import DateField, MonthField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, StopValidation

from portal.domain.identifiers import MAX_INTEGER
from portal.domain.text_hygiene import text_problem
from portal.formatting import format_cents, format_euros, parse_euros
from portal.web.widgets import QUICK_SELECT, QUICK_TEXT_AREA, QuickSelect, SharedOptionsSelect

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


Value = TypeVar("Value")


class _Entered(Protocol[Value]):
    name: str
    data: Value | None


def given(field: _Entered[Value]) -> Value:
    """The value of a required field (a date, a number) on a form that validated:
    InputRequired let no empty one through."""
    if field.data is None:
        raise ValueError(f"required field {field.name} is empty after validation")
    return field.data


def code_field(label, codes, required: bool = True, empty=CHOOSE) -> SelectField:
    """A select of code list members: '<code> <label>'; the value is the code. The labels
    are made when the form is, so they come in the user's language (a list made here, at
    import, would stay in the default language)."""
    return SelectField(label, choices=_code_choices(codes, empty), widget=QUICK_SELECT,
                       validators=[DataRequired(REQUIRED)] if required else [Optional()])


def _code_choices(codes, empty):
    def labelled():
        return [("", empty), *((c.value, f"{c.value} – {c.label}") for c in codes)]

    return labelled


def _once_per_request(key: tuple, make):
    """make() the first time a request asks for `key`, then the same object (in flask.g,
    which lives as long as the request)."""
    cache = g.setdefault("_shared_select", {})
    if key not in cache:
        cache[key] = make()
    return cache[key]


class SharedChoicesSelectField(SelectField):
    """A select with the same choices on every form of a page, such as the reject form on
    each row of the review queue: the choices are made, and their options rendered, once per
    request instead of once per form (25 forms of 24 translated codes each were half of the
    queue's time). Validation is that of any SelectField."""

    widget = SharedOptionsSelect()

    def __init__(self, label=None, validators=None, make_choices=None, **kwargs):
        self.make_choices = make_choices
        super().__init__(label, validators,
                         choices=lambda: _once_per_request((make_choices,), make_choices),
                         **kwargs)

    def rendered_options(self) -> list[tuple[str, Markup, Markup]]:
        """(value, <option>, <option selected>) per choice."""
        def render():
            return [(choice.value, QuickSelect.render_option(choice._replace(selected=False)),
                     QuickSelect.render_option(choice._replace(selected=True)))
                    for choice in self._iter_choices_normalized()]  # type: ignore[attr-defined]

        return _once_per_request((self.make_choices, "html"), render)


def shared_code_field(label, codes, required: bool = True,
                      empty=CHOOSE) -> SharedChoicesSelectField:
    """A code_field for a form repeated on one page (see SharedChoicesSelectField)."""
    return SharedChoicesSelectField(
        label, make_choices=_code_choices(codes, empty),
        validators=[DataRequired(REQUIRED)] if required else [Optional()])


def filter_select(label, **kwargs) -> SelectField:
    """A list page's filter: optional, its options written by QuickSelect."""
    return SelectField(label, validators=[Optional()], widget=QUICK_SELECT, **kwargs)


def id_field(label, required: bool = True) -> SelectField:
    """A select of database objects by id; choices are set by the view per user."""
    return SelectField(label, coerce=optional_int, widget=QUICK_SELECT,
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
    return TextAreaField(label, widget=QUICK_TEXT_AREA,
                         validators=[*validators, CleanText(multiline=True),
                                     Length(max=max_length)])


class EurosField(StringField):
    """An amount in euros as typed in the Netherlands (8.400,00); `data` holds cents, at most
    `max_cents` either way (by default what an integer column holds)."""

    def __init__(self, label=None, validators=None, max_cents: int = MAX_INTEGER, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.max_cents = max_cents

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
            if abs(self.data) > self.max_cents:
                self.data = None
                raise ValueError(_l("Vul een bedrag in van ten hoogste %(amount)s.",
                                    amount=format_cents(self.max_cents)))

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return ("-" if self.data < 0 else "") + format_euros(self.data)


def euros_field(label, required: bool = True, max_cents: int = MAX_INTEGER) -> EurosField:
    validators = [InputRequired(REQUIRED)] if required else [Optional()]
    return EurosField(label, validators=validators, max_cents=max_cents,
                      render_kw={"inputmode": "decimal", "autocomplete": "off"})


def month_field(label, required: bool = True) -> MonthField:
    """A calendar month (an <input type=month>); `data` is its first day."""
    validators = [InputRequired(REQUIRED)] if required else [Optional()]
    return MonthField(label, validators=validators, render_kw={"placeholder": "jjjj-mm"})
