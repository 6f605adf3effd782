"""WTForms widgets that write their HTML directly, the same HTML as WTForms' own. WTForms
builds every attribute with html_params and Markup.format (a string.Formatter in Python):
on the bench machine about 45 µs an <option> and 100 µs a tag, against a few µs this way,
and a list page's filters hold a hundred options, the review queue 25 reject forms."""

from markupsafe import Markup, escape
from wtforms.widgets import Select, TextArea
from wtforms.widgets.core import clean_key  # type: ignore[attr-defined]  # not in types-WTForms


def attributes(**kwargs) -> str:
    """WTForms' html_params: sorted, `class_` as class, True bare, False left out."""
    parts = []
    for key, value in sorted(kwargs.items()):
        if value is True:
            parts.append(clean_key(key))
        elif value is not False:
            parts.append(f'{clean_key(key)}="{escape(value)}"')
    return " ".join(parts)


def _with_flags(widget, field, kwargs: dict) -> dict:
    """The id, and the validation flags the widget shows (required, maxlength, ...)."""
    kwargs.setdefault("id", field.id)
    for name, value in vars(field.flags).items():
        if name in widget.validation_attrs and name not in kwargs:
            kwargs[name] = value
    return kwargs


class QuickSelect(Select):
    def __call__(self, field, **kwargs):
        if self.multiple or field.has_groups():
            return super().__call__(field, **kwargs)
        kwargs = _with_flags(self, field, kwargs)
        options = "".join(self.render_option(choice)
                          for choice in field._iter_choices_normalized())
        return self.select(field, kwargs, options)

    @staticmethod
    def select(field, kwargs: dict, options: str) -> Markup:
        # The attributes and each option were escaped as they were written.
        html = f"<select {attributes(name=field.name, **kwargs)}>{options}</select>"
        return Markup(html)  # noqa: S704  # nosec B704

    @classmethod
    def render_option(cls, choice, **kwargs):  # type: ignore[override]  # WTForms 3.2's
        if choice.render_kw or kwargs:
            return super().render_option(choice, **kwargs)
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        selected = "selected " if choice.selected else ""
        label = escape(choice.label or choice.value)
        html = f'<option {selected}value="{escape(value)}">{label}</option>'
        return Markup(html)  # noqa: S704  # nosec B704


class SharedOptionsSelect(QuickSelect):
    """Renders a SharedChoicesSelectField (portal/web/fields.py): this form's <select>
    around the options rendered once per request; only the chosen option differs."""

    def __call__(self, field, **kwargs):
        kwargs = _with_flags(self, field, kwargs)
        options = "".join(chosen if field.coerce(value) == field.data else plain
                          for value, plain, chosen in field.rendered_options())
        return self.select(field, kwargs, options)


class QuickTextArea(TextArea):
    def __call__(self, field, **kwargs):
        kwargs = _with_flags(self, field, kwargs)
        html = (f"<textarea {attributes(name=field.name, **kwargs)}>\r\n"
                f"{escape(field._value())}</textarea>")
        return Markup(html)  # noqa: S704  # nosec B704


QUICK_SELECT, QUICK_TEXT_AREA = QuickSelect(), QuickTextArea()
