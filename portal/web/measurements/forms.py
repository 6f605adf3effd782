"""The measurement form (its fields depend on the moment and the plan), comments, filters."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from portal.domain.lists import (
    GoalScore,
    Informant,
    MeasurementMoment,
    MeasurementStatus,
    TreatmentResult,
    WithoutHelp,
    YesNoUnknown,
)
from portal.domain.measurements import SOCIETAL_ITEMS, Answers, goal_field
from portal.models import Goal
from portal.web.fields import REQUIRED, date_field, long_text_field, optional_int, stripped


def _radios(label, codes, required: bool = True, with_codes: bool = False) -> RadioField:
    return RadioField(label, choices=[(c.value, f"{c.value} – {c.label}" if with_codes
                                       else c.label) for c in codes],
                      validators=[InputRequired(REQUIRED)] if required else [Optional()])


class MeasurementForm(FlaskForm):
    informant = _radios(_l("Wie heeft de vragen beantwoord?"), Informant)
    measured_on = date_field(_l("Meetdatum"))
    goes_to_school_or_work = _radios(SOCIETAL_ITEMS["goes_to_school_or_work"], YesNoUnknown)
    grows_up_at_home = _radios(SOCIETAL_ITEMS["grows_up_at_home"], YesNoUnknown)
    takes_part = _radios(SOCIETAL_ITEMS["takes_part"], YesNoUnknown)
    is_safe = _radios(SOCIETAL_ITEMS["is_safe"], YesNoUnknown)

    def answers(self, moment: MeasurementMoment, goals: list[Goal]) -> Answers:
        data = self.data

        def code(cls, name):
            return cls(data[name]) if data.get(name) else None

        return Answers(
            moment=moment, informant=Informant(data["informant"]),
            measured_on=data["measured_on"],
            **{item: YesNoUnknown(data[item]) for item in SOCIETAL_ITEMS},
            treatment_result=code(TreatmentResult, "treatment_result"),
            goal_scores={g.id: GoalScore(data[goal_field(g.id)]) for g in goals
                         if data.get(goal_field(g.id))},
            satisfaction=data.get("satisfaction"),
            without_help=code(WithoutHelp, "without_help"))


def measurement_form(moment: MeasurementMoment, goals: list[Goal]) -> MeasurementForm:
    """Later measurements add the treatment result and a score per goal; the end
    measurement adds satisfaction and whether the child can go on without help."""

    class Form(MeasurementForm):
        pass

    if moment != MeasurementMoment.START:
        Form.treatment_result = _radios(_l("Behandelresultaat"), TreatmentResult)
        for goal in goals:
            setattr(Form, goal_field(goal.id), _radios(goal.description, GoalScore))
    if moment == MeasurementMoment.END:
        Form.satisfaction = RadioField(
            _l("Hoe bruikbaar was deze hulp?"), coerce=optional_int,
            choices=[(n, str(n)) for n in range(1, 11)], validators=[Optional()])
        Form.without_help = _radios(_l("Kan het kind zonder hulp verder?"), WithoutHelp,
                                    required=False, with_codes=True)
    return Form()


class CommentForm(FlaskForm):
    """A reviewer's question or a provider's answer; the domain says whether it may be empty."""

    text = long_text_field(_l("Toelichting"), required=False, max_length=2000)


class FilterForm(FlaskForm):
    """The list filters; a GET form, so without CSRF."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), validators=[Optional()], filters=[stripped], choices=[
        ("alle", _l("Alle")), *((s.value, s.label) for s in MeasurementStatus)])
    moment = SelectField(_l("Moment"), validators=[Optional()], filters=[stripped], choices=[
        ("", _l("Alle")), *((m.value, m.label) for m in MeasurementMoment)])
    provider = SelectField(_l("Aanbieder"), coerce=optional_int, validators=[Optional()])
    na = StringField(validators=[Optional(), Length(max=12)])
