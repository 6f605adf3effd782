"""Demo results: measurements, their review and later care, so that the dashboards tell a
story. Better providers (a higher `quality` in the catalogue) reach better results."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.demo import catalogue as data
from portal.domain.codes import JZ588
from portal.domain.lists import (
    PROVIDER_ROLES,
    GoalScore,
    Informant,
    MeasurementMoment,
    Role,
    TrajectoryStatus,
    TreatmentResult,
    WithoutHelp,
    YesNoUnknown,
)
from portal.domain.measurements import (
    SOCIETAL_ITEMS,
    Answers,
    accept,
    explain,
    record_measurement,
    request_explanation,
)
from portal.domain.trajectories import ChildDetails, allocate, register_start
from portal.domain.validity import ADULT_AGE, age_on
from portal.extensions import db
from portal.models import Measurement, Trajectory, User

YES, NO, UNKNOWN = YesNoUnknown.YES, YesNoUnknown.NO, YesNoUnknown.UNKNOWN
QUESTIONS = [
    "Kunt u de antwoorden over school en thuis toelichten?",
    "Welke afspraken zijn er gemaakt over de veiligheid thuis?",
    "Heeft het kind de vragen zelf beantwoord, of samen met een ouder?",
]
ANSWER = "Toegelicht in het gesprek met het gezin; de meting klopt. Zie ook het plan."


@dataclass(frozen=True)
class Actors:
    staff: dict[int, User]  # per provider
    reviewers: dict[int, User]  # per municipality, where the demo has one
    access: dict[int, User]

    @classmethod
    def load(cls) -> "Actors":
        users = db.session.scalars(select(User).order_by(User.id)).all()

        def first(roles, organisation: str) -> dict[int, User]:
            found: dict[int, User] = {}
            for user in users:
                if user.role in roles:
                    found.setdefault(getattr(user, organisation), user)
            return found

        return cls(first(PROVIDER_ROLES, "provider_id"),
                   first({Role.REVIEWER}, "municipality_id"),
                   first({Role.ACCESS_STAFF}, "municipality_id"))


def add_demo_results(rng, today: date) -> None:
    quality = {agb: q for agb, _kvk, _name, _domain, q in data.PROVIDERS}
    actors = Actors.load()
    trajectories = db.session.scalars(
        select(Trajectory)
        .options(selectinload(Trajectory.goals), selectinload(Trajectory.client),
                 selectinload(Trajectory.provider), selectinload(Trajectory.allocations))
        .where(Trajectory.status != TrajectoryStatus.ALLOCATED, Trajectory.started_on.isnot(None))
        .order_by(Trajectory.id)).all()
    for trajectory in trajectories:
        chance = quality[trajectory.provider.agb_code]
        provider_user = actors.staff[trajectory.provider_id]
        measurements = _measure(rng, today, trajectory, chance, provider_user)
        reviewer = actors.reviewers.get(trajectory.municipality_id)
        if reviewer:
            for measurement in measurements:
                _review(rng, measurement, reviewer, provider_user)
        _maybe_new_care(rng, today, trajectory, chance, actors)


def _informants(rng, trajectory: Trajectory) -> list[Informant]:
    """Young people from 12 answer themselves; a parent answers for most children."""
    if trajectory.started_on is None:  # the demo measures started trajectories only
        raise ValueError(f"trajectory {trajectory.id} has not started")
    age = (trajectory.started_on - trajectory.client.birth_date).days // 365
    chosen = [Informant.YOUNG_PERSON] if age >= 12 else []
    if not chosen or rng.random() < 0.6:
        chosen.append(Informant.PARENT)
    return chosen


def _measure(rng, today, trajectory, quality, actor) -> list[Measurement]:
    ended = trajectory.status == TrajectoryStatus.ENDED
    success = quality * (1.0 if trajectory.end_reason == JZ588.ACCORDING_TO_PLAN else 0.45)
    made = []
    for informant in _informants(rng, trajectory):
        at_start = _start_items(rng)
        measured = min(today, trajectory.ended_on or today,
                       trajectory.started_on + timedelta(days=rng.randint(0, 14)))
        if ended or rng.random() < 0.9:
            made.append(_record(trajectory, MeasurementMoment.START, informant, measured,
                                at_start, actor, today))
        running_for = (today - trajectory.started_on).days
        if not ended and running_for > 90 and rng.random() < 0.3:
            made.append(_record(
                trajectory, MeasurementMoment.INTERIM, informant,
                trajectory.started_on + timedelta(days=running_for // 2),
                at_start, actor, today, **_results(rng, quality * 0.7, trajectory)))
        measured_at_end = rng.random() < (0.9 if success else 0.45)
        if ended and measured_at_end:
            end_items = {item: _later(rng, value, success) for item, value in at_start.items()}
            made.append(_record(
                trajectory, MeasurementMoment.END, informant,
                min(today, trajectory.ended_on + timedelta(days=rng.randint(0, 10))),
                end_items, actor, today, **_results(rng, success, trajectory),
                **_end_answers(rng, success)))
    return made


def _record(trajectory, moment, informant, measured_on, items, actor, today, **more):
    return record_measurement(trajectory, Answers(moment=moment, informant=informant,
                                                  measured_on=measured_on, **items, **more),
                              actor, today)


def _start_items(rng) -> dict:
    """At the start most children miss school, home, taking part or safety somewhere."""
    return {item: rng.choices([NO, YES, UNKNOWN], weights=[55, 38, 7])[0]
            for item in SOCIETAL_ITEMS}


def _later(rng, value: YesNoUnknown, success: float) -> YesNoUnknown:
    if value == NO:
        return YES if rng.random() < success * 0.85 else NO
    if value == YES:
        return NO if rng.random() < (1 - success) * 0.15 else YES
    return value


def _results(rng, success: float, trajectory: Trajectory) -> dict:
    treatment = (rng.choice([TreatmentResult.SOLVED, TreatmentResult.REDUCED])
                 if rng.random() < success else
                 rng.choices([TreatmentResult.UNCHANGED, TreatmentResult.WORSE],
                             weights=[80, 20])[0])
    scores = {goal.id: rng.choices(
        [GoalScore.ACHIEVED, GoalScore.PARTLY, GoalScore.NOT_ACHIEVED],
        weights=[success * 70, 25, (1 - success) * 60 + 5])[0] for goal in trajectory.goals}
    return {"treatment_result": treatment, "goal_scores": scores}


def _end_answers(rng, success: float) -> dict:
    mark = round(3.5 + 5.5 * success + rng.gauss(0, 1))
    help_after = rng.choices(list(WithoutHelp), weights=[
        (1 - success) * 60 + 5, 30, success * 25, success * 45])[0]
    return {"satisfaction": min(10, max(1, mark)),
            "without_help": help_after if rng.random() < 0.95 else None}


def _review(rng, measurement: Measurement, reviewer: User, provider_user: User) -> None:
    """Most measurements are accepted; a few get a question, some already answered."""
    roll = rng.random()
    if roll < 0.55:
        accept(measurement, reviewer)
    elif roll < 0.65:
        request_explanation(measurement, rng.choice(QUESTIONS), reviewer)
        if rng.random() < 0.5:
            explain(measurement, ANSWER, provider_user)
            if rng.random() < 0.5:
                accept(measurement, reviewer, "Dank voor de toelichting.")


def _maybe_new_care(rng, today, trajectory, quality, actors: Actors) -> None:
    """Some children need youth care again after their trajectory ended (CBS 3.2)."""
    if trajectory.status != TrajectoryStatus.ENDED or rng.random() > (1 - quality) * 0.45:
        return
    start = trajectory.ended_on + timedelta(days=rng.randint(20, 170))
    if start > today:
        return
    client = trajectory.client
    again = allocate(
        municipality=trajectory.municipality,
        child=ChildDetails(client.bsn, client.birth_date, client.given_name, client.family_name),
        provider=trajectory.provider, arrangement=trajectory.allocations[-1].arrangement,
        start=start, end=start + timedelta(days=180),
        actor=actors.access.get(trajectory.municipality_id),
        # A child that turned 18 meanwhile gets extended youth care (verlengde jeugdhulp).
        extended=age_on(client.birth_date, start) >= ADULT_AGE)
    register_start(again, start, actors.staff[trajectory.provider_id], today)
