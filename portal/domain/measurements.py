"""Result measurements and their review (domain.md sections 3.5, 7 and 11).

A provider measures at the start, optionally in between and at the end, per informant. At
the start only the societal items are asked (the situation the help starts from); later
measurements add the treatment result and a score per goal of the plan; the end
measurement adds the satisfaction mark and whether the child can go on without help.
"""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal.database import rows_matched
from portal.domain import DomainError
from portal.domain.audit import record, snapshot
from portal.domain.lists import (
    GoalScore,
    Informant,
    MeasurementMoment,
    MeasurementStatus,
    TrajectoryStatus,
    TreatmentResult,
    WithoutHelp,
    YesNoUnknown,
)
from portal.domain.states import EXPLAINABLE, REVIEWABLE
from portal.extensions import db
from portal.formatting import format_date
from portal.models import GoalScoreEntry, Measurement, MeasurementComment, Trajectory, User

# The societal result items (maatschappelijk resultaat), as Measurement columns.
SOCIETAL_ITEMS = {
    "goes_to_school_or_work": _l("Gaat naar school of werk"),
    "grows_up_at_home": _l("Groeit thuis op"),
    "takes_part": _l("Doet mee in de samenleving"),
    "is_safe": _l("Is veilig"),
}
# The trajectory states in which each moment may be measured: once care has started; a
# start measurement may be registered late, after the end, dated within the care.
OPEN_FOR = {
    MeasurementMoment.START: (TrajectoryStatus.STARTED, TrajectoryStatus.ENDED),
    MeasurementMoment.INTERIM: (TrajectoryStatus.STARTED,),
    MeasurementMoment.END: (TrajectoryStatus.STARTED, TrajectoryStatus.ENDED),
}
# The moments measured once per informant (the interim measurement may come again).
ONCE_PER_INFORMANT = (MeasurementMoment.START, MeasurementMoment.END)
# Where one answer per trajectory is needed, the young person's counts before the parent's.
INFORMANT_PREFERENCE = (Informant.YOUNG_PERSON, Informant.PARENT)
# What each moment's measurement is called in sentences.
MEASUREMENT_NAMES = {
    MeasurementMoment.START: _l("beginmeting"),
    MeasurementMoment.INTERIM: _l("tussentijdse meting"),
    MeasurementMoment.END: _l("eindmeting"),
}
NOT_OPEN = {
    MeasurementMoment.START: _l("Een beginmeting kan pas worden vastgelegd als de zorg is "
                                "gestart."),
    MeasurementMoment.INTERIM: _l("Een tussentijdse meting kan alleen worden vastgelegd voor "
                                  "een gestart traject dat nog loopt."),
    MeasurementMoment.END: _l("Een eindmeting kan alleen worden vastgelegd voor een gestart of "
                              "beëindigd traject."),
}
# What a review comment did, by the status it left the measurement in.
COMMENT_ACTIONS = {
    MeasurementStatus.EXPLANATION_REQUESTED: _l("vroeg om toelichting"),
    MeasurementStatus.SUBMITTED: _l("gaf toelichting"),
    MeasurementStatus.ACCEPTED: _l("accepteerde de meting"),
}
SNAPSHOT_FIELDS = ("moment", "informant", "measured_on", "treatment_result", *SOCIETAL_ITEMS,
                   "satisfaction", "without_help")


@dataclass(frozen=True)
class Answers:
    moment: MeasurementMoment
    informant: Informant
    measured_on: date
    goes_to_school_or_work: YesNoUnknown
    grows_up_at_home: YesNoUnknown
    takes_part: YesNoUnknown
    is_safe: YesNoUnknown
    treatment_result: TreatmentResult | None = None
    goal_scores: dict[int, GoalScore] = field(default_factory=dict)
    satisfaction: int | None = None
    without_help: WithoutHelp | None = None


def goal_field(goal_id: int) -> str:
    """The form field that carries the score of one goal."""
    return f"goal_{goal_id}"


def may_measure(trajectory: Trajectory, moment: MeasurementMoment) -> bool:
    return trajectory.status in OPEN_FOR[moment]


def addable_moments(trajectory: Trajectory,
                    measurements: list[Measurement]) -> list[MeasurementMoment]:
    """The moments a measurement may be added for now: open in the trajectory's state and,
    for a start or end measurement, an informant not measured yet."""
    def complete(moment: MeasurementMoment) -> bool:
        measured = {m.informant for m in measurements if m.moment == moment}
        return moment in ONCE_PER_INFORMANT and measured >= set(Informant)

    return [m for m in MeasurementMoment if may_measure(trajectory, m) and not complete(m)]


def trajectory_measurements(trajectory: Trajectory) -> list[Measurement]:
    """A trajectory's measurements in the order they were measured."""
    return list(db.session.scalars(
        select(Measurement).options(selectinload(Measurement.goal_scores))
        .where(Measurement.trajectory_id == trajectory.id)
        .order_by(Measurement.measured_on, Measurement.id)))


def end_measurement_criterion():
    """SQL: the trajectory in the query has a submitted end measurement."""
    return (select(Measurement.id)
            .where(Measurement.trajectory_id == Trajectory.id,
                   Measurement.moment == MeasurementMoment.END)
            .exists())


def has_end_measurement(trajectory: Trajectory) -> bool:
    """Whether an end measurement was submitted (reviewed or not); the end tranche waits
    for it."""
    return bool(db.session.scalar(select(exists().where(
        Measurement.trajectory_id == trajectory.id,
        Measurement.moment == MeasurementMoment.END))))


def measured_informants(trajectory: Trajectory, moment: MeasurementMoment) -> set[Informant]:
    return set(db.session.scalars(select(Measurement.informant).where(
        Measurement.trajectory_id == trajectory.id, Measurement.moment == moment)))


def _check_moment(trajectory: Trajectory, answers: Answers, today: date) -> None:
    if not may_measure(trajectory, answers.moment):
        raise DomainError(NOT_OPEN[answers.moment])
    if answers.measured_on > today:
        raise DomainError(_l("De meetdatum ligt in de toekomst."), field="measured_on")
    started_on = trajectory.started_on
    if started_on is None:  # ended without starting (a deleted allocation): nothing to measure
        raise DomainError(NOT_OPEN[answers.moment])
    if answers.measured_on < started_on:
        raise DomainError(_l("De meetdatum ligt vóór de start van het traject (%(day)s).",
                             day=format_date(started_on)),
                          field="measured_on")
    ended_on = trajectory.ended_on
    if answers.moment != MeasurementMoment.END and ended_on and answers.measured_on > ended_on:
        raise DomainError(_l("Een beginmeting ligt niet na het einde van de zorg (%(day)s).",
                             day=format_date(ended_on)), field="measured_on")


def _check_end_only(answers: Answers) -> None:
    at_end = answers.moment == MeasurementMoment.END
    if answers.satisfaction is not None:
        if not at_end:
            raise DomainError(_l("Het rapportcijfer wordt alleen bij de eindmeting gevraagd."),
                              field="satisfaction")
        if not 1 <= answers.satisfaction <= 10:
            raise DomainError(_l("Geef een cijfer van 1 tot en met 10."), field="satisfaction")
    if answers.without_help is not None and not at_end:
        raise DomainError(_l("Of het kind zonder hulp verder kan, wordt alleen bij de "
                             "eindmeting gevraagd."), field="without_help")


def _check_results(trajectory: Trajectory, answers: Answers) -> None:
    """No results at the start; later a treatment result and a score for every goal."""
    if answers.moment == MeasurementMoment.START:
        if answers.treatment_result is not None or answers.goal_scores:
            raise DomainError(_l("Bij de beginmeting worden nog geen resultaten gescoord."))
        return
    if answers.treatment_result is None:
        raise DomainError(_l("Kies het behandelresultaat."), field="treatment_result")
    goal_ids = {goal.id for goal in trajectory.goals}
    if set(answers.goal_scores) - goal_ids:
        raise DomainError(_l("Er is een score gegeven voor een doel dat niet in het plan "
                             "staat."))
    for goal in trajectory.goals:
        if goal.id not in answers.goal_scores:
            raise DomainError(_l("Geef aan of dit doel is behaald."), field=goal_field(goal.id))


def _duplicate(answers: Answers) -> DomainError:
    return DomainError(_l("Er is al een %(moment)s van deze informant (%(informant)s). Per "
                          "informant is er één begin- en één eindmeting.",
                          moment=MEASUREMENT_NAMES[answers.moment],
                          informant=answers.informant.label.lower()), field="informant")


def record_measurement(trajectory: Trajectory, answers: Answers, actor: User,
                       today: date) -> Measurement:
    _check_moment(trajectory, answers, today)
    _check_end_only(answers)
    _check_results(trajectory, answers)
    once = answers.moment in ONCE_PER_INFORMANT
    if once and answers.informant in measured_informants(trajectory, answers.moment):
        raise _duplicate(answers)
    measurement = Measurement(
        trajectory=trajectory, submitted_by=actor,
        **{name: getattr(answers, name) for name in SNAPSHOT_FIELDS},
        goal_scores=[GoalScoreEntry(goal_id=goal_id, score=score)
                     for goal_id, score in sorted(answers.goal_scores.items())])
    try:
        with db.session.begin_nested():  # added inside: begin_nested() flushes what is pending
            db.session.add(measurement)
            db.session.flush()
    except IntegrityError:  # the same informant's measurement slipped in at the same moment
        raise _duplicate(answers) from None
    after = snapshot(measurement, *SNAPSHOT_FIELDS)
    after["goal_scores"] = {str(k): v.value for k, v in sorted(answers.goal_scores.items())}
    record(actor, "measurement.submitted", measurement, trajectory=trajectory, after=after)
    return measurement


# Review ----------------------------------------------------------------------------------


def _required_text(text: str, message) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(message, field="text")
    return text


def _move(measurement: Measurement, expected: MeasurementStatus, new: MeasurementStatus,
          actor: User, text: str, action: str) -> MeasurementComment:
    """Conditional UPDATE: of two reviewers acting at once, only the first finds the
    expected state; the other is told who was first."""
    matched = rows_matched(
        update(Measurement)
        .where(Measurement.id == measurement.id, Measurement.status == expected)
        .values(status=new)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(measurement)
    if matched != 1:
        latest = db.session.scalar(
            select(MeasurementComment).where(MeasurementComment.measurement_id == measurement.id)
            .order_by(MeasurementComment.id.desc()).limit(1))
        raise DomainError(_l("Deze meting is intussen gewijzigd door %(name)s; de status is nu "
                             "‘%(status)s’.", name=latest.author.name if latest else "-",
                             status=measurement.status.label))
    comment = MeasurementComment(measurement=measurement, author=actor, status_after=new,
                                 text=text)
    db.session.add(comment)
    db.session.flush()
    record(actor, action, measurement, trajectory=measurement.trajectory,
           before={"status": expected.value}, after={"status": new.value, "text": text})
    return comment


def accept(measurement: Measurement, actor: User, text: str = "") -> MeasurementComment:
    return _move(measurement, REVIEWABLE, MeasurementStatus.ACCEPTED, actor,
                 (text or "").strip(), "measurement.accepted")


def request_explanation(measurement: Measurement, text: str, actor: User) -> MeasurementComment:
    text = _required_text(text, _l("Schrijf welke toelichting u van de aanbieder nodig hebt."))
    return _move(measurement, REVIEWABLE, EXPLAINABLE, actor, text,
                 "measurement.explanation_requested")


def explain(measurement: Measurement, text: str, actor: User) -> MeasurementComment:
    """The provider answers; the measurement goes back to the reviewer."""
    text = _required_text(text, _l("Schrijf uw toelichting."))
    return _move(measurement, EXPLAINABLE, REVIEWABLE, actor, text, "measurement.explained")
