"""The widgets that write their HTML directly write WTForms' own HTML."""

import pytest
from wtforms import Form, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import Select, TextArea

from portal.web.fields import optional_int
from portal.web.widgets import QUICK_SELECT, QUICK_TEXT_AREA

CHOICES = [("", "Kies…"), ("0611", 'Tarief <klopt> "niet" & zo'), ("8187", "8187 – Cliënt")]


class QuickForm(Form):
    code = SelectField("Code", choices=CHOICES, validators=[DataRequired()],
                       widget=QUICK_SELECT)
    who = SelectField("Wie", coerce=optional_int, validators=[Optional()],
                      choices=[(None, "Alle"), (3, "Aanbieder & Co")], widget=QUICK_SELECT)
    flag = SelectField("Ja", choices=[(True, "ja"), (False, "nee")], coerce=bool,
                       widget=QUICK_SELECT)
    note = TextAreaField("Toelichting", validators=[DataRequired(), Length(max=2000)],
                         widget=QUICK_TEXT_AREA)


class WTFormsForm(Form):
    code = SelectField("Code", choices=CHOICES, validators=[DataRequired()], widget=Select())
    who = SelectField("Wie", coerce=optional_int, validators=[Optional()],
                      choices=[(None, "Alle"), (3, "Aanbieder & Co")], widget=Select())
    flag = SelectField("Ja", choices=[(True, "ja"), (False, "nee")], coerce=bool,
                       widget=Select())
    note = TextAreaField("Toelichting", validators=[DataRequired(), Length(max=2000)],
                         widget=TextArea())


@pytest.mark.parametrize("data", [
    {},
    {"code": "0611", "who": 3, "flag": True, "note": 'Te <b>duur</b> & "fout"'},
])
@pytest.mark.parametrize("attrs", [
    {},
    {"class_": "utrecht-select", "required": False, "aria_describedby": "x-error",
     "aria_invalid": "true", "size": 10, "data_x": 'a"b'},
])
def test_the_same_html_as_wtforms(data, attrs):
    quick, wtforms = QuickForm(data=data, prefix="r7"), WTFormsForm(data=data, prefix="r7")
    for name in ("code", "who", "flag", "note"):
        assert str(quick[name](**attrs)) == str(wtforms[name](**attrs))
