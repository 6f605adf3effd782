"""Result measurements: who measures what when, once per informant, and their review."""

from datetime import date

import pytest
from sqlalchemy import select

from portal.domain import DomainError
from portal.domain.lists import (
    GoalScore,
    Informant,
    LifeDomain,
    MeasurementMoment,
    MeasurementStatus,
    Role,
    TreatmentResult,
    WithoutHelp,
    YesNoUnknown,
)
from portal.domain.measurements import (
    Answers,
    accept,
    addable_moments,
    explain,
    has_end_measurement,
    record_measurement,
    request_explanation,
    trajectory_measurements,
)
from portal.domain.plans import GoalText, add_goal
from portal.domain.timeline import trajectory_timeline
from portal.extensions import db
from portal.models import AuditEvent, Measurement
from tests.factories import UserFactory

TODAY = date(2026, 11, 20)
START, INTERIM, END = MeasurementMoment.START, MeasurementMoment.INTERIM, MeasurementMoment.END
YES, NO = YesNoUnknown.YES, YesNoUnknown.NO


def answers(moment=START, informant=Informant.YOUNG_PERSON, measured_on=date(2026, 2, 10),
            **values) -> Answers:
    societal = dict.fromkeys(("goes_to_school_or_work", "grows_up_at_home", "takes_part",
                              "is_safe"), NO)
    if moment != START:
        values.setdefault("treatment_result", TreatmentResult.REDUCED)
    return Answers(moment=moment, informant=informant, measured_on=measured_on,
                   **{**societal, **values})


def measure(world, trajectory, *args, **values) -> Measurement:
    return record_measurement(trajectory, answers(*args, **values),
                              world.users["provider_staff"], TODAY)


def stored_dates(trajectory, *moments) -> list[date]:
    """The measurement dates stored for the trajectory (of these moments, when given)."""
    query = select(Measurement.measured_on).where(Measurement.trajectory_id == trajectory.id)
    if moments:
        query = query.where(Measurement.moment.in_(moments))
    return list(db.session.scalars(query.order_by(Measurement.measured_on)))


def with_goal(world, trajectory):
    return add_goal(trajectory, GoalText(LifeDomain.EDUCATION_WORK, "Naar school",
                                         "Minder angst", "Elke dag naar school"),
                    world.users["provider_staff"])


def test_start_interim_and_end_are_recorded_with_their_contents(world):
    trajectory = world.trajectory("started")
    goal = with_goal(world, trajectory)
    start = measure(world, trajectory, START, goes_to_school_or_work=NO)
    interim = measure(world, trajectory, INTERIM, measured_on=date(2026, 4, 1),
                      goal_scores={goal.id: GoalScore.PARTLY})
    end = measure(world, trajectory, END, measured_on=date(2026, 7, 20),
                  goes_to_school_or_work=YES, treatment_result=TreatmentResult.SOLVED,
                  goal_scores={goal.id: GoalScore.ACHIEVED}, satisfaction=8,
                  without_help=WithoutHelp.NONE)
    assert start.status == MeasurementStatus.SUBMITTED and start.treatment_result is None
    assert [(s.goal_id, s.score) for s in interim.goal_scores] == [(goal.id, GoalScore.PARTLY)]
    assert (end.satisfaction, end.without_help, end.goes_to_school_or_work) == (
        8, WithoutHelp.NONE, YES)


def test_after_the_end_an_end_and_a_late_start_measurement_but_no_interim(world):
    trajectory = world.trajectory("ended")  # 03-02-2026 to 31-07-2026
    measure(world, trajectory, END, measured_on=date(2026, 8, 3))
    with pytest.raises(DomainError, match="na het einde van de zorg") as caught:
        measure(world, trajectory, START, measured_on=date(2026, 8, 1))
    assert caught.value.field == "measured_on"
    measure(world, trajectory, START, measured_on=date(2026, 7, 31))
    with pytest.raises(DomainError, match="gestart traject dat nog loopt"):
        measure(world, trajectory, INTERIM, measured_on=date(2026, 7, 1))


@pytest.mark.parametrize("moment", [START, INTERIM, END])
def test_no_measurement_before_the_start_of_care(world, moment):
    with pytest.raises(DomainError, match="gestart"):
        measure(world, world.trajectory(), moment)


@pytest.mark.parametrize("measured_on, message", [
    (date(2026, 11, 21), "in de toekomst"),
    (date(2026, 2, 2), "vóór de start van het traject"),  # started 03-02-2026
])
def test_measurement_date_lies_between_start_of_care_and_today(world, measured_on, message):
    with pytest.raises(DomainError, match=message) as caught:
        measure(world, world.trajectory("started"), measured_on=measured_on)
    assert caught.value.field == "measured_on"


def test_the_first_day_of_care_and_today_are_allowed(world):
    trajectory = world.trajectory("started")
    first_day = measure(world, trajectory, measured_on=date(2026, 2, 3))
    today = measure(world, trajectory, INTERIM, measured_on=TODAY)
    assert trajectory.started_on == first_day.measured_on == date(2026, 2, 3)
    assert today.measured_on == TODAY
    assert stored_dates(trajectory) == [date(2026, 2, 3), TODAY]


@pytest.mark.parametrize("moment", [START, INTERIM])
def test_satisfaction_and_without_help_only_at_the_end(world, moment):
    trajectory = world.trajectory("started")
    with pytest.raises(DomainError) as caught:
        measure(world, trajectory, moment, satisfaction=7)
    assert caught.value.field == "satisfaction"
    with pytest.raises(DomainError) as caught:
        measure(world, trajectory, moment, without_help=WithoutHelp.LIGHTER)
    assert caught.value.field == "without_help"


@pytest.mark.parametrize("mark", [0, 11])
def test_satisfaction_is_a_mark_from_1_to_10(world, mark):
    with pytest.raises(DomainError, match="1 tot en met 10"):
        measure(world, world.trajectory("started"), END, satisfaction=mark)


def test_results_are_not_scored_at_the_start(world):
    with pytest.raises(DomainError, match="nog geen resultaten"):
        measure(world, world.trajectory("started"), START,
                treatment_result=TreatmentResult.REDUCED)


def test_later_measurements_score_the_treatment_result_and_every_goal(world):
    trajectory = world.trajectory("started")
    goal = with_goal(world, trajectory)
    with pytest.raises(DomainError) as caught:
        measure(world, trajectory, INTERIM, treatment_result=None)
    assert caught.value.field == "treatment_result"
    with pytest.raises(DomainError) as caught:
        measure(world, trajectory, END)
    assert caught.value.field == f"goal_{goal.id}"
    other_goal = with_goal(world, world.trajectory("started"))
    with pytest.raises(DomainError, match="niet in het plan"):
        measure(world, trajectory, END, goal_scores={goal.id: GoalScore.ACHIEVED,
                                                     other_goal.id: GoalScore.ACHIEVED})


@pytest.mark.parametrize("moment", [START, END])
def test_one_start_and_one_end_measurement_per_informant(world, moment):
    trajectory = world.trajectory("started")
    measure(world, trajectory, moment)
    measure(world, trajectory, moment, informant=Informant.PARENT)
    with pytest.raises(DomainError, match="Er is al een") as caught:
        measure(world, trajectory, moment)
    assert caught.value.field == "informant"


def test_a_moment_may_be_added_until_both_informants_are_measured(world):
    trajectory = world.trajectory("started")
    assert addable_moments(trajectory, []) == [START, INTERIM, END]
    measure(world, trajectory, START)
    measure(world, trajectory, INTERIM, measured_on=date(2026, 3, 1))
    measure(world, trajectory, INTERIM, measured_on=date(2026, 4, 1))
    assert addable_moments(trajectory, trajectory_measurements(trajectory)) == \
        [START, INTERIM, END]
    measure(world, trajectory, START, informant=Informant.PARENT)
    assert addable_moments(trajectory, trajectory_measurements(trajectory)) == [INTERIM, END]


def test_no_moment_may_be_added_before_the_start_of_care(world):
    assert addable_moments(world.trajectory(), []) == []


def test_the_unique_index_guards_a_race_between_two_submissions(world, monkeypatch):
    trajectory = world.trajectory("started")
    measure(world, trajectory, START)
    # The other submission's row exists, but the check in Python did not see it yet.
    monkeypatch.setattr("portal.domain.measurements.measured_informants", lambda *_: set())
    with pytest.raises(DomainError, match="Er is al een"):
        measure(world, trajectory, START)
    assert len(db.session.scalars(select(Measurement).where(
        Measurement.trajectory_id == trajectory.id)).all()) == 1


def test_interim_measurements_may_repeat(world):
    trajectory = world.trajectory("started")
    measure(world, trajectory, INTERIM, measured_on=date(2026, 3, 1))
    measure(world, trajectory, INTERIM, measured_on=date(2026, 5, 1))
    assert stored_dates(trajectory, INTERIM) == [date(2026, 3, 1), date(2026, 5, 1)]


def test_has_end_measurement(world):
    trajectory = world.trajectory("ended")
    assert has_end_measurement(trajectory) is False
    measure(world, trajectory, END, informant=Informant.PARENT, measured_on=date(2026, 8, 1))
    assert has_end_measurement(trajectory) is True
    assert has_end_measurement(world.trajectory("ended")) is False


def test_every_save_is_an_audit_event_on_the_timeline(world):
    trajectory = world.trajectory("started")
    measurement = measure(world, trajectory, START)
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "measurement.submitted", AuditEvent.object_id == measurement.id))
    assert event.trajectory_id == trajectory.id and event.after["moment"] == "start"
    accept(measurement, world.users["reviewer"])
    assert [e.description for e in trajectory_timeline(trajectory)][-2:] == [
        "Resultaatmeting vastgelegd", "Resultaatmeting geaccepteerd"]


def test_review_conversation_keeps_its_history(world):
    measurement = measure(world, world.trajectory("started"), START)
    request_explanation(measurement, "Waarom gaat het kind niet naar school?",
                        world.users["reviewer"])
    assert measurement.status == MeasurementStatus.EXPLANATION_REQUESTED
    explain(measurement, "Het kind is geschorst; dat staat in het plan.",
            world.users["provider_staff"])
    assert measurement.status == MeasurementStatus.SUBMITTED
    accept(measurement, world.users["reviewer"])
    db.session.expire(measurement, ["comments"])
    assert [(c.status_after, c.author.name) for c in measurement.comments] == [
        (MeasurementStatus.EXPLANATION_REQUESTED, "reviewer"),
        (MeasurementStatus.SUBMITTED, "provider_staff"),
        (MeasurementStatus.ACCEPTED, "reviewer"),
    ]


def test_asking_and_answering_need_a_text(world):
    measurement = measure(world, world.trajectory("started"), START)
    with pytest.raises(DomainError) as caught:
        request_explanation(measurement, "   ", world.users["reviewer"])
    assert caught.value.field == "text"
    request_explanation(measurement, "Graag toelichting.", world.users["reviewer"])
    with pytest.raises(DomainError):
        explain(measurement, "", world.users["provider_staff"])


def test_of_two_reviewers_at_once_only_the_first_wins(world):
    measurement = measure(world, world.trajectory("started"), START)
    colleague = UserFactory(role=Role.REVIEWER, organisation=world.municipalities[0],
                            name="Tweede beoordelaar")
    accept(measurement, colleague)
    # No check in Python: the conditional UPDATE finds the state changed.
    with pytest.raises(DomainError, match="intussen gewijzigd door Tweede beoordelaar") as caught:
        request_explanation(measurement, "Toch nog een vraag.", world.users["reviewer"])
    assert "Geaccepteerd" in str(caught.value)
    assert measurement.status == MeasurementStatus.ACCEPTED
    assert len(measurement.comments) == 1


def test_an_answer_is_only_given_when_asked(world):
    measurement = measure(world, world.trajectory("started"), START)
    with pytest.raises(DomainError, match="intussen gewijzigd"):
        explain(measurement, "Ongevraagd", world.users["provider_staff"])
